"""The Chinese names of the workstation's codes, as screens show them.

Each list is defined once, beside the column that stores the code (app.models); screens ask here so
the UI never reaches into the models, and a label changed there changes everywhere.
"""

from __future__ import annotations

from app.models.calendar import DAY_KINDS
from app.models.cases import CASE_CLASS_LABELS, class_label
from app.models.documents import ISSUED_DOC_TYPES as DOC_TYPES
from app.models.inquiry import CHANNELS, OUTCOMES
from app.models.staff import ROLES
from app.services.cases.lifecycle import STATES as CASE_STATUS

__all__ = ["CASE_CLASS_LABELS", "CASE_STATUS", "CHANNELS", "DAY_KINDS", "DOC_TYPES", "OUTCOMES", "ROLES", "class_label", "role_label"]


def role_label(role: str) -> str:
    return ROLES.get(role, role)

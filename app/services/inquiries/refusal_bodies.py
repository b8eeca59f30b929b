"""Each handling department's own 复议机关 and 人民法院, as F10 lists them for editing.

A refusal names the review body and court of the department that handles the item (a vertically
managed office such as the tax bureau answers to its own superior, not the township government). The
values live as centre settings keyed by the department's name (app.services.settings); this module
lists the departments the catalogue actually uses, so the administrator sees every one a refusal can
name, with what is set for it and what it falls back to.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.database import Database
from app.models import CenterSetting, ServiceItem
from app.services.settings import COURT_KEY, REVIEW_BODY_KEY


@dataclass(frozen=True)
class DepartmentBodies:
    department: str
    review_body: str  # its own; empty means the township default applies
    court: str
    items: int  # catalogue items in use that this department handles


def list_department_bodies(db: Database) -> list[DepartmentBodies]:
    """Departments of the catalogue's items in use, and any other with values already set, by name."""
    with db.session() as s:
        counts: dict[str, int] = {}
        for department in s.scalars(select(ServiceItem.department).where(ServiceItem.retired_on.is_(None))):
            counts[department] = counts.get(department, 0) + 1
        own: dict[str, dict[str, str]] = {}
        rows = s.execute(select(CenterSetting.key, CenterSetting.value).where(
            CenterSetting.key.startswith(REVIEW_BODY_KEY) | CenterSetting.key.startswith(COURT_KEY)))
        for key, value in rows:
            prefix = REVIEW_BODY_KEY if key.startswith(REVIEW_BODY_KEY) else COURT_KEY
            own.setdefault(key[len(prefix):], {})[prefix] = value
    names = sorted(set(counts) | {name for name, values in own.items() if any(values.values())})
    return [DepartmentBodies(name, own.get(name, {}).get(REVIEW_BODY_KEY, ""), own.get(name, {}).get(COURT_KEY, ""),
                             counts.get(name, 0))
            for name in names]

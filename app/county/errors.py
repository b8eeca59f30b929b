"""What the county's commands refuse, in words for people."""

from __future__ import annotations

from app.services.errors import UserError


class CountyError(UserError):
    """Bad input or a state the county cannot act in; nothing was changed."""

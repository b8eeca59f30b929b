"""Who is doing something: the logged-in staff member, carried into every write for the audit log."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    staff_id: str | None
    staff_no: str
    name: str
    role: str
    workplace: str = ""


SYSTEM_ACTOR = Actor(staff_id=None, staff_no="system", name="系统", role="system")

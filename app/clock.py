"""Time in one place, so services take "now" as data and tests can fix it.

Every "now" and "today" in the workstation comes from here (dates on receipts, deadlines, default dates
on screens, file stamps). A test stops the clock with `monkeypatch.setattr(app.clock, "_fixed", moment)`
(an aware datetime), so what it checks does not depend on the day it runs. File ages compared with
the file system's own times (backup.py) use the real clock on purpose.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

_fixed: datetime | None = None  # set by tests only: the moment the clock is stopped at


def utc_now() -> datetime:
    return datetime.now(UTC) if _fixed is None else _fixed.astimezone(UTC)


def local_now() -> datetime:
    """Local wall-clock time of the workstation (China Standard Time on real machines)."""
    return datetime.now().astimezone() if _fixed is None else _fixed.astimezone()


def local_today() -> date:
    """The workstation's calendar day: what "today" means on a receipt, a deadline or a default date."""
    return local_now().date()

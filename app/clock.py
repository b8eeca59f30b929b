"""Time in one place, so services take "now" as data and tests can fix it."""

from __future__ import annotations

from datetime import datetime, UTC


def utc_now() -> datetime:
    return datetime.now(UTC)


def local_now() -> datetime:
    """Local wall-clock time of the workstation (China Standard Time on real machines)."""
    return datetime.now().astimezone()

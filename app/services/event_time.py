"""When an appended event is stamped: never before the last event of the same record.

A record's events are ordered by time, and they may come from machines whose clocks disagree (a case
handed over, a complaint handled at two windows): an event whose clock is behind is stamped just after
the last one, so the history keeps the order in which things were done. Cases, complaints and
rectifications all append through this one rule.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session


def stamp_after_last(s: Session, at_column: Any, condition: ColumnElement[bool], at: datetime) -> datetime:
    last = s.scalar(select(func.max(at_column)).where(condition))
    return last + timedelta(microseconds=1) if last is not None and at <= last else at

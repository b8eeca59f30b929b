"""A statistics period (local dates, both days included) and the SQL pieces that read it.

Times are stored in UTC; a period is the workstation's calendar days, so its bounds are local midnights
turned into UTC (indexes on the time columns stay usable), and comparing an event's time with a due date
needs the event's local day, computed in SQL by `local_day` on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from app.services.errors import ValidationError

MAX_DAYS = 3 * 366 + 1  # a period of at most about three years: what a report asks for


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        """The first instant of the period, aware UTC."""
        return _local_midnight(self.first)

    @property
    def end(self) -> datetime:
        """The first instant after the period, aware UTC."""
        return _local_midnight(self.last + timedelta(days=1))

    @property
    def offset_minutes(self) -> int:
        """The local zone's offset from UTC at the period's start (China Standard Time: 480, no DST)."""
        offset = datetime.combine(self.first, time(12)).astimezone().utcoffset()
        return int(offset.total_seconds() // 60) if offset is not None else 0


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def make_period(date_from: date | str, date_to: date | str) -> Period:
    """A checked period; dates may be given as text (YYYY-MM-DD). Bad ones are refused in Chinese."""
    first, last = _day(date_from, "开始日期"), _day(date_to, "结束日期")
    if last < first:
        raise ValidationError(f"结束日期 {last.isoformat()} 早于开始日期 {first.isoformat()}")
    if (last - first).days >= MAX_DAYS:
        raise ValidationError("统计期间不能超过三年")
    return Period(first, last)


def _day(value: date | str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"{label}“{value}”不是有效的日期，应为 YYYY-MM-DD（如 2026-11-01）") from None


class local_day(FunctionElement[date]):  # noqa: N801 - reads as the SQL function it stands for
    """The local calendar day of a UTC time column: local_day(column, offset_minutes)."""

    type = Date()
    inherit_cache = True
    name = "local_day"


@compiles(local_day, "sqlite")
def _local_day_sqlite(element: local_day, compiler: SQLCompiler, **kw: Any) -> str:
    column, offset = list(element.clauses)
    return f"date({compiler.process(column, **kw)}, {compiler.process(offset, **kw)} || ' minutes')"


@compiles(local_day, "postgresql")
def _local_day_pg(element: local_day, compiler: SQLCompiler, **kw: Any) -> str:
    column, offset = list(element.clauses)
    return (f"CAST({compiler.process(column, **kw)} + make_interval(mins => {compiler.process(offset, **kw)})"
            " AS DATE)")


def day_of(column: ColumnElement[Any], period: Period) -> ColumnElement[date]:
    """The local day of `column` (UTC) in the period's zone."""
    return local_day(column, period.offset_minutes)

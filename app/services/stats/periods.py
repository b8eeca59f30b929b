"""A statistics period (local dates, both days included) and the SQL pieces that read it.

Times are stored in UTC; a period is the workstation's calendar days, so its bounds are local midnights
turned into UTC (indexes on the time columns stay usable), and comparing an event's time with a due date
needs the event's local day, computed in SQL by `local_day` on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import re
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


def day_of(column: Any, period: Period) -> ColumnElement[date]:
    """The local day of `column` (UTC) in the period's zone."""
    return local_day(column, period.offset_minutes)


@dataclass(frozen=True)
class ReportPeriod:
    """A report's period as the user names it: a month (2026-11) or a quarter (2026-Q4)."""

    code: str  # 2026-11 | 2026-Q4
    title: str  # 2026年11月 | 2026年第四季度
    period: Period


QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


def quarter_title(year: int, quarter: int) -> str:
    """A quarter as the report and the screen both name it: 2026年第四季度."""
    return f"{year}年第{QUARTER_NAMES[quarter]}季度"
_REPORT_PERIOD = re.compile(r"(\d{4})-(?:(\d{2})|Q([1-4]))")


def parse_report_period(text: str) -> ReportPeriod:
    """A month YYYY-MM or a quarter YYYY-Qn, strictly (no 2026-1, no 2026-q4, no spaces inside)."""
    raw = str(text or "").strip()
    match = _REPORT_PERIOD.fullmatch(raw) if len(raw) <= 7 else None
    if match is None:
        raise ValidationError(f"统计期“{raw[:20]}”格式不对，应为月份 YYYY-MM（如 2026-11）或季度 YYYY-Qn（如 2026-Q4）")
    year = int(match.group(1))
    if not 2000 <= year <= 2099:
        raise ValidationError(f"统计期“{raw}”的年份应在 2000—2099 之间")
    if match.group(2) is not None:
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise ValidationError(f"统计期“{raw}”的月份应为 01—12")
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return ReportPeriod(raw, f"{year}年{month}月", Period(first, last))
    quarter = int(match.group(3))
    first = date(year, 3 * quarter - 2, 1)
    last = (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)) - timedelta(days=1)
    return ReportPeriod(raw, quarter_title(year, quarter), Period(first, last))


def months_ending(last_month: date, months: int) -> list[tuple[str, Period]]:
    """The `months` calendar months ending with the one `last_month` falls in, oldest first: each month's
    code ('2026-11') and period."""
    if not 1 <= months <= 36:
        raise ValidationError("趋势月数应在 1—36 之间")
    out: list[tuple[str, Period]] = []
    first = date(last_month.year, last_month.month, 1)
    for _ in range(months):
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        out.append((f"{first.year:04d}-{first.month:02d}", make_period(first, following - timedelta(days=1))))
        first = date(first.year - 1, 12, 1) if first.month == 1 else date(first.year, first.month - 1, 1)
    out.reverse()
    return out

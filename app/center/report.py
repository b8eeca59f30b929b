"""`center report --period … -o F.pdf|F.xlsx`: the township's statistics report over every node, counted
from the centre's PostgreSQL.

The replica tables have the local tables' names and columns, so the figures' own queries
(app.services.stats) run here unchanged on a centre session: one definition of every figure, on the
workstation and at the centre. What a workstation learns from its own tables the centre has elsewhere:
the working-day calendar from its replica of calendar_day/calendar_year (the calendar it hands down),
the nodes' names from center_node, and its own name from center_info.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.center.runtime import Center
from app.center.schema import center_node
from app.models import CalendarDay, CalendarYear
from app.services.calendar.workdays import WorkCalendar
from app.services.cases.lights import WorkdayCounter
from app.services.stats.monthly import ReportData, check_output, gather, write_report
from app.services.stats.periods import parse_report_period
from app.services.stats.report import Source

PRINTED_BY = "中心"


def _calendar(engine: Engine) -> WorkCalendar:
    """The centre's calendar as its replica tables hold it (read once per report)."""
    with Session(engine) as s:
        years = frozenset(s.scalars(select(CalendarYear.year)))
        overrides = {d: kind == "workday" for d, kind in s.execute(select(CalendarDay.day, CalendarDay.kind))}
    return WorkCalendar(overrides, years)


def _node_names(s: Session) -> dict[str, str]:
    return {str(code): str(name) for code, name in s.execute(select(center_node.c.node_code, center_node.c.node_name))}


def center_source(center: Center) -> Source:
    """The centre's PostgreSQL as a source of figures."""
    engine = center.engine
    calendar: list[WorkCalendar] = []

    def counter(today: date) -> WorkdayCounter:
        if not calendar:
            calendar.append(_calendar(engine))
        return WorkdayCounter(calendar[0], today)

    return Source(lambda: Session(engine), counter, _node_names)


def center_report(center: Center, period: str, path: Path, today: date | None = None) -> ReportData:
    """Gather the figures over every node and write the PDF or workbook; bad input is refused first."""
    named = parse_report_period(period)
    check_output(path)
    data = gather(center_source(center), named, today)
    name = center.info().get("center_name", "") or "乡镇"
    write_report(data, path, name, PRINTED_BY)
    return data

"""`county report --period … -o F.pdf|F.xlsx`: the township report's figures across the townships the
county subscribes to, counted from the county's PostgreSQL by the same queries (app.services.stats).

The tables are by township (the division code in every record's number, named from the registry) and by
item (named from the cases, the county having no catalogue); window, clerk and node names repeat from
one township to the next, so the county does not group by them. 预约, 上门, 延时服务 and 考勤 are not
published to the county: they print as “—” and the notes say why, never as 0. Working days are the
State Council's schedule as chinesecalendar has it, which is what the townships are seeded with.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.county.runtime import County
from app.county.schema import township
from app.services.calendar.holidays import chinesecalendar_days
from app.services.calendar.workdays import WorkCalendar
from app.services.cases.lights import WorkdayCounter
from app.services.stats.figures import TOWNSHIP_SCOPE
from app.services.stats.monthly import ReportData, check_output, gather, write_report
from app.services.stats.periods import parse_report_period
from app.services.stats.queue_figures import QUEUE_FIGURES
from app.services.stats.report import Source
from app.services.stats.service_figures import SERVICE_FIGURES

COUNTY_SCOPES = (TOWNSHIP_SCOPE, "item")
# Their tables (appointment, after_hours_service, attendance, leave_request, queue_visit) are not published.
NOT_PUBLISHED = frozenset(f.key for f in SERVICE_FIGURES + QUEUE_FIGURES)
PRINTED_BY = "县级"
DEFAULT_NAME = "本县"


@lru_cache(maxsize=1)
def official_calendar() -> WorkCalendar:
    days = chinesecalendar_days()
    return WorkCalendar({d: kind == "workday" for d, (kind, _name) in days.items()},
                        frozenset(d.year for d in days))


def _townships(s: Session, keys: list[str]) -> dict[str, str]:
    return {str(code): f"{name}（{code}）" for code, name in s.execute(
        select(township.c.code, township.c.name).where(township.c.code.in_(keys)))}


_ITEM_NAMES = text("SELECT k.code, (SELECT c.item_name FROM case_file c WHERE c.item_code = k.code"
                   " ORDER BY c.accepted_at DESC LIMIT 1) FROM unnest(CAST(:codes AS text[])) AS k(code)")


def _items(s: Session, keys: list[str]) -> dict[str, str]:
    """An item's name as its latest case carries it (the townships' catalogues are theirs)."""
    return {str(code): str(name) for code, name in s.execute(_ITEM_NAMES, {"codes": keys}) if name}


def county_source(county: County) -> Source:
    engine = county.engine
    return Source(lambda: Session(engine), lambda today: WorkdayCounter(official_calendar(), today),
                  lambda s: {}, {TOWNSHIP_SCOPE: _townships, "item": _items}, NOT_PUBLISHED, "全县")


def county_report(county: County, period: str, path: Path, today: date | None = None) -> ReportData:
    """The figures across townships as a PDF or workbook; bad input is refused before anything is read."""
    named = parse_report_period(period)
    check_output(path)
    data = gather(county_source(county), named, today, COUNTY_SCOPES)
    write_report(data, path, county.name() or DEFAULT_NAME, PRINTED_BY)
    return data

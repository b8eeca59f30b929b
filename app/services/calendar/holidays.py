"""The holiday calendar in the database: seeded from chinesecalendar, extended by import.

The State Council publishes each year's schedule around November; directors and administrators
import it as a .csv or .json file (or edit single days) and it replaces that year's entries.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from app.actor import SYSTEM_ACTOR, Actor
from app.changes import CALENDAR
from app.database import Database
from app.models import CalendarDay, CalendarYear
from app.models.tracking import audit
from app.services.calendar.workdays import WorkCalendar
from app.services.db_cache import cached
from app.services.errors import ValidationError
from app.services.input_limits import check_day, check_year, parse_json, read_text_file, year_problem
from app.services.people.permissions import EDIT_CALENDAR, require

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
KIND_WORDS = {"holiday": "holiday", "休": "holiday", "假": "holiday", "放假": "holiday",
              "workday": "workday", "班": "workday", "上班": "workday", "调休上班": "workday"}

MAX_FILE_BYTES = 1_000_000  # a year's schedule is about 1 KB
MAX_ROWS = 5_000  # every day of a dozen years
MAX_LINE = 500  # characters in one CSV line: a date, a kind and a holiday's name

_CACHE_NAME = "calendar"


def chinesecalendar_days() -> dict[date, tuple[str, str]]:
    """Every rest day and make-up day chinesecalendar knows (2004-2026), with Chinese names."""
    import chinese_calendar

    days: dict[date, tuple[str, str]] = {}
    for day, name in chinese_calendar.holidays.items():
        days[day] = ("holiday", HOLIDAY_NAMES.get(str(name), str(name)))
    for day, name in chinese_calendar.workdays.items():
        days[day] = ("workday", HOLIDAY_NAMES.get(str(name), str(name)))
    return days


def load_calendar(db: Database) -> WorkCalendar:
    """The calendar for deadline arithmetic, read once per database and kept until a committed
    transaction writes calendar_day or calendar_year (an import, an edited day, a page from the
    centre): the change bus drops the copy, whoever wrote (app.services.db_cache).

    A database that has no schedule yet (new, or upgraded from before the calendar existed) gets
    chinesecalendar's years on first use, so no deadline is ever computed on weekdays alone by mistake.
    """
    return cached(db, _CACHE_NAME, CALENDAR, lambda: _read_calendar(db))


def _read_calendar(db: Database) -> WorkCalendar:
    seed_calendar(db, SYSTEM_ACTOR)
    with db.session() as s:
        years = frozenset(s.scalars(select(CalendarYear.year)))
        overrides = {d: kind == "workday" for d, kind in s.execute(select(CalendarDay.day, CalendarDay.kind))}
    return WorkCalendar(overrides, years)


def seed_calendar(db: Database, actor: Actor) -> int:
    """Load chinesecalendar's years into an empty calendar; returns how many years were added."""
    with db.session() as s:
        if s.scalar(select(CalendarYear.id).limit(1)) is not None:
            return 0
    import chinese_calendar

    days = chinesecalendar_days()
    source = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()
    by_year: dict[int, list[tuple[date, str, str]]] = {}
    for day, (kind, name) in days.items():
        by_year.setdefault(day.year, []).append((day, kind, name))
    _replace_years(db, actor, by_year, source, audit_each=False)
    return len(by_year)


@dataclass(frozen=True)
class CalendarImport:
    years: dict[int, list[tuple[date, str, str]]]

    @property
    def day_count(self) -> int:
        return sum(len(v) for v in self.years.values())


def read_calendar_file(path: Path) -> CalendarImport:
    """Rows of date, kind (holiday/workday, or 休/班), name; every bad row reported, none applied."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".json"}:
        raise ValidationError(f"不支持的文件类型“{suffix or '无扩展名'}”：请使用 .csv 或 .json")
    text = read_text_file(path, MAX_FILE_BYTES, "节假日安排")
    rows = _csv_rows(text) if suffix == ".csv" else _json_rows(text)
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"文件中的日期过多（{len(rows)}行），一次最多导入{MAX_ROWS}行")
    errors: list[str] = []
    years: dict[int, list[tuple[date, str, str]]] = {}
    seen: set[date] = set()
    for where, raw in rows:
        day_text = str(raw.get("date") or "").strip()[:40]
        kind_text = str(raw.get("kind") or "").strip()[:40]
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            errors.append(f"{where}：日期“{day_text}”无效，应为 2027-01-01 这样的格式")
            continue
        problem = year_problem(day.year, "日期的年份")
        if problem:
            errors.append(f"{where}：{problem}")
            continue
        kind = KIND_WORDS.get(kind_text.lower() if kind_text.isascii() else kind_text)
        if kind is None:
            errors.append(f"{where}：类型“{kind_text}”无效，应为 holiday（休）或 workday（班）")
            continue
        if day in seen:
            errors.append(f"{where}：日期 {day.isoformat()} 重复")
            continue
        if kind == "workday" and day.weekday() < 5:
            errors.append(f"{where}：{day.isoformat()} 是工作日（周一至周五），不需要登记为调休上班")
            continue
        seen.add(day)
        years.setdefault(day.year, []).append((day, kind, str(raw.get("name") or "").strip()[:30]))
    if errors:
        raise ValidationError(f"文件中有{len(errors)}处错误，未导入", errors)
    if not years:
        raise ValidationError("文件中没有日期")
    return CalendarImport(years)


def _csv_rows(text: str) -> list[tuple[str, dict[str, Any]]]:
    """Rows of the CSV; a field longer than any real holiday name is refused by line, not by crash."""
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE:
            raise ValidationError(f"第{number}行过长（{len(line)}个字符），每行不能超过{MAX_LINE}个字符")
    reader = csv.DictReader(lines)
    rows: list[tuple[str, dict[str, Any]]] = []
    last_line = 1
    try:
        names = [n.strip().lower() for n in reader.fieldnames or []]
        if "date" not in names or "kind" not in names:
            raise ValidationError("CSV 文件首行应为列名：date,kind,name")
        reader.fieldnames = names
        for row in reader:
            last_line = reader.line_num
            rows.append((f"第{last_line}行", row))
    except csv.Error:  # a quoted field running over many lines past the field limit
        raise ValidationError(f"CSV 文件第{last_line + 1}行起格式有误（字段过长或引号不配对）") from None
    return rows


def _json_rows(text: str) -> list[tuple[str, dict[str, Any]]]:
    document = parse_json(text)
    items = document.get("days") if isinstance(document, dict) else document
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValidationError("JSON 文件应为日期列表，或包含 days 列表的对象")
    return [(f"第{n}项", item) for n, item in enumerate(items, start=1)]


def _require_editor(actor: Actor) -> None:
    require(actor, EDIT_CALENDAR)


def _replace_years(db: Database, actor: Actor, years: dict[int, list[tuple[date, str, str]]], source: str,
                   audit_each: bool = True) -> None:
    with db.session(actor) as s:
        for year, days in sorted(years.items()):
            first, last = date(year, 1, 1), date(year, 12, 31)
            if audit_each:
                for row in s.scalars(select(CalendarDay).where(CalendarDay.day.between(first, last))):
                    s.delete(row)
            else:
                s.execute(delete(CalendarDay).where(CalendarDay.day.between(first, last)))
            s.flush()
            for day, kind, name in days:
                s.add(CalendarDay(day=day, kind=kind, name=name))
            marker = s.scalar(select(CalendarYear).where(CalendarYear.year == year))
            if marker is None:
                s.add(CalendarYear(year=year, source=source))
            else:
                marker.source = source
        audit(s, "calendar_import", table="calendar_day",
              details={"source": source, "years": sorted(years), "days": sum(len(d) for d in years.values())})


@dataclass(frozen=True)
class CalendarChange:
    years: list[int]
    recomputed: int  # open cases whose deadline moved (each logged as an event)


def _recompute(db: Database, actor: Actor, reason: str) -> int:
    from app.services.cases.records import recompute_open_deadlines

    return len(recompute_open_deadlines(db, actor, reason))


def import_calendar(db: Database, actor: Actor, data: CalendarImport, source: str) -> CalendarChange:
    """Replace the listed years' schedules and recompute the deadlines of open cases."""
    _require_editor(actor)
    _replace_years(db, actor, data.years, source)
    return CalendarChange(sorted(data.years), _recompute(db, actor, f"节假日安排更新：{source}"))


def set_day(db: Database, actor: Actor, day: date, kind: str | None, name: str = "") -> int:
    """Mark one date as a rest day, a make-up working day, or (kind None) an ordinary day.

    Returns how many open cases had their deadline recomputed.
    """
    _require_editor(actor)
    check_day(day)
    if kind is not None and kind not in {"holiday", "workday"}:
        raise ValidationError("类型应为放假或调休上班")
    with db.session(actor) as s:
        row = s.scalar(select(CalendarDay).where(CalendarDay.day == day))
        if kind is None:
            if row is not None:
                s.delete(row)
        elif row is None:
            s.add(CalendarDay(day=day, kind=kind, name=name))
        else:
            row.kind, row.name = kind, name
    # A single day never marks a year as covered: only a whole imported schedule does.
    return _recompute(db, actor, f"节假日调整：{day.isoformat()}")


def year_days(db: Database, year: int) -> list[tuple[date, str, str]]:
    """The year's rest days and make-up working days; ValidationError for a year outside 1949–2100."""
    check_year(year)
    with db.session() as s:
        rows = s.execute(
            select(CalendarDay.day, CalendarDay.kind, CalendarDay.name)
            .where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
            .order_by(CalendarDay.day)
        )
        return [(d, k, n) for d, k, n in rows]

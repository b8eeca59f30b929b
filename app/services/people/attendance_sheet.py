"""The monthly 考勤表 (every person's marks day by day, with totals), its Excel export, and the counts
the statistics use — all from the one definition of a day's mark in attendance.py.

Leave comes from the approved leave requests (app.services.people.leave), or is given (`leave_days`:
(工号, date) → the leave's label, e.g. 事假); a day on leave is 请假 whatever was signed. Everyone active is listed, and anyone
disabled who signed in the month; days before an account was created owe nothing.
"""

from __future__ import annotations

import calendar as month_calendar
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import local_now
from app.database import Database
from app.models import Attendance, Staff
from app.services.calendar.holidays import load_calendar
from app.services.calendar.workdays import WorkCalendar
from app.services.errors import ValidationError
from app.services.people.attendance import (
    LEGEND,
    DayMark,
    Rules,
    Signs,
    load_rules,
    office_hours_in,
    read_signs,
    read_signs_in,
)
from app.services.people.leave import leave_days_between, leave_days_in
from app.services.people.permissions import NOT_ATTENDING
from app.services.spreadsheet import check_xlsx, write_rows

LeaveDays = Mapping[tuple[str, date], str]
TOTALS = (("attendance_days", "出勤天数"), ("late", "迟到"), ("early", "早退"), ("absent", "旷工"),
          ("leave", "请假"), ("no_sign_out", "未签退"))
MAX_SPAN_DAYS = 366 * 5  # counts over more than five years are refused (a typing error, not a question)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> date:
    """'2026-11' → date(2026, 11, 1); a Chinese message otherwise."""
    match = _MONTH.match(text.strip()) if isinstance(text, str) and len(text) <= 10 else None
    if match is None:
        raise ValidationError(f"月份“{str(text)[:20]}”格式应为 YYYY-MM，如 2026-11")
    year, month = int(match.group(1)), int(match.group(2))
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        raise ValidationError(f"月份“{text}”不是有效的月份")
    return date(year, month, 1)


def month_days(first: date) -> list[date]:
    return [first.replace(day=d) for d in range(1, month_calendar.monthrange(first.year, first.month)[1] + 1)]


@dataclass(frozen=True)
class Totals:
    attendance_days: int = 0  # working days signed in and not 旷工
    late: int = 0
    early: int = 0
    absent: int = 0
    leave: int = 0
    no_sign_out: int = 0
    workdays: int = 0  # working days owed (the days counted above)

    def value(self, key: str) -> int:
        return int(getattr(self, key))


def totals_of(marks: list[DayMark]) -> Totals:
    owed = [m for m in marks if m.working]
    present = [m for m in owed if m.status == "present"]
    return Totals(attendance_days=len(present), late=sum(m.late for m in present),
                  early=sum(m.early for m in present), absent=sum(m.status == "absent" for m in owed),
                  leave=sum(m.status == "leave" for m in owed), no_sign_out=sum(m.no_sign_out for m in present),
                  workdays=len(owed))


@dataclass(frozen=True)
class SheetRow:
    staff_no: str
    name: str
    workplace: str
    marks: tuple[DayMark, ...]  # one per day of the month, in order
    totals: Totals


@dataclass(frozen=True)
class AttendanceSheet:
    month: date  # its first day
    days: tuple[date, ...]
    workdays: tuple[bool, ...]  # per day: a working day on the calendar
    rows: tuple[SheetRow, ...]
    legend: str = LEGEND

    @property
    def title_month(self) -> str:
        return f"{self.month.year}年{self.month.month}月"


@dataclass(frozen=True)
class _Person:
    staff_no: str
    name: str
    workplace: str
    started: date


def _people(db: Database, date_from: date, date_to: date, staff_no: str | None = None) -> list[_Person]:
    with db.session() as s:
        return _people_in(s, date_from, date_to, staff_no)


def _people_in(s: Session, date_from: date, date_to: date, staff_no: str | None = None) -> list[_Person]:
    """Everyone active who serves (the 系统管理员 account is the workstation's keeper, not a post that keeps
    office hours), and anyone who signed in the span, by 窗口 then 工号."""
    signed = select(Attendance.staff_no).where(Attendance.day >= date_from, Attendance.day <= date_to)
    query = select(Staff.staff_no, Staff.name, Staff.workplace, Staff.created_at).where(
        (Staff.active.is_(True) & Staff.role.not_in(NOT_ATTENDING)) | Staff.staff_no.in_(signed)).order_by(
        Staff.workplace, Staff.staff_no)
    if staff_no is not None:
        query = query.where(Staff.staff_no == staff_no)
    rows = s.execute(query).all()
    return [_Person(no, name, workplace or "", created.astimezone().date()) for no, name, workplace, created in rows]


def _marks(person: _Person, days: list[date], rules: Rules, signs: Signs, leave_days: LeaveDays) -> list[DayMark]:
    out = []
    for day in days:
        sign_in, sign_out = signs.get((person.staff_no, day), (None, None))
        out.append(rules.judge(day, sign_in, sign_out, leave_days.get((person.staff_no, day), ""),
                               person.started))
    return out


def attendance_sheet(db: Database, month: date | str, leave_days: LeaveDays | None = None,
                     staff_no: str | None = None) -> AttendanceSheet:
    """The month's sheet: every person (or only `staff_no`) with a mark per day and the totals."""
    first = parse_month(month) if isinstance(month, str) else month.replace(day=1)
    days = month_days(first)
    rules = load_rules(db)
    signs = read_signs(db, days[0], days[-1], staff_no)
    leave = leave_days if leave_days is not None else leave_days_between(db, days[0], days[-1])
    rows = []
    for person in _people(db, days[0], days[-1], staff_no):
        marks = _marks(person, days, rules, signs, leave)
        rows.append(SheetRow(person.staff_no, person.name, person.workplace, tuple(marks), totals_of(marks)))
    return AttendanceSheet(first, tuple(days), tuple(rules.calendar.is_workday(d) for d in days), tuple(rows))


def my_month(db: Database, staff_no: str, month: date | None = None,
             leave_days: LeaveDays | None = None) -> SheetRow | None:
    """One person's month (the 考勤 screen's own marks); None for an unknown 工号."""
    sheet = attendance_sheet(db, month or local_now().date(), leave_days, staff_no=staff_no)
    return sheet.rows[0] if sheet.rows else None


def _span(date_from: date | str, date_to: date | str) -> list[date]:
    try:
        start = date.fromisoformat(date_from) if isinstance(date_from, str) else date_from
        end = date.fromisoformat(date_to) if isinstance(date_to, str) else date_to
    except ValueError:
        raise ValidationError("日期格式应为 YYYY-MM-DD") from None
    if end < start:
        raise ValidationError("结束日期不能早于开始日期")
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValidationError("统计期间不能超过五年")
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def attendance_counts(db: Database, date_from: date | str, date_to: date | str, by: str | None = None,
                      leave_days: LeaveDays | None = None) -> dict[str, dict[str, float]]:
    """Attendance figures over [date_from, date_to], grouped like app.services.stats.figures (group key →
    figure key → value): by None (the township, key ''), "staff" (工号) or "window" (the person's
    所在窗口). Attendance belongs to people, not items or nodes: by "item" or "node" nothing is counted.
    Keys: attendance_days, late, early, absent, leave, no_sign_out, workdays."""
    days = _span(date_from, date_to)
    calendar = load_calendar(db)
    with db.session() as s:
        return attendance_counts_in(s, days[0], days[-1], by, calendar, local_now().date(), leave_days)


def attendance_counts_in(s: Session, first: date, last: date, by: str | None, calendar: WorkCalendar, today: date,
                         leave_days: LeaveDays | None = None) -> dict[str, dict[str, float]]:
    """As attendance_counts, inside a session with the calendar at hand: the statistics count it at the
    workstation and, over every node's records, at the centre."""
    if by not in (None, "staff", "window"):
        return {}
    days = _span(first, last)
    rules = Rules(calendar, office_hours_in(s), today)
    signs = read_signs_in(s, first, last)
    leave = leave_days if leave_days is not None else leave_days_in(s, first, last, calendar)
    out: dict[str, dict[str, float]] = {}
    for person in _people_in(s, first, last):
        totals = totals_of(_marks(person, days, rules, signs, leave))
        if not totals.value("workdays"):
            continue  # owed nothing in the span (not yet employed, or only rest days): no row of zeros
        key = "" if by is None else person.staff_no if by == "staff" else person.workplace
        row = out.setdefault(key, {k: 0.0 for k, _label in (*TOTALS, ("workdays", ""))})
        for name in row:
            row[name] += totals.value(name)
    return out


def sheet_table(sheet: AttendanceSheet) -> Iterator[list[object]]:
    """The sheet as spreadsheet rows: 工号, 姓名, 窗口, a mark per day, then the totals."""
    for row in sheet.rows:
        yield [row.staff_no, row.name, row.workplace, *(m.mark for m in row.marks),
               *(row.totals.value(k) for k, _label in TOTALS)]


def write_sheet_xlsx(sheet: AttendanceSheet, path: Path) -> int:
    """The sheet as one worksheet (days as columns, totals at the right, the legend beneath); returns rows."""
    check_xlsx(path)
    columns = ["工号", "姓名", "所在窗口", *(f"{d.day}日" for d in sheet.days), *(label for _k, label in TOTALS)]
    widths = [10, 10, 18, *(5.0 for _d in sheet.days), *(8.0 for _t in TOTALS)]
    rows: list[list[object]] = list(sheet_table(sheet))
    rows += [[], [f"{sheet.title_month}考勤表　图例：{sheet.legend}"]]
    written = write_rows(path, f"{sheet.month:%Y-%m}考勤", columns, rows, total=len(rows), widths=widths,
                         doing="正在导出考勤表")
    return written - 2

"""延时服务: service given outside office hours (before opening, at lunch, after closing, on a rest day).

Only time outside the centre's office hours on a working day, or any time on a rest day per the
holiday calendar, is after-hours service: a period overlapping office hours is refused, so the count
means what it says. Each record names who served, when, and for what (an item, a case or a few words).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import AfterHoursService, Case, ServiceItem, Staff
from app.services import field_rules as rules
from app.services.calendar.holidays import load_calendar
from app.services.calendar.workdays import OfficeHours
from app.services.errors import ValidationError
from app.services.paging import PAGE_SIZE, STREAM_CHUNK, Page, check_window
from app.services.settings import office_hours, scanned_case_number
from app.services.stats.periods import Period, make_period

PURPOSE = rules.FieldRule("服务内容", 200)
MAX_HOURS = 12  # one period of after-hours service; a longer one is a typing mistake
KEEP_DAYS = 90  # how far back a period can still be recorded
GROUPS = {"window": AfterHoursService.window, "staff": AfterHoursService.staff_no,
          "item": AfterHoursService.item_code, "node": AfterHoursService.origin_node}


@dataclass
class AfterHoursForm:
    started: datetime  # local time (naive is read as the workstation's zone)
    ended: datetime
    purpose: str = ""
    item_code: str = ""
    case_number: str = ""
    staff_no: str = ""  # empty: the person recording it


@dataclass(frozen=True)
class AfterHoursRecord:
    id: str
    staff_no: str
    staff_name: str
    window: str
    started_at: datetime
    ended_at: datetime
    item_code: str
    case_number: str
    purpose: str

    @property
    def minutes(self) -> int:
        return int((self.ended_at - self.started_at).total_seconds() // 60)


def _local(moment: datetime) -> datetime:
    return moment.astimezone()


def hours_problem(started: datetime, ended: datetime, hours: OfficeHours, workday: bool) -> str | None:
    """Why the period is not after-hours service, or None."""
    if not workday:
        return None
    # a period ending at midnight (or later) runs to the end of its first day, not to 00:00
    end = ended.time() if ended.date() == started.date() else time.max
    for opening, closing in hours.periods:
        if started.time() < closing and opening < end:
            return (f"{started:%H:%M}-{ended:%H:%M} 与办公时间 {opening:%H:%M}-{closing:%H:%M} 重叠：延时服务须在"
                    "办公时间以外或非工作日")
    return None


def record_after_hours(db: Database, actor: Actor, form: AfterHoursForm) -> AfterHoursRecord:
    """Record one period; ValidationError (nothing written) when it is not after hours or a field is wrong."""
    started, ended = _local(form.started), _local(form.ended)
    now = utc_now().astimezone()
    errors: list[str] = []
    if ended <= started:
        errors.append("结束时间应晚于开始时间")
    elif ended - started > timedelta(hours=MAX_HOURS):
        errors.append(f"一次延时服务不能超过{MAX_HOURS}小时")
    elif started.date() != (ended - timedelta(microseconds=1)).date():
        errors.append("延时服务的开始和结束应在同一天（跨夜的请分两次登记）")
    if ended > now + timedelta(minutes=5):
        errors.append("结束时间不能晚于现在")
    if started < now - timedelta(days=KEEP_DAYS):
        errors.append(f"只能登记{KEEP_DAYS}天以内的延时服务")
    purpose_problem = PURPOSE.check(form.purpose, required=False)
    if purpose_problem:
        errors.append(purpose_problem)
    if not (form.purpose.strip() or form.item_code.strip() or form.case_number.strip()):
        errors.append("请写明服务内容：事项、办件编号或简要说明")
    if not errors:
        hours = office_hours(db)
        workday = load_calendar(db).is_workday(started.date())
        problem = hours_problem(started, ended, hours, workday)
        if problem:
            errors.append(problem)
    if errors:
        raise ValidationError("延时服务登记有误，未保存", errors)
    with db.session(actor) as s:
        staff_no = form.staff_no.strip()[:20] or actor.staff_no
        staff = s.scalar(select(Staff).where(Staff.staff_no == staff_no, Staff.active.is_(True)))
        if staff is None and staff_no != actor.staff_no:
            raise ValidationError(f"没有工号为 {staff_no} 的在岗人员")
        if form.item_code.strip() and s.scalar(select(ServiceItem.id).where(
                ServiceItem.code == form.item_code.strip()[:40])) is None:
            raise ValidationError(f"事项清单中没有编码为 {form.item_code.strip()[:40]} 的事项")
        case_number = scanned_case_number(form.case_number)  # typed, or the receipt's code scanned
        if case_number and s.scalar(select(Case.id).where(Case.number == case_number)) is None:
            raise ValidationError(f"没有编号为 {case_number} 的办件")
        row = AfterHoursService(
            staff_no=staff_no, staff_name=staff.name if staff else actor.name[:30],
            window=(staff.workplace if staff else actor.workplace)[:60], started_at=started.astimezone(UTC),
            ended_at=ended.astimezone(UTC), item_code=form.item_code.strip()[:40],
            case_number=case_number[:24], purpose=form.purpose.strip(), recorded_by=actor.staff_no)
        s.add(row)
        s.flush()
        return _record(row)


def _record(r: AfterHoursService) -> AfterHoursRecord:
    return AfterHoursRecord(r.id, r.staff_no, r.staff_name, r.window, r.started_at, r.ended_at, r.item_code,
                            r.case_number, r.purpose)


def _between(date_from: date | str, date_to: date | str) -> list[ColumnElement[bool]]:
    period = make_period(date_from, date_to)
    return [AfterHoursService.started_at >= period.start, AfterHoursService.started_at < period.end]


def page_after_hours(db: Database, date_from: date | str, date_to: date | str, offset: int = 0,
                     limit: int = PAGE_SIZE) -> Page[AfterHoursRecord]:
    """A page of the period's after-hours service, newest first, with the true total."""
    check_window(offset, limit)
    conditions = _between(date_from, date_to)
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(AfterHoursService).where(*conditions)) or 0
        rows = s.scalars(select(AfterHoursService).where(*conditions)
                         .order_by(AfterHoursService.started_at.desc(), AfterHoursService.id)
                         .offset(offset).limit(limit))
        return Page([_record(r) for r in rows], total, offset)


def after_hours_count(db: Database, date_from: date | str, date_to: date | str,
                      by: str | None = None) -> dict[str, dict[str, float]]:
    """Group key ('' for the township) → {"after_hours": periods, "after_hours_minutes": minutes}, grouped
    like app.services.stats.figures (window, staff, item, node), counting periods that began in the period."""
    with db.session() as s:
        return after_hours_in(s, make_period(date_from, date_to), by)


def after_hours_in(s: Session, period: Period, by: str | None = None) -> dict[str, dict[str, float]]:
    """As after_hours_count, inside a session (the statistics count at the workstation and at the centre)."""
    if by is not None and by not in GROUPS:
        raise ValueError(f"unknown grouping {by!r}")
    group = GROUPS[by] if by else None
    conditions = [AfterHoursService.started_at >= period.start, AfterHoursService.started_at < period.end]
    out: dict[str, dict[str, float]] = {}
    key_column = func.coalesce(group, "") if group is not None else AfterHoursService.id
    query = select(key_column, AfterHoursService.started_at, AfterHoursService.ended_at).where(*conditions)
    for key, started, ended in s.execute(query.execution_options(yield_per=STREAM_CHUNK)):
        row = out.setdefault(str(key) if group is not None else "", {"after_hours": 0, "after_hours_minutes": 0})
        row["after_hours"] += 1
        row["after_hours_minutes"] += (ended - started).total_seconds() // 60
    return out


def proposed_span(db: Database, moment: datetime | None = None) -> tuple[datetime, datetime]:
    """The latest span up to an hour long that record_after_hours would accept, as the dialog's proposal
    (local, to the minute): on a rest day the hour up to now; on a working day after a period closed, from
    that closing (till now at most); while open, the last working day's closing time plus one hour."""
    now = _local(moment or utc_now()).replace(second=0, microsecond=0)
    hours = office_hours(db)
    calendar = load_calendar(db)
    hour = timedelta(hours=1)
    midnight = now.replace(hour=0, minute=0)
    if not calendar.is_workday(now.date()) and now > midnight:
        return max(now - hour, midnight), now
    if not hours.is_open(now.time()):
        closed = [c for _o, c in hours.periods if c <= now.time()]
        start = now.replace(hour=closed[-1].hour, minute=closed[-1].minute) if closed else max(now - hour, midnight)
        if start < now:
            return start, min(start + hour, now)
    day = now.date() - timedelta(days=1)
    while not calendar.is_workday(day) and day > now.date() - timedelta(days=KEEP_DAYS):
        day -= timedelta(days=1)
    closing = datetime.combine(day, hours.periods[-1][1]).astimezone()
    return closing, min(closing + hour, datetime.combine(day + timedelta(days=1), time()).astimezone())

"""Registering complaints, folding their events into a state, listing them and flagging clerks.

Registration is one transaction: the number (TS…), the due date (the category's working days from the
next day, on the holiday calendar), the complaint and its first event. Later steps (handling.py) append
events and rewrite the cached status, finding and satisfied columns from the fold, in the same
transaction. A confidential complainant's name and phone are shown only to a director.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import Complaint, ComplaintEvent, Staff
from app.services.calendar.holidays import load_calendar
from app.services.cases.lights import Light, WorkdayCounter, light_of
from app.services.complaints.categories import (
    CATEGORIES,
    CHANNELS,
    OPEN_STATES,
    STATES,
    UNANSWERED_STATES,
    channel_key,
    days_by_category,
)
from app.services.errors import ValidationError
from app.services.event_time import stamp_after_last
from app.services.numbering import floor_for, next_number
from app.services.paging import PAGE_SIZE, Page, check_window
from app.services.people.permissions import SEE_CONFIDENTIAL_COMPLAINANT, can
from app.services.settings import load_settings
from app.services.validation import check_phone

MAX_CONTENT = 2000
MAX_NAME = 40
MAX_STAFF_NO = 20
MAX_WINDOW = 60
MAX_ITEM = 100
MAX_CASE_NUMBER = 24
MASK = "（保密）"
UPHELD_LIMIT = 2  # seed 002: upheld twice within a year, and the clerk leaves the hall


@dataclass(frozen=True)
class ComplaintForm:
    category: int
    channel: str
    content: str
    name: str = ""
    phone: str = ""
    anonymous: bool = False
    confidential: bool = False
    staff_no: str = ""
    window: str = ""
    item: str = ""
    case_number: str = ""


@dataclass(frozen=True)
class Fold:
    status: str
    finding: str
    satisfied: bool | None
    mode: str  # the latest handling mode, "" before it is handled
    department: str


def fold(events: Sequence[tuple[str, dict[str, object]]]) -> Fold:
    """The state after a complaint's events, in order: the one answer every screen and command reads."""
    status, finding, satisfied, mode, department = "registered", "", None, "", ""
    for kind, details in events:
        if kind == "handled":
            status, mode, department = "handling", str(details.get("mode", "")), str(details.get("department", ""))
        elif kind == "replied":
            status, satisfied = "replied", None
        elif kind == "satisfaction":
            satisfied = bool(details.get("satisfied"))
        elif kind == "reopened":
            status, satisfied = "handling", None
        elif kind == "closed":
            status, finding = "closed", str(details.get("finding", ""))
    return Fold(status, finding, satisfied, mode, department)


def validate(form: ComplaintForm) -> list[str]:
    """Every problem with the form, in Chinese; empty when it may be registered."""
    errors: list[str] = []
    if isinstance(form.category, bool) or not isinstance(form.category, int) or form.category not in CATEGORIES:
        errors.append("投诉类别应为1至11")
    if channel_key(form.channel) is None:
        errors.append("投诉渠道应为：" + "、".join(CHANNELS.values()))
    content = form.content.strip()
    if not content:
        errors.append("请填写投诉内容")
    elif len(content) > MAX_CONTENT:
        errors.append(f"投诉内容不能超过{MAX_CONTENT}个字")
    name, phone = form.name.strip(), form.phone.strip()
    if form.anonymous:
        if name or phone:
            errors.append("匿名投诉不登记姓名和电话")
        if form.confidential:
            errors.append("匿名投诉无须保密身份")
    else:
        if not name:
            errors.append("实名投诉请填写投诉人姓名（或选择匿名）")
        elif len(name) > MAX_NAME:
            errors.append(f"投诉人姓名不能超过{MAX_NAME}个字")
        problem = check_phone(phone, "投诉人电话")
        if problem:
            errors.append(problem)
    for value, limit, label in ((form.staff_no, MAX_STAFF_NO, "被投诉人工号"), (form.window, MAX_WINDOW, "窗口"),
                                (form.item, MAX_ITEM, "事项"), (form.case_number, MAX_CASE_NUMBER, "办件编号")):
        if len(value.strip()) > limit:
            errors.append(f"{label}不能超过{limit}个字")
    return errors


def complaint_days(db: Database) -> dict[int, int]:
    try:
        return days_by_category(load_settings(db).complaint_days)
    except ValueError:
        return days_by_category("")


def register(db: Database, actor: Actor, form: ComplaintForm) -> str:
    """Registers the complaint and returns its number; a bad form raises and stores nothing."""
    errors = validate(form)
    if errors:
        raise ValidationError("投诉登记有误，未保存", errors)
    now = utc_now()
    today = now.astimezone().date()
    due = load_calendar(db).add(today, complaint_days(db)[form.category]).day
    with db.session(actor) as s:
        staff_no = form.staff_no.strip()
        if staff_no and s.scalar(select(Staff.id).where(Staff.staff_no == staff_no)) is None:
            raise ValidationError("投诉登记有误，未保存", [f"被投诉人工号 {staff_no} 不是本中心的工作人员，请核对（不清楚可只填窗口）"])
        complaint = Complaint(
            number=next_number(s, "complaint", today, floor_for(db.path)), category=form.category,
            channel=channel_key(form.channel) or "", name=form.name.strip(), phone=form.phone.strip(),
            anonymous=form.anonymous, confidential=form.confidential, staff_no=form.staff_no.strip(),
            window=form.window.strip(), item=form.item.strip(), case_number=form.case_number.strip(),
            content=form.content.strip(), registered_at=now, due_date=due, status="registered", finding="",
            satisfied=None)
        s.add(complaint)
        s.flush()
        add_event(s, complaint, "registered", now, actor, {"due": due.isoformat()})
        return complaint.number


def add_event(s: Session, complaint: Complaint, kind: str, at: datetime, actor: Actor,
              details: dict[str, object]) -> None:
    """Append an event and rewrite the cached columns from the fold, in the caller's transaction."""
    s.flush()
    at = stamp_after_last(s, ComplaintEvent.at, ComplaintEvent.complaint_id == complaint.id, at)
    s.add(ComplaintEvent(complaint_id=complaint.id, kind=kind, at=at, staff_name=actor.name,
                         details=json.dumps({**details, "by_no": actor.staff_no}, ensure_ascii=False,
                                            sort_keys=True)))
    s.flush()
    state = fold(events_of(s, complaint.id))
    complaint.status, complaint.finding, complaint.satisfied = state.status, state.finding, state.satisfied


def events_of(s: Session, complaint_id: str) -> list[tuple[str, dict[str, object]]]:
    rows = s.execute(select(ComplaintEvent.kind, ComplaintEvent.details)
                     .where(ComplaintEvent.complaint_id == complaint_id).order_by(ComplaintEvent.at))
    return [(kind, json.loads(details)) for kind, details in rows]


@dataclass(frozen=True)
class ComplaintRow:
    id: str
    number: str
    category: int
    category_label: str
    channel: str
    channel_label: str
    name: str  # masked for a confidential complaint unless the reader is a director
    phone: str
    anonymous: bool
    confidential: bool
    staff_no: str
    case_number: str
    content: str
    registered_at: datetime
    due_date: date
    status: str
    status_label: str
    finding: str
    satisfied: bool | None
    light: Light


def row_of(c: Complaint, reader: Actor, today: date, counter: WorkdayCounter, warning_days: int) -> ComplaintRow:
    hidden = c.confidential and not can(reader, SEE_CONFIDENTIAL_COMPLAINANT)
    light = light_of("accepted" if c.status in UNANSWERED_STATES else "done", c.due_date, today, counter, warning_days)
    return ComplaintRow(
        c.id, c.number, c.category, CATEGORIES.get(c.category, ""), c.channel, CHANNELS.get(c.channel, c.channel),
        MASK if hidden else c.name, "" if hidden else c.phone, c.anonymous, c.confidential, c.staff_no,
        c.case_number, c.content, c.registered_at, c.due_date, c.status, STATES.get(c.status, c.status),
        c.finding, c.satisfied, light)


LIST_ORDER = (Complaint.anonymous.asc(), Complaint.due_date.asc(), Complaint.number.asc())  # real-name first


def list_complaints(db: Database, reader: Actor, offset: int = 0, limit: int = PAGE_SIZE,
                    open_only: bool = False) -> Page[ComplaintRow]:
    """One page, real-name complaints first, then by due date; with the true total."""
    check_window(offset, limit)
    today = utc_now().astimezone().date()
    counter = WorkdayCounter(load_calendar(db), today)
    warning_days = load_settings(db).warning_days_number
    query = select(Complaint)
    if open_only:
        query = query.where(Complaint.status.in_(OPEN_STATES))
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = [row_of(c, reader, today, counter, warning_days)
                for c in s.scalars(query.order_by(*LIST_ORDER).offset(offset).limit(limit))]
    return Page(rows, total, offset)


def iter_complaints(db: Database, reader: Actor, chunk: int = 500) -> Iterator[ComplaintRow]:
    """Every complaint in list order, streamed a chunk at a time (for exports and the command line)."""
    offset = 0
    while True:
        page = list_complaints(db, reader, offset, chunk)
        yield from page.rows
        offset += len(page.rows)
        if not page.rows or offset >= page.total:
            return


def find(s: Session, key: str) -> Complaint:
    """A complaint by its number or id, or a Chinese refusal."""
    key = key.strip()
    complaint = s.scalar(select(Complaint).where((Complaint.number == key.upper()) | (Complaint.id == key)))
    if complaint is None:
        raise ValidationError(f"找不到投诉：{key[:40]}")
    return complaint


@dataclass(frozen=True)
class Flagged:
    staff_no: str
    name: str
    upheld: int
    numbers: tuple[str, ...]


def year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def flagged_staff(db: Database, now: datetime) -> list[Flagged]:
    """Clerks with complaints found upheld (属实) at least twice in the twelve months before now
    (seed 002: they leave the hall), counted by when the finding was made."""
    since = datetime.combine(year_before(now.astimezone().date()), datetime.min.time()).astimezone()
    with db.session() as s:
        rows = s.execute(
            select(Complaint.staff_no, Complaint.number)
            .join(ComplaintEvent, ComplaintEvent.complaint_id == Complaint.id)
            .where(Complaint.finding == "upheld", Complaint.staff_no != "", ComplaintEvent.kind == "closed",
                   ComplaintEvent.at >= since)
            .order_by(Complaint.staff_no, Complaint.number)).all()
        by_staff: dict[str, list[str]] = {}
        for staff_no, number in rows:
            by_staff.setdefault(staff_no, []).append(number)
        names = {no: name for no, name in
                 s.execute(select(Staff.staff_no, Staff.name).where(Staff.staff_no.in_(list(by_staff))))}
    return [Flagged(no, names.get(no, ""), len(numbers), tuple(numbers))
            for no, numbers in by_staff.items() if len(numbers) >= UPHELD_LIMIT]

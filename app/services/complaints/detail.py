"""What the complaints screen reads: a page by filter and search, one complaint with its events in
Chinese, and the steps its state allows now (the same rules handling.py enforces, asked beforehand
so a screen offers only what will be accepted, none on a copy registered at another node). Reads
only; every write stays in handling.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, func, or_, select

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import Complaint, ComplaintEvent, Staff
from app.services.calendar.holidays import load_calendar
from app.services.cases.history import event_payload
from app.services.cases.lights import WorkdayCounter
from app.services.cases.transfers import node_name
from app.services.complaints.categories import (
    EVENT_LABELS,
    FINDINGS,
    MODES,
    OPEN_STATES,
    REPLY_FORMS,
    UNANSWERED_STATES,
    WRITTEN_CHANNELS,
)
from app.services.complaints.complaints import LIST_ORDER, ComplaintRow, find, row_of
from app.services.paging import PAGE_SIZE, Page, check_window
from app.services.people.permissions import SEE_CONFIDENTIAL_COMPLAINANT, SUPERVISE_COMPLAINT, can
from app.services.settings import load_settings

SHOWS: dict[str, str] = {"open": "未办结", "overdue": "已超期", "all": "全部"}
MAX_SEARCH = 40
STEPS: dict[str, str] = {
    "handle": "交办（自办、转办、督办）", "reply": "答复投诉人", "satisfaction": "登记回访满意度",
    "reopen": "重新核实", "close": "办结（核实结论）",
}


def allowed_steps(status: str, anonymous: bool, satisfied: bool | None, reopened_before: bool) -> tuple[str, ...]:
    """The steps (keys of STEPS) handling.py accepts for a complaint in this state, in working order."""
    steps: list[str] = []
    if status in {"registered", "handling"}:
        steps.append("handle")
        if not anonymous:
            steps.append("reply")
    if status == "replied":
        steps.append("satisfaction")
        if satisfied is False:
            steps.append("reopen")
    if (anonymous and status == "handling") or (
            status == "replied" and (satisfied is True or (satisfied is False and reopened_before))):
        steps.append("close")
    return tuple(steps)


def modes_for(actor: Actor) -> dict[str, str]:
    """The ways this person may hand a complaint on: 督办 only a director (handling.handle checks it too)."""
    return {k: v for k, v in MODES.items() if k != "supervise" or can(actor, SUPERVISE_COMPLAINT)}


def reply_forms(channel: str) -> tuple[str, ...]:
    """How the complainant may be answered: a complaint that came in writing only in writing."""
    return ("written",) if channel in WRITTEN_CHANNELS else ("oral", "written")


def page_complaints(db: Database, reader: Actor, show: str = "open", text: str = "", offset: int = 0,
                    limit: int = PAGE_SIZE) -> Page[ComplaintRow]:
    """One page in the list's order (real-name first, then by due date) with the true total.

    show: open / overdue (open and past its due date: the red light) / all. text: part of the number,
    or of the complainant's name; a confidential complainant is found by name only by a reader who may
    see it, so a search cannot reveal who is hidden."""
    check_window(offset, limit)
    today = utc_now().astimezone().date()
    query = select(Complaint)
    if show in {"open", "overdue"}:
        query = query.where(Complaint.status.in_(OPEN_STATES))
    if show == "overdue":  # the red light's rule (complaints.row_of): unanswered past the due date
        query = query.where(Complaint.status.in_(UNANSWERED_STATES), Complaint.due_date < today)
    text = text.strip()[:MAX_SEARCH]
    if text:
        by_name = Complaint.name.contains(text, autoescape=True)
        if not can(reader, SEE_CONFIDENTIAL_COMPLAINANT):
            by_name = by_name & (Complaint.confidential == false())
        query = query.where(or_(Complaint.number.contains(text.upper(), autoescape=True), by_name))
    counter = WorkdayCounter(load_calendar(db), today)
    warning_days = load_settings(db).warning_days_number
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = [row_of(c, reader, today, counter, warning_days)
                for c in s.scalars(query.order_by(*LIST_ORDER).offset(offset).limit(limit))]
    return Page(rows, total, offset)


@dataclass(frozen=True)
class EventLine:
    at: datetime
    kind: str
    label: str
    staff_name: str
    text: str


@dataclass(frozen=True)
class ComplaintDetail:
    row: ComplaintRow
    window: str
    item: str
    staff_name: str  # the staff member complained about, from the staff list
    mode: str  # the latest handling mode, "" before it is handled
    department: str
    events: tuple[EventLine, ...]
    steps: tuple[str, ...]  # what may be done now (keys of STEPS)
    reply_forms: tuple[str, ...]
    written_reply: bool  # a 投诉答复书 can be printed
    elsewhere: str = ""  # the node that registered it, when this is a copy: handled there, not here

    @property
    def mode_label(self) -> str:
        return MODES.get(self.mode, "")


def event_line_text(kind: str, details: dict[str, object]) -> str:
    """One event's details in Chinese, as the history shows them."""
    if kind == "registered":
        return f"办理期限：{details.get('due', '')}"
    if kind == "handled":
        mode = MODES.get(str(details.get("mode", "")), "")
        department = str(details.get("department", ""))
        due = str(details.get("due", ""))
        return mode + (f"：{department}" if department else "") + (f"，{due}前答复" if due else "")
    if kind == "replied":
        return f"{REPLY_FORMS.get(str(details.get('form', '')), '')}：{details.get('text', '')}"
    if kind == "satisfaction":
        note = str(details.get("note", ""))
        return ("满意" if details.get("satisfied") else "不满意") + (f"；{note}" if note else "")
    if kind == "reopened":
        return f"原因：{details.get('reason', '')}"
    if kind == "closed":
        return f"核实结论：{FINDINGS.get(str(details.get('finding', '')), '')}"
    return ""


def complaint_detail(db: Database, reader: Actor, key: str) -> ComplaintDetail:
    """The complaint by number or id as the reader may see it, with its events and the steps allowed now;
    a Chinese refusal when there is none."""
    today = utc_now().astimezone().date()
    counter = WorkdayCounter(load_calendar(db), today)
    warning_days = load_settings(db).warning_days_number
    with db.session() as s:
        complaint = find(s, key)
        row = row_of(complaint, reader, today, counter, warning_days)
        stored = list(s.execute(
            select(ComplaintEvent.at, ComplaintEvent.kind, ComplaintEvent.staff_name, ComplaintEvent.details)
            .where(ComplaintEvent.complaint_id == complaint.id).order_by(ComplaintEvent.at)))
        staff_name = (s.scalar(select(Staff.name).where(Staff.staff_no == complaint.staff_no))
                      if complaint.staff_no else None) or ""
        window, item, origin = complaint.window, complaint.item, complaint.origin_node
    elsewhere = node_name(db, origin) if origin and origin != db.node_code else ""  # see written_here.py
    mode = department = ""
    events: list[EventLine] = []
    for at, kind, staff, details in stored:
        payload = event_payload(details)
        if kind == "handled":
            mode, department = str(payload.get("mode", "")), str(payload.get("department", ""))
        events.append(EventLine(at, kind, EVENT_LABELS.get(kind, kind), staff, event_line_text(kind, payload)))
    kinds = [e.kind for e in events]
    written = any(e.kind == "replied" and event_payload(d).get("form") == "written"
                  for e, (_a, _k, _s, d) in zip(events, stored, strict=True))
    steps = () if elsewhere else allowed_steps(row.status, row.anonymous, row.satisfied, "reopened" in kinds)
    return ComplaintDetail(row, window, item, staff_name, mode, department, tuple(events), steps,
                           reply_forms(row.channel), written, elsewhere)

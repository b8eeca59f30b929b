"""Accepting cases and following their deadlines.

Acceptance is one transaction: the number, the query code, the deadline under the holiday
calendar, the case row, its first event and their outbox records. Later changes to a case's
deadline are events too, so the history of every date printed for a citizen can be shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Row, String, and_, func, or_, select
from sqlalchemy import text as text_sql
from sqlalchemy.orm import InstrumentedAttribute, Session, object_session, selectinload

from app.actor import Actor
from app.changes import CALENDAR, CATALOG, STAFF
from app.clock import local_today, utc_now
from app.database import Database
from app.models import Case, CaseEvent, ServiceItem, Staff
from app.models.base import table_of
from app.models.cases import class_label
from app.models.tracking import insert_tracked, row_id
from app.services.appointments.visits import Accepted, accepted_at_home, followed_notice, link_in
from app.services.attachments.pages import PageRef, pages_by_material, record_pages
from app.services.calendar.holidays import load_calendar
from app.services.calendar.workdays import OfficeHours, WorkCalendar
from app.services.cases import lifecycle as life
from app.services.cases.form import CaseForm, Received, as_catalogued, validate_case
from app.services.cases.holding import ensure_may_act, open_offer, refused_events
from app.services.cases.lifecycle import HOME_ACCEPTANCE, state_label, trips_after
from app.services.cases.lights import (
    LIT_STATES,
    NO_LIGHT,
    DueSummary,
    Light,
    WorkdayCounter,
    light_of,
    yellow_horizon,
)
from app.services.cases.projection import (
    CaseFacts,
    Projection,
    compute_deadline,
    parse_events,
    project,
    special_procedures,
)
from app.services.cases.reassign import stand_in_for, stand_in_mark, stand_in_marks
from app.services.catalog.agency import check_may_accept
from app.services.catalog.data import ItemData, item_from_dict, item_to_dict, missing_materials
from app.services.catalog.items import to_data
from app.services.db_cache import cached
from app.services.errors import ValidationError
from app.services.event_time import stamp_after_last
from app.services.numbering import floor_for, new_query_code, next_case_number
from app.services.paging import PAGE_SIZE, STREAM_CHUNK, Page, check_window
from app.services.search_text import clean_search
from app.services.settings import load_settings

PARTLY_SUPPLEMENTED = "supplement_visit"  # a 补正 visit that left something required missing
SPECIAL_PROCEDURES = ("听证", "招标", "拍卖", "检验", "检测", "检疫", "鉴定", "勘查", "专家评审", "公示")


@dataclass(frozen=True)
class DeadlineRules:
    """The calendar and office hours every deadline of one operation is counted on."""

    calendar: WorkCalendar
    hours: OfficeHours


def deadline_rules(db: Database) -> DeadlineRules:
    return DeadlineRules(load_calendar(db), _office_hours(load_settings(db).office_hours))


def facts_of(case: Case) -> CaseFacts:
    """The facts of a case loaded in a session; a notice given without a visit (a phone or online
    booking's, app.services.appointments.visits) counts no trip."""
    s = object_session(case)
    if s is None:
        raise ValueError("facts_of needs a case loaded in a session")
    return CaseFacts(case.case_class, case.accepted_at.astimezone(), case.time_limit_days,
                     followed_notice(s, case.notice_number))


def project_case(s: Session, case: Case, rules: DeadlineRules, today: date) -> Projection:
    """The projection of one case from its events as stored (pending ones flushed first)."""
    s.flush()
    rows = s.execute(select(CaseEvent.kind, CaseEvent.at, CaseEvent.details)
                     .where(CaseEvent.case_id == case.id, CaseEvent.id.not_in(refused_events()))
                     .order_by(CaseEvent.at, CaseEvent.id)).all()
    return project(facts_of(case), parse_events([(r.kind, r.at, r.details) for r in rows]), rules.calendar, rules.hours, today)


def record_event(s: Session, case: Case, kind: str, at: datetime, actor: Actor, details: dict[str, object],
                 rules: DeadlineRules) -> Projection:
    """Append an event and write the case's cached columns from the projection, in one transaction.

    The only writer of status, class, clock start, due date, trips and the decision, end, completion and
    补正 facts: nothing else sets them.
    """
    at = add_event(s, case, kind, at, actor, details)
    return write_projection(s, case, rules, at.astimezone().date())


def write_projection(s: Session, case: Case, rules: DeadlineRules, today: date) -> Projection:
    p = project_case(s, case, rules, today)
    case.status, case.case_class, case.clock_start = p.state, p.case_class, p.clock_start
    case.due_date, case.provisional, case.trips = p.due_date, p.provisional, p.trips
    case.decided_at, case.ended_at, case.completed_at = p.decided_at, p.ended_at, p.completed_at
    case.supplemented = p.supplemented
    return p


@dataclass(frozen=True)
class CaseRecord:
    id: str
    number: str
    query_code: str
    case_class: str
    class_reason: str
    status: str
    item: ItemData
    applicant_kind: str
    applicant_name: str
    applicant_id_type: str
    applicant_id_number: str
    applicant_phone: str
    applicant_address: str
    contact_name: str
    agent_name: str
    agent_relation: str
    agent_id_type: str
    agent_id_number: str
    agent_phone: str
    received: tuple[dict[str, int | bool], ...]
    missing_reason: str
    rejection_reason: str
    lead_window: str
    co_departments: tuple[str, ...]
    accepted_at: datetime
    time_limit_days: int
    clock_start: date | None
    due_date: date | None
    provisional: bool
    notice_number: str
    staff_name: str
    staff_no: str
    staff_workplace: str
    staff_phone: str
    events: tuple[tuple[datetime, str, str, str], ...] = ()
    light: Light = NO_LIGHT  # today's warning light (app.services.cases.lights)
    owner_node: str = ""  # the node that holds the case (accepted it, or received it by transfer)
    trips: int = 0  # 跑动次数, the projection's (app.services.cases.projection) cached count
    offered_to: str = ""  # 移交 not yet received: "01号节点（批次 YJ…）" (app.services.cases.holding)
    stand_in: str = ""  # AB岗: "代1001李秀兰岗" when its clerk holds the case for a colleague (cases.reassign)

    @property
    def class_label(self) -> str:
        return class_label(self.case_class)

    @property
    def status_label(self) -> str:
        return state_label(self.status)

    def received_seqs(self) -> set[int]:
        return {int(r["seq"]) for r in self.received}

    @property
    def in_special_procedure(self) -> bool:
        return special_procedures((kind, details) for _at, kind, _staff, details in self.events)[1] is not None


def accept_case(db: Database, actor: Actor, form: CaseForm, now: datetime | None = None,
                pages: tuple[PageRef, ...] = ()) -> str:
    """Accept (or formally refuse) an application; returns the case number. Nothing is written on error.

    What a clerk waits for after Ctrl+Enter is this transaction: the rules it applies (calendar,
    settings, the item and its snapshot, the clerk's phone) are read once and kept until a commit
    changes them (app.services.db_cache), and the case and its first event go in as one tracked
    batch of Core inserts, captured for the outbox and the audit log exactly as a flush would capture them.
    """
    now = now or utc_now()
    local = now.astimezone()
    calendar = load_calendar(db)
    settings = load_settings(db)
    hours = _office_hours(settings.office_hours)
    item, snapshot = _catalogued_item(db, form.item_code)
    errors = validate_case(form, item, local.date(), settings.custom_classes())
    if errors:
        raise ValidationError("受理信息有误，未保存", list(errors.values()))
    assert item is not None
    check_may_accept(db, item)  # an agency point accepts only items on the village list
    deadline = compute_deadline(form.case_class, local, item.promised_limit_days, calendar, hours)
    staff_phone = _staff_phones(db).get(actor.staff_id, "") if actor.staff_id else ""
    with db.session(actor) as s:
        number = next_case_number(s, local.date(), floor_for(db.path))
        applicant_id = form.applicant_id_number.strip().upper()
        # accepted at the citizen's home (上门受理): the acceptance event says so, and is no trip (lifecycle)
        applying = Accepted(number, item.code, item.name, applicant_id, form.applicant_name.strip(), now)
        method = HOME_ACCEPTANCE if accepted_at_home(s, form.notice_number, applying) else ""
        case: dict[str, object] = {
            "number": number,
            "query_code": _unique_query_code(s, number[9:11]),
            "case_class": form.case_class,
            "class_reason": form.class_reason.strip(),
            "status": {"rejected": "rejected", "supplement": "supplementing"}.get(form.case_class, "accepted"),
            "item_code": item.code,
            "item_name": item.name,
            "item_snapshot": snapshot,
            "applicant_kind": form.applicant_kind,
            "applicant_name": form.applicant_name.strip(),
            "applicant_name_rev": form.applicant_name.strip()[::-1],
            "applicant_id_type": "uscc" if form.applicant_kind == "organisation" else form.applicant_id_type,
            "applicant_id_number": applicant_id,
            "applicant_id_rev": applicant_id[::-1],
            "applicant_phone": form.applicant_phone.strip(),
            "applicant_address": form.applicant_address.strip(),
            "contact_name": form.contact_name.strip(),
            "agent_name": form.agent_name.strip(),
            "agent_relation": form.agent_relation.strip(),
            "agent_id_type": form.agent_id_type if form.has_agent else "",
            "agent_id_number": form.agent_id_number.strip().upper(),
            "agent_phone": form.agent_phone.strip(),
            "materials": json.dumps([r.__dict__ for r in form.received], ensure_ascii=False),
            "missing_reason": form.missing_reason.strip(),
            "rejection_reason": form.rejection_reason.strip(),
            "lead_window": form.lead_window.strip(),
            "co_departments": "、".join(d.strip() for d in form.co_departments if d.strip()),
            "accepted_at": now,
            "time_limit_days": item.promised_limit_days,
            "clock_start": deadline.clock_start,
            "due_date": deadline.due,
            "provisional": deadline.provisional,
            "notice_number": form.notice_number,
            "staff_id": actor.staff_id,
            "staff_name": actor.name,
            "staff_no": actor.staff_no,
            "staff_workplace": actor.workplace,
            "staff_phone": staff_phone,
            "owner_node": db.node_code,
            "trips": trips_after(followed_notice(s, form.notice_number), [("accepted", method)]),
        }
        case["id"] = row_id(s)
        details: dict[str, object] = {"class": form.case_class, "due": iso_or_none(deadline.due)}
        if method:
            details["method"] = method
        if pages:  # 电子件 captured at the window, recorded with the case
            details["pages"] = pages_by_material(pages)
        insert_tracked(s, Case, [case], then=[(CaseEvent, [_event_row(str(case["id"]), "accepted", now, actor,
                                                                      details)])])
        record_pages(s, db.path, str(case["id"]), pages, len(item.materials), actor, "accepted")
        link_in(s, form.notice_number, applying, now)  # the appointment it follows is done, in this transaction
        return number


@lru_cache(maxsize=8)
def _office_hours(text: str) -> OfficeHours:
    return OfficeHours.parse(text)


def _catalogued_item(db: Database, code: str) -> tuple[ItemData | None, str]:
    """The item as the catalogue has it now, with the snapshot a case keeps of it (shared: read-only)."""

    def load() -> tuple[ItemData | None, str]:
        with db.session() as s:
            row = s.scalar(select(ServiceItem).options(selectinload(ServiceItem.materials))
                           .where(ServiceItem.code == code))
            item = to_data(row) if row is not None else None
        return item, json.dumps(item_to_dict(item), ensure_ascii=False, sort_keys=True) if item else ""

    return cached(db, f"case_item:{code}", CATALOG, load)


def _staff_phones(db: Database) -> dict[str, str]:
    """Staff id → phone, as stamped on a case (kept until a staff row changes)."""

    def load() -> dict[str, str]:
        with db.session() as s:
            return {staff_id: phone for staff_id, phone in s.execute(select(Staff.id, Staff.phone))}

    return cached(db, "staff_phones", STAFF, load)


def _event_row(case_id: str, kind: str, at: datetime, actor: Actor, details: dict[str, object]) -> dict[str, object]:
    """A case_event row for insert_tracked: every column the audit snapshot shows."""
    return {"case_id": case_id, "kind": kind, "at": at, "staff_name": actor.name,
            "details": json.dumps(details, ensure_ascii=False, sort_keys=True)}


def iso_or_none(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _unique_query_code(s: Session, node_code: str) -> str:
    for _ in range(20):
        code = new_query_code(node_code)
        if s.scalar(select(Case.id).where(Case.query_code == code)) is None:
            return code
    raise RuntimeError("无法生成查询码")


def add_event(s: Session, case: Case, kind: str, at: datetime, actor: Actor, details: dict[str, object]) -> datetime:
    """Append an event; returns its time. Events are ordered by time, and a case's events may come from
    several machines (a hand-over): a clock behind the last event's is moved just after it, so the
    history keeps the order in which things were done."""
    s.flush()
    at = stamp_after_last(s, CaseEvent.at, CaseEvent.case_id == case.id, at)
    who = {"by_no": actor.staff_no, "by_place": actor.workplace}  # who acted: the paper of this step names them
    s.add(CaseEvent(case_id=case.id, kind=kind, at=at, staff_name=actor.name,
                    details=json.dumps({**details, **who}, ensure_ascii=False, sort_keys=True)))
    return at


@dataclass(frozen=True)
class _Today:
    """What a list needs to light its rows: today, and working days counted on the current calendar."""

    day: date
    counter: WorkdayCounter
    warning_days: int

    def light(self, case: Any) -> Light:  # a Case, or a row with status and due_date
        return light_of(case.status, case.due_date, self.day, self.counter, self.warning_days)

    @property
    def horizon(self) -> date:
        return yellow_horizon(self.day, self.counter, self.warning_days)


def workday_counter(db: Database, day: date) -> WorkdayCounter:
    """Working days counted around `day` on the current calendar, kept until the calendar changes."""
    return cached(db, f"workday_counter:{day.isoformat()}", CALENDAR, lambda: WorkdayCounter(load_calendar(db), day))


def _today(db: Database) -> _Today:
    day = local_today()
    return _Today(day, workday_counter(db, day), load_settings(db).warning_days_number)


def _record(case: Case | Row[Any], events: list[CaseEvent], today: _Today | None = None) -> CaseRecord:
    """A case as plain data, from its ORM object or from a Core row of case_file (lists read rows)."""
    return CaseRecord(
        id=case.id, number=case.number, query_code=case.query_code, case_class=case.case_class,
        class_reason=case.class_reason, status=case.status, item=_snapshot_item(case.item_snapshot),
        applicant_kind=case.applicant_kind, applicant_name=case.applicant_name,
        applicant_id_type=case.applicant_id_type, applicant_id_number=case.applicant_id_number,
        applicant_phone=case.applicant_phone, applicant_address=case.applicant_address,
        contact_name=case.contact_name, agent_name=case.agent_name, agent_relation=case.agent_relation,
        agent_id_type=case.agent_id_type, agent_id_number=case.agent_id_number, agent_phone=case.agent_phone,
        received=tuple(json.loads(case.materials)), missing_reason=case.missing_reason,
        rejection_reason=case.rejection_reason, lead_window=case.lead_window,
        co_departments=tuple(d for d in case.co_departments.split("、") if d), accepted_at=case.accepted_at,
        time_limit_days=case.time_limit_days, clock_start=case.clock_start, due_date=case.due_date,
        provisional=case.provisional, notice_number=case.notice_number, staff_name=case.staff_name,
        staff_no=case.staff_no, staff_workplace=case.staff_workplace, staff_phone=case.staff_phone,
        events=tuple((e.at, e.kind, e.staff_name, e.details) for e in events),
        light=today.light(case) if today else NO_LIGHT, owner_node=case.owner_node or case.origin_node, trips=case.trips,
    )


@lru_cache(maxsize=256)
def _snapshot_item(snapshot: str) -> ItemData:
    """The item a case kept, parsed once per distinct snapshot: thousands of cases share a few
    versions of each item, and parsing each copy was most of what listing every case cost.
    Shared between records: read-only."""
    return item_from_dict(json.loads(snapshot))


def get_case(db: Database, number: str) -> CaseRecord | None:
    """By case number or by query code (what a citizen reads out on the phone)."""
    key = number.strip().upper()
    today = _today(db)
    with db.session() as s:
        case = s.scalar(select(Case).where(or_(Case.number == key, Case.query_code == key)))
        if case is None:
            return None
        events = list(s.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at)))
        record = _record(case, events, today)
        offer = open_offer(s, case)
        pending = f"{offer.to_node}号节点（批次 {offer.batch}）" if offer is not None else ""
        return replace(record, stand_in=stand_in_mark(stand_in_for(record.events)), offered_to=pending)


def _prefix(column: InstrumentedAttribute[str], prefix: str) -> ColumnElement[bool]:
    """column LIKE 'prefix%' as a range, which SQLite answers from the index (LIKE would scan)."""
    return and_(column >= prefix, column < prefix + "\U0010ffff")


def search_condition(s: Session, text: str) -> ColumnElement[bool] | None:
    """Which cases a search means, as a condition; None for "no text: everything".

    Exact number or query code first; four digits or more that end an ID number come from the
    reversed-ID index; otherwise three characters or more use the trigram index over names, ID
    numbers and phones; one or two characters (a Chinese given name, a surname) match the start
    or the end of the applicant's name through two ordinary indexes.
    """
    text = clean_search(text)
    needle = text.upper()
    if not needle:
        return None
    exact = or_(Case.number == needle, Case.query_code == needle)
    if s.scalar(select(Case.id).where(exact).limit(1)) is not None:
        return exact
    if len(needle) >= 4 and needle.rstrip("X").isdigit():  # the last digits of an ID, by index
        tail = _prefix(Case.applicant_id_rev, needle[::-1])
        if s.scalar(select(Case.id).where(tail).limit(1)) is not None:
            return tail
    if len(needle) >= 3:
        quoted = '"' + needle.replace('"', '""') + '"'  # a phrase: quotes in the text are data
        matches = text_sql("SELECT number FROM case_search WHERE body MATCH :q").bindparams(q=quoted)
        return Case.number.in_(matches.columns(number=String))
    return or_(_prefix(Case.applicant_name, text), _prefix(Case.applicant_name_rev, text[::-1]))


def search_numbers(s: Session, text: str, limit: int) -> list[str] | None:
    """Up to `limit` case numbers matching a search, or None for "no text: everything"."""
    condition = search_condition(s, text)
    if condition is None:
        return None
    return list(s.scalars(select(Case.number).where(condition).limit(limit)))


URGENT = "urgent"  # the status filter of the 预警 list: yellow and red cases, most urgent first


EXACT_NUMBER = re.compile(r"\d{22}")  # a whole case number, typed or scanned (a QR's "#query code" cut off)


def _case_conditions(s: Session, text: str, status: str, today: _Today) -> list[ColumnElement[bool]]:
    if EXACT_NUMBER.fullmatch(text.split("#")[0].strip()):
        text, status = text.split("#")[0].strip(), ""  # a whole number names one case, whatever the filter
    if status == URGENT:
        conditions = [Case.status.in_(LIT_STATES), Case.due_date <= today.horizon]
    else:
        conditions = [Case.status == status] if status else []
    found = search_condition(s, text)
    return conditions if found is None else [*conditions, found]


def _order(status: str) -> tuple[Any, ...]:
    return (Case.due_date, Case.number) if status == URGENT else _NEWEST_FIRST


_NEWEST_FIRST = (Case.accepted_at.desc(), Case.number.desc())
_CASE_TABLE = table_of(Case)  # lists read plain rows: no ORM objects for what is only shown


def page_cases(db: Database, text: str = "", status: str = "", offset: int = 0,
               limit: int = PAGE_SIZE) -> Page[CaseRecord]:
    """One screenful of the case list, newest first, with how many cases match in all (共 N 件)."""
    check_window(offset, limit)
    today = _today(db)
    with db.session() as s:
        conditions = _case_conditions(s, text, status, today)
        total = s.scalar(select(func.count()).select_from(Case).where(*conditions)) or 0
        query = select(_CASE_TABLE).where(*conditions).order_by(*_order(status)).offset(offset).limit(limit)
        rows = [_record(row, [], today) for row in s.execute(query)]
        marks = stand_in_marks(s, [r.id for r in rows])
        return Page([replace(r, stand_in=stand_in_mark(marks.get(r.id, ""))) for r in rows], total, offset)


def iter_cases(db: Database, text: str = "", status: str = "") -> Iterator[CaseRecord]:
    """Every matching case, newest first, read in chunks from one query: memory stays flat."""
    today = _today(db)
    with db.session() as s:
        query = select(_CASE_TABLE).where(*_case_conditions(s, text, status, today)).order_by(*_order(status))
        for row in s.execute(query.execution_options(yield_per=STREAM_CHUNK)):
            yield _record(row, [], today)


def iter_case_chunks(db: Database, conditions: list[ColumnElement[bool]],
                     order: tuple[Any, ...] = (Case.accepted_at, Case.number)) -> Iterator[list[CaseRecord]]:
    """Cases matching `conditions`, as the list projects them, STREAM_CHUNK at a time (reports stream)."""
    today = _today(db)
    with db.session() as s:
        query = select(_CASE_TABLE).where(*conditions).order_by(*order).execution_options(yield_per=STREAM_CHUNK)
        for rows in s.execute(query).partitions():
            yield [_record(row, [], today) for row in rows]


def list_cases(db: Database, text: str = "", status: str = "", limit: int | None = None) -> list[CaseRecord]:
    """Matching cases newest first: all of them unless a limit is asked for (never a hidden cap)."""
    if limit is None:
        return list(iter_cases(db, text, status))
    return page_cases(db, text, status, 0, limit).rows


def due_summary(db: Database, staff_no: str | None = None) -> DueSummary:
    """How many of the cases this workstation holds (or one clerk's) are due today, overdue, due soon;
    each case judged by the one light rule."""
    today = _today(db)
    # light_of's rule as counts: red before today, yellow from today to the horizon (yellow_horizon)
    day = today.day
    with db.session() as s:
        query = select(func.count().filter(Case.due_date < day), func.count().filter(Case.due_date == day),
                       func.count().filter(Case.due_date > day)).where(
            Case.status.in_(LIT_STATES), Case.due_date <= today.horizon)
        if staff_no is not None:
            query = query.where(Case.staff_no == staff_no)
        overdue, due_today, soon = s.execute(query).one()
    return DueSummary(due_today, overdue, soon)


def complete_materials(db: Database, actor: Actor, number: str, seqs: list[int],
                       now: datetime | None = None) -> list[str]:
    """补正 with materials brought as the catalogue asks for them (the command line's --materials 1,3)."""
    with db.session() as s:
        snapshot = s.scalar(select(Case.item_snapshot).where(Case.number == number))
    if snapshot is None:
        raise ValidationError(f"没有编号为 {number} 的办件")
    item = _snapshot_item(snapshot)
    if any(not 1 <= seq <= len(item.materials) for seq in seqs):
        raise ValidationError("补交的材料不在该事项的材料清单中")
    return supplement_materials(db, actor, number, as_catalogued(item, seqs), now)


def supplement_materials(db: Database, actor: Actor, number: str, brought: list[Received],
                         now: datetime | None = None, pages: tuple[PageRef, ...] = ()) -> list[str]:
    """Materials a 补办件 was missing arrived, as counted at the window. Returns what is still missing.

    When nothing required is missing the case becomes its item's class and its clock starts the next
    working day (补正, `supplemented`). Otherwise the visit is still recorded (`supplement_visit`: what
    was brought, one more trip) and the case stays 待补正."""
    now = now or utc_now()
    rules = deadline_rules(db)
    with db.session(actor) as s:
        case = s.scalar(select(Case).where(Case.number == number))
        if case is None:
            raise ValidationError(f"没有编号为 {number} 的办件")
        ensure_may_act(s, case, db.node_code)
        life.check(case.status, case.case_class, "supplemented")
        item = item_from_dict(json.loads(case.item_snapshot))
        received = {int(r["seq"]): r for r in json.loads(case.materials)}
        if not brought:
            raise ValidationError("请勾选申请人本次带来的材料")
        for r in brought:
            if not 1 <= r.seq <= len(item.materials):
                raise ValidationError("补交的材料不在该事项的材料清单中")
            if not all(0 <= n <= 99 for n in (r.originals_kept, r.originals_checked, r.copies)):
                raise ValidationError("材料份数应为0至99")
            received[r.seq] = {"seq": r.seq, "originals_kept": r.originals_kept,
                               "originals_checked": r.originals_checked, "copies": r.copies,
                               "electronic": r.electronic}
        still = [m.name for _seq, m in missing_materials(item.materials, received)]
        case.materials = json.dumps([received[k] for k in sorted(received)], ensure_ascii=False)
        added = record_pages(s, db.path, case.id, pages, len(item.materials), actor, "supplement")
        extra: dict[str, object] = {"pages": added} if added else {}
        if still:
            record_event(s, case, PARTLY_SUPPLEMENTED, now, actor,
                         {"seqs": [r.seq for r in brought], "materials": [received[r.seq] for r in brought],
                          "missing": still, **extra}, rules)
            return still
        before = case.case_class
        due = compute_deadline(item.default_case_class, now.astimezone(), case.time_limit_days, rules.calendar,
                               rules.hours, clock_start=now.astimezone().date()).due
        record_event(s, case, "supplemented", now, actor,
                     {"seqs": [r.seq for r in brought], "materials": [received[r.seq] for r in brought],
                      "from_class": before, "class": item.default_case_class, "due": iso_or_none(due), **extra}, rules)
        return []


def recompute_open_deadlines(db: Database, actor: Actor, reason: str) -> list[tuple[str, date | None, date | None]]:
    """After the holiday calendar changed: new deadlines for open cases, each change logged as an event.

    Only cases this node owns: another node's case (on a director's workstation) is recomputed by its
    owner, and its new deadline arrives by replication; two nodes must never both write one case.
    """
    rules = deadline_rules(db)
    changes = []
    now = utc_now()
    today = now.astimezone().date()
    with db.session(actor) as s:
        owned = select(Case).where(Case.status.in_(life.OPEN_STATES), Case.due_date.is_not(None),
                                   Case.owner_node == db.node_code)
        for case in s.scalars(owned).all():
            if open_offer(s, case) is not None:  # on its way to another node: the receiver recomputes it
                continue
            p = project_case(s, case, rules, today)
            if (p.due_date, p.provisional) != (case.due_date, case.provisional):
                changes.append((case.number, case.due_date, p.due_date))
                record_event(s, case, "deadline_recomputed", now, actor,
                             {"from": iso_or_none(case.due_date), "to": iso_or_none(p.due_date), "reason": reason,
                              "provisional": p.provisional}, rules)
    return changes

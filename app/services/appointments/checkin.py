"""What happens to an appointment on its day: 到达 (check-in), 未到 (no-show), 取消, and the case it produced.

The case is found through the one-time notice issued at booking: the acceptance opened by a check-in
follows that notice (case_file.notice_number), so `link_accepted_case` ties the case to the appointment
whichever way the clerk reached the acceptance (check-in, or scanning the notice the citizen brought).
A home visit's case is linked the same way when the acceptance was opened from the visit, or named in its
outcome; either way it must be that visit's case (app.services.appointments.visits.home_case_problem),
and such a case is 上门受理 (`home_visit_of`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import local_now, utc_now
from app.database import Database
from app.models import Appointment, Case, Inquiry
from app.services import field_rules as rules
from app.services.appointments.booking import AppointmentRecord, to_record
from app.services.appointments.slots import STATUSES, slot_bounds
from app.services.appointments.visits import Accepted, home_case_problem, home_day_problem, link_in
from app.services.errors import UserError, ValidationError
from app.services.settings import scanned_case_number

OUTCOME = rules.FieldRule("上门服务结果", rules.REASON, rules.Chars.TEXT)


def _load(s: Session, number: str) -> Appointment:
    row = s.scalar(select(Appointment).where(Appointment.number == number.strip().upper()[:24]))
    if row is None:
        raise UserError(f"没有预约号为 {number.strip()[:24]} 的预约")
    return row


def _home_problem(row: Appointment, doing: str) -> str | None:
    """Why nothing more can be done on `row` as a pending home visit (a Chinese sentence), or None."""
    if row.kind != "home":
        return f"预约 {row.number} 不是上门服务；到窗口的预约请按回车登记到达"
    if row.status in ("booked", "arrived"):
        return None
    said = f"，结果：{row.outcome}" if row.outcome else ""
    if row.case_number and row.case_number not in row.outcome:
        said += f"，办件 {row.case_number}"
    where = f"；办件可在办件（F7）中按编号 {row.case_number} 查看" if row.case_number else ""
    return f"上门服务 {row.number} 已是“{STATUSES.get(row.status, row.status)}”{said}，不能再{doing}{where}"


def ready_for_home_accept(db: Database, number: str, now: datetime | None = None) -> AppointmentRecord:
    """Before the acceptance (F6) opens for 上门受理: the visit is pending and today is its day, by the
    same day rule the link applies afterwards (visits.home_day_problem); else UserError saying why."""
    today = (now or local_now()).astimezone().date()
    with db.session() as s:
        row = _load(s, number)
        problem = _home_problem(row, "上门受理")
        if problem is None:
            day_problem = home_day_problem(row.day, today)
            if day_problem:
                problem = (f"上门服务 {row.number} 约在 {row.day.isoformat()}，今天是 {today.isoformat()}，"
                           f"不能上门受理：{day_problem}")
        if problem:
            raise UserError(problem)
        return to_record(row)


def ready_for_home_outcome(db: Database, number: str) -> AppointmentRecord:
    """Before the 上门结果 dialog opens: the visit is still pending; else UserError saying why (a done visit's
    result and case are named, so nothing is typed into a dialog that could only refuse)."""
    with db.session() as s:
        row = _load(s, number)
        problem = _home_problem(row, "登记上门结果")
        if problem:
            raise UserError(problem)
        return to_record(row)


def arrival_problem(number: str, kind: str, status: str, day: date, today: date) -> str | None:
    """Why an appointment cannot be checked in as arrived today (a Chinese sentence), or None: the one rule of
    到达, at the window (check_in) and at the hall's ticket kiosk (app.center.queue)."""
    if status != "booked":
        return f"预约 {number} 现为“{STATUSES.get(status, status)}”，不能登记到达"
    if kind != "visit":
        return f"预约 {number} 是上门服务，请登记上门结果"
    if day != today:
        return f"预约 {number} 约在 {day.isoformat()}，不是今天，不能登记到达"
    return None


def arrived_at_kiosk(db: Database, actor: Actor, number: str, at: datetime) -> AppointmentRecord | None:
    """到达 by the hall's kiosk: an appointment booked on this workstation (only its keeper writes it) whose
    citizen checked in at `at` is marked arrived then, by the one rule of 到达 on that day. Its record when it
    is (or already was) arrived; None when it is not this workstation's or the rule does not allow it."""
    moment = at.astimezone()
    with db.session(actor) as s:
        row = s.scalar(select(Appointment).where(Appointment.number == number.strip().upper()[:24]))
        if row is None or row.origin_node != db.node_code:
            return None
        if row.status == "arrived":
            return to_record(row)
        if arrival_problem(row.number, row.kind, row.status, row.day, moment.date()):
            return None
        row.status = "arrived"
        row.arrived_at = moment.astimezone(UTC)
        s.flush()
        return to_record(row)


def _must_be_booked(row: Appointment, doing: str) -> None:
    if row.status != "booked":
        raise UserError(f"预约 {row.number} 现为“{STATUSES.get(row.status, row.status)}”，不能{doing}")


def check_in(db: Database, actor: Actor, number: str, now: datetime | None = None) -> AppointmentRecord:
    """到达: the citizen is at the window on the booked day; the record says what to open next."""
    moment = (now or local_now()).astimezone()
    with db.session(actor) as s:
        row = _load(s, number)
        problem = arrival_problem(row.number, row.kind, row.status, row.day, moment.date())
        if problem:
            raise UserError(problem)
        row.status = "arrived"
        row.arrived_at = moment.astimezone(UTC)
        s.flush()
        return to_record(row)


def mark_no_show(db: Database, actor: Actor, number: str, now: datetime | None = None) -> AppointmentRecord:
    """未到: only once the booked slot has begun (before that the citizen may still come)."""
    moment = (now or local_now()).astimezone()
    with db.session(actor) as s:
        row = _load(s, number)
        _must_be_booked(row, "标记未到")
        start = datetime.combine(row.day, slot_bounds(row.slot)[0]).astimezone()
        if moment < start:
            raise UserError(f"预约时段 {row.day.isoformat()} {row.slot} 尚未开始，不能标记未到")
        row.status = "no_show"
        row.closed_at = utc_now()
        s.flush()
        return to_record(row)


def cancel(db: Database, actor: Actor, number: str) -> AppointmentRecord:
    """取消 (the citizen called off): the slot's place is free again."""
    with db.session(actor) as s:
        row = _load(s, number)
        _must_be_booked(row, "取消")
        row.status = "cancelled"
        row.closed_at = utc_now()
        s.flush()
        return to_record(row)


def link_accepted_case(db: Database, actor: Actor, case_number: str) -> str | None:
    """The appointment a case was linked to when it was accepted (accept_case links it in its own
    transaction, visits.link_in), linked now if it was not: its number, or None when the case came from
    no appointment."""
    with db.session(actor) as s:
        case = s.scalar(select(Case).where(Case.number == case_number.strip()[:24]))
        if case is None or not case.notice_number:
            return None
        linked = s.scalar(select(Appointment.number).where(Appointment.case_number == case.number).limit(1))
        return linked or link_in(s, case.notice_number, Accepted.of(case), utc_now())


def link_inquiry(db: Database, actor: Actor, number: str, inquiry_number: str) -> AppointmentRecord:
    """A 咨询 appointment answered by a 首问登记: done, its outcome naming the register's number."""
    with db.session(actor) as s:
        row = _load(s, number)
        if row.status not in ("booked", "arrived"):
            raise UserError(f"预约 {row.number} 现为“{STATUSES.get(row.status, row.status)}”，不能再关联首问登记")
        if s.scalar(select(Inquiry.id).where(Inquiry.number == inquiry_number.strip()[:24])) is None:
            raise UserError(f"没有编号为 {inquiry_number.strip()[:24]} 的首问登记")
        row.status = "done"
        row.outcome = f"首问登记 {inquiry_number.strip()}"
        row.closed_at = utc_now()
        s.flush()
        return to_record(row)


def record_home_outcome(db: Database, actor: Actor, number: str, outcome: str,
                        case_number: str = "") -> AppointmentRecord:
    """上门服务结果: what was done at the citizen's home and, when a case was accepted there, its number."""
    problem = OUTCOME.check(outcome)
    if problem:
        raise ValidationError(problem)
    with db.session(actor) as s:
        row = _load(s, number)
        problem = _home_problem(row, "登记上门结果")
        if problem:
            raise UserError(problem)
        case_number = scanned_case_number(case_number)
        if case_number:
            case = s.scalar(select(Case).where(Case.number == case_number))
            if case is None:
                raise UserError(f"没有编号为 {case_number} 的办件")
            problem = home_case_problem(row, case)
            if problem:
                raise UserError(f"不能关联：{problem}")
            taken = s.scalar(select(Appointment.number).where(Appointment.case_number == case.number,
                                                              Appointment.id != row.id))
            if taken:
                raise UserError(f"办件 {case.number} 已是预约 {taken} 的结果")
            row.case_number = case.number
        row.outcome = outcome.strip()
        row.status = "done"
        row.closed_at = utc_now()
        s.flush()
        return to_record(row)


@dataclass(frozen=True)
class HomeVisit:
    """A case accepted at the citizen's home (上门受理): shown in the case's header."""

    appointment_number: str
    visitor_no: str
    address: str
    reason: str


def home_visit_of(db: Database, case_number: str) -> HomeVisit | None:
    with db.session() as s:
        row = s.scalar(select(Appointment).where(Appointment.case_number == case_number.strip()[:24],
                                                 Appointment.kind == "home"))
        return HomeVisit(row.number, row.visitor_no, row.address, row.reason) if row else None

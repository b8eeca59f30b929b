"""Changing a case's time limit: special procedures (their working days not counted) and approved
extensions, each an event with the deadline recomputed from the case's whole history.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import Case, CaseEvent
from app.services import field_rules as rules
from app.services.cases import lifecycle as life
from app.services.cases.holding import ensure_may_act
from app.services.cases.lifecycle import state_label
from app.services.cases.projection import PROCEDURE_ENDED, PROCEDURE_STARTED, Deadline
from app.services.cases.records import SPECIAL_PROCEDURES, deadline_rules, iso_or_none, record_event
from app.services.catalog.data import item_from_dict
from app.services.errors import ValidationError
from app.services.people.auth import confirm_person
from app.services.people.permissions import APPROVE_EXTENSION


def _open_case(s: Session, number: str, action: str) -> tuple[Case, life.Transition]:
    """The case, and the lifecycle's leave to take `action` on it (refused in Chinese otherwise)."""
    case = s.scalar(select(Case).where(Case.number == number))
    if case is None:
        raise ValidationError(f"没有编号为 {number} 的办件")
    transition = life.check(case.status, case.case_class, action)
    if case.due_date is None:
        raise ValidationError(f"办件 {number} 当前为“{state_label(case.status)}”，不计办理时限，不能调整")
    return case, transition


def _apply(db: Database, actor: Actor, number: str, kind: str, details: dict[str, object], now: datetime | None,
           check: Callable[[Session, Case], None]) -> Deadline:
    now = now or utc_now()
    rules = deadline_rules(db)
    with db.session(actor) as s:
        case, _transition = _open_case(s, number, kind)
        ensure_may_act(s, case, db.node_code)  # held here, and not offered to another node
        check(s, case)
        before = case.due_date
        p = record_event(s, case, kind, now, actor, details, rules)  # 特别程序中 while paused
        record_event(s, case, "deadline_recomputed", now, actor,
                     {"from": iso_or_none(before), "to": iso_or_none(p.due_date), "reason": life.BY_ACTION[kind].label,
                      "provisional": p.provisional}, rules)
        return Deadline(p.clock_start, p.due_date, p.provisional)


def pause_case(db: Database, actor: Actor, number: str, procedure: str, start: date, expected_days: int,
               note: str = "", now: datetime | None = None) -> Deadline:
    """A special procedure begins: its working days do not count; the citizen is told how long it takes."""
    if procedure not in SPECIAL_PROCEDURES:
        raise ValidationError(f"特别程序应为：{'、'.join(SPECIAL_PROCEDURES)}")
    if expected_days < 1:
        raise ValidationError("请填写特别程序预计所需的天数")
    problem = rules.PAUSE_NOTE.check(note, required=False)
    if problem:
        raise ValidationError(problem)

    return _apply(db, actor, number, PROCEDURE_STARTED,
                  {"procedure": procedure, "start": start.isoformat(), "expected_days": expected_days, "note": note},
                  now, lambda _s, _case: None)


def resume_case(db: Database, actor: Actor, number: str, end: date, now: datetime | None = None) -> Deadline:
    """The special procedure ended on `end` (inclusive): the clock runs again from the next day."""

    return _apply(db, actor, number, PROCEDURE_ENDED, {"end": end.isoformat()}, now, lambda _s, _case: None)


def extend_case(db: Database, actor: Actor, number: str, days: int, reason: str, approver_no: str,
                approver_password: str, legal_basis: str = "", now: datetime | None = None) -> Deadline:
    """An extension approved by a director, who confirms it with their own password at this desk.

    Asking only after the deadline has passed is itself overdue and refused; a new date beyond the
    item's legal time limit needs the legal basis that allows it.
    """
    if not 1 <= days <= 60:
        raise ValidationError("延长时限应为1至60个工作日")
    if not reason.strip():
        raise ValidationError("延长时限须写明理由")
    problem = rules.EXTENSION_REASON.check(reason) or rules.LEGAL_BASIS.check(legal_basis, required=False)
    if problem:
        raise ValidationError(problem)
    today = (now or utc_now()).astimezone().date()
    approver = confirm_person(db, approver_no, approver_password, APPROVE_EXTENSION, now)

    def allowed(s: Session, case: Case) -> None:
        if case.due_date is not None and today > case.due_date:
            raise ValidationError(f"办件已于{case.due_date.isoformat()}到期，超期后不能再申请延期")
        legal = item_from_dict(json.loads(case.item_snapshot)).legal_limit_days
        earlier = sum(int(json.loads(details).get("days", 0)) for details in s.scalars(
            select(CaseEvent.details).where(CaseEvent.case_id == case.id, CaseEvent.kind == "extended")))
        if legal and case.time_limit_days + earlier + days > legal and not legal_basis.strip():
            raise ValidationError(f"延期后超过该事项的法定时限（{legal}个工作日），须写明延期的法律依据")

    return _apply(db, actor, number, "extended",
                  {"days": days, "reason": reason.strip(), "approver": approver.name, "approver_no": approver.staff_no,
                   "basis": legal_basis.strip()}, now, allowed)

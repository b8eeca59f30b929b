"""The stand-in hand-over of a leave (AB岗): the absent clerk's open cases go to the stand-in when the leave
begins, and those still open and still with the stand-in go back after it, exactly once each way.

Both moves are AB岗 reassignments (app.services.cases.reassign), so each case's history shows them as any
other 转办; the reason names the leave's number, and that is how the hand-back finds the cases that moved
for this leave (the case history is the record, so a crash between the move and the leave's own mark
loses nothing: re-running moves nothing twice). The leave's `handed_over` / `handed_back` marks and its
events say it was done and which cases moved. Run by the workstation's upkeep (at start-up, after each
sync) and at approval; only the workstation keeping the leave does it, for the cases it holds. It first
takes in decisions made at a director's own workstation (fold_decisions).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from app.actor import SYSTEM_ACTOR
from app.clock import local_today, utc_now
from app.database import Database
from app.models import Case, CaseEvent, LeaveEvent, LeaveRequest
from app.services.cases.lifecycle import CLOSED_STATES
from app.services.cases.reassign import REASSIGNED, holder_node, reassign
from app.services.errors import ValidationError
from app.services.people.leave import DECISIONS, STAND_IN_OVER

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HandOver:
    handed_over: tuple[str, ...]  # leave numbers whose clerk's cases went to the stand-in in this run
    handed_back: tuple[str, ...]
    cases_out: int
    cases_back: int
    decided: int = 0  # requests kept here decided at another workstation, taken in by this run

    @property
    def summary(self) -> str:
        return (f"请假代岗：{len(self.handed_over)} 项请假开始，转出 {self.cases_out} 件；"
                f"{len(self.handed_back)} 项请假结束，交回 {self.cases_back} 件")


def out_reason(leave: LeaveRequest) -> str:
    return f"请假{leave.number}（{leave.from_date.isoformat()}至{leave.to_date.isoformat()}），由代岗人接手"


def back_reason(leave: LeaveRequest) -> str:
    return f"请假{leave.number}结束，办件交回原经办人"


def _open_here(db: Database, staff_no: str) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Case).where(
            Case.staff_no == staff_no, Case.status.not_in(CLOSED_STATES), holder_node() == db.node_code)) or 0


def _mark(db: Database, leave_id: str, kind: str, now: datetime, details: dict[str, object]) -> None:
    with db.session(SYSTEM_ACTOR) as s:
        leave = s.get(LeaveRequest, leave_id)
        assert leave is not None
        if kind == "handed_over":
            leave.handed_over = True
        else:
            leave.handed_back = True
        s.add(LeaveEvent(leave_id=leave.id, kind=kind, at=now, staff_name=SYSTEM_ACTOR.name,
                         details=json.dumps(details, ensure_ascii=False, sort_keys=True)))


def _due(db: Database, today: date, back: bool) -> list[LeaveRequest]:
    where = [LeaveRequest.origin_node == db.node_code, LeaveRequest.status == "approved",
             LeaveRequest.half_days > STAND_IN_OVER, LeaveRequest.stand_in != ""]
    if back:
        where += [LeaveRequest.handed_over.is_(True), LeaveRequest.handed_back.is_(False),
                  LeaveRequest.to_date < today]
    else:
        where += [LeaveRequest.handed_over.is_(False), LeaveRequest.from_date <= today, LeaveRequest.to_date >= today]
    with db.session() as s:
        rows = list(s.scalars(select(LeaveRequest).where(*where).order_by(LeaveRequest.from_date)))
        s.expunge_all()
        return rows


def _hand_over(db: Database, leave: LeaveRequest, now: datetime) -> int:
    details: dict[str, object] = {"to": leave.stand_in, "numbers": []}
    if _open_here(db, leave.staff_no):
        try:
            done = reassign(db, SYSTEM_ACTOR, leave.staff_no, leave.stand_in, out_reason(leave), now)
            details["numbers"] = list(done.numbers)
            if done.in_transit:
                details["problem"] = f"{len(done.in_transit)} 件正在移交途中，未转办"
        except ValidationError as exc:  # e.g. the stand-in's account was closed since: the director sees why
            details["problem"] = exc.message
    _mark(db, leave.id, "handed_over", now, details)
    return len(details["numbers"])  # type: ignore[arg-type]


def moved_for(db: Database, leave: LeaveRequest) -> list[str]:
    """Numbers of the cases this leave handed to the stand-in that are still open, held here and with them."""
    marker = f"%请假{leave.number}（%"
    with db.session() as s:
        ids = select(CaseEvent.case_id).where(CaseEvent.kind == REASSIGNED, CaseEvent.details.like(marker))
        return list(s.scalars(select(Case.number).where(
            Case.id.in_(ids), Case.staff_no == leave.stand_in, Case.status.not_in(CLOSED_STATES),
            holder_node() == db.node_code).order_by(Case.number)))


def _hand_back(db: Database, leave: LeaveRequest, now: datetime) -> int:
    numbers = moved_for(db, leave)
    details: dict[str, object] = {"to": leave.staff_no, "numbers": []}
    if numbers:
        try:
            done = reassign(db, SYSTEM_ACTOR, leave.stand_in, leave.staff_no, back_reason(leave), now, only=numbers)
            details["numbers"] = list(done.numbers)
        except ValidationError as exc:  # e.g. the clerk has left: the cases stay with the stand-in
            details["problem"] = exc.message
    _mark(db, leave.id, "handed_back", now, details)
    return len(details["numbers"])  # type: ignore[arg-type]


def fold_decisions(db: Database) -> int:
    """Take in the decisions made at another workstation (a director's own) on pending requests kept here:
    the first decision counts, as the request's keeper writes it. How many were taken in."""
    foreign = select(LeaveEvent.leave_id).where(LeaveEvent.origin_node != db.node_code, LeaveEvent.kind.in_(DECISIONS))
    taken = 0
    with db.session(SYSTEM_ACTOR) as s:
        for leave in list(s.scalars(select(LeaveRequest).where(
                LeaveRequest.origin_node == db.node_code, LeaveRequest.status == "pending", LeaveRequest.id.in_(foreign)))):
            event = s.scalars(select(LeaveEvent).where(LeaveEvent.leave_id == leave.id, LeaveEvent.kind.in_(DECISIONS))
                              .order_by(LeaveEvent.at, LeaveEvent.id)).first()
            assert event is not None
            loaded = json.loads(event.details or "{}")
            details = loaded if isinstance(loaded, dict) else {}
            leave.status, leave.decided_at = event.kind, event.at
            leave.approved_by = str(details.get("by") or event.staff_name)[:30]
            leave.note = str(details.get("note") or "")[:200]
            taken += 1
    return taken


def run_leave_upkeep(db: Database, now: datetime | None = None) -> HandOver:
    """Hand over the cases of every approved long leave that has begun, and hand back those that have
    ended; idempotent (a second run moves nothing). One leave's failure does not stop the others."""
    now = now or utc_now()
    today = local_today()
    out: list[str] = []
    back: list[str] = []
    cases_out = cases_back = 0
    decided = fold_decisions(db)
    for leave in _due(db, today, back=False):
        cases_out += _hand_over(db, leave, now)
        out.append(leave.number)
    for leave in _due(db, today, back=True):
        cases_back += _hand_back(db, leave, now)
        back.append(leave.number)
    if out or back:
        log.info("leave upkeep: %s out (%s cases), %s back (%s cases)", len(out), cases_out, len(back), cases_back)
    return HandOver(tuple(out), tuple(back), cases_out, cases_back, decided)

"""Issuing a 督办, answering it, and reading them back with their state.

A 督办 is written where it is issued and travels to the addressed node (to_node) by the sync; the answer
is a row of its own written at the addressed node. Only an answer written by that node counts (the
centre keeps each row with the node that pushed it, so its origin_node is proven), which is why a
director's screen never shows another node's word as the window's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import aliased

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import Case, Complaint, NodeInfo, Staff, Supervision, SupervisionAnswer
from app.services.cases.lights import light_of
from app.services.cases.reassign import holder_node
from app.services.cases.records import workday_counter
from app.services.complaints.categories import UNANSWERED_STATES
from app.services.errors import PermissionDenied, ValidationError
from app.services.numbering import floor_for, next_number
from app.services.paging import PAGE_SIZE, Page, check_window
from app.services.people.permissions import ISSUE_SUPERVISION, require
from app.services.settings import load_settings
from app.services.supervision.rules import (
    ANSWER,
    CONTENT,
    MAX_ANSWER_DAYS,
    RESULTS,
    STATES,
    TARGETS,
    WARNINGS,
    rule_label,
)

HOLDER = holder_node()  # the node holding a case (app.services.cases.reassign)


@dataclass(frozen=True)
class Target:
    """What a 督办 is about, as the issuing node knows it."""

    kind: str  # case | complaint
    number: str
    window: str
    node: str  # the node holding it: the one that must answer
    colour: str  # its light now: red | yellow | green | none


@dataclass(frozen=True)
class SupervisionItem:
    id: str
    number: str
    target_kind: str
    case_number: str
    content: str
    org_name: str
    issued_at: datetime
    rule_code: str
    warning_type: str
    state_at: datetime
    result: str
    window: str
    to_node: str
    due_date: date
    issued_by_name: str
    auto: bool
    state: str  # pending | answered | overdue
    answer_text: str = ""
    answer_result: str = ""
    answered_at: datetime | None = None
    answered_by: str = ""

    @property
    def rule_label(self) -> str:
        return rule_label(self.rule_code)

    @property
    def warning_label(self) -> str:
        return WARNINGS.get(self.warning_type, self.warning_type)

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def target_label(self) -> str:
        return TARGETS.get(self.target_kind, self.target_kind)

    @property
    def answer_result_label(self) -> str:
        return RESULTS.get(self.answer_result, self.answer_result)


def _today(now: datetime | None) -> date:
    return (now or utc_now()).astimezone().date()


def find_target(db: Database, number: str, now: datetime | None = None) -> Target:
    """The case (or complaint) a 督办 is about, with the node that holds it; a clear refusal if unknown."""
    number = number.strip().upper()
    if not number or len(number) > 24:
        raise ValidationError("请填写办件编号或投诉编号（不超过24个字符）")
    today = _today(now)
    counter = workday_counter(db, today)
    warning_days = load_settings(db).warning_days_number
    with db.session() as s:
        case = s.execute(select(Case.number, Case.staff_workplace, Case.status, Case.due_date,
                                HOLDER.label("holder")).where(Case.number == number)).first()
        if case is not None:
            colour = light_of(case.status, case.due_date, today, counter, warning_days).colour
            return Target("case", case.number, case.staff_workplace, case.holder, colour)
        complaint = s.execute(select(Complaint.number, Complaint.window, Complaint.status, Complaint.due_date,
                                     Complaint.origin_node, Staff.workplace)
                              .outerjoin(Staff, Staff.staff_no == Complaint.staff_no)
                              .where(Complaint.number == number)).first()
    if complaint is None:
        raise ValidationError(f"没有编号为 {number} 的办件或投诉")
    state = "accepted" if complaint.status in UNANSWERED_STATES else "done"
    colour = light_of(state, complaint.due_date, today, counter, warning_days).colour
    return Target("complaint", complaint.number, complaint.window or complaint.workplace or "",
                  complaint.origin_node, colour)


def issue(db: Database, actor: Actor, target_number: str, content: str, answer_by: date,
          now: datetime | None = None) -> SupervisionItem:
    """The director's 督办 about one case or complaint, addressed to the node holding it."""
    require(actor, ISSUE_SUPERVISION)
    now = now or utc_now()
    today = _today(now)
    text = content.strip()
    problems = [problem for problem in (CONTENT.check(text),) if problem]
    if answer_by < today:
        problems.append("答复期限不能早于今天")
    elif answer_by > today + timedelta(days=MAX_ANSWER_DAYS):
        problems.append(f"答复期限不能晚于{MAX_ANSWER_DAYS}天之后")
    if problems:
        raise ValidationError("；".join(problems), problems)
    target = find_target(db, target_number, now)
    with db.session(actor) as s:
        center = s.scalar(select(NodeInfo.center_name).limit(1)) or ""
        row = Supervision(
            number=next_number(s, "supervision", today, floor_for(db.path)), target_kind=target.kind,
            case_number=target.number, content=text, org_name=center[:60], issued_at=now, rule_code="R99",
            warning_type="red" if target.colour == "red" else "yellow", state_at=now,
            result=f"主任督办{TARGETS[target.kind]}{target.number}", window=target.window[:60], to_node=target.node,
            due_date=answer_by, issued_by_no=actor.staff_no[:20], issued_by_name=actor.name[:30], auto=False)
        s.add(row)
        s.flush()
        new_id = row.id
    return get(db, new_id, now)


def answer(db: Database, actor: Actor, supervision_id: str, text: str, result: str,
           now: datetime | None = None) -> SupervisionItem:
    """The addressed window's answer; refused anywhere else, and refused twice."""
    now = now or utc_now()
    body = text.strip()
    if result not in RESULTS:
        raise ValidationError("请选择答复结果（已整改或已说明情况）")
    problem = ANSWER.check(body)
    if problem:
        raise ValidationError(problem)
    with db.session(actor) as s:
        row = s.get(Supervision, supervision_id)
        if row is None:
            raise ValidationError("没有这条督办")
        if row.to_node != db.node_code:
            raise PermissionDenied(f"这条督办发给{row.to_node}号节点，只能由该节点答复")
        done = s.scalar(select(SupervisionAnswer.id).where(SupervisionAnswer.supervision_id == supervision_id,
                                                           SupervisionAnswer.origin_node == db.node_code))
        if done is not None:
            raise ValidationError("这条督办已经答复过了")
        s.add(SupervisionAnswer(supervision_id=supervision_id, answered_at=now, staff_no=actor.staff_no[:20],
                                staff_name=actor.name[:30], text=body, result=result))
    return get(db, supervision_id, now)


def _answer_of() -> Any:
    """The addressed node's answer of each 督办 (its first, should a restored copy have written two)."""
    first = (select(func.min(SupervisionAnswer.id)).where(SupervisionAnswer.supervision_id == Supervision.id,
                                                          SupervisionAnswer.origin_node == Supervision.to_node)
             .correlate(Supervision).scalar_subquery())
    return aliased(SupervisionAnswer), first


def _query(today: date) -> tuple[Select[Any], Any, Any]:
    answer_row, first = _answer_of()
    query = (select(Supervision, answer_row.text, answer_row.result, answer_row.answered_at, answer_row.staff_name)
             .outerjoin(answer_row, answer_row.id == first))
    answered = answer_row.id.is_not(None)
    overdue = and_(answer_row.id.is_(None), Supervision.due_date < today)
    return query, answered, overdue


def _item(row: Any, today: date) -> SupervisionItem:
    sup: Supervision = row[0]
    answered = row.text is not None
    state = "answered" if answered else "overdue" if sup.due_date < today else "pending"
    return SupervisionItem(
        id=sup.id, number=sup.number, target_kind=sup.target_kind, case_number=sup.case_number, content=sup.content,
        org_name=sup.org_name, issued_at=sup.issued_at, rule_code=sup.rule_code, warning_type=sup.warning_type,
        state_at=sup.state_at, result=sup.result, window=sup.window, to_node=sup.to_node, due_date=sup.due_date,
        issued_by_name=sup.issued_by_name, auto=sup.auto, state=state, answer_text=row.text or "",
        answer_result=row.result or "", answered_at=row.answered_at, answered_by=row.staff_name or "")


def get(db: Database, supervision_id: str, now: datetime | None = None) -> SupervisionItem:
    today = _today(now)
    query, _answered, _overdue = _query(today)
    with db.session() as s:
        row = s.execute(query.where(Supervision.id == supervision_id)).first()
    if row is None:
        raise ValidationError("没有这条督办")
    return _item(row, today)


def list_supervisions(db: Database, state: str = "all", *, to_node: str | None = None, window: str | None = None,
                      offset: int = 0, limit: int = PAGE_SIZE, now: datetime | None = None) -> Page[SupervisionItem]:
    """督办 visible here, newest first, filtered by state (pending | answered | overdue | open | all),
    by addressed node or by window; with the true total."""
    check_window(offset, limit)
    today = _today(now)
    query, answered, overdue = _query(today)
    conditions: list[Any] = []
    if state == "answered":
        conditions.append(answered)
    elif state == "overdue":
        conditions.append(overdue)
    elif state == "pending":
        conditions.append(and_(~answered, ~overdue))
    elif state == "open":
        conditions.append(~answered)
    elif state != "all":
        raise ValueError(f"unknown supervision state {state!r}")
    if to_node is not None:
        conditions.append(Supervision.to_node == to_node)
    if window is not None:
        conditions.append(Supervision.window == window)
    query = query.where(*conditions)
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = s.execute(query.order_by(Supervision.issued_at.desc(), Supervision.id)
                         .offset(offset).limit(limit)).all()
    return Page([_item(r, today) for r in rows], total, offset)


def open_here(db: Database, now: datetime | None = None, limit: int = PAGE_SIZE) -> Page[SupervisionItem]:
    """The 督办 addressed to this workstation that are not answered yet: shown at the top of its area."""
    return list_supervisions(db, "open", to_node=db.node_code, limit=limit, now=now)


def unanswered_count(db: Database) -> int:
    """How many 督办 addressed here wait for an answer (the status bar's notice)."""
    answered = select(SupervisionAnswer.id).where(SupervisionAnswer.supervision_id == Supervision.id,
                                                  SupervisionAnswer.origin_node == Supervision.to_node).exists()
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Supervision)
                        .where(Supervision.to_node == db.node_code, ~answered)) or 0


def supervised_numbers(db: Database, numbers: list[str]) -> set[str]:
    """Which of these cases or complaints have an unanswered 督办 (the drill-down marks them)."""
    if not numbers:
        return set()
    answered = select(SupervisionAnswer.id).where(SupervisionAnswer.supervision_id == Supervision.id,
                                                  SupervisionAnswer.origin_node == Supervision.to_node).exists()
    with db.session() as s:
        return set(s.scalars(select(Supervision.case_number).where(Supervision.case_number.in_(numbers),
                                                                   ~answered)))

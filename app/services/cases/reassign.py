"""AB岗: when clerk A is away, A's open cases at this node pass to the backup B (who, when, why, by whom).

Each case gets a `reassigned` event (append-only, like every change of a case); the handling clerk's
columns on case_file (staff_id, staff_no, staff_name) are the cache of the latest one and change in the
same transaction. A case stays at its node: B takes it over here. A's cases held by another window or
agency point are that node's to reassign, or come here only by a hand-over (移交), never by this.
B's lists mark such a case 代A岗 (`stand_in_mark`), until it goes back to the clerk it stood in for.
This module does not import app.services.cases.records, so the case list there may read the marks here.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import Case, CaseEvent, Staff
from app.services.cases.holding import may_act_problem
from app.services.cases.lifecycle import CLOSED_STATES
from app.services.errors import ValidationError
from app.services.field_rules import REASON, Chars, FieldRule
from app.services.people.permissions import REASSIGN_CASES, require

REASSIGNED = "reassigned"  # the event kind, labelled in app.services.cases.history
REASON_RULE = FieldRule("转办原因", REASON, Chars.TEXT, ("case_event.details",))


@dataclass(frozen=True)
class Preview:
    """What a reassignment of A's cases would move: the open cases held here, and those held elsewhere."""

    staff_no: str
    staff_name: str
    here: int  # open cases of A that this node holds: these move
    elsewhere: dict[str, int]  # node code → A's open cases held there (a transfer's business, not ours)


@dataclass(frozen=True)
class Reassigned:
    from_label: str  # "1001李秀兰"
    to_label: str
    numbers: tuple[str, ...]
    in_transit: tuple[str, ...] = ()  # offered to another node and not yet received: left as they are

    @property
    def summary(self) -> str:
        """One line for the status bar and the command line."""
        text = f"已将 {self.from_label} 的 {len(self.numbers)} 件未办结办件转给 {self.to_label}"
        if self.in_transit:
            text += f"；另有 {len(self.in_transit)} 件正在移交途中，未转办"
        return text


def staff_label(staff_no: str, name: str) -> str:
    """How a clerk is named in the history and the 代A岗 mark: number then name, 1001李秀兰."""
    return f"{staff_no}{name}"


def _open() -> ColumnElement[bool]:
    return Case.status.not_in(CLOSED_STATES)


def holder_node() -> ColumnElement[str]:
    """The node holding a case: owner_node, or the accepting node for rows from before it existed."""
    return func.coalesce(func.nullif(Case.owner_node, ""), Case.origin_node)


def _staff(s: Session, staff_no: str, role: str) -> Staff:
    member = s.scalar(select(Staff).where(Staff.staff_no == staff_no.strip()))
    if member is None:
        raise ValidationError(f"没有工号为 {staff_no.strip()} 的{role}")
    return member


def preview(db: Database, staff_no: str) -> Preview:
    """How many of A's open cases this node would move, and how many other nodes hold (for the dialog)."""
    with db.session() as s:
        member = _staff(s, staff_no, "人员")
        counts: dict[str, int] = {node: n for node, n in s.execute(
            select(holder_node(), func.count()).where(Case.staff_no == member.staff_no, _open()).group_by(holder_node()))}
    here = counts.pop(db.node_code, 0)
    return Preview(member.staff_no, member.name, here, {node: n for node, n in sorted(counts.items()) if n})


def _refusal_elsewhere(name: str, elsewhere: dict[str, int]) -> str:
    held = "、".join(f"{node}号节点{n}件" for node, n in elsewhere.items())
    return (f"{name}在本机没有未办结的办件；其未办结办件由其他窗口或代办点持有（{held}）。"
            "跨窗口、代办点转交办件请用“移交”，或在持有办件的工作站办理AB岗转办")


def reassign(db: Database, actor: Actor, from_no: str, to_no: str, reason: str,
             now: datetime | None = None, only: Collection[str] | None = None) -> Reassigned:
    """Move A's open cases held here to B, one `reassigned` event per case; nothing is written on error.

    A director or the administrator does it (REASSIGN_CASES); the reason is required. A may have left
    (an inactive account); B must be active and not A. `only` (case numbers) limits it to those of A's
    cases: a stand-in hands back the cases of a leave (app.services.people.leave_handover), not their own.
    """
    require(actor, REASSIGN_CASES)
    problem = REASON_RULE.check(reason)
    if problem:
        raise ValidationError(problem)
    now = now or utc_now()
    with db.session(actor) as s:
        source = _staff(s, from_no, "离岗人员（A岗）")
        target = _staff(s, to_no, "接手人员（B岗）")
        if source.id == target.id:
            raise ValidationError("接手人员不能是离岗人员本人")
        if not target.active:
            raise ValidationError(f"{target.name}（{target.staff_no}）的账号已停用，不能接手办件")
        cases = list(s.scalars(select(Case).where(Case.staff_no == source.staff_no, _open(),
                                                  holder_node() == db.node_code).order_by(Case.accepted_at, Case.number)))
        if only is not None:
            cases = [c for c in cases if c.number in set(only)]
        if not cases:
            elsewhere = {node: n for node, n in s.execute(
                select(holder_node(), func.count()).where(Case.staff_no == source.staff_no, _open())
                .group_by(holder_node())) if n}
            if elsewhere:
                raise ValidationError(_refusal_elsewhere(source.name, dict(sorted(elsewhere.items()))))
            raise ValidationError(f"{source.name}（{source.staff_no}）没有未办结的办件，无需转办")
        in_transit = [c for c in cases if may_act_problem(s, c, db.node_code)]  # the one rule of who may act
        if len(in_transit) == len(cases):
            raise ValidationError(f"{source.name}的未办结办件都在移交途中，不能转办："
                                  f"{may_act_problem(s, cases[0], db.node_code)}")
        cases = [c for c in cases if c not in in_transit]
        marks = stand_in_marks(s, [c.id for c in cases])
        from_label, to_label = staff_label(source.staff_no, source.name), staff_label(target.staff_no, target.name)
        for case in cases:
            covering = marks.get(case.id) or from_label  # whose post the case belongs to
            details = {"from_staff": from_label, "to_staff": to_label, "reason": reason.strip(),
                       "stand_in_for": "" if covering == to_label else covering}
            s.add(CaseEvent(case_id=case.id, kind=REASSIGNED, at=now, staff_name=actor.name,
                            details=json.dumps(details, ensure_ascii=False, sort_keys=True)))
            case.staff_id, case.staff_no, case.staff_name = target.id, target.staff_no, target.name
        return Reassigned(from_label, to_label, tuple(c.number for c in cases), tuple(c.number for c in in_transit))


def _covering(details: str) -> str:
    loaded = json.loads(details or "{}")
    value = loaded.get("stand_in_for", "") if isinstance(loaded, dict) else ""
    return value if isinstance(value, str) else ""


def stand_in_marks(s: Session, case_ids: Sequence[str]) -> dict[str, str]:
    """Case id → the clerk the case's handler stands in for ("1001李秀兰"), for cases whose latest
    reassignment left them with a stand-in; one query per 500 cases (a page of a list)."""
    marks: dict[str, str] = {}
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        rows = s.execute(select(CaseEvent.case_id, CaseEvent.details).where(
            CaseEvent.case_id.in_(chunk), CaseEvent.kind == REASSIGNED).order_by(CaseEvent.at, CaseEvent.id))
        for case_id, details in rows:  # oldest first: the latest reassignment wins
            marks[case_id] = _covering(details)
    return {case_id: mark for case_id, mark in marks.items() if mark}


def stand_in_for(events: Iterable[tuple[object, str, str, str]]) -> str:
    """From a case's (at, kind, staff, details) events, oldest first (CaseRecord.events): whose post its
    handler holds now ("1001李秀兰"), or "" when the case is with its own clerk."""
    covering = ""
    for _at, kind, _staff, details in events:
        if kind == REASSIGNED:
            covering = _covering(details)
    return covering


def stand_in_mark(covering: str) -> str:
    """The short mark a list shows beside the handler: 代1001李秀兰岗 (empty when not standing in)."""
    return f"代{covering}岗" if covering else ""


def marks_for(db: Database, case_ids: Sequence[str]) -> dict[str, str]:
    """Case id → 代A岗 mark for the cases of one page of a list (only those standing in)."""
    with db.session() as s:
        return {case_id: stand_in_mark(c) for case_id, c in stand_in_marks(s, case_ids).items()}

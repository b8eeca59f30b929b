"""联办件: the lead window hands the case to each co-department and records each reply; and visits a
citizen makes for a case that no other event records (they count as trips).

A hand-over (转办) starts that department's own working days the next day; the lead may decide the
case when every department named at acceptance or handed to has replied, or, without a reply, by
overriding with a reason (`joint_blocker` is the one rule the decision asks). Both are events on the
case, not state changes: the lifecycle table does not see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import Case, CaseEvent
from app.services import field_rules as rules
from app.services.calendar.holidays import load_calendar
from app.services.cases import lifecycle as life
from app.services.cases.history import REPLY_OUTCOMES, event_payload
from app.services.cases.holding import ensure_may_act
from app.services.cases.records import deadline_rules, iso_or_none, record_event
from app.services.errors import ValidationError
from app.services.inquiries.departments import list_departments

HANDED_OVER, REPLIED, VISITED = "joint_handover", "joint_reply", "visited"
MAX_DEPARTMENT_DAYS = 60


@dataclass(frozen=True)
class JointPart:
    """One co-department's share of a 联办件."""

    department: str
    handed_on: date | None
    days: int
    due: date | None  # its own last day: `days` working days from the day after the hand-over
    replied_on: date | None
    outcome: str  # agree / disagree / other ("" before the reply)
    opinion: str

    @property
    def outcome_label(self) -> str:
        return REPLY_OUTCOMES.get(self.outcome, "")

    @property
    def status_label(self) -> str:
        if self.replied_on:
            return f"已回复（{self.outcome_label}）"
        return "已转办，待回复" if self.handed_on else "未转办"


def joint_parts(co_departments: tuple[str, ...], events: tuple[tuple[datetime, str, str, str], ...]) -> list[JointPart]:
    """Each co-department's hand-over and reply, from a case's (at, kind, staff, details) events."""
    parts: dict[str, dict[str, object]] = {d: {} for d in co_departments}
    for _at, kind, _staff, payload in events:
        if kind not in (HANDED_OVER, REPLIED):
            continue
        details = event_payload(payload)
        name = str(details.get("department", ""))
        part = parts.setdefault(name, {})
        if kind == HANDED_OVER:
            part.update(handed_on=details.get("date"), days=details.get("department_days"), due=details.get("department_due"))
        else:
            part.update(replied_on=details.get("date"), outcome=details.get("outcome"), opinion=details.get("opinion"))
    return [JointPart(name, _day(p.get("handed_on")), int(str(p.get("days") or 0)), _day(p.get("due")),
                      _day(p.get("replied_on")), str(p.get("outcome") or ""), str(p.get("opinion") or ""))
            for name, p in parts.items()]


def _day(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def joint_blocker(parts: list[JointPart], approve: bool = True) -> str | None:
    """Why the lead cannot decide yet without a reason: departments that have not replied, and (to
    grant) any that replied 不同意; or None."""
    waiting = [p.department for p in parts if not p.replied_on]
    against = [p.department for p in parts if p.outcome == "disagree"] if approve else []
    problems = ([f"尚未回复的联办部门：{'、'.join(waiting)}"] if waiting else []) + (
        [f"不同意的联办部门：{'、'.join(against)}"] if against else [])
    return "；".join(problems) or None


def _case(s: Session, db: Database, number: str) -> Case:
    case = s.scalar(select(Case).where(Case.number == number.strip()))
    if case is None:
        raise ValidationError(f"没有编号为 {number} 的办件")
    ensure_may_act(s, case, db.node_code)
    return case


# What a case offers besides the lifecycle's steps (the F7 办理 menu asks this, the services check it).
EXTRA_ACTIONS = {"handover": "转办联办部门", "reply": "登记联办部门回复", "visit": "登记来访（计跑动次数）"}


def _joint_refusal(case_class: str, status: str) -> str | None:
    if case_class != "joint":
        return "只有联办件需要转办联办部门"
    if status not in life.OPEN_STATES:
        return f"办件当前为“{life.state_label(status)}”，不能再转办或登记回复"
    return None


def _visit_refusal(status: str) -> str | None:
    if status in life.CLOSED_STATES - {"done"}:
        return f"办件当前为“{life.state_label(status)}”，不再登记来访"
    return None


def extra_actions(case_class: str, status: str) -> list[str]:
    """The extra actions a case of this class in this state offers now."""
    joint_ok = _joint_refusal(case_class, status) is None
    return [a for a in EXTRA_ACTIONS if (joint_ok if a != "visit" else _visit_refusal(status) is None)]


def _open_joint(case: Case) -> None:
    refusal = _joint_refusal(case.case_class, case.status)
    if refusal:
        raise ValidationError(refusal)


def _department(name: str) -> str:
    problem = rules.CO_DEPARTMENT.check(name)
    if problem:
        raise ValidationError(problem)
    return name.strip()


def hand_over(db: Database, actor: Actor, number: str, department: str, on: date, days: int,
              note: str = "", now: datetime | None = None) -> date:
    """转办 to a co-department on `on`; returns that department's due date."""
    name = _department(department)
    if not 1 <= days <= MAX_DEPARTMENT_DAYS:
        raise ValidationError(f"联办部门的办理时限应为1至{MAX_DEPARTMENT_DAYS}个工作日")
    problem = rules.PAUSE_NOTE.with_label("转办说明").check(note, required=False)
    if problem:
        raise ValidationError(problem)
    now = now or utc_now()
    if on > now.astimezone().date():
        raise ValidationError("转办日期不能晚于今天")
    due = load_calendar(db).add(on, days).day
    directory = {d.name for d in list_departments(db)}
    with db.session(actor) as s:
        case = _case(s, db, number)
        _open_joint(case)
        if on < case.accepted_at.astimezone().date():
            raise ValidationError("转办日期不能早于受理日期")
        named = {d for d in case.co_departments.split("、") if d}
        if name not in named | directory:
            raise ValidationError(f"“{name}”既不是受理时登记的联办部门，也不在部门名录中；请先在部门名录（F10）中添加")
        if case.due_date is not None and due > case.due_date:
            raise ValidationError(f"该部门应于{due.isoformat()}前回复，晚于本件承诺办结日期{case.due_date.isoformat()}；"
                                  "请缩短部门时限，或先办理延期")
        handed = s.scalars(select(CaseEvent.details).where(CaseEvent.case_id == case.id,
                                                           CaseEvent.kind == HANDED_OVER)).all()
        if any(event_payload(d).get("department") == name for d in handed):
            raise ValidationError(f"已转办“{name}”，不能重复转办")
        record_event(s, case, HANDED_OVER, now, actor,
                     {"department": name, "date": on.isoformat(), "department_days": days, "department_due": iso_or_none(due),
                      "note": note.strip()}, deadline_rules(db))
    return due


def record_reply(db: Database, actor: Actor, number: str, department: str, on: date, outcome: str,
                 opinion: str, now: datetime | None = None) -> None:
    """A co-department's written reply (答复), after its hand-over."""
    name = _department(department)
    if outcome not in REPLY_OUTCOMES:
        raise ValidationError(f"回复意见应为：{'、'.join(REPLY_OUTCOMES.values())}")
    problem = rules.RESULT.with_label("部门意见").check(opinion)
    if problem:
        raise ValidationError(problem)
    now = now or utc_now()
    if on > now.astimezone().date():
        raise ValidationError("回复日期不能晚于今天")
    with db.session(actor) as s:
        case = _case(s, db, number)
        _open_joint(case)
        rows = s.execute(select(CaseEvent.kind, CaseEvent.details).where(
            CaseEvent.case_id == case.id, CaseEvent.kind.in_((HANDED_OVER, REPLIED)))).all()
        mine = [(kind, event_payload(d)) for kind, d in rows if event_payload(d).get("department") == name]
        handed = next((d for kind, d in mine if kind == HANDED_OVER), None)
        if handed is None:
            raise ValidationError(f"尚未转办“{name}”，请先登记转办")
        if any(kind == REPLIED for kind, _d in mine):
            raise ValidationError(f"“{name}”的回复已登记")
        if on < date.fromisoformat(str(handed["date"])):
            raise ValidationError("回复日期不能早于转办日期")
        record_event(s, case, REPLIED, now, actor, {"department": name, "date": on.isoformat(), "outcome": outcome,
                                                    "opinion": opinion.strip()}, deadline_rules(db))


VISIT_PURPOSES = ("咨询进度", "补充说明", "领取材料", "其他")


def record_visit(db: Database, actor: Actor, number: str, purpose: str, note: str = "",
                 now: datetime | None = None) -> int:
    """A visit for the case that no other event records (跑动次数); returns the case's trips now."""
    if purpose not in VISIT_PURPOSES:
        raise ValidationError(f"来访事由应为：{'、'.join(VISIT_PURPOSES)}")
    problem = rules.PAUSE_NOTE.with_label("来访说明").check(note, required=False)
    if problem:
        raise ValidationError(problem)
    now = now or utc_now()
    with db.session(actor) as s:
        case = _case(s, db, number)
        refusal = _visit_refusal(case.status)
        if refusal:
            raise ValidationError(refusal)
        return record_event(s, case, VISITED, now, actor, {"purpose": purpose, "note": note.strip()},
                            deadline_rules(db)).trips

"""Rectifying bad ratings (差评整改), calling the citizen back (回访) and the staff member's appeal (申诉复核).

Every 不满意/非常不满意 rating opens a rectification in the same transaction as the rating, due the set
number of working days (default 10) after it. Its history is append-only events; the state is their
fold and the status, due date, call-back and exclusion columns are a cache written with each event.
An upheld appeal keeps the rating but leaves it out of every figure (`is_excluded`), recording who
decided and why, and closes the rectification as 无效差评. Ratings are given about a numbered case,
inquiry or notice whose citizen is known, so each bad rating counts as real-name and needs a call-back.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import SYSTEM_ACTOR, Actor
from app.clock import utc_now
from app.database import Database
from app.models.ratings import Rating
from app.models.rectifications import Rectification, RectificationEvent
from app.services.calendar.holidays import load_calendar
from app.services.cases.lights import Light, WorkdayCounter, light_of
from app.services.errors import PermissionDenied, ValidationError
from app.services.event_time import stamp_after_last
from app.services.people.permissions import DECIDE_APPEAL, can, require
from app.services.ratings.codes import BAD_LEVELS
from app.services.settings import load_settings
from app.services.written_here import ensure_written_here

STATES = {"pending": "待核实", "fixing": "整改中", "fixed": "已整改", "unfixable": "无法整改", "invalid": "无效差评"}
OPEN_STATES = frozenset({"pending", "fixing"})
CLOSABLE_STATES = OPEN_STATES | {"unfixable"}
OUTCOMES = {"fixed": "已整改", "unfixable": "无法整改", "invalid": "无效差评"}
MAX_NOTE = 500
MAX_RESULT = 500
MAX_UNTIL_DAYS = 366


@dataclass(frozen=True)
class Fold:
    status: str
    due: date
    called_back: bool
    appeal: str  # "" none, "pending", "upheld", "rejected"
    excluded: bool


def fold(opened_due: date, events: Sequence[tuple[str, dict[str, object]]]) -> Fold:
    """The state after a rectification's events, in order: the one answer every list and command reads."""
    status, due, called_back, appeal, excluded = "pending", opened_due, False, "", False
    for kind, details in events:
        if kind == "verified":
            status = "fixing"
        elif kind == "callback":
            called_back = True
        elif kind == "fixed":
            status = "fixed"
        elif kind == "unfixable":
            status, due = "unfixable", date.fromisoformat(str(details["until"]))
        elif kind == "appealed":
            appeal = "pending"
        elif kind == "appeal_decided":
            appeal = "upheld" if details.get("upheld") else "rejected"
            if appeal == "upheld":
                status, excluded = "invalid", True
    return Fold(status, due, called_back, appeal, excluded)


RECTIFICATION_NAMESPACE = uuid.UUID("3b8e6d0c-91a4-4f57-b2c6-7d05e9a1f4c3")  # fixed for ever: ids depend on it


def rectification_id(rating_id: str) -> str:
    """One id per rating's rectification on every node: should two nodes open it (the case changed
    hands as the rating travelled), the centre sees one record, not two."""
    return str(uuid.uuid5(RECTIFICATION_NAMESPACE, f"rectification:{rating_id}"))


def open_for(s: Session, db: Database, rating: Rating, actor: Actor) -> Rectification | None:
    """Opens the rectification of a bad rating inside the rating's own transaction; None for other levels."""
    if rating.level not in BAD_LEVELS:
        return None
    days = load_settings(db).rectification_days_number
    due = load_calendar(db).add(rating.rated_at.astimezone().date(), days).day
    row = Rectification(id=rectification_id(rating.id), rating_id=rating.id, target_number=rating.target_number,
                        staff_no=rating.staff_no,
                        opened_at=rating.rated_at, due_date=due, status="pending", called_back=False, excluded=False)
    s.add(row)
    s.flush()
    s.add(RectificationEvent(rectification_id=row.id, kind="opened", at=rating.rated_at, staff_name=actor.name,
                             details=json.dumps({"due": due.isoformat(), "by_no": actor.staff_no}, sort_keys=True)))
    s.flush()
    return row


def _events(s: Session, rectification_id: str) -> list[tuple[str, dict[str, object]]]:
    rows = s.execute(select(RectificationEvent.kind, RectificationEvent.details)
                     .where(RectificationEvent.rectification_id == rectification_id)
                     .order_by(RectificationEvent.at, RectificationEvent.created_at))
    return [(kind, json.loads(details)) for kind, details in rows if kind != "opened"]


def _opened_due(s: Session, rectification_id: str) -> date:
    details = s.scalar(select(RectificationEvent.details).where(RectificationEvent.rectification_id == rectification_id,
                                                                RectificationEvent.kind == "opened"))
    return date.fromisoformat(str(json.loads(details or "{}")["due"]))


def _add_event(s: Session, row: Rectification, kind: str, actor: Actor, details: dict[str, object]) -> None:
    at = stamp_after_last(s, RectificationEvent.at, RectificationEvent.rectification_id == row.id, utc_now())
    s.add(RectificationEvent(rectification_id=row.id, kind=kind, at=at, staff_name=actor.name,
                             details=json.dumps({**details, "by_no": actor.staff_no}, ensure_ascii=False,
                                                sort_keys=True)))
    s.flush()


def _append(s: Session, row: Rectification, kind: str, actor: Actor, details: dict[str, object]) -> Fold:
    """Append an event and rewrite the cached columns from the fold, in the caller's transaction."""
    _add_event(s, row, kind, actor, details)
    state = fold(_opened_due(s, row.id), _events(s, row.id))
    row.status, row.due_date, row.called_back, row.excluded = state.status, state.due, state.called_back, state.excluded
    return state


def _find_for_work(s: Session, db: Database, actor: Actor, key: str) -> Rectification:
    """A rectification to verify, call back or close: kept here, and not by the staff member rated —
    the one whose service the citizen found wanting neither checks nor closes it (the appeal is theirs)."""
    row = _find_here(s, db, key)
    if row.staff_no and row.staff_no == actor.staff_no:
        raise PermissionDenied("这是对您本人的差评，核实、回访和整改须由其他工作人员或中心主任办理；您可以申诉")
    return row


def _find_here(s: Session, db: Database, key: str) -> Rectification:
    """The rectification to change: only where it was opened (app.services.written_here)."""
    row = _find(s, key)
    ensure_written_here(db, row.origin_node, "差评整改")
    return row


def _find(s: Session, key: str) -> Rectification:
    """By its id, or by the number of the case, inquiry or notice rated (what a clerk has at hand) when
    that number has one rectification; with two (a bad 首评 and a bad 追评) the id says which."""
    key = key.strip()
    row = s.get(Rectification, key) if key and len(key) <= 36 else None
    if row is None and key and len(key) <= 24:
        found = list(s.scalars(select(Rectification).where(Rectification.target_number == key.upper()).limit(2)))
        if len(found) > 1:
            raise ValidationError(f"{key} 有两条差评整改（首评和追评），请用整改记录的编号（rectifications list 可查）")
        row = found[0] if found else None
    if row is None:
        raise ValidationError(f"未找到编号为 {key[:40]} 的差评整改记录")
    return row


def _text(value: str, label: str, limit: int) -> str:
    text = value.strip()
    if not text or len(text) > limit:
        raise ValidationError(f"{label}应为1至{limit}个字")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        raise ValidationError(f"{label}含有不可见的控制字符")
    return text


def _current(s: Session, row: Rectification) -> Fold:
    return fold(_opened_due(s, row.id), _events(s, row.id))


def verify(db: Database, actor: Actor, key: str, note: str) -> None:
    """待核实 → 整改中: the bad rating was looked into and the fix begins."""
    text = _text(note, "核实情况", MAX_NOTE)
    with db.session(actor) as s:
        row = _find_for_work(s, db, actor, key)
        if row.status != "pending":
            raise ValidationError(f"该差评整改{STATES[row.status]}，不能再核实")
        _append(s, row, "verified", actor, {"note": text})


def callback(db: Database, actor: Actor, key: str, result: str, satisfied: bool) -> None:
    """回访: who called (the actor), when (now), what was said, whether the citizen is satisfied."""
    text = _text(result, "回访情况", MAX_RESULT)
    if not isinstance(satisfied, bool):
        raise ValidationError("请说明群众对回访是否满意")
    with db.session(actor) as s:
        _append(s, _find_for_work(s, db, actor, key), "callback", actor, {"result": text, "satisfied": satisfied})


def close(db: Database, actor: Actor, key: str, outcome: str, note: str, until: date | None = None) -> None:
    """已整改, or 无法整改 with the reason and a new deadline (the citizen is told); 无效差评 comes only
    from an upheld appeal (decide_appeal), so asking for it here without one is refused."""
    if outcome not in OUTCOMES:
        raise ValidationError("整改结果应为：fixed（已整改）、unfixable（无法整改）或 invalid（无效差评）")
    text = _text(note, "整改说明" if outcome != "unfixable" else "无法整改的原因", MAX_NOTE)
    today = utc_now().astimezone().date()
    if outcome != "unfixable" and until is not None:
        raise ValidationError("只有“无法整改”需要填写新的整改期限")
    if outcome == "unfixable" and until is not None and not today <= until <= today + timedelta(days=MAX_UNTIL_DAYS):
        raise ValidationError("新的整改期限应在今天之后一年之内")
    with db.session(actor) as s:
        row = _find_for_work(s, db, actor, key)
        state = _current(s, row)
        if outcome == "invalid":
            if state.appeal != "upheld":
                raise ValidationError("只有申诉复核认定后才能定为无效差评")
            raise ValidationError("该差评已因申诉成立定为无效差评")
        if row.status not in CLOSABLE_STATES:  # 无法整改 may yet be fixed, or given another deadline
            raise ValidationError(f"该差评整改{STATES[row.status]}，不能再办结")
        if state.appeal == "pending":
            raise ValidationError("该差评正在申诉复核，待中心主任决定后再办结")
        if outcome == "fixed":
            _append(s, row, "fixed", actor, {"note": text})
        else:
            new_due = until or load_calendar(db).add(today, load_settings(db).rectification_days_number).day
            if new_due <= state.due:
                raise ValidationError(f"新的整改期限应晚于原期限 {state.due.isoformat()}")
            _append(s, row, "unfixable", actor, {"note": text, "until": new_due.isoformat()})


def appeal(db: Database, actor: Actor, key: str, reason: str, evidence: str = "") -> None:
    """申诉: the staff member rated (or someone on their behalf) asks the director to find the rating invalid."""
    text = _text(reason, "申诉理由", MAX_NOTE)
    proof = evidence.strip()
    if len(proof) > MAX_NOTE:
        raise ValidationError(f"申诉证据说明不能超过{MAX_NOTE}个字")
    with db.session(actor) as s:
        row = _find_here(s, db, key)
        if actor.staff_no != row.staff_no and not can(actor, DECIDE_APPEAL):
            raise PermissionDenied("只有被评价人本人（或由中心主任代为）可以申诉")
        state = _current(s, row)
        if state.appeal in {"pending", "upheld"}:
            raise ValidationError("该差评已申诉，不能重复申诉")
        if row.status not in OPEN_STATES | {"unfixable"}:
            raise ValidationError(f"该差评整改{STATES[row.status]}，不能再申诉")
        _append(s, row, "appealed", actor, {"reason": text, "evidence": proof})


def decide_appeal(db: Database, actor: Actor, key: str, upheld: bool, reason: str) -> None:
    """The director's decision; upheld: the rating is kept but excluded from every figure, and the
    rectification closes as 无效差评 — who decided and why stay in its history."""
    require(actor, DECIDE_APPEAL)
    text = _text(reason, "复核意见", MAX_NOTE)
    with db.session(actor) as s:
        row = _find(s, key)
        if _current(s, row).appeal != "pending":
            raise ValidationError("该差评没有待复核的申诉")
        if row.origin_node and row.origin_node != db.node_code:
            # At the director's own workstation: the decision is an event of this node's, which the
            # centre passes to the node keeping the rectification; that node folds it in (upkeep.py).
            _add_event(s, row, "appeal_decided", actor, {"upheld": bool(upheld), "reason": text})
            return
        _append(s, row, "appeal_decided", actor, {"upheld": bool(upheld), "reason": text})


def refold_here(db: Database) -> int:
    """Rectifications kept here that received another node's event (a director's decision): their
    cached state rewritten from the whole history, as their keeper. How many changed."""
    foreign = select(RectificationEvent.rectification_id).where(RectificationEvent.origin_node != db.node_code)
    changed = 0
    with db.session(SYSTEM_ACTOR) as s:
        for row in s.scalars(select(Rectification).where(Rectification.origin_node == db.node_code,
                                                         Rectification.id.in_(foreign))):
            state = _current(s, row)
            cached = (row.status, row.due_date, row.called_back, row.excluded)
            if cached != (state.status, state.due, state.called_back, state.excluded):
                row.status, row.due_date, row.called_back, row.excluded = (state.status, state.due,
                                                                           state.called_back, state.excluded)
                changed += 1
    return changed


def is_excluded(db: Database, rating_id: str) -> bool:
    """Whether an upheld appeal left this rating out of every figure."""
    with db.session() as s:
        return bool(s.scalar(select(Rectification.excluded).where(Rectification.rating_id == rating_id)))


@dataclass(frozen=True)
class RectificationRow:
    id: str
    rating_id: str
    target_number: str
    staff_no: str
    level: int
    status: str
    due_date: date
    called_back: bool
    excluded: bool
    light: Light

    @property
    def status_label(self) -> str:
        return STATES.get(self.status, self.status)


def list_rectifications(db: Database, only_missing_callback: bool = False) -> list[RectificationRow]:
    """Every rectification, oldest first, with its light (open ones light like cases)."""
    today = utc_now().astimezone().date()
    settings = load_settings(db)
    counter = WorkdayCounter(load_calendar(db), today)
    query = (select(Rectification, Rating.level).join(Rating, Rating.id == Rectification.rating_id)
             .order_by(Rectification.opened_at, Rectification.target_number, Rectification.id))
    if only_missing_callback:
        query = query.where(Rectification.called_back.is_(False), Rectification.excluded.is_(False))
    with db.session() as s:
        rows = s.execute(query).all()
    return [RectificationRow(r.id, r.rating_id, r.target_number, r.staff_no, level, r.status, r.due_date,
                             r.called_back, r.excluded,
                             light_of("accepted" if r.status in OPEN_STATES | {"unfixable"} else "done",
                                      r.due_date, today, counter, settings.warning_days_number))
            for r, level in rows]


def missing_callbacks(db: Database) -> list[RectificationRow]:
    """The director's list: real-name bad ratings nobody has called back yet (an excluded one needs none)."""
    return list_rectifications(db, only_missing_callback=True)


def history(db: Database, key: str) -> list[tuple[datetime, str, str, dict[str, object]]]:
    """A rectification's events (when, kind, who, details), in order."""
    with db.session() as s:
        row = _find(s, key)
        return [(at, kind, name, json.loads(details)) for at, kind, name, details in s.execute(
            select(RectificationEvent.at, RectificationEvent.kind, RectificationEvent.staff_name,
                   RectificationEvent.details).where(RectificationEvent.rectification_id == row.id)
            .order_by(RectificationEvent.at, RectificationEvent.created_at))]

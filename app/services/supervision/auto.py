"""Automatic supervision records (电子监察): overdue cases, extensions asked after the deadline, refusals
without a reason.

Run after every sync, at start-up and by `supervision scan`, on any node: only the node holding a case
writes its records, each with the one id (case, rule) has everywhere (uuid5, as the default ratings do), so
a second run, a replica or a restored backup finds it already there. The lifecycle refuses a late
extension and a refusal without a reason today; cases imported or recorded before it (or by an older
version) may still have them, which is what R02 and R03 look for. Each record is addressed to the node
holding the case, so its window answers it like a director's 督办.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from app.actor import SYSTEM_ACTOR
from app.clock import utc_now
from app.database import Database
from app.models import Case, CaseEvent, NodeInfo, Supervision
from app.models.tracking import insert_tracked
from app.services.calendar.holidays import load_calendar
from app.services.cases.lifecycle import BY_ACTION
from app.services.cases.lights import LIT_STATES, overdue_days
from app.services.cases.reassign import holder_node
from app.services.cases.records import workday_counter
from app.services.supervision.rules import AUTO_ANSWER_WORKDAYS, RULES, auto_id

HOLDER = holder_node()  # the node holding a case (app.services.cases.reassign)
EXTENSION_LABEL = BY_ACTION["extended"].label


@dataclass(frozen=True)
class ScanResult:
    overdue: int  # R01 written by this run
    late_extension: int  # R02
    no_reason: int  # R03

    @property
    def total(self) -> int:
        return self.overdue + self.late_extension + self.no_reason


@dataclass(frozen=True)
class _Finding:
    rule: str
    number: str
    window: str
    content: str
    result: str
    warning: str
    arose: datetime  # 状态产生时间
    origin: str  # the node that accepted the case (this node holds it now, perhaps handed over)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def _overdue(db: Database, today: date) -> list[_Finding]:
    counter = workday_counter(db, today)
    with db.session() as s:
        rows = s.execute(select(Case.number, Case.staff_workplace, Case.due_date, Case.origin_node).where(
            Case.status.in_(LIT_STATES), Case.due_date < today, HOLDER == db.node_code)).all()
    found = []
    for r in rows:
        days = overdue_days(r.due_date, today, counter)
        found.append(_Finding(
            "R01", r.number, r.staff_workplace,
            f"办件 {r.number} 已超过办结期限（应于{r.due_date.isoformat()}办结），请尽快办结并说明超期原因",
            f"超期未办结，截至{today.isoformat()}超期{days}个工作日", "red", _start_of(r.due_date + timedelta(days=1)), r.origin_node))
    return found


def _late_extensions(db: Database) -> list[_Finding]:
    """An extension recorded on a day after the due date it extended (the 'from' of its recomputation)."""
    extended = select(CaseEvent.case_id).where(CaseEvent.kind == "extended")
    with db.session() as s:
        rows = s.execute(select(Case.id, Case.number, Case.staff_workplace, CaseEvent.kind, CaseEvent.at,
                                CaseEvent.details, Case.origin_node)
                         .join(CaseEvent, CaseEvent.case_id == Case.id)
                         .where(HOLDER == db.node_code, Case.id.in_(extended),
                                CaseEvent.kind.in_(("extended", "deadline_recomputed")))
                         ).all()
    found: dict[str, _Finding] = {}
    asked: dict[str, datetime] = {}  # case → the extension waiting for its recomputation
    for r in sorted(rows, key=lambda r: (r.id, r.at, r.kind != "extended")):  # an extension before its recount
        if r.kind == "extended":
            asked[r.id] = r.at
            continue
        at = asked.pop(r.id, None)
        details = _details(r.details)
        if at is None or details.get("reason") != EXTENSION_LABEL or r.number in found:
            continue
        before = _date(details.get("from"))
        day = at.astimezone().date()
        if before is not None and day > before:
            found[r.number] = _Finding(
                "R02", r.number, r.staff_workplace,
                f"办件 {r.number} 于{day.isoformat()}批准延期，晚于原办结期限{before.isoformat()}，属超期后申请延期，请说明原因",
                f"超期后申请延期（原期限{before.isoformat()}，申请于{day.isoformat()}）", "yellow", at, r.origin_node)
    return list(found.values())


def _no_reason(db: Database) -> list[_Finding]:
    """不予受理 without its reason on the case, and 不予许可 events without a reason."""
    found: dict[str, _Finding] = {}
    with db.session() as s:
        rejected = s.execute(select(Case.number, Case.staff_workplace, Case.accepted_at, Case.origin_node).where(
            HOLDER == db.node_code, or_(Case.case_class == "rejected", Case.status == "rejected"),
            func.trim(Case.rejection_reason) == "")).all()
        denied = s.execute(select(Case.number, Case.staff_workplace, CaseEvent.at, CaseEvent.details, Case.origin_node)
                           .join(CaseEvent, CaseEvent.case_id == Case.id)
                           .where(HOLDER == db.node_code, CaseEvent.kind == "denied")).all()
    for r in rejected:
        found[r.number] = _Finding("R03", r.number, r.staff_workplace,
                                   f"办件 {r.number} 不予受理，未写明理由和依据，请补正说明",
                                   "不予受理未说明理由", "red", r.accepted_at, r.origin_node)
    for d in denied:
        reason = _details(d.details).get("reason")
        if d.number not in found and not (isinstance(reason, str) and reason.strip()):
            found[d.number] = _Finding("R03", d.number, d.staff_workplace,
                                       f"办件 {d.number} 不予许可，未写明理由和依据，请补正说明",
                                       "不予许可未说明理由", "red", d.at, d.origin_node)
    return list(found.values())


def _details(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _rows(db: Database, findings: list[_Finding], now: datetime) -> list[dict[str, Any]]:
    # A case handed over from the node that accepted it: its holder's record has an id of its own (the
    # accepting node's record of the same case, kept by that node, would otherwise be overwritten).
    ids = {auto_id(f.rule, f.number if f.origin == db.node_code else f"{f.number}@{db.node_code}"): f
           for f in findings}
    if not ids:
        return []
    with db.session() as s:
        existing = set()
        keys = list(ids)
        for start in range(0, len(keys), 500):
            existing |= set(s.scalars(select(Supervision.id).where(Supervision.id.in_(keys[start:start + 500]))))
        center = s.scalar(select(NodeInfo.center_name).limit(1)) or ""
    today = now.astimezone().date()
    answer_by = load_calendar(db).add(today, AUTO_ANSWER_WORKDAYS).day
    rows = []
    for key, f in ids.items():
        if key in existing:
            continue
        rows.append({"id": key, "number": f"DB{f.rule}{f.number}"[:30], "target_kind": "case",
                     "case_number": f.number, "content": f.content, "org_name": center[:60], "issued_at": now,
                     "rule_code": f.rule, "warning_type": f.warning, "state_at": f.arose, "result": f.result[:200],
                     "window": f.window[:60], "to_node": db.node_code, "due_date": answer_by,
                     "issued_by_no": "system", "issued_by_name": "电子监察", "auto": True})
    return rows


def scan(db: Database, now: datetime | None = None) -> ScanResult:
    """Write the automatic records this node owes; how many of each rule this run wrote."""
    now = now or utc_now()
    today = now.astimezone().date()
    for attempt in range(2):
        findings = _overdue(db, today) + _late_extensions(db) + _no_reason(db)
        rows = _rows(db, findings, now)
        try:
            with db.session(SYSTEM_ACTOR) as s:
                if rows:
                    insert_tracked(s, Supervision, rows)
        except IntegrityError:  # another run wrote some meanwhile: look again, write the rest
            if attempt:
                raise
            continue
        counts = {rule: sum(1 for r in rows if r["rule_code"] == rule) for rule in RULES}
        return ScanResult(counts["R01"], counts["R02"], counts["R03"])
    return ScanResult(0, 0, 0)

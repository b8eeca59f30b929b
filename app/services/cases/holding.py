"""Who may act on a case now: the node that holds it, and only while no hand-over of it is open.

The one rule every action checks (decide, deliver, pause, extend, supplement, 联办, visits, the
calendar's recomputation); the centre enforces the same for what nodes send it
(app.center.handover). Kept apart from app.services.cases.transfers, which moves cases, so that every
service can ask without importing the transfer machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.models import Case, CaseEvent, SyncIssue
from app.services.errors import ValidationError
from app.sync.handover import KINDS, OFFERED, read_event


@dataclass(frozen=True)
class Offer:
    """An offer still waiting for its receiver."""

    event_id: str
    batch: str
    from_node: str
    to_node: str
    is_return: bool
    at: datetime



def refused_events() -> Select[str]:
    """The ids of this node's case events the centre refused (quarantined): they are not part of the
    case's record, so no projection, hand-over or ledger counts them."""
    return select(SyncIssue.row_id).where(SyncIssue.table_name == "case_event")


def holder(case: Case) -> str:
    return case.owner_node or case.origin_node


def open_offer(s: Session, case: Case) -> Offer | None:
    """The case's offer that no receipt or cancellation has settled (order-free: they name the offer),
    made by the node that holds the case and not refused by the centre."""
    rows = s.execute(select(CaseEvent.id, CaseEvent.kind, CaseEvent.at, CaseEvent.details, CaseEvent.origin_node)
                     .where(CaseEvent.case_id == case.id, CaseEvent.kind.in_(KINDS))
                     .order_by(CaseEvent.at, CaseEvent.id)).all()
    events = [(r, read_event(r.kind, r.id, case.id, r.details)) for r in rows]
    settled = {e.offer for _r, e in events if e is not None and e.kind != OFFERED}
    offers = [(r, e) for r, e in events if e is not None and e.kind == OFFERED and e.offer not in settled
              and r.origin_node == holder(case)]
    if offers:  # an offer the centre refused (shown under 被退回的记录) does not hold the case back
        refused = set(s.scalars(refused_events().where(SyncIssue.row_id.in_([r.id for r, _e in offers]))))
        offers = [(r, e) for r, e in offers if r.id not in refused]
    if not offers:
        return None
    row, event = offers[-1]
    return Offer(event.event_id, event.batch, row.origin_node, event.to_node, event.is_return, row.at)


def may_act_problem(s: Session, case: Case, node: str) -> str | None:
    """Why this node may not act on the case now, or None: the one rule every action checks."""
    if holder(case) != node:
        return f"办件 {case.number} 现由{holder(case)}号节点办理，本机不能办理"
    offer = open_offer(s, case)
    if offer is not None:
        return (f"办件 {case.number} 已移交给{offer.to_node}号节点（批次 {offer.batch}），等待对方接收；"
                "撤销移交前本机不能办理")
    return None


def ensure_may_act(s: Session, case: Case, node: str) -> None:
    why = may_act_problem(s, case, node)
    if why:
        raise ValidationError(why)

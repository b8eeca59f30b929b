"""The tickets this window called from the hall's queue, and the records the clerk made while serving one.

The centre keeps the queue itself (app.center.queue); a window keeps its own copy of every ticket it called
(queue_visit), owned by this node and replicated up like a notice, so the clerk's current ticket, the links
and the wait and service times are here even when the centre is away, and the figures count them where the
records are. A record (首问, 告知书, 办件, 评价) created on this node while a ticket is being served is linked
to it by the flush hook below, in the same transaction as the record: no service has to remember to do it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Index, Integer, String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.actor import Actor
from app.clock import utc_now
from app.models.base import Base, Replicated, UtcDateTime
from app.models.cases import Case
from app.models.inquiry import Inquiry, Notice
from app.models.ratings import Rating
from app.models.tracking import INSERT_HOOKS, TrackedRows, TrackedSession

OPEN = ("called", "serving")  # a visit in one of these is the window's current ticket
LINKED_KINDS: dict[type[Any], str] = {Inquiry: "inquiry", Notice: "notice", Case: "case", Rating: "rating"}


class QueueVisit(Replicated, Base):
    """One ticket called at this window: its times as the centre gave them, and how it ended here."""

    __tablename__ = "queue_visit"
    __table_args__ = (Index("ix_queue_visit_called_stats", "called_at", "status", "staff_no", "origin_node"),
                      Index("ix_queue_visit_open", "status"))

    ticket_id: Mapped[str] = mapped_column(String(36), index=True)  # the centre's ticket
    number: Mapped[str] = mapped_column(String(8))
    day: Mapped[date] = mapped_column(Date)  # numbers restart daily: number + day names the ticket
    category: Mapped[str] = mapped_column(String(20))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    appointment: Mapped[str] = mapped_column(String(24), default="")
    ahead: Mapped[int] = mapped_column(Integer, default=0)
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime())
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime())  # taken, or put into this queue by a transfer
    called_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    status: Mapped[str] = mapped_column(String(12))
    recalls: Mapped[int] = mapped_column(Integer, default=0)
    window_name: Mapped[str] = mapped_column(String(60), default="")  # the centre's name of this node
    window: Mapped[str] = mapped_column(String(60), default="")  # the clerk's window, as cases and ratings name it
    staff_no: Mapped[str] = mapped_column(String(20))
    staff_name: Mapped[str] = mapped_column(String(30))


class QueueLink(Replicated, Base):
    """A record the clerk made while serving a ticket: which ticket it was for."""

    __tablename__ = "queue_link"

    visit_id: Mapped[str] = mapped_column(String(36), index=True)
    ticket_number: Mapped[str] = mapped_column(String(8))
    record_kind: Mapped[str] = mapped_column(String(8))  # inquiry | notice | case | rating
    record_number: Mapped[str] = mapped_column(String(24), index=True)


def _record_number(obj: Any) -> str:
    return str(obj.target_number if isinstance(obj, Rating) else obj.number)


def _serving(session: Session) -> QueueVisit | None:
    """The ticket the logged-in clerk is serving at this node now, if any."""
    node = session.info.get("node_code")
    actor = session.info.get("actor")
    if not node or not isinstance(actor, Actor) or actor.staff_id is None:
        return None
    with session.no_autoflush:
        return session.scalar(select(QueueVisit).where(QueueVisit.origin_node == node, QueueVisit.status.in_(OPEN),
                                                       QueueVisit.staff_no == actor.staff_no)
                              .order_by(QueueVisit.called_at.desc()).limit(1))


def _now_serving(visit: QueueVisit) -> None:
    if visit.status == "called":
        visit.status = "serving"
        visit.updated_at = utc_now()


def _link_new_records(session: Session, _ctx: Any, _instances: Any) -> None:
    """Before change capture sees the flush (registered first), so the links replicate with the records."""
    new = [o for o in session.new if type(o) in LINKED_KINDS]
    visit = _serving(session) if new else None
    if visit is None:
        return
    for obj in new:
        session.add(QueueLink(visit_id=visit.id, ticket_number=visit.number, record_kind=LINKED_KINDS[type(obj)],
                              record_number=_record_number(obj)))
    _now_serving(visit)


def _link_inserted(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> list[TrackedRows]:
    """The same for records written through Core (an acceptance: app.models.tracking.insert_tracked)."""
    kind = LINKED_KINDS.get(model)
    visit = _serving(session) if kind and rows else None
    if visit is None:
        return []
    _now_serving(visit)
    session.flush()  # the visit's change is captured like any other
    return [(QueueLink, [{"visit_id": visit.id, "ticket_number": visit.number, "record_kind": kind,
                          "record_number": str(row.get("target_number") if model is Rating else row.get("number"))}
                         for row in rows])]


event.listen(TrackedSession, "before_flush", _link_new_records, insert=True)
INSERT_HOOKS.append(_link_inserted)

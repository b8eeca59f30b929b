"""The tickets this window called, kept on this workstation: the current one, and how each ended.

The centre's answer to every call is written here (QueueVisit, one row per ticket per window), so the
window knows what it is serving without asking the centre, and the records the clerk makes meanwhile are
linked to it (app.models.queue). When the centre is unreachable the clerk can still end the ticket here
(`finish_here`): the service time is kept, and the ticket is noted in this database's local app_meta
(never replicated) until the centre has been told (app.services.queue.client.catch_up). A window holds
at most one called ticket at the centre, so one note is enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import AppMeta
from app.models.queue import OPEN, QueueLink, QueueVisit
from app.services.queue.model import Ticket


def _to_ticket(row: QueueVisit) -> Ticket:
    return Ticket(number=row.number, category=row.category, taken_at=row.taken_at, ahead=row.ahead,
                  priority=row.priority, appointment=row.appointment, status=row.status, window=row.origin_node,
                  window_name=row.window_name, called_at=row.called_at, recalls=row.recalls,
                  finished_at=row.finished_at)


def remember(db: Database, actor: Actor, ticket: Ticket, ticket_id: str, queued_at: datetime) -> None:
    """Write the centre's answer about a ticket this window called (its first call inserts the row)."""
    if not ticket.window or ticket.called_at is None:
        return
    with db.session(actor) as s:
        row = s.scalar(select(QueueVisit).where(QueueVisit.ticket_id == ticket_id,
                                                QueueVisit.origin_node == db.node_code)
                       .order_by(QueueVisit.called_at.desc()).limit(1))
        if ticket.window != db.node_code:
            if row is not None and row.status in OPEN:  # transferred away: ends here
                row.status = "transferred"
                row.finished_at = utc_now()
            return
        if row is None or (row.status not in OPEN and ticket.status in ("called", "serving")):
            row = QueueVisit(ticket_id=ticket_id, number=ticket.number, day=ticket.taken_at.astimezone().date(),
                             category=ticket.category, priority=ticket.priority, appointment=ticket.appointment[:24],
                             ahead=ticket.ahead, taken_at=ticket.taken_at, queued_at=queued_at,
                             called_at=ticket.called_at, status="called", recalls=0,
                             window_name=ticket.window_name[:60],
                             window=(actor.workplace or ticket.window_name)[:60], staff_no=actor.staff_no[:20],
                             staff_name=actor.name[:30])
            s.add(row)
        status = ticket.status
        if status == "called" and row.status == "serving":
            status = "serving"  # the centre does not know what was recorded here
        row.status = status
        row.recalls = ticket.recalls
        row.category = ticket.category
        if ticket.status not in OPEN:  # a time kept here (finished while the centre was away) stays
            row.finished_at = row.finished_at or ticket.finished_at or utc_now()


def current(db: Database) -> Ticket | None:
    """The ticket this window is serving: the newest of its open visits."""
    with db.session() as s:
        row = s.scalar(select(QueueVisit).where(QueueVisit.origin_node == db.node_code, QueueVisit.status.in_(OPEN))
                       .order_by(QueueVisit.called_at.desc()).limit(1))
        return _to_ticket(row) if row else None


PENDING_KEY = "queue_finish_pending"


@dataclass(frozen=True)
class Pending:
    """A ticket finished here that the centre has not been told of yet."""

    day: date
    number: str
    finished_at: datetime


def finish_here(db: Database, actor: Actor, number: str) -> Ticket | None:
    """End the current ticket on this workstation alone (the centre is away): its service time counts, and
    the note for the centre is written in the same transaction."""
    with db.session(actor) as s:
        row = s.scalar(select(QueueVisit).where(QueueVisit.origin_node == db.node_code, QueueVisit.number == number,
                                                QueueVisit.status.in_(OPEN)).order_by(QueueVisit.called_at.desc()))
        if row is None:
            return None
        row.status = "done"
        row.finished_at = utc_now()
        note = f"{row.day.isoformat()}|{row.number}|{row.finished_at.isoformat()}"
        kept = s.get(AppMeta, PENDING_KEY)
        if kept is None:
            s.add(AppMeta(key=PENDING_KEY, value=note))
        else:
            kept.value = note
        s.flush()
        return _to_ticket(row)


def pending(db: Database) -> Pending | None:
    """The ticket finished here while the centre was away, if the centre has not been told yet."""
    with db.session() as s:
        note = s.scalar(select(AppMeta.value).where(AppMeta.key == PENDING_KEY))
    try:
        day, number, at = (note or "").split("|")
        return Pending(date.fromisoformat(day), number, datetime.fromisoformat(at))
    except ValueError:
        return None


def forget_pending(db: Database) -> None:
    with db.session() as s:
        s.execute(delete(AppMeta).where(AppMeta.key == PENDING_KEY))


def links(db: Database, number: str) -> list[tuple[str, str]]:
    """(kind, record number) of what was recorded while serving this window's newest visit of `number`."""
    with db.session() as s:
        visit = s.scalar(select(QueueVisit.id).where(QueueVisit.origin_node == db.node_code,
                                                     QueueVisit.number == number)
                         .order_by(QueueVisit.called_at.desc()).limit(1))
        if visit is None:
            return []
        rows = s.execute(select(QueueLink.record_kind, QueueLink.record_number)
                         .where(QueueLink.visit_id == visit).order_by(QueueLink.created_at, QueueLink.id))
        return [(r.record_kind, r.record_number) for r in rows]

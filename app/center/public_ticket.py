"""What the public page shows for a queue ticket (`/t/<number>`, the QR code on the kiosk's ticket).

Ticket numbers restart every day, so the page is day-scoped: /t/A012 is today's A012. It shows what the
hall display shows anyway (the category, whether and to which window it was called) and how many in its
category are ahead of it now, in the order windows call (priority first, then by joining the queue): no
personal data, so no code is asked; the page counts look-ups per address instead (app.center.public).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, and_, func, or_, select

from app.center.queue_tables import queue_ticket
from app.center.schema import center_node


@dataclass(frozen=True)
class TicketView:
    number: str
    category: str
    priority: bool
    taken_at: datetime
    status: str  # waiting | called | done | skipped
    ahead: int  # waiting before it in its category now (0 unless waiting)
    window_name: str  # the window calling (or that called) it
    called_at: datetime | None


def ticket_view(engine: Engine, number: str, day: date) -> TicketView | None:
    t = queue_ticket.c
    with engine.connect() as conn:
        row = conn.execute(select(queue_ticket).where(t.day == day, t.number == number)).first()
        if row is None:
            return None
        ahead = 0
        if row.status == "waiting":
            earlier = or_(t.queued_at < row.queued_at, and_(t.queued_at == row.queued_at, t.number < row.number))
            same = t.priority.is_(True) if row.priority else t.priority.is_(False)
            before = and_(same, earlier) if row.priority else or_(t.priority.is_(True), and_(same, earlier))
            ahead = int(conn.execute(select(func.count()).select_from(queue_ticket).where(
                t.day == day, t.category == row.category, t.status == "waiting", before)).scalar_one())
        name = ""
        if row.window:
            name = conn.execute(select(center_node.c.node_name).where(center_node.c.node_code == row.window)
                                ).scalar() or f"{row.window}号窗口"
    return TicketView(row.number, row.category, row.priority, row.taken_at, row.status, ahead, name, row.called_at)

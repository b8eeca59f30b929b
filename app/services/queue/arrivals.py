"""An appointment that checked in at the kiosk becomes 到达 on the workstation that booked it.

The centre issues the priority ticket by the rule of 到达 but never writes the booking workstation's row.
The window that calls the ticket checks the appointment in when it booked it (the usual case: the
citizen booked this window), at the time the citizen checked in at the kiosk, and offers the acceptance
or the 首问 pre-filled as the 预约 screen's 到达 does. A booking workstation that did not call the ticket
asks the centre at its next sync (`take_in_arrivals`), so its 预约 screen and the figures show the arrival.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.actor import SYSTEM_ACTOR, Actor
from app.clock import local_now
from app.database import Database
from app.models import Appointment
from app.services.appointments.booking import AppointmentRecord
from app.services.appointments.checkin import arrived_at_kiosk
from app.services.queue import client
from app.services.queue.model import QueueUnavailable, Ticket
from app.services.queue.rules import APPOINTMENT

log = logging.getLogger(__name__)
ARRIVAL_DAYS = 7  # as the centre answers (app.center.queue.arrivals)


@dataclass(frozen=True)
class Called:
    ticket: Ticket | None  # None: nobody waits
    arrival: AppointmentRecord | None  # the ticket's appointment, booked here and now 到达


def check_in_called(db: Database, actor: Actor, ticket: Ticket) -> AppointmentRecord | None:
    """The called ticket's appointment, checked in at the kiosk's time, when it was booked here."""
    if not ticket.appointment:
        return None
    return arrived_at_kiosk(db, actor, ticket.appointment, ticket.taken_at)


def call(db: Database, actor: Actor) -> Called:
    """叫号 at the window, and 到达 for an appointment booked here."""
    ticket = client.call_next(db, actor)
    return Called(ticket, check_in_called(db, actor, ticket) if ticket else None)


def _waiting_here(db: Database) -> bool:
    """Whether this workstation keeps a visit appointment still booked for the last days (else nothing to ask)."""
    today = local_now().date()
    with db.session() as s:
        found = s.scalar(select(func.count()).select_from(Appointment).where(
            Appointment.origin_node == db.node_code, Appointment.status == "booked", Appointment.kind == "visit",
            Appointment.day > today - timedelta(days=ARRIVAL_DAYS), Appointment.day <= today))
    return bool(found)


def take_in_arrivals(db: Database) -> int:
    """At sync: the appointments booked here that checked in at the kiosk are marked 到达 (by the system,
    at the kiosk's time). How many; 0 without asking when none is booked, or when the centre is away."""
    if not _waiting_here(db):
        return 0
    try:
        reply = client.ask(db, "/v1/queue/arrivals", {})
    except QueueUnavailable as exc:
        log.info("arrivals not read: %s", exc.message)
        return 0
    items = reply.get("arrivals")
    taken = 0
    for item in items[:200] if isinstance(items, list) else []:
        try:
            number, at = str(item["appointment"])[:24], datetime.fromisoformat(str(item["taken_at"])[:40])
        except (KeyError, TypeError, ValueError):
            continue
        if APPOINTMENT.match(number) and at.tzinfo is not None and arrived_at_kiosk(db, SYSTEM_ACTOR, number, at):
            taken += 1
    return taken

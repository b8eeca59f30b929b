"""The hall's queue at the centre: its categories and the day's tickets (never replicated; the centre's own).

Every window of the hall shares one queue, so it lives here and windows reach it over the sync channel.
A category's tickets start with its prefix letter and are numbered per day (queue_counter); `windows` lists
the node codes that serve it, empty meaning every window.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Index, Integer, String, Table, Text, UniqueConstraint, text

from app.center.schema import REPLICA, metadata
from app.models.base import UtcDateTime

queue_category = Table(
    "queue_category", metadata,
    Column("name", String(20), primary_key=True),
    Column("prefix", String(1), nullable=False),
    Column("windows", Text, nullable=False, server_default=""),  # "01,03"; "" = every window
    Column("position", Integer, nullable=False, server_default="0"),
    UniqueConstraint("prefix", name="uq_queue_category_prefix"),
)

queue_counter = Table(
    "queue_counter", metadata,
    Column("day", Date, primary_key=True),
    Column("prefix", String(1), primary_key=True),
    Column("last", Integer, nullable=False),
)

queue_ticket = Table(
    "queue_ticket", metadata,
    Column("id", String(36), primary_key=True),
    Column("day", Date, nullable=False),
    Column("number", String(8), nullable=False),
    Column("category", String(20), nullable=False),
    Column("priority", Boolean, nullable=False, server_default=text("false")),
    Column("appointment", String(24), nullable=False, server_default=""),
    Column("ahead", Integer, nullable=False, server_default="0"),
    Column("taken_at", UtcDateTime(), nullable=False),
    Column("taken_by", String(2), nullable=False),  # the kiosk's node
    Column("queued_at", UtcDateTime(), nullable=False),  # taken, or moved here by a transfer
    Column("status", String(12), nullable=False),  # waiting | called | done | skipped
    Column("window", String(2), nullable=False, server_default=""),
    Column("staff_no", String(20), nullable=False, server_default=""),
    Column("staff_name", String(30), nullable=False, server_default=""),
    Column("called_at", UtcDateTime(), nullable=True),
    Column("announced_at", UtcDateTime(), nullable=True),  # the last call or recall: the hall display's order
    Column("recalls", Integer, nullable=False, server_default="0"),
    Column("transfers", Integer, nullable=False, server_default="0"),
    Column("finished_at", UtcDateTime(), nullable=True),
    UniqueConstraint("day", "number", name="uq_queue_ticket_day_number"),
    Index("ix_queue_ticket_waiting", "day", "status", "category", "priority", "queued_at"),
    Index("ix_queue_ticket_window", "day", "window", "status"),
    Index("ix_queue_ticket_appointment", "day", "appointment"),
)

# What the wait and service figures of a period read from the windows' visits (as the workstations' 0025).
Index("ix_queue_visit_called_stats",
      *(REPLICA["queue_visit"].c[c] for c in ("called_at", "status", "staff_no", "origin_node")))

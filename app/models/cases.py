"""Cases (办件) under the five case classes, and their append-only history.

A case belongs to the node that accepted it. What happens to it afterwards (materials completed,
paused, extended, completed, deadline recomputed) is an event with its own key; the columns on the
case hold its current state for fast listing, and are always changed together with an event.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime

CASE_CLASS_LABELS = {
    "immediate": "即办件",
    "promised": "承诺件",
    "joint": "联办件",
    "rejected": "退办件",
    "supplement": "补办件",
}
CUSTOM_PREFIX = "x:"  # classes a centre adds (上报件 …) are stored as x:上报件


def class_label(key: str) -> str:
    """The Chinese name of a case class, built in or added by the centre."""
    return key[len(CUSTOM_PREFIX):] if key.startswith(CUSTOM_PREFIX) else CASE_CLASS_LABELS.get(key, key)


SCOPE_COLUMNS = ("staff_workplace", "staff_no", "item_code", "origin_node")  # what figures group by
STATS_COLUMNS_ACCEPTED = ("case_class", "supplemented", *SCOPE_COLUMNS)
STATS_COLUMNS_COMPLETED = ("status", "accepted_at", "decided_at", "due_date", "trips", "supplemented", *SCOPE_COLUMNS)
STATS_COLUMNS_DUE = ("ended_at", *SCOPE_COLUMNS)


class Case(Replicated, Base):
    __tablename__ = "case_file"
    __table_args__ = (
        # The three indexes a period's figures read (app.services.stats) hold every column those figures
        # group and count by, so a month of a township's year is counted from an index alone, never from
        # rows scattered over the file (the lists and lights use their leading columns as before).
        Index("ix_case_file_status_due", "status", "due_date", *STATS_COLUMNS_DUE),
        Index("ix_case_file_applicant_id", "applicant_id_number"),
        Index("ix_case_file_accepted_stats", "accepted_at", *STATS_COLUMNS_ACCEPTED),
        Index("ix_case_file_completed_stats", "completed_at", *STATS_COLUMNS_COMPLETED),
        # what a month's count alone reads (the 12-month trend): fewer pages than the wide indexes
        Index("ix_case_file_accepted_at", "accepted_at"),
        Index("ix_case_file_completed_status", "completed_at", "status"),
    )

    number: Mapped[str] = mapped_column(String(24), unique=True)  # numeric: centre, node, date, sequence
    query_code: Mapped[str] = mapped_column(String(8), unique=True)
    case_class: Mapped[str] = mapped_column(String(12))
    class_reason: Mapped[str] = mapped_column(Text, default="")  # why the class differs from the item's
    status: Mapped[str] = mapped_column(String(16))
    item_code: Mapped[str] = mapped_column(String(40))
    item_name: Mapped[str] = mapped_column(String(100))
    item_snapshot: Mapped[str] = mapped_column(Text)
    applicant_kind: Mapped[str] = mapped_column(String(12))  # individual / organisation
    applicant_name: Mapped[str] = mapped_column(String(60), index=True)
    applicant_name_rev: Mapped[str] = mapped_column(String(60), index=True, default="")  # for suffix search
    applicant_id_type: Mapped[str] = mapped_column(String(20))
    applicant_id_number: Mapped[str] = mapped_column(String(30))
    applicant_id_rev: Mapped[str] = mapped_column(String(30), index=True, default="")  # last digits, by index
    applicant_phone: Mapped[str] = mapped_column(String(20))
    applicant_address: Mapped[str] = mapped_column(String(120))
    contact_name: Mapped[str] = mapped_column(String(40), default="")  # for an organisation
    agent_name: Mapped[str] = mapped_column(String(40), default="")
    agent_relation: Mapped[str] = mapped_column(String(20), default="")
    agent_id_type: Mapped[str] = mapped_column(String(20), default="")
    agent_id_number: Mapped[str] = mapped_column(String(30), default="")
    agent_phone: Mapped[str] = mapped_column(String(20), default="")
    materials: Mapped[str] = mapped_column(Text)  # JSON: what was received, per material
    missing_reason: Mapped[str] = mapped_column(Text, default="")  # accepted although a material is missing
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    lead_window: Mapped[str] = mapped_column(String(60), default="")
    co_departments: Mapped[str] = mapped_column(Text, default="")
    accepted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    time_limit_days: Mapped[int] = mapped_column(Integer)
    clock_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    notice_number: Mapped[str] = mapped_column(String(24), default="")  # the one-time notice it follows
    staff_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    staff_name: Mapped[str] = mapped_column(String(30))
    staff_no: Mapped[str] = mapped_column(String(20))
    staff_workplace: Mapped[str] = mapped_column(String(60), default="")
    staff_phone: Mapped[str] = mapped_column(String(20), default="")
    # The node that holds the case now: the one that accepted it, until a hand-over (移交) is received.
    owner_node: Mapped[str] = mapped_column(String(2), default="")
    trips: Mapped[int] = mapped_column(Integer, default=0)  # 跑动次数, the projection's cache
    # When the history first reached a decision (准予, 不予, 当场办结), ended without one (撤回, 终止) or
    # was completed (当场办结, 送达), and whether it was ever 补正: the projection's cache too, so the
    # statistics count a month of a township's year from this table alone.
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    supplemented: Mapped[bool] = mapped_column(Boolean, default=False)


class CaseEvent(Replicated, Base):
    __tablename__ = "case_event"
    __table_args__ = (Index("ix_case_event_kind_at", "kind", "at"),)  # completed lately, a batch by number

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    staff_name: Mapped[str] = mapped_column(String(30), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")

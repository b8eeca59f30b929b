"""Complaints (投诉) and their append-only history.

A complaint belongs to the node that registered it. Everything done about it afterwards (handled,
replied, satisfaction asked, reopened, closed) is an event; the status, finding and satisfied columns
are the cache of the fold of those events, written in the same transaction as the event.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime


class Complaint(Replicated, Base):
    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_status_due", "status", "due_date"),
                      Index("ix_complaint_registered_at", "registered_at"))  # figures by period

    number: Mapped[str] = mapped_column(String(24), unique=True)
    category: Mapped[int] = mapped_column(Integer)  # 1-11, the seed's order (app.services.complaints.categories)
    channel: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_no: Mapped[str] = mapped_column(String(20), default="", index=True)
    window: Mapped[str] = mapped_column(String(60), default="")
    item: Mapped[str] = mapped_column(String(100), default="")
    case_number: Mapped[str] = mapped_column(String(24), default="")
    content: Mapped[str] = mapped_column(Text)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    finding: Mapped[str] = mapped_column(String(12), default="")
    satisfied: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class ComplaintEvent(Replicated, Base):
    __tablename__ = "complaint_event"

    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaint.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    staff_name: Mapped[str] = mapped_column(String(30), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")

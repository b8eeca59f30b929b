"""Rectifications (差评整改) of bad ratings and their append-only history.

One rectification per 不满意/非常不满意 rating, opened in the same transaction as the rating. What is done
about it afterwards (call-back 回访, progress, close, appeal and the director's decision) is an event; the
status, due date, call-back flag and exclusion columns are the cache of the fold, written with the event.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime


class Rectification(Replicated, Base):
    __tablename__ = "rectification"
    __table_args__ = (Index("ix_rectification_status_due", "status", "due_date"),
                      Index("ix_rectification_excluded", "excluded", "rating_id"))  # the few the figures leave out

    rating_id: Mapped[str] = mapped_column(String(36), unique=True)
    target_number: Mapped[str] = mapped_column(String(24), index=True)
    staff_no: Mapped[str] = mapped_column(String(20), default="")
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))
    called_back: Mapped[bool] = mapped_column(Boolean, default=False)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)  # upheld appeal: left out of every figure


class RectificationEvent(Replicated, Base):
    __tablename__ = "rectification_event"

    rectification_id: Mapped[str] = mapped_column(ForeignKey("rectification.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    staff_name: Mapped[str] = mapped_column(String(30), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")

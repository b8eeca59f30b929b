"""Append-only audit log and the replication outbox.

Both are written by app.models.tracking inside the transaction of the change they describe. SQLite
triggers (created by the first migration) refuse UPDATE and DELETE on the audit log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime


class AuditEntry(Replicated, Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_created_at", "created_at"),)

    actor_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    actor_name: Mapped[str] = mapped_column(String(40), default="")
    action: Mapped[str] = mapped_column(String(30))
    table_name: Mapped[str] = mapped_column(String(40), default="")
    row_id: Mapped[str] = mapped_column(String(36), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")


class OutboxEntry(Base):
    """A pointer to a changed row (not a copy), in write order, for replication to push."""

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(6))  # insert / update / delete
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor_id: Mapped[str | None] = mapped_column(String(36), nullable=True)  # the centre checks centre-owned edits
    acked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)  # kept a while, for a restored centre

"""Local replication state: where this workstation stands with its township centre. Never replicated.

The pull cursor lives in sync_state and is written in the same transaction as the page it belongs
to, so a crash can only repeat a page (harmless: applying is idempotent), never skip one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime


class SyncState(Base):
    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    center_url: Mapped[str] = mapped_column(String(200))
    center_code: Mapped[str] = mapped_column(String(9))
    ca_cert: Mapped[str] = mapped_column(Text, default="")  # the centre's own CA for a self-signed TLS certificate
    device_token: Mapped[str] = mapped_column(String(80))
    generation: Mapped[str] = mapped_column(String(40), default="")
    cursor_xid: Mapped[int] = mapped_column(BigInteger, default=0)
    cursor_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    acked_seq: Mapped[int] = mapped_column(Integer, default=0)  # outbox high-water mark the centre confirmed
    resync: Mapped[bool] = mapped_column(Boolean, default=True)  # next pull is a full download
    recompute_due: Mapped[bool] = mapped_column(Boolean, default=False)  # the calendar came down; deadlines next
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_sync_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    clock_offset_s: Mapped[float] = mapped_column(default=0.0)


class SyncSeen(Base):
    """Rows received during a full download; what is not seen by its end was removed at the centre."""

    __tablename__ = "sync_seen"

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class SyncIssue(Base):
    """A change the centre could not apply: kept with the centre's reason and shown to people."""

    __tablename__ = "sync_issue"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the centre's quarantine id
    origin_node: Mapped[str] = mapped_column(String(2))
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)

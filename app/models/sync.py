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
    # The highest outbox sequence ever sent, written before the request: a centre that acknowledged
    # more than this has seen a copy of this database we no longer are (a restored backup).
    sent_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


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


class AuthorityProof(Base):
    """The centre's proof that it checked a director's or administrator's password itself.

    A change to centre-owned data goes up only with the proof of the person who made it; the centre
    never takes a staff id on a device's word. Proofs are short-lived and bound to this device.
    """

    __tablename__ = "authority_proof"

    staff_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    token: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class HeldChange(Base):
    """A centre-data edit made without a proof (offline login): kept aside, not pushed, until the
    person who made it logs in with the centre reachable; then it goes back into the outbox."""

    __tablename__ = "held_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(6))
    actor_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    held_at: Mapped[datetime] = mapped_column(UtcDateTime())

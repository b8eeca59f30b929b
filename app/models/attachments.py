"""Pages of a case's materials (电子件), and the queue of their bytes still to reach the centre.

A page row replicates like any case row (outbox, after the case: it names the case); the image itself
is a file kept by its hash (app.services.attachments.store) and goes up through its own queue, after
the rows, so a large image never holds up a case's sync. Pages are never changed; they stay with the
case like its events.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime


class CasePage(Replicated, Base):
    __tablename__ = "case_page"
    __table_args__ = (UniqueConstraint("case_id", "material_seq", "page_no"),)

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    material_seq: Mapped[int] = mapped_column(Integer)  # the material's place in the item's list, from 1
    page_no: Mapped[int] = mapped_column(Integer)  # within the material, from 1
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    captured_at: Mapped[datetime] = mapped_column(UtcDateTime())
    staff_name: Mapped[str] = mapped_column(String(30), default="")
    source: Mapped[str] = mapped_column(String(8), default="camera")  # camera / file
    step: Mapped[str] = mapped_column(String(12), default="accepted")  # accepted / supplement: when it came


class BlobUpload(Base):
    """An image this workstation holds and the centre may not: uploaded after the rows, retried with backoff."""

    __tablename__ = "blob_outbox"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_error: Mapped[str] = mapped_column(String(200), default="")

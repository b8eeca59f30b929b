"""First-inquiry register (首问登记), the department directory for referrals, one-time notices,
the print log, and the per-day document sequence that numbers them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime

CHANNELS = {"onsite": "现场", "phone": "电话", "online": "网络", "letter": "信函"}
OUTCOMES = {
    "answered": "已解答",
    "notice": "已一次性告知",
    "referred": "已转介",
}
DOC_TYPES = {"notice": "一次性告知书", "referral": "转介告知单", "ledger": "首问登记簿", "receipt": "受理回执",
             "slip": "办件通知书"}


class Department(Replicated, Base):
    """A department a citizen can be referred to: kept by admins, replicated to every window."""

    __tablename__ = "department"

    name: Mapped[str] = mapped_column(String(60), unique=True)
    duties: Mapped[str] = mapped_column(Text, default="")  # 主要职责，便于窗口判断转介去向
    address: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))
    office_hours: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Inquiry(Replicated, Base):
    __tablename__ = "inquiry"

    number: Mapped[str] = mapped_column(String(24), unique=True)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    citizen_name: Mapped[str] = mapped_column(String(40))
    citizen_phone: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(10))
    question: Mapped[str] = mapped_column(Text)
    item_code: Mapped[str] = mapped_column(String(40), default="")
    outcome: Mapped[str] = mapped_column(String(12))
    answer: Mapped[str] = mapped_column(Text, default="")  # 答复内容或不属职责范围的说明
    department_id: Mapped[str | None] = mapped_column(ForeignKey("department.id"), nullable=True)
    responder_id: Mapped[str | None] = mapped_column(String(36), nullable=True)  # 首问责任人
    responder_name: Mapped[str] = mapped_column(String(30))
    responder_no: Mapped[str] = mapped_column(String(20))


class Notice(Replicated, Base):
    """A printed one-time notice. The item is stored as it was told, so a reprint says the same."""

    __tablename__ = "notice"

    number: Mapped[str] = mapped_column(String(24), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    citizen_name: Mapped[str] = mapped_column(String(40))
    citizen_phone: Mapped[str] = mapped_column(String(20), default="")
    item_code: Mapped[str] = mapped_column(String(40))
    item_name: Mapped[str] = mapped_column(String(100))
    item_snapshot: Mapped[str] = mapped_column(Text)  # JSON of the item and its materials
    present: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of material numbers brought
    note: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    staff_name: Mapped[str] = mapped_column(String(30))
    staff_no: Mapped[str] = mapped_column(String(20))
    staff_workplace: Mapped[str] = mapped_column(String(60), default="")
    staff_phone: Mapped[str] = mapped_column(String(20), default="")
    inquiry_id: Mapped[str | None] = mapped_column(ForeignKey("inquiry.id"), nullable=True)
    follows_number: Mapped[str] = mapped_column(String(24), default="")  # 上一次告知书（再次来访时）


class PrintRecord(Replicated, Base):
    """Every print of a document: who, when, first print or reprint (补打), and where to."""

    __tablename__ = "print_log"

    doc_type: Mapped[str] = mapped_column(String(12))
    doc_number: Mapped[str] = mapped_column(String(24), index=True)
    printed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    staff_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    staff_name: Mapped[str] = mapped_column(String(30))
    reprint: Mapped[bool] = mapped_column(Boolean)
    target: Mapped[str] = mapped_column(String(20))  # printer / pdf / cli


class DocSequence(Base):
    """Last number used per document kind and day on this node; taken in the document's transaction.

    `reserved` is how far this database has raised the numbers floor file for the day (a block ahead
    of `last`, app.services.numbering): a file above it means the file knows numbers this copy never
    reserved, i.e. the database is an older copy.
    """

    __tablename__ = "doc_sequence"

    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)
    reserved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

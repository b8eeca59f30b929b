"""Documents as issued (出具文书存档): what a citizen was handed, kept exactly as it was printed.

A document is stored the first time it is printed or saved: its type, the number it belongs to (a
case, notice or inquiry), the case event it reports (an extension, a decision …; empty for a notice or
a referral), its title and its data as printed (the printing module's plain sheet, as JSON), who
issued it and when. A reprint (补打) renders this row, never the case as it stands today, so the paper
produced a year later is the one the citizen holds. The row belongs to the node that issued it and
never changes (migration 0012 makes it append-only in the database, as case_event is).
print_log stays the record of every output, first or reprint; this table holds the content once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime

# Every document a citizen may be handed, by the code print_log and issued_document store.
ISSUED_DOC_TYPES = {
    "notice": "一次性告知书",
    "referral": "转介告知单",
    "receipt": "受理回执",
    "agency": "代办受理单",
    "slip": "办件通知书",
    "decision": "决定告知书",
    "completion": "办结通知书",
    "delivery": "送达回证",
    "extension": "延期告知书",
    "procedure": "特别程序告知书",
    "withdrawal": "撤回申请确认书",
    "cmp_receipt": "投诉登记回执",
    "cmp_reply": "投诉答复书",
}


class IssuedDocument(Replicated, Base):
    __tablename__ = "issued_document"
    __table_args__ = (Index("ix_issued_document_number", "doc_number", "doc_type"),)

    doc_type: Mapped[str] = mapped_column(String(12))
    doc_number: Mapped[str] = mapped_column(String(24))  # the case, notice or inquiry number printed on it
    source: Mapped[str] = mapped_column(String(36), default="")  # the case_event it reports, or ""
    title: Mapped[str] = mapped_column(String(60))  # as printed: 收件回执, 不予许可决定告知书 …
    sheet: Mapped[str] = mapped_column(Text)  # JSON of the printing module's sheet, reprint mark left out
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    staff_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    staff_name: Mapped[str] = mapped_column(String(30))

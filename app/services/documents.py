"""Printable documents, kept as issued: notice, referral slip, the case papers, and the register ledger.

A document handed to a citizen is stored the first time it is printed or saved (issue(): its data
as printed, in issued_document, with the print logged in print_log in the same transaction). Every
later output renders that stored record, marked 补打 with the reprint time, never the notice or the
case as they stand today: a 收件回执 stays a 收件回执 after the case is completed. A document that has
never been issued is built from the records now (app.services.cases.documents for a case's papers).
Documents printed before they were kept (print_log rows, no stored record) are rebuilt and marked
补打 as before, and kept from their next output on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import Case, CaseEvent, IssuedDocument, PrintRecord
from app.models.cases import class_label
from app.models.documents import ISSUED_DOC_TYPES
from app.node_identity import read_identity
from app.printing import complaint_pdf, sheet_json
from app.printing.agency_receipt_pdf import AgencyReceiptSheet, agency_receipt_pdf, agency_receipt_title
from app.printing.case_pdf import CaseSheet, receipt_pdf, receipt_title, slip_pdf, slip_title
from app.printing.completion_pdf import TITLE as COMPLETION_TITLE
from app.printing.completion_pdf import CompletionSheet, completion_pdf
from app.printing.decision_pdf import DecisionSheet, decision_pdf, title_of
from app.printing.delivery_pdf import TITLE as DELIVERY_TITLE
from app.printing.delivery_pdf import DeliverySheet, delivery_pdf
from app.printing.ledger_pdf import LedgerRow, LedgerSheet, ledger_pdf
from app.printing.notice_pdf import MaterialRow, NoticeSheet, notice_pdf
from app.printing.referral_pdf import ReferralSheet, referral_pdf
from app.printing.time_limit_pdf import (
    EXTENSION_TITLE,
    PROCEDURE_TITLE,
    ExtensionSheet,
    ProcedureSheet,
    extension_pdf,
    procedure_pdf,
)
from app.printing.withdrawal_pdf import TITLE as WITHDRAWAL_TITLE
from app.printing.withdrawal_pdf import WithdrawalSheet, withdrawal_pdf
from app.progress import NO_PROGRESS, Progress
from app.services.cases.documents import (
    DOC_SOURCES,
    FROM_CASE_STATE,
    IMMEDIATE_HAS_NO_SLIP,
    case_events,
    case_id_of,
    case_sheet,
    center_of,
    fresh_case_sheet,
    local_text,
    source_event,
    sources,
)
from app.services.catalog.agency import AGENCY
from app.services.complaints.documents import COMPLAINT_DOCS, complaint_sheet, complaint_source, ensure_may_reprint
from app.services.errors import ValidationError
from app.services.inquiries.notices import NoticeRecord, get_notice
from app.services.inquiries.register import InquiryFilter, InquiryRecord, get_inquiry, list_inquiries
from app.services.masking import mask_phone
from app.services.settings import load_settings

__all__ = ["IMMEDIATE_HAS_NO_SLIP", "case_sheet", "local_text"]  # kept here for their earlier importers


def _center(db: Database) -> tuple[str, bool]:
    return center_of(db)


def notice_sheet(db: Database, record: NoticeRecord, reprint_at: datetime | None) -> NoticeSheet:
    center_name, training = _center(db)
    settings = load_settings(db)
    item = record.item
    materials = tuple(
        MaterialRow(
            seq=i, name=m.name, originals_kept=m.originals_kept, originals_checked=m.originals_checked,
            copies=m.copies, electronic=m.electronic, required=m.required, condition=m.condition,
            description=m.description, form_name=m.form_name, source_department=m.source_department,
            present=record.is_present(i),
        )
        for i, m in enumerate(item.materials, start=1)
    )
    return NoticeSheet(
        number=record.number,
        center_name=center_name,
        issued=local_text(record.issued_at),
        citizen_name=record.citizen_name,
        citizen_phone=mask_phone(record.citizen_phone) if record.citizen_phone else "",
        item_name=item.name,
        item_code=item.code,
        case_class=class_label(item.default_case_class),
        department=item.department,
        co_departments=tuple(item.co_departments),
        conditions=item.conditions,
        procedure=item.procedure,
        legal_limit_days=item.legal_limit_days,
        promised_limit_days=item.promised_limit_days,
        fee=item.fee,
        fee_basis=item.fee_basis,
        location=item.location,
        office_hours=item.office_hours,
        consult_phone=item.consult_phone,
        supervise_phone=settings.supervise_phone_for(item.supervise_phone),
        materials=materials,
        staff_name=record.staff_name,
        staff_no=record.staff_no,
        staff_window=record.staff_workplace,
        staff_phone=settings.window_phone_for(record.staff_workplace),  # the window's, never the clerk's mobile
        note=record.note,
        follows_number=record.follows_number,
        training=training,
        reprint_at=local_text(reprint_at) if reprint_at else None,
    )


def referral_sheet(db: Database, record: InquiryRecord, reprint_at: datetime | None) -> ReferralSheet:
    center_name, training = _center(db)
    return ReferralSheet(
        number=record.number,
        center_name=center_name,
        asked=local_text(record.asked_at),
        citizen_name=record.citizen_name,
        citizen_phone=mask_phone(record.citizen_phone),
        channel=record.channel_label,
        question=record.question,
        reason=record.answer,
        department_name=record.department_name,
        department_address=record.department_address,
        department_phone=record.department_phone,
        department_hours=record.department_hours,
        department_duties=record.department_duties,
        responder_name=record.responder_name,
        responder_no=record.responder_no,
        responder_window=_workplace_of(db, record.responder_no),
        supervise_phone=load_settings(db).supervise_phone_for(),
        training=training,
        reprint_at=local_text(reprint_at) if reprint_at else None,
    )


def _workplace_of(db: Database, staff_no: str) -> str:
    from sqlalchemy import select

    from app.models import Staff

    with db.session() as s:
        return s.scalar(select(Staff.workplace).where(Staff.staff_no == staff_no)) or ""


def ledger_document(db: Database, flt: InquiryFilter, printed_by: str, now: datetime | None = None,
                    progress: Progress = NO_PROGRESS) -> bytes:
    """The register as a ledger PDF; `progress` follows the long part (laying out the pages) and may
    cancel it (app.progress.Cancelled): nothing is recorded until the ledger is printed."""
    center_name, training = _center(db)
    progress.busy("正在读取首问登记")
    records = sorted(list_inquiries(db, flt), key=lambda r: r.asked_at)
    if flt.date_from or flt.date_to:
        start = flt.date_from.isoformat() if flt.date_from else "最早"
        end = flt.date_to.isoformat() if flt.date_to else "今天"
        period = f"{start} 至 {end}"
    else:
        period = "全部"
    rows = tuple(
        LedgerRow(
            number=r.number,
            asked=r.asked_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            citizen_name=r.citizen_name,
            citizen_phone=r.citizen_phone,
            channel=r.channel_label,
            question=r.question,
            item=f"{r.item_name}（{r.item_code}）" if r.item_code else "",
            outcome=r.outcome_label,
            follow_up=r.follow_up,
            responder=f"{r.responder_name}（{r.responder_no}）",
        )
        for r in records
    )
    return ledger_pdf(
        LedgerSheet(
            center_name=center_name,
            period=period,
            printed=local_text(now or utc_now()),
            printed_by=printed_by,
            rows=rows,
            training=training,
        ),
        progress,
    )


# How each kept document renders: its sheet type, its PDF and its printed title.
Renderer = tuple[type[Any], Callable[[Any], bytes], Callable[[Any], str]]
RENDERERS: dict[str, Renderer] = {
    "notice": (NoticeSheet, notice_pdf, lambda _s: ISSUED_DOC_TYPES["notice"]),
    "referral": (ReferralSheet, referral_pdf, lambda _s: ISSUED_DOC_TYPES["referral"]),
    "receipt": (CaseSheet, receipt_pdf, receipt_title),
    "agency": (AgencyReceiptSheet, agency_receipt_pdf, agency_receipt_title),
    "slip": (CaseSheet, slip_pdf, slip_title),
    "decision": (DecisionSheet, decision_pdf, title_of),
    "completion": (CompletionSheet, completion_pdf, lambda _s: COMPLETION_TITLE),
    "delivery": (DeliverySheet, delivery_pdf, lambda _s: DELIVERY_TITLE),
    "extension": (ExtensionSheet, extension_pdf, lambda _s: EXTENSION_TITLE),
    "procedure": (ProcedureSheet, procedure_pdf, lambda _s: PROCEDURE_TITLE),
    "withdrawal": (WithdrawalSheet, withdrawal_pdf, lambda _s: WITHDRAWAL_TITLE),
    "cmp_receipt": (complaint_pdf.ComplaintReceiptSheet, complaint_pdf.receipt_pdf,
                    lambda _s: complaint_pdf.RECEIPT_TITLE),
    "cmp_reply": (complaint_pdf.ComplaintReplySheet, complaint_pdf.reply_pdf, lambda _s: complaint_pdf.REPLY_TITLE),
}
BEFORE_KEEPING = frozenset({"notice", "referral", "receipt", "slip"})  # printed, unkept, before 0012


@dataclass(frozen=True)
class Document:
    """A document ready to output: its key (type, number, the event it reports), its title, its data
    as issued (JSON, without the reprint mark) and the PDF; `reprint` when it was issued before."""

    doc_type: str
    number: str
    source: str
    title: str
    sheet: str
    pdf: bytes
    reprint: bool


def _kept(db: Database, doc_type: str, number: str, source: str) -> IssuedDocument | None:
    """The stored document for this key: the first issued, should two nodes both have issued it."""
    with db.session() as s:
        row = s.scalar(select(IssuedDocument).where(
            IssuedDocument.doc_type == doc_type, IssuedDocument.doc_number == number, IssuedDocument.source == source)
            .order_by(IssuedDocument.issued_at, IssuedDocument.id).limit(1))
        if row is not None:
            s.expunge(row)
        return row


def _issued_as_agency(db: Database, number: str) -> bool:
    with db.session() as s:
        return s.scalar(select(IssuedDocument.id).where(IssuedDocument.doc_type == "agency",
                                                        IssuedDocument.doc_number == number).limit(1)) is not None


def _printed_unkept(db: Database, doc_type: str, number: str, source: str) -> bool:
    """Printed before documents were kept: print_log has it (since the event it reports, so the notice
    of a 补办件 printed at acceptance is not taken for the one its completion calls for), and
    issued_document has nothing of its kind."""
    if doc_type not in BEFORE_KEEPING:
        return False
    with db.session() as s:
        kept = s.scalar(select(func.count()).where(IssuedDocument.doc_type == doc_type,
                                                   IssuedDocument.doc_number == number)) or 0
        if kept:
            return False
        since = s.scalar(select(CaseEvent.at).where(CaseEvent.id == source)) if source else None
        printed = select(func.count()).where(PrintRecord.doc_type == doc_type, PrintRecord.doc_number == number)
        if since is not None:
            printed = printed.where(PrintRecord.printed_at >= since)
        return (s.scalar(printed) or 0) > 0


def _newest_source(db: Database, doc_type: str, number: str) -> str:
    """The event a case document reports when none is named: the newest (refused in Chinese if none)."""
    case_id = case_id_of(db, number)
    if case_id is None:
        raise ValidationError(f"没有编号为 {number} 的办件")
    events = case_events(db, case_id)
    if doc_type in FROM_CASE_STATE and not sources(events, doc_type):
        return ""
    return source_event(events, doc_type).id


def _fresh(db: Database, doc_type: str, number: str, source: str) -> Any:
    if doc_type == "notice":
        record = get_notice(db, number)
        if record is None:
            raise ValidationError(f"没有编号为 {number} 的一次性告知书")
        return notice_sheet(db, record, None)
    if doc_type == "referral":
        inquiry = get_inquiry(db, number)
        if inquiry is None or inquiry.outcome != "referred":
            raise ValidationError(f"没有编号为 {number} 的转介登记")
        return referral_sheet(db, inquiry, None)
    if doc_type in COMPLAINT_DOCS:  # a complaint's papers (app.services.complaints.documents)
        return complaint_sheet(db, doc_type, number, source)
    return fresh_case_sheet(db, doc_type, number, source).sheet


def receipt_type_for(node_kind: str) -> str:
    """The acceptance receipt a node of this kind hands out: at a village agency point, the 代办受理单."""
    return "agency" if node_kind == AGENCY else "receipt"


def receipt_type(db: Database) -> str:
    identity = read_identity(db.path)
    return receipt_type_for(identity.node_kind if identity is not None else "")


def build_document(db: Database, doc_type: str, number: str, source: str = "", now: datetime | None = None,
                   reader: Actor | None = None) -> Document:
    """The document to output now: the stored one marked 补打 if it was issued, else built afresh.

    `source` names the case event a case document reports (one of several extensions, say); empty
    means the newest. `reader`, who asks for it, is checked for a reprint that names a confidential
    complainant. Nothing is written: issue() keeps it when it is printed or saved."""
    if doc_type not in RENDERERS:
        raise ValidationError(f"没有“{doc_type}”这种文书")
    number = number.strip().upper()
    if doc_type == "receipt" and _issued_as_agency(db, number):
        doc_type = "agency"  # accepted at a village point: its 代办受理单 is the case's receipt
    if doc_type in COMPLAINT_DOCS and not source:  # a reply is kept under its reply event
        source = complaint_source(db, doc_type, number)
    if doc_type in DOC_SOURCES and not source:
        if doc_type == "slip" and _is_immediate(db, number):
            raise ValidationError(IMMEDIATE_HAS_NO_SLIP)
        source = _newest_source(db, doc_type, number)
    cls, render, title_for = RENDERERS[doc_type]
    kept = _kept(db, doc_type, number, source)
    if kept is not None:
        if doc_type in COMPLAINT_DOCS and reader is not None:
            ensure_may_reprint(db, reader, number)
        sheet, stored, reprint = sheet_json.load(cls, kept.sheet), kept.sheet, True
    else:
        sheet = _fresh(db, doc_type, number, source)
        stored, reprint = sheet_json.dump(sheet), _printed_unkept(db, doc_type, number, source)
    shown = dataclasses.replace(sheet, reprint_at=local_text(now or utc_now())) if reprint else sheet
    return Document(doc_type, number, source, title_for(sheet), stored, render(shown), reprint)


def _is_immediate(db: Database, number: str) -> bool:
    with db.session() as s:
        return s.scalar(select(Case.case_class).where(Case.number == number)) == "immediate"


def issue(db: Database, actor: Actor, document: Document, target: str, now: datetime | None = None) -> bool:
    """A document was printed or saved (`target`: printer / pdf / cli): kept as issued if this is its
    first output, and the output logged, in one transaction. Returns whether it was a reprint."""
    now = now or utc_now()
    with db.session(actor) as s:
        kept = s.scalar(select(IssuedDocument.id).where(
            IssuedDocument.doc_type == document.doc_type, IssuedDocument.doc_number == document.number,
            IssuedDocument.source == document.source).limit(1))
        holder = s.scalar(select(func.coalesce(func.nullif(Case.owner_node, ""), Case.origin_node))
                          .where(Case.number == document.number))
        if kept is None and holder in (None, db.node_code):  # a case's papers are issued by its holder only
            s.add(IssuedDocument(doc_type=document.doc_type, doc_number=document.number, source=document.source,
                                 title=document.title[:60], sheet=document.sheet, issued_at=now,
                                 staff_id=actor.staff_id, staff_name=actor.name))
        reprint = document.reprint or kept is not None
        s.add(PrintRecord(doc_type=document.doc_type, doc_number=document.number, printed_at=now,
                          staff_id=actor.staff_id, staff_name=actor.name, reprint=reprint, target=target))
        return reprint


def _pair(doc_type: str) -> Callable[..., tuple[bytes, bool]]:
    def build(db: Database, number: str, now: datetime | None = None) -> tuple[bytes, bool]:
        document = build_document(db, doc_type, number, now=now)
        return document.pdf, document.reprint

    build.__name__ = f"{doc_type}_document"
    build.__doc__ = f"(PDF, is_reprint) of the {doc_type} with this number, as build_document gives it."
    return build


notice_document = _pair("notice")
referral_document = _pair("referral")
receipt_document = _pair("receipt")
slip_document = _pair("slip")  # a 即办件 has none: a second receipt under another title would mislead


@dataclass(frozen=True)
class CaseDocument:
    """One paper of a case, for the F7 list: kept (issued before) or ready to be issued now."""

    doc_type: str
    source: str
    title: str
    when: datetime  # the time of the event it reports (of its issue, when it reports none)
    issued: bool

    @property
    def label(self) -> str:
        state = "已出具，按原样补打" if self.issued else "未出具"
        return f"{self.title}（{self.when.astimezone():%Y-%m-%d %H:%M}，{state}）"


FRESH_TITLES = {"approved": "准予许可决定告知书", "denied": "不予许可决定告知书", "completed_on_spot": "受理办结回执"}


def case_documents(db: Database, number: str) -> list[CaseDocument]:
    """Every paper the case has, in the order they were issued or became due: those kept as issued,
    and those its events call for that were never issued (the newest receipt and class notice only)."""
    number = number.strip().upper()
    case_id = case_id_of(db, number)
    if case_id is None:
        raise ValidationError(f"没有编号为 {number} 的办件")
    events = case_events(db, case_id)
    with db.session() as s:
        kept = s.execute(select(IssuedDocument.doc_type, IssuedDocument.source, IssuedDocument.title,
                                IssuedDocument.issued_at).where(IssuedDocument.doc_number == number,
                                                                IssuedDocument.doc_type.in_(DOC_SOURCES))
                         .order_by(IssuedDocument.issued_at, IssuedDocument.id)).all()
        case_class = s.scalar(select(Case.case_class).where(Case.id == case_id)) or ""
    found: dict[tuple[str, str], CaseDocument] = {}
    happened = {event.id: event.at for event in events}  # listed by the step they report, then by issue
    for row in kept:
        found.setdefault((row.doc_type, row.source), CaseDocument(
            row.doc_type, row.source, row.title, happened.get(row.source, row.issued_at), True))
    fresh_titles = {**FRESH_TITLES, "slip": f"{class_label(case_class)}通知书",
                    "receipt": "收件回执" if case_class in ("rejected", "supplement") else "受理回执"}
    receipt = receipt_type(db)  # this node's own: a 代办受理单 at an agency point
    for doc_type in DOC_SOURCES:
        if (doc_type == "slip" and case_class == "immediate") or (
                doc_type in ("receipt", "agency") and doc_type != receipt):
            continue
        candidates = sources(events, doc_type)
        if doc_type in FROM_CASE_STATE:
            candidates = candidates[-1:]
        for event in candidates:
            title = fresh_titles.get(event.kind) or fresh_titles.get(doc_type) or ISSUED_DOC_TYPES[doc_type]
            found.setdefault((doc_type, event.id), CaseDocument(doc_type, event.id, title, event.at, False))
    return sorted(found.values(), key=lambda d: d.when)

"""Printable documents assembled from stored records: notice, referral slip and register ledger.

Every document is rebuilt from the database whenever it is printed, so a reprint (补打) shows the
same content as the first print, marked as a reprint with its time.
"""

from __future__ import annotations

from datetime import date, datetime

from app.clock import utc_now
from app.database import Database
from app.models.cases import class_label
from app.node_identity import read_identity
from app.printing.case_pdf import CaseSheet, ReceivedLine, receipt_pdf, slip_pdf
from app.printing.ledger_pdf import LedgerRow, LedgerSheet, ledger_pdf
from app.printing.notice_pdf import MaterialRow, NoticeSheet, notice_pdf
from app.printing.referral_pdf import ReferralSheet, referral_pdf
from app.progress import NO_PROGRESS, Progress
from app.services.cases.records import CaseRecord, get_case
from app.services.catalog.data import missing_materials
from app.services.errors import ValidationError
from app.services.inquiries.notices import NoticeRecord, get_notice, print_count
from app.services.inquiries.register import InquiryFilter, InquiryRecord, get_inquiry, list_inquiries
from app.services.masking import mask_id, mask_phone
from app.services.settings import load_settings, refusal_bodies


def local_text(moment: datetime, with_time: bool = True) -> str:
    local = moment.astimezone()
    return f"{local:%Y年%m月%d日 %H:%M}" if with_time else f"{local:%Y年%m月%d日}"


def _center(db: Database) -> tuple[str, bool]:
    identity = read_identity(db.path)
    if identity is None:
        raise ValidationError("本工作站尚未设置")
    return identity.center_name, identity.training


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


def notice_document(db: Database, number: str, now: datetime | None = None) -> tuple[bytes, bool]:
    """(PDF, is_reprint) for a notice; a notice printed before is marked 补打 with the time."""
    record = get_notice(db, number)
    if record is None:
        raise ValidationError(f"没有编号为 {number} 的一次性告知书")
    reprint = record.prints > 0
    sheet = notice_sheet(db, record, (now or utc_now()) if reprint else None)
    return notice_pdf(sheet), reprint


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


def referral_document(db: Database, number: str, now: datetime | None = None) -> tuple[bytes, bool]:
    record = get_inquiry(db, number)
    if record is None or record.outcome != "referred":
        raise ValidationError(f"没有编号为 {number} 的转介登记")
    reprint = print_count(db, "referral", number) > 0
    return referral_pdf(referral_sheet(db, record, (now or utc_now()) if reprint else None)), reprint


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


def _cn_date(day: date | None) -> str:
    return f"{day:%Y年%m月%d日}" if day else ""


def case_sheet(db: Database, record: CaseRecord, reprint_at: datetime | None) -> CaseSheet:
    center_name, training = _center(db)
    item = record.item
    received = {int(r["seq"]): r for r in record.received}
    lines = tuple(
        ReceivedLine(seq, item.materials[seq - 1].name, int(r["originals_kept"]), int(r["originals_checked"]),
                     int(r["copies"]), bool(r["electronic"]))
        for seq, r in sorted(received.items())
        if 1 <= seq <= len(item.materials)
    )
    missing_lines = tuple(
        ReceivedLine(i, m.name, m.originals_kept, m.originals_checked, m.copies, m.electronic)
        for i, m in missing_materials(item.materials, received)
    )
    missing = tuple(line.name for line in missing_lines)
    settings = load_settings(db)
    review_body, court = refusal_bodies(db, item.department, settings) if record.case_class == "rejected" else ("", "")
    if record.agent_name:
        agent = f"{record.agent_name}（{record.agent_relation}，{mask_id(record.agent_id_number)}）"
    else:
        agent = ""
    applicant = record.applicant_name + (f"（经办人：{record.contact_name}）" if record.contact_name else "")
    note = ""
    if record.provisional and record.due_date:
        note = (f"{record.due_date.year}年国务院节假日安排尚未公布，办结日期暂按周一至周五计算；"
                "安排公布后如有调整，以调整后的日期为准，并另行告知。")
    return CaseSheet(
        number=record.number, query_code=record.query_code, center_name=center_name, case_class=record.case_class,
        class_label=record.class_label, item_name=item.name, item_code=item.code, applicant=applicant,
        applicant_id=mask_id(record.applicant_id_number), applicant_phone=mask_phone(record.applicant_phone),
        applicant_address=record.applicant_address, agent=agent, received=lines, missing=missing,
        accepted=local_text(record.accepted_at), due=_cn_date(record.due_date), provisional_note=note,
        time_limit_days=record.time_limit_days, department=item.department, lead_window=record.lead_window,
        co_departments=record.co_departments, rejection_reason=record.rejection_reason,
        missing_reason=record.missing_reason, class_reason=record.class_reason, staff_name=record.staff_name,
        staff_no=record.staff_no, staff_window=record.staff_workplace,
        window_phone=settings.window_phone_for(record.staff_workplace),
        supervise_phone=settings.supervise_phone_for(item.supervise_phone), consult_phone=item.consult_phone,
        location=item.location, office_hours=item.office_hours, training=training,
        reprint_at=local_text(reprint_at) if reprint_at else None,
        signed=local_text(record.accepted_at, with_time=False), missing_lines=missing_lines,
        review_body=review_body, court=court,
    )


IMMEDIATE_HAS_NO_SLIP = "即办件当场办结，没有办件类型通知书；需要凭证请打印受理回执"


def _case_document(db: Database, number: str, doc_type: str, now: datetime | None) -> tuple[bytes, bool]:
    record = get_case(db, number)
    if record is None:
        raise ValidationError(f"没有编号为 {number} 的办件")
    if doc_type == "slip" and record.case_class == "immediate":
        raise ValidationError(IMMEDIATE_HAS_NO_SLIP)
    reprint = print_count(db, doc_type, record.number) > 0
    sheet = case_sheet(db, record, (now or utc_now()) if reprint else None)
    return (receipt_pdf(sheet) if doc_type == "receipt" else slip_pdf(sheet)), reprint


def receipt_document(db: Database, number: str, now: datetime | None = None) -> tuple[bytes, bool]:
    return _case_document(db, number, "receipt", now)


def slip_document(db: Database, number: str, now: datetime | None = None) -> tuple[bytes, bool]:
    """The class's own notice; a 即办件 has none, and a second receipt under another title would mislead."""
    return _case_document(db, number, "slip", now)

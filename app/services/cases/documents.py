"""The papers a case hands the citizen, as plain sheets for app.printing: the 受理回执 and the class's
own notice at acceptance, then the 决定告知书, 办结通知书, 送达回证, 延期告知书, 特别程序告知书 and
撤回申请确认书, each built from the case and the event it reports.

This builds a document as it would be issued now; app.services.documents keeps what was issued and
renders that on a reprint. Which event a document reports is the lifecycle's word (its `prints`
field); a case without such an event gets a Chinese refusal, never an empty paper.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.database import Database
from app.models import Case, CaseEvent
from app.node_identity import read_identity
from app.printing.agency_receipt_pdf import AgencyReceiptSheet
from app.printing.case_parts import CaseHead
from app.printing.case_pdf import CaseSheet, ReceivedLine
from app.printing.completion_pdf import CompletionSheet
from app.printing.decision_pdf import DecisionSheet
from app.printing.delivery_pdf import DeliveredItem, DeliverySheet
from app.printing.time_limit_pdf import ExtensionSheet, ProcedureSheet
from app.printing.withdrawal_pdf import ReturnedItem, WithdrawalSheet
from app.services.attachments.pages import page_counts
from app.services.cases.history import event_payload
from app.services.cases.lifecycle import DELIVERY_METHODS
from app.services.cases.records import CaseRecord, get_case
from app.services.catalog.data import missing_materials
from app.services.errors import ValidationError
from app.services.masking import mask_id, mask_phone
from app.services.settings import CenterSettings, load_settings, refusal_bodies


def local_text(moment: datetime, with_time: bool = True) -> str:
    local = moment.astimezone()
    return f"{local:%Y年%m月%d日 %H:%M}" if with_time else f"{local:%Y年%m月%d日}"


def cn_date(day: date | None) -> str:
    return f"{day:%Y年%m月%d日}" if day else ""


def iso_cn_date(text: object) -> str:
    """An ISO date from an event payload, in Chinese ("" when absent or not a date)."""
    try:
        return cn_date(date.fromisoformat(str(text))) if text else ""
    except ValueError:
        return ""


def center_of(db: Database) -> tuple[str, bool]:
    """The centre's name as printed, and whether this is the training database (watermark)."""
    identity = read_identity(db.path)
    if identity is None:
        raise ValidationError("本工作站尚未设置")
    return identity.center_name, identity.training


# Which events each case document reports, newest first wins when none is named (the lifecycle's
# `prints`, plus acceptance for the receipt and the class notice, and 准予 for the decision).
DOC_SOURCES: dict[str, tuple[str, ...]] = {
    "receipt": ("accepted", "completed_on_spot"),
    "agency": ("accepted",),
    "slip": ("accepted", "supplemented", "materials_completed"),
    "decision": ("approved", "denied"),
    "completion": ("notified",),
    "delivery": ("delivered",),
    "extension": ("extended",),
    "procedure": ("paused",),
    "withdrawal": ("withdrawn",),
}
# Documents whose content comes from the case as it stands (not from their event alone): only the
# newest of them can be built afresh; an older one exists only as it was issued.
FROM_CASE_STATE = frozenset({"receipt", "agency", "slip"})
NO_EVENT = {
    "decision": "该办件尚未作出准予或不予许可的决定，没有决定告知书",
    "completion": "该办件尚未发出办结通知，没有办结通知书",
    "delivery": "该办件尚未送达，没有送达回证",
    "extension": "该办件没有经批准的延期，没有延期告知书",
    "procedure": "该办件没有进入特别程序，没有特别程序告知书",
    "withdrawal": "该办件没有撤回，没有撤回申请确认书",
}
IMMEDIATE_HAS_NO_SLIP = "即办件当场办结，没有办件类型通知书；需要凭证请打印受理回执"


@dataclass(frozen=True)
class EventRow:
    id: str
    kind: str
    at: datetime
    staff_name: str
    payload: dict[str, Any]


def case_events(db: Database, case_id: str) -> list[EventRow]:
    """A case's events oldest first, with their ids (the key a document is kept under)."""
    with db.session() as s:
        rows = s.execute(select(CaseEvent.id, CaseEvent.kind, CaseEvent.at, CaseEvent.staff_name, CaseEvent.details)
                         .where(CaseEvent.case_id == case_id).order_by(CaseEvent.at, CaseEvent.id)).all()
    return [EventRow(r.id, r.kind, r.at, r.staff_name, event_payload(r.details)) for r in rows]


def case_id_of(db: Database, number: str) -> str | None:
    with db.session() as s:
        return s.scalar(select(Case.id).where(Case.number == number.strip().upper()))


def sources(events: list[EventRow], doc_type: str) -> list[EventRow]:
    """The events a document of this type reports, oldest first."""
    kinds = DOC_SOURCES[doc_type]
    return [e for e in events if e.kind in kinds]


def source_event(events: list[EventRow], doc_type: str, source: str = "") -> EventRow:
    """The event the document reports: the one named, else the newest; a Chinese refusal when none."""
    found = sources(events, doc_type)
    if source:
        match = [e for e in found if e.id == source]
        if not match:
            raise ValidationError("该办件没有这份文书")
        return match[0]
    if not found:
        raise ValidationError(NO_EVENT.get(doc_type, "该办件没有这份文书"))
    return found[-1]


def can_build_afresh(events: list[EventRow], doc_type: str, event: EventRow) -> bool:
    """A receipt or class notice reflects the case now: only its newest event may be built afresh."""
    return doc_type not in FROM_CASE_STATE or sources(events, doc_type)[-1].id == event.id


def _applicant(record: CaseRecord) -> str:
    return record.applicant_name + (f"（经办人：{record.contact_name}）" if record.contact_name else "")


def _agent(record: CaseRecord) -> str:
    if not record.agent_name:
        return ""
    return f"{record.agent_name}（{record.agent_relation}，{mask_id(record.agent_id_number)}）"


def head_of(db: Database, record: CaseRecord, settings: CenterSettings | None = None,
            event: EventRow | None = None) -> CaseHead:
    """The facts every case paper starts with; its 经办人 is whoever took the step it reports (older
    events without the staff number fall back to the case's clerk when the name is theirs)."""
    center_name, training = center_of(db)
    settings = settings or load_settings(db)
    item = record.item
    staff_name, staff_no, place = record.staff_name, record.staff_no, record.staff_workplace
    if event is not None and event.staff_name:
        same = event.staff_name == record.staff_name
        staff_name = event.staff_name
        staff_no = str(event.payload.get("by_no") or (record.staff_no if same else "—"))
        place = str(event.payload.get("by_place") or (record.staff_workplace if same else ""))
    return CaseHead(
        number=record.number, query_code=record.query_code, center_name=center_name, item_name=item.name,
        item_code=item.code, department=item.department, applicant=_applicant(record),
        applicant_id=mask_id(record.applicant_id_number), applicant_phone=mask_phone(record.applicant_phone),
        applicant_address=record.applicant_address, agent=_agent(record), staff_name=staff_name,
        staff_no=staff_no, staff_window=place, window_phone=settings.window_phone_for(place),
        supervise_phone=settings.supervise_phone_for(item.supervise_phone), consult_phone=item.consult_phone,
        training=training,
    )


def case_sheet(db: Database, record: CaseRecord, reprint_at: datetime | None,
               on_spot: EventRow | None = None) -> CaseSheet:
    """The receipt's and the class notice's data; `on_spot` adds the result of a 当场办结."""
    center_name, training = center_of(db)
    item = record.item
    received = {int(r["seq"]): r for r in record.received}
    pages = page_counts(db, record.id)  # as recorded now: the issued copy keeps this count
    lines = tuple(
        ReceivedLine(seq, item.materials[seq - 1].name, int(r["originals_kept"]), int(r["originals_checked"]),
                     int(r["copies"]), bool(r["electronic"]), pages.get(seq, 0))
        for seq, r in sorted(received.items())
        if 1 <= seq <= len(item.materials)
    )
    missing_lines = tuple(
        ReceivedLine(i, m.name, m.originals_kept, m.originals_checked, m.copies, m.electronic)
        for i, m in missing_materials(item.materials, received)
    )
    settings = load_settings(db)
    review_body, court = refusal_bodies(db, item.department, settings) if record.case_class == "rejected" else ("", "")
    note = ""
    if record.provisional and record.due_date:
        note = (f"{record.due_date.year}年国务院节假日安排尚未公布，办结日期暂按周一至周五计算；"
                "安排公布后如有调整，以调整后的日期为准，并另行告知。")
    return CaseSheet(
        number=record.number, query_code=record.query_code, center_name=center_name, case_class=record.case_class,
        class_label=record.class_label, item_name=item.name, item_code=item.code, applicant=_applicant(record),
        applicant_id=mask_id(record.applicant_id_number), applicant_phone=mask_phone(record.applicant_phone),
        applicant_address=record.applicant_address, agent=_agent(record), received=lines,
        missing=tuple(line.name for line in missing_lines), accepted=local_text(record.accepted_at),
        due=cn_date(record.due_date), provisional_note=note, time_limit_days=record.time_limit_days,
        department=item.department, lead_window=record.lead_window, co_departments=record.co_departments,
        rejection_reason=record.rejection_reason, missing_reason=record.missing_reason,
        class_reason=record.class_reason, staff_name=record.staff_name, staff_no=record.staff_no,
        staff_window=record.staff_workplace, window_phone=settings.window_phone_for(record.staff_workplace),
        supervise_phone=settings.supervise_phone_for(item.supervise_phone), consult_phone=item.consult_phone,
        location=item.location, office_hours=item.office_hours, training=training,
        reprint_at=local_text(reprint_at) if reprint_at else None,
        signed=local_text(on_spot.at if on_spot else record.accepted_at, with_time=False),
        missing_lines=missing_lines, review_body=review_body, court=court,
        result=str(on_spot.payload.get("result", "")) if on_spot else "",
        completed=local_text(on_spot.at) if on_spot else "", qr=settings.public_link(record.number),
    )


def _decision_before(events: list[EventRow], event: EventRow) -> EventRow | None:
    """The decision (准予 or 不予) a later step of the case follows."""
    earlier = [e for e in events[: events.index(event)] if e.kind in ("approved", "denied")]
    return earlier[-1] if earlier else None


def _result_text(decision: EventRow | None) -> str:
    if decision is None:
        return ""
    if decision.kind == "approved":
        return str(decision.payload.get("result", ""))
    return f"不予许可（{str(decision.payload.get('reason', '')).rstrip('。')}）"


def decision_sheet(db: Database, record: CaseRecord, event: EventRow) -> DecisionSheet:
    p = event.payload
    approve = event.kind == "approved"
    review_body, court = ("", "") if approve else refusal_bodies(db, record.item.department)
    return DecisionSheet(
        head=head_of(db, record, event=event), approve=approve, decided=local_text(event.at, with_time=False),
        result=str(p.get("result", "")), document_number=str(p.get("document_number", "")),
        amount=str(p.get("amount", "")), valid_until=iso_cn_date(p.get("valid_until")),
        reason=str(p.get("reason", "")), basis=str(p.get("basis", "")),
        department_decision=str(p.get("department_decision", "")),
        department_decision_date=iso_cn_date(p.get("department_decision_date")),
        review_body=review_body, court=court,
        collect_note="办理结果的领取时间、地点和方式，将以《办结通知书》另行告知。" if approve else "",
    )


def office_hours_text(text: str) -> str:
    """08:30-12:00,13:00-17:30 as a citizen reads it: 工作日 08:30—12:00、13:00—17:30（法定节假日除外）."""
    periods = [part.strip().replace("-", "—") for part in text.replace("，", ",").split(",") if part.strip()]
    return f"工作日 {'、'.join(periods)}（法定节假日除外）" if periods else ""


def _place(center_name: str, window: str, settings: CenterSettings) -> str:
    address = f"（{settings.center_address}）" if settings.center_address else ""
    return f"{center_name}{window}{address}"


def _bring(record: CaseRecord) -> tuple[str, ...]:
    own_id = ("经办人本人身份证件原件和单位介绍信" if record.applicant_kind == "organisation"
              else "申请人本人有效身份证件原件")
    others = "委托他人代为领取的，另带申请人签名的书面授权委托书和代领人本人身份证件原件"
    if record.agent_name:
        others = f"由代理人{record.agent_name}代为领取的，另带申请人签名的书面授权委托书和代理人本人身份证件原件"
    return ("本通知书或受理回执", own_id, others)


def completion_sheet(db: Database, record: CaseRecord, events: list[EventRow], event: EventRow) -> CompletionSheet:
    settings = load_settings(db)
    head = replace(head_of(db, record, settings, event), qr=settings.public_link(record.number))
    decision = _decision_before(events, event)
    method = str(event.payload.get("method", ""))
    dp = decision.payload if decision else {}
    return CompletionSheet(
        head=head, approve=decision is None or decision.kind == "approved",
        result=str(dp.get("result", "")) if decision is None or decision.kind == "approved"
        else "详见《不予许可决定告知书》",
        notified=local_text(event.at, with_time=False), method=method,
        method_label=DELIVERY_METHODS.get(method, method), document_number=str(dp.get("document_number", "")),
        amount=str(dp.get("amount", "")), valid_until=iso_cn_date(dp.get("valid_until")),
        place=_place(head.center_name, record.staff_workplace, settings),
        hours=office_hours_text(settings.office_hours), phone=head.window_phone or head.consult_phone,
        address=record.applicant_address, bring=_bring(record) if method == "pickup" else (),
    )


def delivery_sheet(db: Database, record: CaseRecord, events: list[EventRow], event: EventRow) -> DeliverySheet:
    settings = load_settings(db)
    head = head_of(db, record, settings, event)
    p = event.payload
    method = str(p.get("method", ""))
    decision = _decision_before(events, event)
    documents = () if decision is None else ("准予许可决定告知书" if decision.kind == "approved" else "不予许可决定告知书",)
    items = tuple(DeliveredItem(str(name), int(count)) for name, count in p.get("items", []) or [])
    receiver = str(p.get("receiver", ""))
    place = {"pickup": _place(head.center_name, record.staff_workplace, settings),
             "post": str(p.get("address", "")) or record.applicant_address,
             "agent": "申请人所在村（社区）代办点或住所", "electronic": "电子送达"}.get(method, "")
    return DeliverySheet(
        head=head, method=method, method_label=DELIVERY_METHODS.get(method, method), delivered=local_text(event.at),
        signed=local_text(event.at, with_time=False), result=_result_text(decision) or "—", documents=documents,
        items=items, receiver=receiver, receiver_id=mask_id(str(p.get("receiver_id", ""))) if p.get("receiver_id") else "",
        on_behalf=bool(p.get("authorised")) or (bool(receiver) and receiver != record.applicant_name), place=place,
        carrier=str(p.get("carrier", "")), tracking=str(p.get("tracking", "")), server=event.staff_name,
    )


def _recomputed_after(events: list[EventRow], event: EventRow) -> dict[str, Any]:
    """The deadline change recorded with a pause or an extension (the next deadline_recomputed)."""
    for later in events[events.index(event) + 1:]:
        if later.kind == "deadline_recomputed":
            return later.payload
        if later.kind in DOC_SOURCES["extension"] + DOC_SOURCES["procedure"]:
            break
    return {}


def extension_sheet(db: Database, record: CaseRecord, events: list[EventRow], event: EventRow) -> ExtensionSheet:
    p, change = event.payload, _recomputed_after(events, event)
    return ExtensionSheet(
        head=head_of(db, record, event=event), approved=local_text(event.at, with_time=False), days=int(p.get("days", 0)),
        reason=str(p.get("reason", "")), approver=str(p.get("approver", "")),
        due_before=iso_cn_date(change.get("from")), due_after=iso_cn_date(change.get("to")),
        basis=str(p.get("basis", "")), provisional=bool(change.get("provisional", False)),
    )


def procedure_sheet(db: Database, record: CaseRecord, events: list[EventRow], event: EventRow) -> ProcedureSheet:
    p = event.payload
    return ProcedureSheet(
        head=head_of(db, record, event=event), signed=local_text(event.at, with_time=False), procedure=str(p.get("procedure", "")),
        start=iso_cn_date(p.get("start")), expected_days=int(p.get("expected_days", 0)),
        due_before=iso_cn_date(_recomputed_after(events, event).get("from")), note=str(p.get("note", "")),
    )


def withdrawal_sheet(db: Database, record: CaseRecord, event: EventRow) -> WithdrawalSheet:
    materials = record.item.materials
    returned = tuple(
        ReturnedItem(int(r["seq"]), materials[int(r["seq"]) - 1].name, int(r["originals_kept"]))
        for r in record.received if 1 <= int(r["seq"]) <= len(materials) and int(r["originals_kept"]) > 0
    )
    return WithdrawalSheet(head=head_of(db, record, event=event), requested=local_text(event.at),
                           signed=local_text(event.at, with_time=False), reason=str(event.payload.get("reason", "")),
                           returned=returned)


@dataclass(frozen=True)
class FreshSheet:
    source: str  # the event it reports
    sheet: Any  # the printing module's sheet, reprint mark unset


def agency_receipt_sheet(db: Database, record: CaseRecord) -> AgencyReceiptSheet:
    """The 代办受理单: the receipt's content, issued by this agency point for the township centre."""
    identity = read_identity(db.path)
    return AgencyReceiptSheet(case_sheet(db, record, None), agency_name=identity.node_name if identity else "")


def fresh_case_sheet(db: Database, doc_type: str, number: str, source: str = "") -> FreshSheet:
    """The document of a case as it would be issued now, for the event named (else the newest)."""
    record = get_case(db, number)
    if record is None:
        raise ValidationError(f"没有编号为 {number} 的办件")
    if doc_type == "slip" and record.case_class == "immediate":
        raise ValidationError(IMMEDIATE_HAS_NO_SLIP)
    events = case_events(db, record.id)
    if doc_type in FROM_CASE_STATE and not source and not sources(events, doc_type):
        return FreshSheet("", case_sheet(db, record, None))  # a case with no recorded acceptance (old data)
    event = source_event(events, doc_type, source)
    if not can_build_afresh(events, doc_type, event):
        raise ValidationError("这份文书在办件情况变化前未曾出具，无法补打")
    builders = {
        "receipt": lambda: case_sheet(db, record, None, event if event.kind == "completed_on_spot" else None),
        "agency": lambda: agency_receipt_sheet(db, record),
        "slip": lambda: case_sheet(db, record, None),
        "decision": lambda: decision_sheet(db, record, event),
        "completion": lambda: completion_sheet(db, record, events, event),
        "delivery": lambda: delivery_sheet(db, record, events, event),
        "extension": lambda: extension_sheet(db, record, events, event),
        "procedure": lambda: procedure_sheet(db, record, events, event),
        "withdrawal": lambda: withdrawal_sheet(db, record, event),
    }
    return FreshSheet(event.id, builders[doc_type]())

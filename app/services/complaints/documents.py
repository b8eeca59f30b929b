"""The complaint's papers as plain sheets for app.printing.complaint_pdf: the 投诉登记回执 and the 投诉答复书.

app.services.documents keeps each paper as issued and renders the stored one, marked 补打, on a
reprint; this module builds a paper as it would be issued now, from the complaint and its events.
A receipt is one per complaint (kept under no event). A reply is the latest written reply: it is
kept under that reply's event, so after 重新核实 a new written reply is a new paper and the first one
still reprints as it was handed out. Oral replies have no paper; a complaint without a written reply
is refused in Chinese.

Confidential complaints: both papers go to the complainant, so they show the complainant's own name
(the confidentiality screens apply to the clerks, not to the person it protects), the phone masked
as on every paper, and the receipt says who may see the identity. Nothing personal goes into the
barcodes, which carry the number alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.actor import Actor
from app.database import Database
from app.models import Complaint, ComplaintEvent, Staff
from app.printing.complaint_pdf import ComplaintReceiptSheet, ComplaintReplySheet
from app.services.cases.documents import center_of, local_text
from app.services.complaints.categories import CATEGORIES, CHANNELS, FINDINGS, MODES
from app.services.complaints.complaints import find, fold
from app.services.errors import ValidationError
from app.services.masking import mask_phone
from app.services.people.permissions import SEE_CONFIDENTIAL_COMPLAINANT, require
from app.services.settings import load_settings

RECEIPT = "cmp_receipt"
REPLY = "cmp_reply"
COMPLAINT_DOCS = frozenset({RECEIPT, REPLY})
NO_WRITTEN_REPLY = "该投诉尚未书面答复，没有投诉答复书（口头答复不出具答复书）"
ANONYMOUS = "匿名"


def cn_day(day: date) -> str:
    """"2026年12月7日", as the papers write a date."""
    return f"{day.year}年{day.month}月{day.day}日"


def _iso_day(text: object) -> str:
    try:
        return cn_day(date.fromisoformat(str(text))) if text else ""
    except ValueError:
        return ""


@dataclass(frozen=True)
class _Event:
    id: str
    kind: str
    at: datetime
    staff_name: str
    details: dict[str, object]


@dataclass(frozen=True)
class _Loaded:
    complaint: Complaint
    events: list[_Event]
    staff_name: str  # the name of the staff member complained about, "" when none or unknown


def complaint_number(db: Database, key: str) -> str:
    """The complaint's number from its number or id (as the complaints commands accept), or a refusal."""
    if not key.strip() or len(key.strip()) > 40:
        raise ValidationError("请填写投诉编号")
    with db.session() as s:
        return find(s, key).number


def ensure_may_reprint(db: Database, reader: Actor, number: str) -> None:
    """A confidential complaint's papers name the complainant: handed to them once, reprinted only by
    someone who may see who they are (the director); a clerk's list shows （保密）, and so must paper."""
    with db.session() as s:
        confidential = find(s, number).confidential
    if confidential:
        require(reader, SEE_CONFIDENTIAL_COMPLAINANT)


def _load(db: Database, number: str) -> _Loaded:
    with db.session() as s:
        complaint = find(s, number)
        rows = s.execute(select(ComplaintEvent.id, ComplaintEvent.kind, ComplaintEvent.at, ComplaintEvent.staff_name,
                                ComplaintEvent.details).where(ComplaintEvent.complaint_id == complaint.id)
                         .order_by(ComplaintEvent.at, ComplaintEvent.id)).all()
        staff = s.scalar(select(Staff.name).where(Staff.staff_no == complaint.staff_no)) if complaint.staff_no else None
        s.expunge(complaint)
    events = [_Event(r.id, r.kind, r.at, r.staff_name, _payload(r.details)) for r in rows]
    return _Loaded(complaint, events, staff or "")


def _payload(details: str) -> dict[str, object]:
    try:
        value = json.loads(details or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _written_replies(events: list[_Event]) -> list[_Event]:
    return [e for e in events if e.kind == "replied" and e.details.get("form") == "written"]


def complaint_source(db: Database, doc_type: str, number: str) -> str:
    """The event a complaint paper is kept under: none for the receipt, the latest written reply for
    the reply (refused in Chinese when there is none)."""
    if doc_type == RECEIPT:
        complaint_number(db, number)  # an unknown number is refused here, before anything else
        return ""
    replies = _written_replies(_load(db, number).events)
    if not replies:
        raise ValidationError(NO_WRITTEN_REPLY)
    return replies[-1].id


def subject_text(c: Complaint, staff_name: str) -> str:
    """What the complaint is about: the staff member, window, item and case it names."""
    parts = []
    if c.staff_no:
        parts.append(f"被投诉人：{staff_name}（工号{c.staff_no}）" if staff_name else f"被投诉人工号：{c.staff_no}")
    if c.window:
        parts.append(f"窗口：{c.window}")
    if c.item:
        parts.append(f"事项：{c.item}")
    if c.case_number:
        parts.append(f"办件编号：{c.case_number}")
    return "；".join(parts)


def _handling(events: list[_Event], before: datetime | None = None) -> tuple[str, str, str]:
    """(mode label, department, the department's due date) of the latest handing-over (before a moment)."""
    handled = [e for e in events if e.kind == "handled" and (before is None or e.at <= before)]
    if not handled:
        return "", "", ""
    details = handled[-1].details
    mode = str(details.get("mode", ""))
    return MODES.get(mode, mode), str(details.get("department", "")), _iso_day(details.get("due"))


def _common(db: Database, loaded: _Loaded) -> dict[str, object]:
    c = loaded.complaint
    center_name, training = center_of(db)
    settings = load_settings(db)
    return {
        "number": c.number, "center_name": center_name, "training": training,
        "category": f"{c.category}．{CATEGORIES.get(c.category, '')}", "channel": CHANNELS.get(c.channel, c.channel),
        "registered": local_text(c.registered_at), "subject": subject_text(c, loaded.staff_name),
        "content": c.content, "center_phone": settings.center_phone,
        "supervise_phone": settings.supervise_phone_for(),
    }


def receipt_sheet(db: Database, number: str) -> ComplaintReceiptSheet:
    """The 投诉登记回执 as it would be handed out now."""
    loaded = _load(db, number)
    c = loaded.complaint
    mode, department, handling_due = _handling(loaded.events)
    registered = next((e for e in loaded.events if e.kind == "registered"), None)
    return ComplaintReceiptSheet(
        **_common(db, loaded),  # type: ignore[arg-type]
        complainant=ANONYMOUS if c.anonymous else c.name,
        complainant_phone="" if c.anonymous or not c.phone else mask_phone(c.phone),
        anonymous=c.anonymous, confidential=c.confidential, mode=mode, department=department,
        handling_due=handling_due, reply_due=cn_day(c.due_date),
        registered_by=registered.staff_name if registered else "",
        signed=cn_day(c.registered_at.astimezone().date()),
    )


def reply_sheet(db: Database, number: str, source: str = "") -> ComplaintReplySheet:
    """The 投诉答复书 of a written reply (`source`: its event; empty: the latest)."""
    loaded = _load(db, number)
    replies = _written_replies(loaded.events)
    if source:
        replies = [e for e in replies if e.id == source]
    if not replies:
        raise ValidationError(NO_WRITTEN_REPLY)
    answer = replies[-1]
    c = loaded.complaint
    mode, department, _due = _handling(loaded.events, answer.at)
    state = fold([(e.kind, e.details) for e in loaded.events])
    return ComplaintReplySheet(
        **_common(db, loaded),  # type: ignore[arg-type]
        complainant=ANONYMOUS if c.anonymous else c.name, mode=mode, department=department,
        finding=FINDINGS.get(state.finding, ""), reply_text=str(answer.details.get("text", "")),
        replied=local_text(answer.at), replied_by=answer.staff_name,
        signed=cn_day(answer.at.astimezone().date()),
    )


def complaint_sheet(db: Database, doc_type: str, number: str, source: str = "") -> object:
    """The sheet of a complaint paper, as app.services.documents._fresh asks for it."""
    if doc_type == RECEIPT:
        return receipt_sheet(db, number)
    if doc_type == REPLY:
        return reply_sheet(db, number, source)
    raise ValidationError(f"没有“{doc_type}”这种投诉文书")

"""The text message that confirms an appointment and tells the citizen what to bring (预约短信).

As with the 办结通知 (app.services.cases.sms) there is no SMS gateway yet: the text is shown to the clerk,
who copies it into a phone or reads it out. It stays within one 140-character message: the centre's
signature, the name, the day and slot, the window, the item, the required materials of the attached
one-time notice by name (as many as fit, then 等N项: a phone or online booker never saw the notice) and
the two numbers to quote.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import select

from app.database import Database
from app.models import NodeInfo, Notice
from app.services.appointments.booking import AppointmentRecord
from app.services.cases.sms import SMS_LIMIT, SmsMessage, shortened
from app.services.catalog.data import item_from_dict, missing_materials

NAME_CHARS = 14  # one material's name at most, so one long name does not crowd out the rest


def materials_phrase(names: Sequence[str], room: int, shortest: bool = False) -> str:
    """请备齐 and the materials by name, as many as fit in `room` characters, then 等N项: a phone or online
    booker never saw the notice, so its number alone does not tell them what to bring. `shortest`: the
    phrase with one name only (what a long item name is shortened to leave room for)."""
    if not names:
        return "请携带身份证件"
    short = [shortened(n.strip(), NAME_CHARS) for n in names]
    whole = f"请备齐{'、'.join(short)}" + (f"共{len(short)}项材料" if len(short) > 1 else "")
    if len(whole) <= room or (shortest and len(short) == 1):
        return whole
    for shown in range(1 if shortest else len(short) - 1, 0, -1):
        text = f"请备齐{'、'.join(short[:shown])}等{len(short)}项材料"
        if len(text) <= room or shortest:
            return text
    return f"请备齐告知书所列{len(short)}项材料"


def appointment_sms_text(center: str, record: AppointmentRecord, materials: Sequence[str]) -> SmsMessage:
    """The message for one appointment; `materials`: the names of the materials the attached notice lists."""
    when = f"{record.day.month}月{record.day.day}日{record.slot}"
    where = f"上门服务（{shortened(record.address, 30)}）" if record.kind == "home" else f"到{record.window}"
    head = f"【{shortened(center, 16)}】{shortened(record.citizen_name, 12)}您好，您已预约{when}{where}办理“"
    number = f"”，预约号{record.number}。"
    notice = f"（告知书{record.notice_number}）。"
    fixed = len(head) + len(number) + len(notice)
    item = shortened(record.item_name, max(SMS_LIMIT - fixed - len(materials_phrase(materials, 0, shortest=True)), 6))
    room = SMS_LIMIT - len(head) - len(item) - len(number) - len(notice)
    text = head + item + number + materials_phrase(materials, room) + notice
    return SmsMessage(record.citizen_phone, shortened(text, SMS_LIMIT))


def appointment_sms(db: Database, record: AppointmentRecord) -> SmsMessage:
    """The message for a stored appointment, naming the required materials of the notice issued with it."""
    with db.session() as s:
        center = s.scalar(select(NodeInfo.center_name).limit(1)) or ""
        snapshot = s.scalar(select(Notice.item_snapshot).where(Notice.number == record.notice_number))
    names = ([m.name for _seq, m in missing_materials(item_from_dict(json.loads(snapshot)).materials, set())]
             if snapshot else [])
    return appointment_sms_text(center, record, names)

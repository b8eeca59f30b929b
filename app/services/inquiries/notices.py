"""One-time notices (一次性告知书): the full material list of an item, with what is still missing.

A notice stores the item as it stood when told, so that a reprint or a scan at the next visit
shows exactly what the citizen was given, even after the catalogue has changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import Inquiry, Notice, PrintRecord, ServiceItem, Staff
from app.services import field_rules as rules
from app.services.catalog.data import (
    ItemData,
    MaterialData,
    conditional_materials,
    item_from_dict,
    item_to_dict,
    missing_materials,
)
from app.services.catalog.items import to_data
from app.services.errors import ValidationError
from app.services.numbering import floor_for, next_number
from app.services.paging import PAGE_SIZE, STREAM_CHUNK, Page, check_window
from app.services.validation import check_phone


@dataclass
class NoticeForm:
    item_code: str
    citizen_name: str
    present: list[int]  # numbers (seq, from 1) of the materials the citizen already has
    citizen_phone: str = ""
    note: str = ""
    inquiry_id: str | None = None
    follows_number: str = ""


@dataclass(frozen=True)
class NoticeRecord:
    id: str
    number: str
    issued_at: datetime
    citizen_name: str
    citizen_phone: str
    item: ItemData
    present: frozenset[int]
    note: str
    staff_name: str
    staff_no: str
    staff_workplace: str
    staff_phone: str
    inquiry_number: str
    follows_number: str
    prints: int

    def is_present(self, seq: int) -> bool:
        return seq in self.present

    @property
    def missing(self) -> list[tuple[int, MaterialData]]:
        """Required materials the citizen has not brought."""
        return missing_materials(self.item.materials, self.present)

    @property
    def missing_conditional(self) -> list[tuple[int, MaterialData]]:
        """Materials needed only in some situations, not brought: to be supplied if they apply."""
        return conditional_materials(self.item.materials, self.present)


@dataclass(frozen=True)
class NoticeSummary:
    number: str
    issued_at: datetime
    citizen_name: str
    item_code: str
    item_name: str
    staff_name: str
    staff_no: str
    missing_count: int


def validate_notice(form: NoticeForm, material_count: int) -> dict[str, str]:
    checks = {
        "citizen_name": rules.CITIZEN_NAME.with_label("申请人（咨询人）姓名").check(form.citizen_name),
        "citizen_phone": check_phone(form.citizen_phone, "联系电话"),
        "note": rules.NOTICE_NOTE.check(form.note, required=False),
        "item_code": None if form.item_code.strip() else "请选择办理事项",
        "present": None
        if all(1 <= p <= material_count for p in form.present)
        else "勾选的材料不在该事项的材料清单中",
    }
    return {k: v for k, v in checks.items() if v}


def create_notice(db: Database, actor: Actor, form: NoticeForm, now: datetime | None = None) -> str:
    """Record a notice and return its number; nothing is written if any field is wrong."""
    now = now or utc_now()
    with db.session(actor) as s:
        item = s.scalar(
            select(ServiceItem).options(selectinload(ServiceItem.materials)).where(ServiceItem.code == form.item_code)
        )
        errors = validate_notice(form, len(item.materials) if item else 0)
        if item is None and "item_code" not in errors:
            errors["item_code"] = f"事项清单中没有编码为 {form.item_code} 的事项"
        if item is not None and item.retired_on is not None and item.retired_on <= now.astimezone().date():
            errors["item_code"] = f"事项“{item.name}”已于{item.retired_on.isoformat()}停用，不能再出具告知书"
        if errors:
            raise ValidationError("告知书信息有误，未保存", list(errors.values()))
        assert item is not None
        staff = s.get(Staff, actor.staff_id) if actor.staff_id else None
        if form.inquiry_id is not None and s.get(Inquiry, form.inquiry_id) is None:
            raise ValidationError("关联的首问登记不存在")
        notice = Notice(
            number=next_number(s, "notice", now.astimezone().date(), floor_for(db.path)),
            issued_at=now,
            citizen_name=form.citizen_name.strip(),
            citizen_phone=form.citizen_phone.strip(),
            item_code=item.code,
            item_name=item.name,
            item_snapshot=json.dumps(item_to_dict(to_data(item)), ensure_ascii=False, sort_keys=True),
            present=json.dumps(sorted(set(form.present))),
            note=form.note.strip(),
            staff_id=actor.staff_id,
            staff_name=actor.name,
            staff_no=actor.staff_no,
            staff_workplace=actor.workplace,
            staff_phone=staff.phone if staff else "",
            inquiry_id=form.inquiry_id,
            follows_number=form.follows_number,
        )
        s.add(notice)
        s.flush()
        return notice.number


def get_notice(db: Database, number: str) -> NoticeRecord | None:
    with db.session() as s:
        notice = s.scalar(select(Notice).where(Notice.number == number.strip().upper()))
        if notice is None:
            return None
        inquiry = s.get(Inquiry, notice.inquiry_id) if notice.inquiry_id else None
        prints = s.scalar(
            select(func.count()).where(PrintRecord.doc_type == "notice", PrintRecord.doc_number == notice.number)
        )
        return NoticeRecord(
            id=notice.id,
            number=notice.number,
            issued_at=notice.issued_at,
            citizen_name=notice.citizen_name,
            citizen_phone=notice.citizen_phone,
            item=item_from_dict(json.loads(notice.item_snapshot)),
            present=frozenset(json.loads(notice.present)),
            note=notice.note,
            staff_name=notice.staff_name,
            staff_no=notice.staff_no,
            staff_workplace=notice.staff_workplace,
            staff_phone=notice.staff_phone,
            inquiry_number=inquiry.number if inquiry else "",
            follows_number=notice.follows_number,
            prints=prints or 0,
        )


def _summary(n: Notice) -> NoticeSummary:
    item = item_from_dict(json.loads(n.item_snapshot))
    present = set(json.loads(n.present))
    missing = len(missing_materials(item.materials, present))
    return NoticeSummary(n.number, n.issued_at, n.citizen_name, n.item_code, n.item_name, n.staff_name,
                         n.staff_no, missing)


_NEWEST_FIRST = (Notice.issued_at.desc(), Notice.number.desc())


def page_notices(db: Database, offset: int = 0, limit: int = PAGE_SIZE) -> Page[NoticeSummary]:
    """One screenful of notices, newest first, with how many there are in all."""
    check_window(offset, limit)
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(Notice)) or 0
        rows = s.scalars(select(Notice).order_by(*_NEWEST_FIRST).offset(offset).limit(limit))
        return Page([_summary(n) for n in rows], total, offset)


def iter_notices(db: Database) -> Iterator[NoticeSummary]:
    """Every notice, newest first, read in chunks from one query: memory stays flat."""
    with db.session() as s:
        query = select(Notice).order_by(*_NEWEST_FIRST).execution_options(yield_per=STREAM_CHUNK)
        for notice in s.scalars(query):
            yield _summary(notice)


def list_notices(db: Database) -> list[NoticeSummary]:
    """Every notice, newest first (no hidden cap)."""
    return list(iter_notices(db))


def print_count(db: Database, doc_type: str, number: str) -> int:
    with db.session() as s:
        return s.scalar(
            select(func.count()).where(PrintRecord.doc_type == doc_type, PrintRecord.doc_number == number)
        ) or 0


def record_print(db: Database, actor: Actor, doc_type: str, number: str, target: str,
                 now: datetime | None = None) -> bool:
    """Log a print that succeeded; returns True when it was a reprint (补打)."""
    with db.session(actor) as s:
        earlier = s.scalar(
            select(func.count()).where(PrintRecord.doc_type == doc_type, PrintRecord.doc_number == number)
        ) or 0
        s.add(
            PrintRecord(
                doc_type=doc_type,
                doc_number=number,
                printed_at=now or utc_now(),
                staff_id=actor.staff_id,
                staff_name=actor.name,
                reprint=earlier > 0,
                target=target,
            )
        )
        return earlier > 0

"""The first-inquiry register (首问登记): every question logged with its first responder and outcome.

An inquiry is either answered, answered with a one-time notice, or - when the matter is not the
centre's - referred to a named department with the reason; there is no way to record a refusal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import CHANNELS, OUTCOMES, Case, Department, Inquiry, Notice, ServiceItem
from app.progress import NO_PROGRESS, Progress
from app.services import field_rules as rules
from app.services.errors import ValidationError
from app.services.numbering import floor_for, next_number
from app.services.paging import PAGE_SIZE, STREAM_CHUNK, Page, check_window
from app.services.search_text import clean_search, like_pattern
from app.services.spreadsheet import write_rows
from app.services.validation import check_phone


@dataclass
class InquiryForm:
    citizen_name: str
    citizen_phone: str
    channel: str
    question: str
    outcome: str
    item_code: str = ""
    answer: str = ""  # the answer given, or why the matter is not the centre's
    department_id: str | None = None


@dataclass(frozen=True)
class InquiryRecord:
    id: str
    number: str
    asked_at: datetime
    citizen_name: str
    citizen_phone: str
    channel: str
    question: str
    item_code: str
    item_name: str
    outcome: str
    answer: str
    responder_name: str
    responder_no: str
    department_name: str = ""
    department_address: str = ""
    department_phone: str = ""
    department_hours: str = ""
    department_duties: str = ""
    notice_numbers: tuple[str, ...] = ()
    case_numbers: tuple[str, ...] = ()  # cases accepted from those notices: where the matter ended up

    @property
    def channel_label(self) -> str:
        return CHANNELS.get(self.channel, self.channel)

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome, self.outcome)

    @property
    def follow_up(self) -> str:
        """Where the matter went: the department referred to, or the notices and the cases that followed."""
        if self.outcome == "referred":
            return f"转介至{self.department_name}"
        notices = "、".join(self.notice_numbers)
        return f"{notices}，已受理办件 {'、'.join(self.case_numbers)}" if self.case_numbers else notices


@dataclass
class InquiryFilter:
    date_from: date | None = None
    date_to: date | None = None
    responder_no: str = ""
    channel: str = ""
    outcome: str = ""
    text: str = ""


def validate_inquiry(form: InquiryForm) -> dict[str, str]:
    checks: dict[str, str | None] = {
        "citizen_name": rules.CITIZEN_NAME.check(form.citizen_name),
        "citizen_phone": check_phone(form.citizen_phone, "联系电话", required=True),
        "channel": None if form.channel in CHANNELS else "请选择咨询渠道",
        "question": rules.QUESTION.check(form.question),
        "outcome": None if form.outcome in OUTCOMES else "请选择处理结果",
    }
    checks["answer"] = rules.ANSWER.check(form.answer, required=False)
    if form.outcome == "answered" and not form.answer.strip():
        checks["answer"] = "请填写答复内容"
    if form.outcome == "notice" and not form.item_code.strip():
        checks["item_code"] = "出具一次性告知书须选择办理事项"
    if form.outcome == "referred":
        if not form.department_id:
            checks["department_id"] = "不属本中心受理范围的，须选择转介部门"
        if not form.answer.strip():
            checks["answer"] = "请说明不属本中心受理范围的原因"
    return {k: v for k, v in checks.items() if v}


def register_inquiry(db: Database, actor: Actor, form: InquiryForm, now: datetime | None = None) -> InquiryRecord:
    """Log the inquiry with the actor as first responder; raises ValidationError, writing nothing."""
    errors = validate_inquiry(form)
    if errors:
        raise ValidationError("首问登记信息不完整，未保存", list(errors.values()))
    now = now or utc_now()
    with db.session(actor) as s:
        if form.item_code and s.scalar(select(ServiceItem.id).where(ServiceItem.code == form.item_code)) is None:
            raise ValidationError(f"事项清单中没有编码为 {form.item_code} 的事项")
        if form.department_id is not None:
            department = s.get(Department, form.department_id)
            if department is None or not department.active:
                raise ValidationError("所选转介部门不存在或已停用")
        inquiry = Inquiry(
            number=next_number(s, "inquiry", now.astimezone().date(), floor_for(db.path)),
            asked_at=now,
            citizen_name=form.citizen_name.strip(),
            citizen_phone=form.citizen_phone.strip(),
            channel=form.channel,
            question=form.question.strip(),
            item_code=form.item_code.strip(),
            outcome=form.outcome,
            answer=form.answer.strip(),
            department_id=form.department_id if form.outcome == "referred" else None,
            responder_id=actor.staff_id,
            responder_name=actor.name,
            responder_no=actor.staff_no,
        )
        s.add(inquiry)
        s.flush()
        number = inquiry.number
    record = get_inquiry(db, number)
    assert record is not None
    return record


def _local_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone()


def _select_records(*conditions: object) -> Select[Inquiry, Department, str]:
    return (
        select(Inquiry, Department, ServiceItem.name)
        .outerjoin(Department, Department.id == Inquiry.department_id)
        .outerjoin(ServiceItem, ServiceItem.code == Inquiry.item_code)
        .where(*conditions)  # type: ignore[arg-type]
    )


def _to_records(s: Session, rows: Sequence[Row[Inquiry, Department, str]]) -> list[InquiryRecord]:
    """Records for a batch of rows, with the notices each inquiry led to (one query per batch)."""
    ids = [r[0].id for r in rows]
    notices: dict[str, list[str]] = {}
    for inquiry_id, number in s.execute(
        select(Notice.inquiry_id, Notice.number).where(Notice.inquiry_id.in_(ids)).order_by(Notice.number)
    ):
        if inquiry_id is not None:
            notices.setdefault(inquiry_id, []).append(number)
    cases: dict[str, list[str]] = {}  # by notice number
    issued = [n for numbers in notices.values() for n in numbers]
    if issued:  # most inquiries led to no notice: no case query for them
        for notice_number, case_number in s.execute(
            select(Case.notice_number, Case.number).where(Case.notice_number.in_(issued)).order_by(Case.number)
        ):
            cases.setdefault(notice_number, []).append(case_number)
    return [
        InquiryRecord(
            id=i.id,
            number=i.number,
            asked_at=i.asked_at,
            citizen_name=i.citizen_name,
            citizen_phone=i.citizen_phone,
            channel=i.channel,
            question=i.question,
            item_code=i.item_code,
            item_name=item_name or "",
            outcome=i.outcome,
            answer=i.answer,
            responder_name=i.responder_name,
            responder_no=i.responder_no,
            department_name=d.name if d else "",
            department_address=d.address if d else "",
            department_phone=d.phone if d else "",
            department_hours=d.office_hours if d else "",
            department_duties=d.duties if d else "",
            notice_numbers=tuple(notices.get(i.id, [])),
            case_numbers=tuple(c for n in notices.get(i.id, []) for c in cases.get(n, [])),
        )
        for i, d, item_name in rows
    ]


def get_inquiry(db: Database, number: str) -> InquiryRecord | None:
    with db.session() as s:
        records = _to_records(s, s.execute(_select_records(Inquiry.number == number.strip()).limit(1)).all())
    return records[0] if records else None


def _conditions(flt: InquiryFilter) -> list[object]:
    conditions: list[object] = []
    if flt.date_from:
        conditions.append(Inquiry.asked_at >= _local_day_start(flt.date_from))
    if flt.date_to:
        conditions.append(Inquiry.asked_at < _local_day_start(flt.date_to + timedelta(days=1)))
    if flt.responder_no:
        conditions.append(Inquiry.responder_no == flt.responder_no)
    if flt.channel:
        conditions.append(Inquiry.channel == flt.channel)
    if flt.outcome:
        conditions.append(Inquiry.outcome == flt.outcome)
    text = clean_search(flt.text)
    if text:
        pattern = like_pattern(text)
        conditions.append(
            or_(
                Inquiry.citizen_name.like(pattern, escape="\\"),
                Inquiry.citizen_phone.like(pattern, escape="\\"),
                Inquiry.question.like(pattern, escape="\\"),
                Inquiry.answer.like(pattern, escape="\\"),
                Inquiry.number.like(pattern, escape="\\"),
                Inquiry.item_code.like(pattern, escape="\\"),
            )
        )
    return conditions


def page_inquiries(db: Database, flt: InquiryFilter | None = None, offset: int = 0,
                   limit: int = PAGE_SIZE) -> Page[InquiryRecord]:
    """One screenful of the register, newest first, with how many entries match in all (共 N 条)."""
    check_window(offset, limit)
    conditions = _conditions(flt or InquiryFilter())
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(Inquiry).where(*conditions)) or 0  # type: ignore[arg-type]
        query = _select_records(*conditions).order_by(Inquiry.asked_at.desc(), Inquiry.number.desc())
        return Page(_to_records(s, s.execute(query.offset(offset).limit(limit)).all()), total, offset)


def count_inquiries(db: Database, flt: InquiryFilter | None = None) -> int:
    """How many entries the filter matches (the total a long export or ledger reports progress against)."""
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Inquiry).where(*_conditions(flt or InquiryFilter()))) or 0  # type: ignore[arg-type]


def iter_inquiries(db: Database, flt: InquiryFilter | None = None,
                   oldest_first: bool = False) -> Iterator[InquiryRecord]:
    """Every matching entry, read in chunks from one query, so a year's register takes flat memory."""
    query = _select_records(*_conditions(flt or InquiryFilter()))
    if oldest_first:
        query = query.order_by(Inquiry.asked_at, Inquiry.number)
    else:
        query = query.order_by(Inquiry.asked_at.desc(), Inquiry.number.desc())
    with db.session() as s:
        for rows in s.execute(query.execution_options(yield_per=STREAM_CHUNK)).partitions():
            yield from _to_records(s, rows)


def list_inquiries(db: Database, flt: InquiryFilter | None = None) -> list[InquiryRecord]:
    """Every matching entry, newest first (no hidden cap: the register is the record)."""
    return list(iter_inquiries(db, flt))


EXPORT_COLUMNS = [
    "登记号", "登记时间", "咨询人", "联系电话", "渠道", "咨询内容", "相关事项编码", "相关事项", "处理结果",
    "答复或说明", "转介部门", "转介部门电话", "一次性告知书", "后续受理办件编号", "首问责任人", "工号",
]
EXPORTING = "正在导出首问登记"


def export_xlsx(records: Iterable[InquiryRecord], path: Path, total: int = 0,
                progress: Progress = NO_PROGRESS) -> int:
    """The register as a spreadsheet for the centre's statistics (full numbers, not masked).

    Rows are written in the order given and streamed (a write-only workbook keeps no cells in memory);
    the file appears only when complete, so a failure or a cancel (between rows, app.progress) leaves
    no half-written spreadsheet and an older file of that name as it was. `total` is what progress
    counts against (0: unknown). Returns the number of entries written.
    """
    rows = ([r.number, r.asked_at.astimezone().strftime("%Y-%m-%d %H:%M"), r.citizen_name, r.citizen_phone,
             r.channel_label, r.question, r.item_code, r.item_name, r.outcome_label, r.answer,
             r.department_name, r.department_phone, "、".join(r.notice_numbers), "、".join(r.case_numbers),
             r.responder_name, r.responder_no] for r in records)
    return write_rows(path, "首问登记簿", EXPORT_COLUMNS, rows, total, progress, doing=EXPORTING)


def export_inquiries(db: Database, path: Path, flt: InquiryFilter | None = None,
                     progress: Progress = NO_PROGRESS) -> int:
    """Every entry the filter matches, oldest first, streamed into the spreadsheet; returns the count.
    Cancelled through `progress` (app.progress.Cancelled), it writes no file at all."""
    if path.suffix.lower() != ".xlsx":
        raise ValidationError("导出文件应以 .xlsx 结尾")
    progress.busy(EXPORTING)
    total = count_inquiries(db, flt)
    return export_xlsx(iter_inquiries(db, flt, oldest_first=True), path, total, progress)

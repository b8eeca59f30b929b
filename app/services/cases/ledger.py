"""办件登记簿: every case a filter matches, oldest first, as ledger lines; to Excel and to a printed ledger.

There is no row cap: the cases are read in chunks from one query (app.services.paging.STREAM_CHUNK),
each chunk's completion events in one more query, so a year of a busy centre exports in flat memory.
Each line takes the case's projection as the case list shows it (app.services.cases.records: state,
due date, today's light; the trip count cached on the case): nothing is worked out again here.
Overdue is counted in working days: today's light for an open case, and for a decided one what was
recorded when it was decided (app.services.cases.actions). The spreadsheet appears only when
complete; a cancel (app.progress) between rows leaves no file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.clock import utc_now
from app.database import Database
from app.models import Case, CaseEvent
from app.models.cases import CASE_CLASS_LABELS, class_label
from app.progress import NO_PROGRESS, Progress
from app.services.cases import lifecycle as life
from app.services.cases import records
from app.services.cases.records import CaseRecord
from app.services.errors import ValidationError
from app.services.input_limits import check_day
from app.services.masking import mask_id
from app.services.settings import load_settings
from app.services.spreadsheet import write_rows

# The events that end a case (办结, 撤回, 终止), and those that record how late a decision came.
ENDED_BY = frozenset(t.action for t in life.TRANSITIONS if t.target in life.CLOSED_STATES - {"archived"})
DECIDED_BY = frozenset({"approved", "denied", "completed_on_spot"})
COLUMNS = ("序号", "办件编号", "受理日期", "事项编码", "事项", "申请人", "证件号码", "办件类型", "承诺/到期日",
           "状态", "办结日期", "经办人", "工号", "跑动次数", "超期（工作日）")
EXPORTING = "正在导出办件登记簿"
READING = "正在读取办件"


@dataclass(frozen=True)
class LedgerFilter:
    """Which cases: accepted within the dates (local days, both included), in a state, of a class,
    accepted by a clerk (工号), for an item (事项编码). Empty means any."""

    date_from: date | None = None
    date_to: date | None = None
    status: str = ""
    case_class: str = ""
    staff_no: str = ""
    item_code: str = ""

    @property
    def period(self) -> str:
        if not (self.date_from or self.date_to):
            return "全部"
        start = self.date_from.isoformat() if self.date_from else "最早"
        return f"{start} 至 {self.date_to.isoformat() if self.date_to else '今天'}"

    @property
    def conditions(self) -> str:
        """The filter in words, for the ledger's heading ("状态：办理中；经办人工号：8001")."""
        parts = [f"状态：{life.state_label(self.status)}" if self.status else "",
                 f"办件类型：{class_label(self.case_class)}" if self.case_class else "",
                 f"经办人工号：{self.staff_no}" if self.staff_no else "",
                 f"事项编码：{self.item_code}" if self.item_code else ""]
        return "；".join(p for p in parts if p) or "全部办件"


def resolve(text: str, labels: dict[str, str], what: str) -> str:
    """A code typed as its key ("accepted") or its Chinese name ("办理中"); "" stays "" (any)."""
    value = text.strip()
    if not value or value in labels:
        return value
    for key, label in labels.items():
        if label == value:
            return key
    raise ValidationError(f"{what}“{value[:20]}”不存在，可选：{'、'.join(labels.values())}")


def class_labels(custom: Sequence[str] = ()) -> dict[str, str]:
    """The five classes and the centre's own (x:上报件), key → name."""
    return {**CASE_CLASS_LABELS, **{key: class_label(key) for key in custom}}


def check_filter(flt: LedgerFilter, custom_classes: Sequence[str] = ()) -> LedgerFilter:
    """The filter with its codes resolved, or a ValidationError saying in Chinese what is wrong."""
    for day, label in ((flt.date_from, "起始日期"), (flt.date_to, "截止日期")):
        if day is not None:
            check_day(day, label)
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise ValidationError("起始日期不能晚于截止日期")
    if len(flt.staff_no.strip()) > 20 or len(flt.item_code.strip()) > 40:
        raise ValidationError("工号不超过20个字符，事项编码不超过40个字符")
    return LedgerFilter(flt.date_from, flt.date_to, resolve(flt.status, life.STATES, "状态"),
                        resolve(flt.case_class, class_labels(custom_classes), "办件类型"), flt.staff_no.strip(),
                        flt.item_code.strip().upper())


def _checked(db: Database, flt: LedgerFilter | None) -> LedgerFilter:
    return check_filter(flt or LedgerFilter(), load_settings(db).custom_classes())


@dataclass(frozen=True)
class LedgerLine:
    seq: int
    number: str
    accepted: date
    item_code: str
    item_name: str
    applicant: str
    applicant_id: str  # masked: 220821********1234
    case_class: str  # its Chinese name
    due_date: date | None
    provisional: bool
    status: str  # its Chinese name
    ended: date | None  # 办结 (or withdrawn, terminated; a 退办件 at its refusal)
    staff_name: str
    staff_no: str
    trips: int
    overdue_days: int  # working days past the due date (0: on time, or not due yet)

    @property
    def due_text(self) -> str:
        return "" if self.due_date is None else self.due_date.isoformat() + ("（暂定）" if self.provisional else "")


def _local_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone()


def _conditions(flt: LedgerFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if flt.date_from:
        conditions.append(Case.accepted_at >= _local_day_start(flt.date_from))
    if flt.date_to:
        conditions.append(Case.accepted_at < _local_day_start(flt.date_to + timedelta(days=1)))
    if flt.status:
        conditions.append(Case.status == flt.status)
    if flt.case_class:
        conditions.append(Case.case_class == flt.case_class)
    if flt.staff_no:
        conditions.append(Case.staff_no == flt.staff_no)
    if flt.item_code:
        conditions.append(Case.item_code == flt.item_code)
    return conditions


def count_ledger(db: Database, flt: LedgerFilter | None = None) -> int:
    """How many cases the ledger will hold (what progress counts against)."""
    flt = _checked(db, flt)
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Case).where(*_conditions(flt))) or 0


def case_endings(s: Session, case_ids: list[str]) -> dict[str, tuple[date | None, int]]:
    """Per case of a chunk: the day it ended and the working days overdue recorded at its decision."""
    found: dict[str, tuple[date | None, int]] = {}
    query = (select(CaseEvent.case_id, CaseEvent.kind, CaseEvent.at, CaseEvent.details)
             .where(CaseEvent.case_id.in_(case_ids), CaseEvent.kind.in_(ENDED_BY | DECIDED_BY))
             .order_by(CaseEvent.at))
    for case_id, kind, at, details in s.execute(query):
        ended, overdue = found.get(case_id, (None, 0))
        if kind in ENDED_BY and ended is None:
            ended = at.astimezone().date()
        if kind in DECIDED_BY:
            payload: Any = json.loads(details or "{}")
            recorded = payload.get("overdue_days", 0) if isinstance(payload, dict) else 0
            overdue = max(overdue, recorded if isinstance(recorded, int) else 0)
        found[case_id] = (ended, overdue)
    return found


def _line(seq: int, case: CaseRecord, ending: tuple[date | None, int]) -> LedgerLine:
    """One case as the list projects it (state, due date, light) with when and how late it ended."""
    ended, overdue = ending
    if case.light.colour == "red" and case.light.days_left is not None:
        overdue = max(overdue, -case.light.days_left)
    if case.case_class == "rejected" and ended is None:
        ended = case.accepted_at.astimezone().date()  # a 退办件 ends at its refusal, archived or not
    return LedgerLine(
        seq=seq, number=case.number, accepted=case.accepted_at.astimezone().date(), item_code=case.item.code,
        item_name=case.item.name, applicant=case.applicant_name, applicant_id=mask_id(case.applicant_id_number),
        case_class=case.class_label, due_date=case.due_date, provisional=case.provisional,
        status=case.status_label, ended=ended, staff_name=case.staff_name, staff_no=case.staff_no,
        trips=case.trips, overdue_days=overdue)


def iter_ledger(db: Database, flt: LedgerFilter | None = None) -> Iterator[LedgerLine]:
    """Every matching case, oldest first, numbered from 1; read STREAM_CHUNK cases at a time."""
    flt = _checked(db, flt)
    seq = 0
    for cases in records.iter_case_chunks(db, _conditions(flt)):
        with db.session() as s:
            endings = case_endings(s, [case.id for case in cases])
        for case in cases:
            seq += 1
            yield _line(seq, case, endings.get(case.id, (None, 0)))


def export_xlsx(lines: Iterable[LedgerLine], path: Path, total: int = 0, progress: Progress = NO_PROGRESS) -> int:
    """The ledger as a spreadsheet, streamed (a write-only workbook keeps no rows in memory); the file
    appears only when complete. Returns the number of cases written."""
    rows = ([line.seq, line.number, line.accepted, line.item_code, line.item_name, line.applicant,
             line.applicant_id, line.case_class, line.due_text, line.status, line.ended, line.staff_name,
             line.staff_no, line.trips, line.overdue_days or None] for line in lines)
    return write_rows(path, "办件登记簿", COLUMNS, rows, total, progress,
                      widths=(7, 25, 12, 12, 30, 10, 22, 9, 16, 13, 12, 10, 8, 9, 13), doing=EXPORTING)


def export_ledger(db: Database, path: Path, flt: LedgerFilter | None = None,
                  progress: Progress = NO_PROGRESS) -> int:
    """Every case the filter matches, oldest first, into an .xlsx file; returns how many."""
    if path.suffix.lower() != ".xlsx":
        raise ValidationError("导出文件应以 .xlsx 结尾")
    flt = _checked(db, flt)
    progress.busy(READING)
    total = count_ledger(db, flt)
    return export_xlsx(iter_ledger(db, flt), path, total, progress)


def ledger_document(db: Database, flt: LedgerFilter | None, printed_by: str, progress: Progress = NO_PROGRESS,
                    now: datetime | None = None) -> bytes:
    """The printed 办件登记簿 (landscape, header on every page, 第 N 页 共 M 页). Building changes
    nothing, so a cancel (app.progress.Cancelled) may stop it anywhere."""
    from app.node_identity import read_identity
    from app.printing.case_ledger_pdf import CaseLedgerRow, CaseLedgerSheet, case_ledger_pdf

    flt = _checked(db, flt)
    identity = read_identity(db.path)
    if identity is None:
        raise ValidationError("本工作站尚未设置")
    progress.busy(READING)
    total = count_ledger(db, flt)
    sheet = CaseLedgerSheet(center_name=identity.center_name, period=flt.period, conditions=flt.conditions,
                            printed=f"{(now or utc_now()).astimezone():%Y年%m月%d日 %H:%M}", printed_by=printed_by,
                            total=total, training=identity.training)
    rows = (CaseLedgerRow(
        number=line.number, accepted=line.accepted.isoformat(), item=line.item_name, applicant=line.applicant,
        applicant_id=line.applicant_id, case_class=line.case_class, due=line.due_text, status=line.status,
        ended=line.ended.isoformat() if line.ended else "", staff=f"{line.staff_name}（{line.staff_no}）",
        trips=line.trips, overdue_days=line.overdue_days) for line in iter_ledger(db, flt))
    return case_ledger_pdf(sheet, rows, progress)

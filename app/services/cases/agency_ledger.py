"""The agency point's ledger (代办台账, "一本台账"): every case accepted here, with its stage.

Stages follow the paper ledger's columns: 受理 (accepted here, papers not yet handed over), 代办 (handed to
the township window, offered or received there), 反馈 (the result sent back to this point), 归档 (the case is
finished: delivered, archived, or ended by withdrawal or refusal). A case's stage comes from its state and
its hand-over events by one function, `ledger_stage`; the list pages with the true total of every stage
filter, and the export streams every row, so nothing is cut off. Hand-overs are recorded by
app.services.cases.transfers (offered, received, or an offer taken back) and read here through the one
parser both ends use, app.sync.handover.read_event.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import Database
from app.models import Case, CaseEvent
from app.models.cases import class_label
from app.progress import NO_PROGRESS, Progress
from app.services.cases.holding import refused_events
from app.services.cases.lifecycle import CLOSED_STATES, state_label
from app.services.errors import ValidationError
from app.services.paging import PAGE_SIZE, STREAM_CHUNK, Page, check_window
from app.services.spreadsheet import check_xlsx, write_rows
from app.sync.handover import CANCELLED, KINDS, OFFERED, read_event

STAGES = {"accepted": "受理", "handed_over": "代办", "returned": "反馈", "archived": "归档"}


@dataclass(frozen=True)
class Transfer:
    """One hand-over event of a case, oldest first: offered, received or taken back (transfer_cancelled),
    out to the township or back (回传); `offer` is the offer's event id, which the others name."""

    kind: str
    at: datetime
    returning: bool  # the result going back to the agency point (回传)
    batch: str
    offer: str = ""


def standing(transfers: Iterable[Transfer]) -> list[Transfer]:
    """The hand-overs that stand, oldest first: an offer taken back counts as never made."""
    events = list(transfers)
    taken_back = {t.offer for t in events if t.kind == CANCELLED}
    return [t for t in events if t.kind != CANCELLED and not (t.kind == OFFERED and t.offer in taken_back)]


def ledger_stage(status: str, transfers: Iterable[Transfer]) -> str:
    """The ledger stage of a case: the one rule behind the list, its filter, its counts and the export.

    A finished case (closed state) is 归档 whatever its papers did; otherwise the latest hand-over that
    stands says where the case is: none is 受理, out to the township is 代办, back to this point is 反馈.
    """
    if status in CLOSED_STATES:
        return "archived"
    latest: Transfer | None = None
    for transfer in standing(transfers):
        latest = transfer
    if latest is None:
        return "accepted"
    return "returned" if latest.returning else "handed_over"


@dataclass(frozen=True)
class LedgerRow:
    number: str
    accepted_at: datetime
    applicant_name: str
    applicant_phone: str
    item_name: str
    case_class: str
    status: str
    due_date: date | None
    agent_name: str  # the 代办员 who accepted it
    holder: str  # the node that holds the case now
    stage: str
    handed_over_at: datetime | None  # papers first offered to the township
    returned_at: datetime | None  # the result last sent back here
    batch: str  # the 移交清单 of the latest hand-over

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]

    @property
    def status_label(self) -> str:
        return state_label(self.status)

    @property
    def class_label(self) -> str:
        return class_label(self.case_class)


_COLUMNS = (Case.id, Case.number, Case.accepted_at, Case.applicant_name, Case.applicant_phone, Case.item_name,
            Case.case_class, Case.status, Case.due_date, Case.staff_name, Case.owner_node, Case.origin_node)


def _transfers(s: Session, case_ids: Sequence[str]) -> dict[str, list[Transfer]]:
    found: dict[str, list[Transfer]] = {}
    rows = s.execute(select(CaseEvent.id, CaseEvent.case_id, CaseEvent.kind, CaseEvent.at, CaseEvent.details)
                     .where(CaseEvent.case_id.in_(case_ids), CaseEvent.kind.in_(KINDS),
                            CaseEvent.id.not_in(refused_events()))  # what the centre refused never stood
                     .order_by(CaseEvent.at, CaseEvent.id))
    for event_id, case_id, kind, at, details in rows:
        event = read_event(kind, event_id, case_id, details)
        if event is not None:  # a malformed one is the centre's to quarantine, not the ledger's to guess
            found.setdefault(case_id, []).append(Transfer(kind, at, event.is_return, event.batch, event.offer))
    return found


def _row(case: Any, events: list[Transfer]) -> LedgerRow:  # a Core row of _COLUMNS
    transfers = standing(events)
    out = [t for t in transfers if not t.returning]
    back = [t for t in transfers if t.returning]
    return LedgerRow(
        number=case.number, accepted_at=case.accepted_at, applicant_name=case.applicant_name,
        applicant_phone=case.applicant_phone, item_name=case.item_name, case_class=case.case_class,
        status=case.status, due_date=case.due_date, agent_name=case.staff_name,
        holder=case.owner_node or case.origin_node, stage=ledger_stage(case.status, transfers),
        handed_over_at=out[0].at if out else None, returned_at=back[-1].at if back else None,
        batch=transfers[-1].batch if transfers else "",
    )


def iter_ledger(db: Database, stage: str = "") -> Iterator[LedgerRow]:
    """Every case accepted at this node, newest first, with its stage (only `stage`'s when given);
    read in chunks of one query, with each chunk's hand-overs: memory stays flat."""
    if stage and stage not in STAGES:
        raise ValidationError(f"台账阶段应为：{'、'.join(STAGES.values())}")
    with db.session() as s:
        query = (select(*_COLUMNS).where(Case.origin_node == db.node_code)
                 .order_by(Case.accepted_at.desc(), Case.number.desc()).execution_options(yield_per=STREAM_CHUNK))
        for chunk in s.execute(query).partitions():
            transfers = _transfers(s, [c.id for c in chunk])
            for case in chunk:
                row = _row(case, transfers.get(case.id, []))
                if not stage or row.stage == stage:
                    yield row


def page_ledger(db: Database, stage: str = "", offset: int = 0, limit: int = PAGE_SIZE) -> Page[LedgerRow]:
    """One screenful of the ledger, with how many cases the filter matches in all (共 N 件).

    An agency point holds a village's cases (hundreds a year): the stage of each is judged by
    `ledger_stage` as the rows stream past, rather than a second copy of the rule in SQL."""
    check_window(offset, limit)
    rows: list[LedgerRow] = []
    total = 0
    for row in iter_ledger(db, stage):
        if offset <= total < offset + limit:
            rows.append(row)
        total += 1
    return Page(rows, total, offset)


def stage_counts(db: Database) -> dict[str, int]:
    """How many of this node's cases are at each stage (every stage present, 0 when none)."""
    counts = dict.fromkeys(STAGES, 0)
    for row in iter_ledger(db):
        counts[row.stage] += 1
    return counts


EXPORT_COLUMNS = ("办件编号", "受理时间", "申请人", "联系电话", "办理事项", "办件类型", "台账阶段", "办件状态",
                  "承诺办结日期", "代办员", "移交乡镇时间", "移交批次", "结果回传时间", "所在节点")
EXPORTING = "正在导出代办台账"


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def export_row(r: LedgerRow) -> list[str]:
    """One ledger line as the spreadsheet holds it (full phone numbers: the point's own records)."""
    return [r.number, _when(r.accepted_at), r.applicant_name, r.applicant_phone, r.item_name, r.class_label,
            r.stage_label, r.status_label, r.due_date.isoformat() if r.due_date else "", r.agent_name,
            _when(r.handed_over_at), r.batch, _when(r.returned_at), r.holder]


def export_ledger(db: Database, path: Path, stage: str = "", progress: Progress = NO_PROGRESS) -> int:
    """Every ledger line the filter matches, newest first, streamed into a write-only workbook; returns
    the count. The file appears only when complete: a failure or a cancel leaves none (and an older
    file of that name as it was)."""
    check_xlsx(path)
    progress.busy(EXPORTING)
    total = stage_counts(db)[stage] if stage else sum(stage_counts(db).values())
    return write_rows(path, "代办台账", EXPORT_COLUMNS, (export_row(row) for row in iter_ledger(db, stage)), total,
                      progress, doing=EXPORTING)

"""超期公示: the public board of overdue and recently completed cases, by window, for the hall's screen.

The board is read by anyone in the hall, so an applicant's name is masked (张*三; 张三 → 张*) and no ID or
phone number appears. Each window's list is bounded (`per_window` rows), but its totals are counted
in full and the rows left out are said (另有 N 件), so the board never hides how many there are.
Overdue is today's light of each open case (app.services.cases.lights through the case list), in
working days; a completed case's lateness is what was recorded when it was decided.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.clock import local_today, utc_now
from app.database import Database
from app.models import Case, CaseEvent
from app.services.cases import lifecycle as life
from app.services.cases.ledger import case_endings
from app.services.cases.records import URGENT, iter_cases
from app.services.errors import ValidationError
from app.services.masking import mask_name
from app.services.paging import STREAM_CHUNK
from app.services.settings import load_settings

if TYPE_CHECKING:
    from app.printing.board_pdf import BoardRow

RECENT_DAYS = 7  # "recently completed": delivered within this many calendar days, today included
PER_WINDOW = 100  # rows listed per window and list on screen; totals always count every case
NO_WINDOW = "未注明窗口"
DONE_BY = frozenset(t.action for t in life.TRANSITIONS if t.target == "done")  # 送达, 当场办结


def public_name(name: str, applicant_kind: str) -> str:
    """What the board shows of an applicant: a person's name masked, an organisation's in full."""
    return name.strip() if applicant_kind == "organisation" else mask_name(name)


@dataclass(frozen=True)
class BoardLine:
    number: str
    item: str
    applicant: str  # masked
    due_date: date | None
    overdue_days: int  # working days past the due date
    staff_name: str
    completed: date | None = None  # for a completed case: the day it was delivered

    @property
    def overdue_text(self) -> str:
        if self.completed is not None:
            return f"超期{self.overdue_days}个工作日办结" if self.overdue_days else "按时办结"
        return f"超期{self.overdue_days}个工作日" if self.overdue_days else "已超期"  # only rest days since


@dataclass(frozen=True)
class WindowBoard:
    window: str
    overdue: tuple[BoardLine, ...]  # most overdue first
    overdue_total: int
    completed: tuple[BoardLine, ...]  # latest first
    completed_total: int
    completed_late: int

    @property
    def overdue_hidden(self) -> int:
        return self.overdue_total - len(self.overdue)

    @property
    def completed_hidden(self) -> int:
        return self.completed_total - len(self.completed)


@dataclass(frozen=True)
class Board:
    day: date
    since: date  # completed on or after this day count as recent
    windows: tuple[WindowBoard, ...]
    supervise_phone: str  # the centre's 监督电话 (12345 when it set none)

    @property
    def overdue_total(self) -> int:
        return sum(w.overdue_total for w in self.windows)

    @property
    def completed_total(self) -> int:
        return sum(w.completed_total for w in self.windows)

    @property
    def completed_late(self) -> int:
        return sum(w.completed_late for w in self.windows)

    @property
    def summary(self) -> str:
        return (f"超期未办结 {self.overdue_total} 件　{self.since:%m月%d日}以来办结 {self.completed_total} 件"
                f"（其中超期办结 {self.completed_late} 件）")


class _Gathered:
    """One window's lines as they stream past: every one counted, the first `limit` kept."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.overdue: list[BoardLine] = []
        self.overdue_total = 0
        self.completed: list[BoardLine] = []
        self.completed_total = 0
        self.completed_late = 0

    def add_overdue(self, line: BoardLine) -> None:
        self.overdue_total += 1
        if self.limit is None or len(self.overdue) < self.limit:
            self.overdue.append(line)

    def add_completed(self, line: BoardLine) -> None:
        self.completed_total += 1
        self.completed_late += bool(line.overdue_days)
        if self.limit is None or len(self.completed) < self.limit:
            self.completed.append(line)


def _window_order(name: str) -> tuple[object, ...]:
    """"2号窗口" before "10号窗口": digits compare as numbers; the unnamed window last."""
    return (name == NO_WINDOW, *((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", name)))


def _chunks(ids: list[str], size: int = STREAM_CHUNK) -> Iterable[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _completed(db: Database, since: date) -> list[tuple[str, BoardLine]]:
    """(window, line) for each case delivered (or completed on the spot) on or after `since`."""
    start = datetime.combine(since, time.min).astimezone()
    recent = select(CaseEvent.case_id).where(CaseEvent.kind.in_(DONE_BY), CaseEvent.at >= start)
    columns = (Case.id, Case.number, Case.item_name, Case.applicant_name, Case.applicant_kind, Case.staff_workplace,
               Case.staff_name, Case.due_date)
    found: list[tuple[str, BoardLine]] = []
    with db.session() as s:
        rows = list(s.execute(select(*columns).where(Case.id.in_(recent))))
        endings: dict[str, tuple[date | None, int]] = {}
        for ids in _chunks([row.id for row in rows]):
            endings.update(case_endings(s, ids))
    for row in rows:
        ended, overdue = endings.get(row.id, (None, 0))
        if ended is None or ended < since:  # delivered again after an earlier end: not recent
            continue
        found.append((row.staff_workplace or NO_WINDOW,
                      BoardLine(row.number, row.item_name, public_name(row.applicant_name, row.applicant_kind),
                                row.due_date, overdue, row.staff_name, ended)))
    found.sort(key=lambda pair: (pair[1].completed or since, pair[1].number), reverse=True)
    return found


def load_board(db: Database, recent_days: int = RECENT_DAYS, per_window: int | None = PER_WINDOW) -> Board:
    """The board as of today (app.clock): per window, the overdue open cases and those completed in the
    last `recent_days` days. `per_window` None lists every case (the printed board)."""
    if not 1 <= recent_days <= 366:
        raise ValueError("recent_days out of range")
    today = local_today()
    since = today - timedelta(days=recent_days - 1)
    windows: dict[str, _Gathered] = {}

    def window(name: str) -> _Gathered:
        return windows.setdefault(name or NO_WINDOW, _Gathered(per_window))

    for case in iter_cases(db, status=URGENT):  # lit cases due by the warning horizon, most urgent first
        if case.light.colour != "red":
            continue
        window(case.staff_workplace).add_overdue(BoardLine(
            case.number, case.item.name, public_name(case.applicant_name, case.applicant_kind), case.due_date,
            -(case.light.days_left or 0), case.staff_name))
    for name, line in _completed(db, since):
        window(name).add_completed(line)
    boards = tuple(WindowBoard(name, tuple(g.overdue), g.overdue_total, tuple(g.completed), g.completed_total,
                               g.completed_late) for name, g in sorted(windows.items(), key=lambda kv: _window_order(kv[0])))
    return Board(today, since, boards, load_settings(db).supervise_phone_for())


def _sheet_rows(lines: tuple[BoardLine, ...]) -> tuple[BoardRow, ...]:
    from app.printing.board_pdf import BoardRow

    def day(line: BoardLine) -> str:
        shown = line.completed or line.due_date
        return shown.isoformat() if shown else ""

    return tuple(BoardRow(line.number, line.item, line.applicant, day(line), line.overdue_text, line.staff_name,
                          line.completed is None or bool(line.overdue_days)) for line in lines)


def board_document(db: Database, recent_days: int = RECENT_DAYS, now: datetime | None = None) -> bytes:
    """The printed 超期公示: every overdue and recently completed case, by window (no row left out)."""
    from app.node_identity import read_identity
    from app.printing.board_pdf import BoardSheet, BoardWindowSheet, board_pdf

    identity = read_identity(db.path)
    if identity is None:
        raise ValidationError("本工作站尚未设置")
    board = load_board(db, recent_days, per_window=None)
    windows = tuple(BoardWindowSheet(w.window, _sheet_rows(w.overdue), w.overdue_total, _sheet_rows(w.completed),
                                     w.completed_total, w.completed_late) for w in board.windows)
    return board_pdf(BoardSheet(identity.center_name, f"{(now or utc_now()).astimezone():%Y年%m月%d日 %H:%M}",
                                board.summary, f"{board.since:%m月%d日}以来办结", windows, board.supervise_phone,
                                identity.training))

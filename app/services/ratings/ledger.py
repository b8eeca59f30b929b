"""差评整改台账: every bad rating with its rectification, call-back, outcome and appeal, to Excel and to a
printed ledger.

Each line is one rectification with the rating it rectifies, read in chunks (app.services.paging
.STREAM_CHUNK) ordered by rating time, with that chunk's events in one more query: no row cap, flat
memory. The state is the rectification's fold (app.services.ratings.rectification.fold) over its
events, so the ledger says what the lists say; a rating an upheld appeal excluded stays in the ledger,
marked 申诉成立（不计入）. Open rectifications carry today's light, counted in working days as cases are.
Both outputs report progress and may be cancelled (app.progress) before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, func, select

from app.clock import utc_now
from app.database import Database
from app.models.ratings import Rating
from app.models.rectifications import Rectification, RectificationEvent
from app.progress import NO_PROGRESS, Progress
from app.services.calendar.holidays import load_calendar
from app.services.cases.documents import center_of
from app.services.cases.lights import Light, WorkdayCounter, light_of
from app.services.errors import ValidationError
from app.services.input_limits import check_day
from app.services.paging import STREAM_CHUNK
from app.services.ratings.codes import level_label, reason_label
from app.services.ratings.ratings import counts, last_citizen_rating
from app.services.ratings.rectification import OPEN_STATES, STATES, fold
from app.services.settings import load_settings
from app.services.spreadsheet import check_xlsx, write_rows

EXCLUDED_LABEL = "申诉成立（不计入）"
NO_CALLBACK_NEEDED = "无需回访"  # an excluded rating (listing.RectificationItem.callback_label says the same)
APPEAL_LABELS = {"pending": "申诉待复核", "upheld": "申诉成立", "rejected": "申诉不成立"}
COLUMNS = ("序号", "评价日期", "评价对象编号", "被评价人", "工号", "窗口", "评价等级", "评价原因", "评价内容", "整改状态",
           "整改期限", "亮灯", "回访人", "回访时间", "回访情况", "群众是否满意", "整改说明", "申诉复核")
WIDTHS = (7, 12, 25, 10, 8, 14, 10, 36, 30, 16, 12, 14, 10, 17, 30, 12, 30, 30)
SHEET = "差评整改台账"
EXPORTING = "正在导出差评整改台账"
READING = "正在读取差评整改"


@dataclass(frozen=True)
class Callback:
    by: str
    at: datetime
    result: str
    satisfied: bool


@dataclass(frozen=True)
class RectificationLine:
    seq: int
    id: str
    rated: date
    target_number: str
    staff_name: str
    staff_no: str
    window: str
    level: int
    reasons: tuple[str, ...]  # "213 窗口人员业务不熟练"
    text: str
    private: bool  # the citizen asked that it is not public
    status: str
    excluded: bool
    due_date: date
    light: Light
    callback: Callback | None  # the latest call-back
    callbacks: int
    outcome: str  # the closing note: "已整改：…" or "无法整改：…（新期限 …）", "" while open
    appeal: str  # "申诉成立：理由（刘国庆 2026-11-05）", "" when none
    superseded: bool = False  # the citizen's later rating (追评) counts instead (ratings.counts)

    @property
    def level_label(self) -> str:
        return level_label(self.level)

    @property
    def state_label(self) -> str:
        if self.excluded:
            return EXCLUDED_LABEL
        state = STATES.get(self.status, self.status)
        return f"{state}（已被追评取代，不计入）" if self.superseded else state

    @property
    def callback_text(self) -> str:
        """Who called, when, what was said, whether satisfied: one line for the printed ledger."""
        c = self.callback
        if c is None:
            return NO_CALLBACK_NEEDED if self.excluded else "未回访"  # as the 好差评 screen says
        more = f"（共{self.callbacks}次）" if self.callbacks > 1 else ""
        return (f"{c.by} {c.at.astimezone():%Y-%m-%d %H:%M}：{c.result}；"
                f"{'满意' if c.satisfied else '不满意'}{more}")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone()


def _conditions(date_from: date | None, date_to: date | None) -> list[ColumnElement[bool]]:
    for day, label in ((date_from, "起始日期"), (date_to, "截止日期")):
        if day is not None:
            check_day(day, label)
    if date_from and date_to and date_from > date_to:
        raise ValidationError("起始日期不能晚于截止日期")
    conditions: list[ColumnElement[bool]] = []
    if date_from:
        conditions.append(Rating.rated_at >= _day_start(date_from))
    if date_to:
        conditions.append(Rating.rated_at < _day_start(date_to + timedelta(days=1)))
    return conditions


def period_text(date_from: date | None, date_to: date | None) -> str:
    if not (date_from or date_to):
        return "全部"
    start = date_from.isoformat() if date_from else "最早"
    return f"{start} 至 {date_to.isoformat() if date_to else '今天'}"


def count_lines(db: Database, date_from: date | None = None, date_to: date | None = None) -> int:
    """How many lines the ledger will hold (what progress counts against)."""
    conditions = _conditions(date_from, date_to)
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Rectification)
                        .join(Rating, Rating.id == Rectification.rating_id).where(*conditions)) or 0


Event = tuple[str, datetime, str, dict[str, object]]  # kind, at, who, details


def _events(db: Database, ids: list[str]) -> dict[str, list[Event]]:
    found: dict[str, list[Event]] = {key: [] for key in ids}
    with db.session() as s:
        rows = s.execute(select(RectificationEvent.rectification_id, RectificationEvent.kind, RectificationEvent.at,
                                RectificationEvent.staff_name, RectificationEvent.details)
                         .where(RectificationEvent.rectification_id.in_(ids))
                         .order_by(RectificationEvent.at, RectificationEvent.created_at))
        for key, kind, at, who, details in rows:
            try:
                payload = json.loads(details or "{}")
            except ValueError:
                payload = {}
            found[key].append((kind, at, who, payload if isinstance(payload, dict) else {}))
    return found


def _outcome(events: list[Event]) -> str:
    closing = [e for e in events if e[0] in ("fixed", "unfixable")]
    if not closing:
        return ""
    kind, _at, _who, details = closing[-1]
    note = str(details.get("note", ""))
    if kind == "fixed":
        return f"已整改：{note}"
    return f"无法整改：{note}（新期限 {details.get('until', '')}）"


def _appeal(events: list[Event]) -> str:
    decided = [e for e in events if e[0] == "appeal_decided"]
    if decided:
        _kind, at, who, details = decided[-1]
        label = APPEAL_LABELS["upheld" if details.get("upheld") else "rejected"]
        return f"{label}：{details.get('reason', '')}（{who} {at.astimezone():%Y-%m-%d}）"
    appealed = [e for e in events if e[0] == "appealed"]
    return f"{APPEAL_LABELS['pending']}：{appealed[-1][3].get('reason', '')}" if appealed else ""


def _reasons(text: str) -> tuple[str, ...]:
    try:
        codes = json.loads(text or "[]")
    except ValueError:
        return ()
    return tuple(f"{code} {reason_label(str(code))}" for code in codes) if isinstance(codes, list) else ()


def iter_lines(db: Database, date_from: date | None = None, date_to: date | None = None,
               chunk: int = 0) -> Iterator[RectificationLine]:
    """Every rectification whose rating falls in the dates (local days, both included), oldest rating
    first, numbered from 1; `chunk` rows held at a time (0: STREAM_CHUNK)."""
    conditions = _conditions(date_from, date_to)
    chunk = chunk or STREAM_CHUNK
    today = utc_now().astimezone().date()
    counter = WorkdayCounter(load_calendar(db), today)
    warning_days = load_settings(db).warning_days_number
    seq, after = 0, None
    last = last_citizen_rating()
    while True:
        query = (select(Rectification, Rating, last.c.last_at).join(Rating, Rating.id == Rectification.rating_id)
                 .join(last, last.c.target_number == Rating.target_number).where(*conditions)
                 .order_by(Rating.rated_at, Rectification.id).limit(chunk))
        if after is not None:
            query = query.where((Rating.rated_at > after[0])
                                | ((Rating.rated_at == after[0]) & (Rectification.id > after[1])))
        with db.session() as s:
            rows = [(r, g, last_at) for r, g, last_at in s.execute(query)]
            for r, g, _last in rows:
                s.expunge(r)
                s.expunge(g)
        events = _events(db, [r.id for r, _g, _last in rows])
        for rect, rating, last_at in rows:
            seq += 1
            line = _line(seq, rect, rating, events[rect.id], today, counter, warning_days)
            yield replace(line, superseded=not counts(rating.provenance, rating.rated_at, last_at))
        if len(rows) < chunk:
            return
        after = (rows[-1][1].rated_at, rows[-1][0].id)


def _line(seq: int, rect: Rectification, rating: Rating, events: list[Event], today: date,
          counter: WorkdayCounter, warning_days: int) -> RectificationLine:
    opened = next((e for e in events if e[0] == "opened"), None)
    opened_due = date.fromisoformat(str(opened[3]["due"])) if opened and opened[3].get("due") else rect.due_date
    state = fold(opened_due, [(kind, details) for kind, _at, _who, details in events if kind != "opened"])
    lit = "accepted" if state.status in OPEN_STATES | {"unfixable"} else "done"
    calls = [Callback(who, at, str(d.get("result", "")), bool(d.get("satisfied"))) for kind, at, who, d in events
             if kind == "callback"]
    return RectificationLine(
        seq=seq, id=rect.id, rated=rating.rated_at.astimezone().date(), target_number=rating.target_number,
        staff_name=rating.staff_name, staff_no=rating.staff_no, window=rating.window, level=rating.level,
        reasons=_reasons(rating.reasons), text=rating.text, private=rating.private, status=state.status,
        excluded=state.excluded, due_date=state.due, light=light_of(lit, state.due, today, counter, warning_days),
        callback=calls[-1] if calls else None, callbacks=len(calls), outcome=_outcome(events), appeal=_appeal(events))


def _cells(line: RectificationLine) -> list[object]:
    c = line.callback
    return [line.seq, line.rated, line.target_number, line.staff_name, line.staff_no, line.window, line.level_label,
            "、".join(line.reasons), line.text + ("（不公开）" if line.private and line.text else ""), line.state_label,
            line.due_date, line.light.label or None, c.by if c else None,
            c.at.astimezone().replace(tzinfo=None, microsecond=0) if c else None, c.result if c else None,
            ("满意" if c.satisfied else "不满意") if c else line.callback_text, line.outcome or None, line.appeal or None]


def write_rectification_ledger_xlsx(db: Database, path: Path, progress: Progress | None = None, *,
                                    date_from: date | None = None, date_to: date | None = None) -> int:
    """The ledger as a spreadsheet, every line (streamed; the file appears only when complete).
    Returns how many lines were written."""
    progress = progress or NO_PROGRESS
    check_xlsx(path)
    progress.busy(READING)
    total = count_lines(db, date_from, date_to)
    rows = (_cells(line) for line in iter_lines(db, date_from, date_to))
    return write_rows(path, SHEET, COLUMNS, rows, total, progress, widths=WIDTHS, doing=EXPORTING)


def rectification_ledger_pdf(db: Database, printed_by: str, now: datetime | None = None,
                             progress: Progress | None = None, *, date_from: date | None = None,
                             date_to: date | None = None) -> bytes:
    """The printed 差评整改台账 (landscape, header on every page, 第 N 页 共 M 页, totals at the end).
    Building changes nothing, so a cancel may stop it anywhere."""
    from app.printing.rectification_ledger_pdf import LedgerRow, LedgerSheet, ledger_pdf

    progress = progress or NO_PROGRESS
    center_name, training = center_of(db)
    progress.busy(READING)
    total = count_lines(db, date_from, date_to)
    sheet = LedgerSheet(center_name=center_name, period=period_text(date_from, date_to),
                        printed=f"{(now or utc_now()).astimezone():%Y年%m月%d日 %H:%M}", printed_by=printed_by,
                        total=total, training=training)
    rows = (LedgerRow(
        rated=line.rated.isoformat(), target=line.target_number,
        staff=f"{line.staff_name}（{line.staff_no}）" + (f"\n{line.window}" if line.window else ""),
        level=line.level_label, reasons="、".join(line.reasons),
        text=line.text + ("（不公开）" if line.private and line.text else ""), state=line.state_label,
        status=line.status, excluded=line.excluded, due=line.due_date.isoformat(), light=line.light.label,
        overdue=line.light.colour == "red", callback=line.callback_text, called_back=line.callback is not None,
        outcome=line.outcome, appeal=line.appeal, superseded=line.superseded)
        for line in iter_lines(db, date_from, date_to))
    return ledger_pdf(sheet, rows, progress)

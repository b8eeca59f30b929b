"""The 好差评 screen's lists, a page at a time with true totals: ratings by level, date and staff, and
bad-rating rectifications (all, open, overdue, or the director's 未回访 list) with their lights.

Also one rectification's detail for the screen — its history in words and which steps the core
would take from this actor now — so the screen offers only what rectification.py would accept.
Exports and the ledger stream elsewhere (iter_ratings, ratings.ledger); these are for screens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models.ratings import Rating
from app.models.rectifications import Rectification
from app.services.calendar.holidays import load_calendar
from app.services.cases.lights import Light, WorkdayCounter, light_of
from app.services.cases.transfers import node_name
from app.services.errors import ValidationError
from app.services.input_limits import check_day
from app.services.paging import PAGE_SIZE, Page, check_window
from app.services.people.permissions import DECIDE_APPEAL, can
from app.services.ratings import rectification as rect
from app.services.ratings.codes import BAD_LEVELS, LEVELS, level_label, reason_label
from app.services.ratings.ledger import NO_CALLBACK_NEEDED
from app.services.ratings.ratings import RatingRecord, _record, counts, last_citizen_rating
from app.services.settings import load_settings

LIT_STATES = rect.OPEN_STATES | {"unfixable"}  # still tracked against a deadline (无法整改: the new one)
VIEWS = {"": "全部", "open": "未办结（待核实、整改中）", "overdue": "已超期", "missing_callback": "未回访"}
EVENT_LABELS = {"opened": "差评登记", "verified": "核实", "callback": "回访", "fixed": "已整改",
                "unfixable": "无法整改", "appealed": "申诉", "appeal_decided": "申诉复核"}
APPEAL_LABELS = {"": "", "pending": "申诉待复核", "upheld": "申诉成立", "rejected": "申诉不成立"}
# The steps of a rectification, in the order the screen lists them.
ACTIONS = {"verify": "核实", "callback": "回访", "close": "办结", "appeal": "申诉", "decide": "申诉复核"}


@dataclass(frozen=True)
class RatingFilter:
    level: int | None = None  # one level, or all
    bad_only: bool = False  # 不满意 and 非常不满意
    date_from: date | None = None  # local dates, inclusive
    date_to: date | None = None
    staff_no: str = ""


def check_rating_filter(flt: RatingFilter) -> RatingFilter:
    """The filter as queried, or a Chinese refusal (a date in a year the app does not know, an end
    before the start, an unknown level or an overlong staff number)."""
    if flt.level is not None and flt.level not in LEVELS:
        raise ValidationError("评价等级应为 1（非常不满意）至 5（非常满意）")
    for day, label in ((flt.date_from, "起始日期"), (flt.date_to, "截止日期")):
        if day is not None:
            check_day(day, label)
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise ValidationError("起始日期不能晚于截止日期")
    staff_no = flt.staff_no.strip()
    if len(staff_no) > 20:
        raise ValidationError("工号不超过20个字符")
    return RatingFilter(flt.level, flt.bad_only, flt.date_from, flt.date_to, staff_no)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone()


def _rating_conditions(flt: RatingFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if flt.level is not None:
        conditions.append(Rating.level == flt.level)
    if flt.bad_only:
        conditions.append(Rating.level.in_(sorted(BAD_LEVELS)))
    if flt.date_from:
        conditions.append(Rating.rated_at >= _day_start(flt.date_from))
    if flt.date_to:
        conditions.append(Rating.rated_at < _day_start(flt.date_to + timedelta(days=1)))
    if flt.staff_no:
        conditions.append(Rating.staff_no == flt.staff_no)
    return conditions


def page_ratings(db: Database, flt: RatingFilter | None = None, offset: int = 0,
                 limit: int = PAGE_SIZE) -> Page[RatingRecord]:
    """One screenful of ratings, newest first, with how many match in all; each says whether it is the
    one that counts for its target (a 追评 replaces the 首评) and whether an upheld appeal excluded it."""
    check_window(offset, limit)
    checked = check_rating_filter(flt or RatingFilter())
    conditions = _rating_conditions(checked)
    last = last_citizen_rating()  # as iter_ratings counts
    query = (select(Rating, last.c.last_at, Rectification.excluded)
             .join(last, last.c.target_number == Rating.target_number)
             .outerjoin(Rectification, Rectification.rating_id == Rating.id)
             .where(*conditions).order_by(Rating.rated_at.desc(), Rating.id.desc()).offset(offset).limit(limit))
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(Rating).where(*conditions)) or 0
        rows = [_record(row, counts=counts(row.provenance, row.rated_at, last_at), excluded=bool(excluded))
                for row, last_at, excluded in s.execute(query)]
    return Page(rows, total, offset)


@dataclass(frozen=True)
class RectificationItem:
    """A rectification with the bad rating it is about, as one row of the screen."""

    id: str
    rating_id: str
    target_kind: str
    target_number: str
    staff_no: str
    staff_name: str
    window: str
    level: int
    reasons: tuple[str, ...]
    text: str
    rated_at: datetime
    status: str
    due_date: date
    called_back: bool
    excluded: bool
    light: Light

    @property
    def status_label(self) -> str:
        return rect.STATES.get(self.status, self.status)

    @property
    def level_label(self) -> str:
        return level_label(self.level)

    @property
    def callback_label(self) -> str:
        if self.called_back:
            return "已回访"
        return NO_CALLBACK_NEEDED if self.excluded else "未回访"  # an excluded rating needs none

    @property
    def reasons_text(self) -> str:
        return "、".join(reason_label(code) for code in self.reasons)


def _view_conditions(view: str, today: date, staff_no: str) -> list[ColumnElement[bool]]:
    if view not in VIEWS:
        raise ValidationError(f"整改列表应为：{'、'.join(v for v in VIEWS.values())}")
    if len(staff_no) > 20:
        raise ValidationError("工号不超过20个字符")
    conditions: list[ColumnElement[bool]] = []
    if view == "open":
        conditions.append(Rectification.status.in_(sorted(rect.OPEN_STATES)))
    elif view == "overdue":  # lit and past its deadline: red, as light_of says
        conditions += [Rectification.status.in_(sorted(LIT_STATES)), Rectification.due_date < today]
    elif view == "missing_callback":  # the same rule as rectification.missing_callbacks
        conditions += [Rectification.called_back.is_(False), Rectification.excluded.is_(False)]
    if staff_no:
        conditions.append(Rectification.staff_no == staff_no)
    return conditions


def page_rectifications(db: Database, view: str = "", offset: int = 0, limit: int = PAGE_SIZE,
                        staff_no: str = "") -> Page[RectificationItem]:
    """One screenful of rectifications with the true total. Open and overdue lists come by deadline
    (most urgent first), the others newest first; each row carries its light like a case."""
    check_window(offset, limit)
    today = utc_now().astimezone().date()
    conditions = _view_conditions(view, today, staff_no.strip())
    order = ((Rectification.due_date, Rectification.opened_at, Rectification.id) if view in {"open", "overdue"}
             else (Rectification.opened_at.desc(), Rectification.id.desc()))
    query = (select(Rectification, Rating).join(Rating, Rating.id == Rectification.rating_id)
             .where(*conditions).order_by(*order).offset(offset).limit(limit))
    counter = WorkdayCounter(load_calendar(db), today)
    warning = load_settings(db).warning_days_number
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(Rectification).where(*conditions)) or 0
        pairs = s.execute(query).all()
    rows = [_item(r, rating, today, counter, warning) for r, rating in pairs]
    return Page(rows, total, offset)


def _item(r: Rectification, rating: Rating, today: date, counter: WorkdayCounter, warning: int) -> RectificationItem:
    record = _record(rating, counts=True)
    light = light_of("accepted" if r.status in LIT_STATES else "done", r.due_date, today, counter, warning)
    return RectificationItem(r.id, r.rating_id, record.target_kind, r.target_number, r.staff_no, record.staff_name,
                             record.window, record.level, record.reasons, record.text, record.rated_at, r.status,
                             r.due_date, r.called_back, r.excluded, light)


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    kind: str
    staff_name: str
    text: str

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class RectificationDetail:
    item: RectificationItem
    appeal: str  # "" none, "pending", "upheld", "rejected" (the fold's)
    history: tuple[HistoryLine, ...]
    kept_by: str = ""  # the node keeping it, when that is not this one: here only a director's decision

    @property
    def appeal_label(self) -> str:
        return APPEAL_LABELS.get(self.appeal, self.appeal)


def event_text(kind: str, details: dict[str, object]) -> str:
    """What an event says, in words (who and when are shown beside it)."""
    if kind == "opened":
        return f"整改期限 {details.get('due', '')}"
    if kind == "callback":
        return f"{details.get('result', '')}（{'满意' if details.get('satisfied') else '不满意'}）"
    if kind == "unfixable":
        return f"{details.get('note', '')}（新的整改期限 {details.get('until', '')}）"
    if kind == "appealed":
        evidence = str(details.get("evidence") or "")
        return f"{details.get('reason', '')}" + (f"；证据：{evidence}" if evidence else "")
    if kind == "appeal_decided":
        return f"{'申诉成立，定为无效差评' if details.get('upheld') else '申诉不成立'}：{details.get('reason', '')}"
    return str(details.get("note", ""))


def rectification_detail(db: Database, key: str) -> RectificationDetail:
    """A rectification with its rating, its history in words and the state of its appeal."""
    events = rect.history(db, key)  # refuses an unknown id in Chinese
    today = utc_now().astimezone().date()
    with db.session() as s:
        pair = s.execute(select(Rectification, Rating).join(Rating, Rating.id == Rectification.rating_id)
                         .where(Rectification.id == key.strip())).one()
    item = _item(pair[0], pair[1], today, WorkdayCounter(load_calendar(db), today),
                 load_settings(db).warning_days_number)
    opened = next((date.fromisoformat(str(d["due"])) for _at, kind, _n, d in events if kind == "opened"), item.due_date)
    state = rect.fold(opened, [(kind, d) for _at, kind, _n, d in events if kind != "opened"])
    lines = tuple(HistoryLine(at, kind, name, event_text(kind, d)) for at, kind, name, d in events)
    origin = pair[0].origin_node
    kept_by = node_name(db, origin) if origin and origin != db.node_code else ""
    return RectificationDetail(item, state.appeal, lines, kept_by)


def actions_for(detail: RectificationDetail, actor: Actor) -> tuple[str, ...]:
    """The steps rectification.py would take from this actor now (the screen offers nothing else).
    An appeal is the rated staff member's own; deciding it is the director's. Only the node keeping the
    rectification works it (app.services.written_here); elsewhere it is a copy."""
    status, appeal = detail.item.status, detail.appeal
    if detail.kept_by:  # a copy: the keeper works it; a director may decide an appeal from anywhere
        return ("decide",) if appeal == "pending" and can(actor, DECIDE_APPEAL) else ()
    steps: list[str] = []
    own = actor.staff_no == detail.item.staff_no  # the staff member rated checks and closes nothing of it
    if status == "pending" and not own:
        steps.append("verify")
    if not detail.item.excluded and not own:
        steps.append("callback")
    if status in rect.CLOSABLE_STATES and appeal != "pending" and not own:
        steps.append("close")
    if (appeal not in {"pending", "upheld"} and status in LIT_STATES
            and (actor.staff_no == detail.item.staff_no or can(actor, DECIDE_APPEAL))):
        steps.append("appeal")
    if appeal == "pending" and can(actor, DECIDE_APPEAL):
        steps.append("decide")
    return tuple(steps)

"""What the centre's public page reads and writes: a case's progress, and a citizen's rating by QR code.

Read from the centre's PostgreSQL replica (case_file, case_event, rating, the calendar and settings).
A rating enters the centre the one way data enters it: as a change of the centre's own node (00)
applied by the same code as every push (app.center.apply), so it is checked, owned and fed down to
the case's holder and the directors like any other row. The rules are those of
app.services.ratings.ratings (its check_reasons / check_text, the 5-working-day window, 首评 and
one 追评, a default rating not counting); a bad rating opens its rectification in the same
transaction, written as the holder's row (its key stamped with the holder's node), so the holder
goes on with it — verify, call back, close — as with a rectification opened at its own window.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from app.center.apply import _Batch
from app.center.nodes import Node, get_info
from app.center.schema import REPLICA
from app.clock import utc_now
from app.ids import uuid7
from app.services.calendar.holidays import chinesecalendar_days
from app.services.calendar.workdays import WorkCalendar
from app.services.cases.history import event_label
from app.services.cases.lifecycle import CLOSED_STATES, state_label
from app.services.errors import ValidationError
from app.services.masking import mask_name
from app.services.ratings.codes import BAD_LEVELS, RATING_WINDOW_DAYS, WHICH
from app.services.ratings.ratings import ENDING_KINDS, MAX_RATINGS, check_reasons, check_text, event_staff
from app.services.ratings.rectification import rectification_id
from app.services.settings import CenterSettings
from app.sync.tables import CENTER_NODE, columns, encode_row

DEFAULT_PROVENANCE = "default"  # the default job's ratings never count as the citizen's 首评
CACHE_S = 60.0  # the calendar and the centre's name change rarely; read again after this
MAX_STEPS = 60  # a case's history shown on a phone: the latest steps
CENTER = Node(CENTER_NODE, "中心", "director")
CASES, EVENTS, RATINGS = REPLICA["case_file"], REPLICA["case_event"], REPLICA["rating"]


@dataclass(frozen=True)
class Step:
    at: datetime
    label: str


@dataclass(frozen=True)
class Progress:
    """A case as the citizen sees it after giving the query code: no personal data but a masked name."""

    number: str
    item_name: str
    applicant: str  # masked
    status: str
    status_label: str
    accepted_at: datetime
    due_date: date | None
    ended_at: datetime | None  # when it was closed (办结, 不予受理, 撤回, 终止)
    steps: tuple[Step, ...]
    given: tuple[tuple[str, int, datetime], ...]  # the citizen's ratings so far: (首评/追评, level, when)
    rate_until: date | None  # the last day a rating is taken here
    can_rate: bool
    why_not: str  # why no rating is taken now ("" when one is)

    @property
    def next_which(self) -> str:
        return WHICH.get(len(self.given) + 1, "")


class _Cached:
    """A value read again after CACHE_S seconds (thread-safe: the page's reads run in a thread pool)."""

    def __init__(self, read: Callable[[], Any]) -> None:
        self.read = read
        self.lock = threading.Lock()
        self.value: Any = None
        self.at = -CACHE_S

    def fresh(self) -> bool:
        return time.monotonic() - self.at < CACHE_S

    def get(self) -> Any:
        with self.lock:
            if time.monotonic() - self.at >= CACHE_S:
                self.value, self.at = self.read(), time.monotonic()
            return self.value


class PublicCases:
    """The public page's access to the centre's store."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._calendar = _Cached(self._read_calendar)
        self._name = _Cached(self._read_name)

    @property
    def center_name(self) -> str:
        return str(self._name.get())

    def name_is_fresh(self) -> bool:
        return self._name.fresh()

    def _read_name(self) -> str:
        with self.engine.connect() as conn:
            return get_info(conn).get("center_name", "") or "民生服务中心"

    def _read_calendar(self) -> WorkCalendar:
        """The township's calendar as published by the centre; chinesecalendar's years if none yet."""
        years_t, days_t = REPLICA["calendar_year"], REPLICA["calendar_day"]
        with self.engine.connect() as conn:
            years = frozenset(conn.scalars(select(years_t.c.year)))
            overrides = {d: kind == "workday" for d, kind in conn.execute(select(days_t.c.day, days_t.c.kind))}
        if not years:
            known = chinesecalendar_days()
            return WorkCalendar({d: kind == "workday" for d, (kind, _name) in known.items()},
                                frozenset(d.year for d in known))
        return WorkCalendar(overrides, years)

    def calendar(self) -> WorkCalendar:
        return self._calendar.get()  # type: ignore[no-any-return]

    def progress(self, number: str, code: str, now: datetime | None = None) -> Progress | None:
        """The case's progress; None when there is no such case or the query code is not its code."""
        calendar = self.calendar()  # before taking a connection: a cold read takes one of its own
        with self.engine.connect() as conn:
            case = _case(conn, number, code)
            return None if case is None else self._progress(conn, case, now or utc_now(), calendar)

    def _progress(self, conn: Connection, case: Any, now: datetime, calendar: WorkCalendar) -> Progress:
        events = conn.execute(select(EVENTS.c.kind, EVENTS.c.at, EVENTS.c.staff_name, EVENTS.c.details)
                              .where(EVENTS.c.case_id == case.id).order_by(EVENTS.c.at, EVENTS.c.id)).all()
        given = _citizen_ratings(conn, case.number)
        ended = _ended(case, events)
        rate_until, why = None, ""
        if ended is None:
            why = "办件办结后可在此评价"
        else:
            rate_until = calendar.add(ended.astimezone().date(), RATING_WINDOW_DAYS).day
            if now.astimezone().date() > rate_until:
                why = f"评价期限已过（办结后 {RATING_WINDOW_DAYS} 个工作日内，即 {rate_until:%Y年%m月%d日} 前）"
            elif len(given) >= MAX_RATINGS:
                why = "您已评价并追评过本办件，感谢您的评价"
        steps = tuple(Step(e.at, event_label(e.kind)) for e in events[-MAX_STEPS:])
        return Progress(case.number, case.item_name, mask_name(case.applicant_name), case.status,
                        state_label(case.status), case.accepted_at, case.due_date, ended, steps,
                        tuple((WHICH.get(seq, str(seq)), level, at) for seq, level, at in given),
                        rate_until, not why, why)

    def rate(self, number: str, code: str, level: int, reasons: list[str], text: str, private: bool,
             now: datetime | None = None) -> Progress:
        """Record the citizen's rating (channel 扫码) and, for a bad one, open its rectification;
        everything is checked first and nothing is written when anything is wrong."""
        now = now or utc_now()
        codes = check_reasons(level, reasons)
        body = check_text(text)
        calendar = self.calendar()
        with self.engine.begin() as conn:
            case = _case(conn, number, code, lock=True)  # two phones rating at once: one waits for the other
            if case is None:
                raise ValidationError("办件编号或查询码不正确")
            before = self._progress(conn, case, now, calendar)
            if not before.can_rate:
                raise ValidationError(before.why_not)
            events = conn.execute(select(EVENTS.c.kind, EVENTS.c.at, EVENTS.c.staff_name, EVENTS.c.details)
                                  .where(EVENTS.c.case_id == case.id, EVENTS.c.kind.in_(ENDING_KINDS))
                                  .order_by(EVENTS.c.at.desc()).limit(1)).first()
            name, staff_no, window = event_staff(events.staff_name if events else "", events.details if events else "",
                                                 case.staff_name, case.staff_no, case.staff_workplace)
            rating = {"id": uuid7(CENTER_NODE), "origin_node": CENTER_NODE, "created_at": now, "updated_at": now,
                      "target_kind": "case", "target_number": case.number, "staff_no": staff_no,
                      "staff_name": name, "window": window, "item_code": case.item_code,
                      "target_node": case.origin_node, "level": level, "reasons": json.dumps(codes),
                      "text": body, "private": bool(private), "channel": "qr", "provenance": "citizen",
                      "rated_at": now, "seq": len(before.given) + 1}
            groups = [_group("rating", [rating])]
            if level in BAD_LEVELS:
                groups += _rectification(conn, case, rating, now, calendar)
            _apply(conn, groups)
            return self._progress(conn, case, now, calendar)


def _rectification(conn: Connection, case: Any, rating: dict[str, Any], now: datetime, calendar: WorkCalendar
                   ) -> list[dict[str, Any]]:
    """The rectification a bad rating opens (as app.services.ratings.rectification.open_for does),
    as rows of the node holding the case: that node verifies, calls back and closes it."""
    holder = case._owner or case.owner_node or case.origin_node
    settings = REPLICA["center_setting"]
    stored = conn.scalar(select(settings.c.value).where(settings.c.key == "rectification_days"))
    days = CenterSettings(rectification_days=stored or "10").rectification_days_number
    due = calendar.add(now.astimezone().date(), days).day
    # The one id every node gives this rating's rectification: should the holder's upkeep open it
    # before this row reaches it, the two are one record, not two.
    row = {"id": rectification_id(rating["id"]), "origin_node": holder, "created_at": now, "updated_at": now,
           "rating_id": rating["id"], "target_number": rating["target_number"], "staff_no": rating["staff_no"],
           "opened_at": now, "due_date": due, "status": "pending", "called_back": False, "excluded": False}
    opened = {"id": uuid7(holder), "origin_node": holder, "created_at": now, "updated_at": now,
              "rectification_id": row["id"], "kind": "opened", "at": now, "staff_name": "群众扫码评价",
              "details": json.dumps({"due": due.isoformat(), "by_no": ""}, sort_keys=True)}
    return [_group("rectification", [row]), _group("rectification_event", [opened])]


CASE_COLUMNS = ("id", "number", "query_code", "status", "item_code", "item_name", "applicant_name", "accepted_at",
                "due_date", "staff_name", "staff_no", "staff_workplace", "owner_node", "origin_node", "_owner")


def _case(conn: Connection, number: str, code: str, lock: bool = False) -> Any:
    query = select(*[CASES.c[c] for c in CASE_COLUMNS]).where(CASES.c.number == number)
    if lock:
        query = query.with_for_update()
    case = conn.execute(query).first()
    if case is None or not hmac.compare_digest(case.query_code.upper().encode(), code.upper().encode()):
        return None
    return case


def _citizen_ratings(conn: Connection, number: str) -> list[tuple[int, int, datetime]]:
    """(seq, level, when) of the ratings a person gave (a default rating is not one)."""
    return [tuple(r) for r in conn.execute(  # type: ignore[misc]
        select(RATINGS.c.seq, RATINGS.c.level, RATINGS.c.rated_at)
        .where(RATINGS.c.target_number == number, RATINGS.c.provenance != DEFAULT_PROVENANCE)
        .order_by(RATINGS.c.seq, RATINGS.c.rated_at))]


def _ended(case: Any, events: Sequence[Any]) -> datetime | None:
    """When a closed case ended: its last ending event (as app.services.ratings.ratings.case_end)."""
    if case.status not in CLOSED_STATES:
        return None
    ends = [e.at for e in events if e.kind in ENDING_KINDS]
    return max(ends) if ends else case.accepted_at  # type: ignore[no-any-return]


def _group(name: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    cols = columns(name)
    return {"t": name, "c": cols, "r": [encode_row(name, r, cols) for r in rows], "s": [0] * len(rows),
            "a": [""] * len(rows)}


def _apply(conn: Connection, groups: list[dict[str, Any]]) -> None:
    """Through the push's own checks and upsert, as the centre's node; refused: nothing is kept."""
    batch = _Batch(conn, CENTER)
    batch.guard.load(groups)
    for group in groups:
        batch.apply_group(group)
    if batch.rejected:
        raise ValidationError("评价未能保存：" + "；".join(r.reason for r in batch.rejected))


def count_ratings(engine: Engine, number: str) -> int:
    """How many ratings the centre holds for a case (tests and the bench)."""
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(RATINGS).where(RATINGS.c.target_number == number))
                   or 0)

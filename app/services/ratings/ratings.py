"""Giving a rating (好差评) and reading them back.

A citizen rates a service that ended: a case once it is closed (已办结 after delivery or on the spot,
and also 不予受理, 撤回, 终止 — the citizen was served and may say how), an inquiry (首问登记) or a
one-time notice (一次性告知) by its number. Ratings given away from the window (扫码, 短信, 电话回访) must come
within 5 working days of the end; at the window, or typed in from paper (补录), they are not timed.
Each target has a first rating (首评) and at most one follow-up (追评); the later one counts. The staff
member and window rated are the ones who ended the service (the delivery event's clerk), else the case's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import Case, CaseEvent, Inquiry, Notice
from app.models.ratings import Rating
from app.models.rectifications import Rectification
from app.services.calendar.holidays import load_calendar
from app.services.cases.lifecycle import CLOSED_STATES, TRANSITIONS
from app.services.errors import ValidationError
from app.services.event_time import stamp_after_last
from app.services.ratings.codes import (
    BAD_LEVELS,
    CITIZEN_CHANNELS,
    DEFAULT_PROVENANCE,
    LEVELS,
    MAX_REASONS,
    MAX_TEXT,
    PROVENANCES,
    RATING_WINDOW_DAYS,
    REASONS,
    UNTIMED_CHANNELS,
    WHICH,
    channel_label,
    level_label,
)
from app.services.ratings.rectification import open_for

# The events that end a case (its state becomes closed); "accepted" ends a case refused at the window.
ENDING_KINDS = frozenset({t.action for t in TRANSITIONS if t.target in CLOSED_STATES and t.target != "archived"}
                         | {"accepted"})
MAX_RATINGS = 2  # 首评 and one 追评


@dataclass(frozen=True)
class Target:
    """What is rated, who served the citizen there, and the target's item and node (what the figures by
    item and node count the rating under)."""

    kind: str
    number: str
    ended_at: datetime
    staff_no: str
    staff_name: str
    window: str
    item_code: str
    node: str


@dataclass(frozen=True)
class RatingRecord:
    id: str
    target_kind: str
    target_number: str
    level: int
    reasons: tuple[str, ...]
    text: str
    private: bool
    channel: str
    provenance: str
    rated_at: datetime
    staff_no: str
    staff_name: str
    window: str
    seq: int
    counts: bool = True  # the later rating of its target: the one that counts
    excluded: bool = False  # an upheld appeal (申诉成立) left it out of every figure; it is kept

    @property
    def level_label(self) -> str:
        return level_label(self.level)

    @property
    def which(self) -> str:
        return WHICH.get(self.seq, str(self.seq))

    @property
    def channel_label(self) -> str:
        return channel_label(self.channel)

    @property
    def provenance_label(self) -> str:
        return PROVENANCES.get(self.provenance, self.provenance)


def check_reasons(level: int, reasons: list[str] | tuple[str, ...]) -> list[str]:
    """The reason codes as stored: each of this level, no repeats; required for 不满意 and 非常不满意."""
    if level not in LEVELS:
        raise ValidationError("评价等级应为 1（非常不满意）至 5（非常满意）")
    codes = [str(r).strip() for r in reasons if str(r).strip()]
    if len(codes) > MAX_REASONS:
        raise ValidationError(f"评价原因最多选 {MAX_REASONS} 项")
    if len(set(codes)) != len(codes):
        raise ValidationError("评价原因有重复")
    wrong = [c for c in codes if c not in REASONS[level]]
    if wrong:
        raise ValidationError(f"评价原因 {'、'.join(wrong)} 不属于“{level_label(level)}”，"
                              f"可选：{'、'.join(REASONS[level])}")
    if level in BAD_LEVELS and not codes:
        raise ValidationError(f"“{level_label(level)}”须选择至少一项评价原因")
    return codes


def check_text(text: str) -> str:
    value = text.strip()
    if len(value) > MAX_TEXT:
        raise ValidationError(f"评价内容不能超过 {MAX_TEXT} 个字")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
        raise ValidationError("评价内容含有不可见的控制字符")
    return value


def case_end(s: Session, case: Case) -> tuple[datetime, str, str, str]:
    """When the case ended and who ended it (name, staff number, window): its last ending event."""
    row = s.execute(select(CaseEvent.at, CaseEvent.staff_name, CaseEvent.details)
                    .where(CaseEvent.case_id == case.id, CaseEvent.kind.in_(ENDING_KINDS))
                    .order_by(CaseEvent.at.desc()).limit(1)).first()
    if row is None:
        return case.accepted_at, case.staff_name, case.staff_no, case.staff_workplace
    return (row.at, *event_staff(row.staff_name, row.details, case.staff_name, case.staff_no, case.staff_workplace))


def event_staff(name: str, details: str, case_name: str, case_no: str, case_place: str) -> tuple[str, str, str]:
    """The event's clerk (name, number, window) when the event names them, else the case's clerk."""
    try:
        data = json.loads(details or "{}")
    except ValueError:
        data = {}
    by_no = data.get("by_no") if isinstance(data, dict) else None
    if not name or not isinstance(by_no, str) or not by_no:
        return case_name, case_no, case_place
    place = data.get("by_place")
    return name, by_no, place if isinstance(place, str) and place else case_place


def find_target(s: Session, number: str) -> Target:
    """The case, inquiry or notice with this number, ready to be rated, or why not."""
    case = s.scalar(select(Case).where(Case.number == number))
    if case is not None:
        if case.status not in CLOSED_STATES:
            raise ValidationError(f"办件 {number} 尚未办结，办结（送达）后才能评价")
        ended, name, staff_no, window = case_end(s, case)
        return Target("case", number, ended, staff_no, name, window, case.item_code, case.origin_node)
    inquiry = s.scalar(select(Inquiry).where(Inquiry.number == number))
    if inquiry is not None:
        return Target("inquiry", number, inquiry.asked_at, inquiry.responder_no, inquiry.responder_name, "",
                      inquiry.item_code, inquiry.origin_node)
    notice = s.scalar(select(Notice).where(Notice.number == number))
    if notice is not None:
        return Target("notice", number, notice.issued_at, notice.staff_no, notice.staff_name, notice.staff_workplace,
                      notice.item_code, notice.origin_node)
    raise ValidationError(f"未找到编号为 {number} 的办件、首问登记或一次性告知书")


def last_rating_day(db: Database, ended_at: datetime) -> date:
    """The last day a rating away from the window is taken: the 5th working day after the end."""
    return load_calendar(db).add(ended_at.astimezone().date(), RATING_WINDOW_DAYS).day


def add_rating(db: Database, actor: Actor, target_number: str, level: int, reasons: list[str] | tuple[str, ...] = (),
               text: str = "", channel: str = "window", private: bool = False,
               now: datetime | None = None) -> RatingRecord:
    """Record a citizen's rating (首评, or the one 追评); everything is checked before anything is written."""
    now = now or utc_now()
    number = target_number.strip()
    if not number or len(number) > 24:
        raise ValidationError("请填写办件、首问登记或告知书编号（不超过24位）")
    if channel not in CITIZEN_CHANNELS:
        raise ValidationError(f"评价渠道应为：{'、'.join(f'{c}（{channel_label(c)}）' for c in CITIZEN_CHANNELS)}")
    if isinstance(level, bool) or not isinstance(level, int):
        raise ValidationError("评价等级应为 1 至 5 的整数")
    codes = check_reasons(level, reasons)
    body = check_text(text)
    with db.session(actor) as s:
        target = find_target(s, number)
        if channel not in UNTIMED_CHANNELS:
            last = last_rating_day(db, target.ended_at)
            if now.astimezone().date() > last:
                raise ValidationError(f"评价期限已过：应在办结后 {RATING_WINDOW_DAYS} 个工作日内（{last.isoformat()} 前）评价；"
                                      "现场评价或纸质评价可选“窗口评价器”或“补录”")
        given = s.scalar(select(func.count()).select_from(Rating).where(
            Rating.target_number == number, Rating.provenance != DEFAULT_PROVENANCE)) or 0
        if given >= MAX_RATINGS:
            raise ValidationError(f"{number} 已有首评和追评，不能再评价")
        # A 追评 typed in the same instant as the 首评 is still the later one (`counts` reads times).
        now = stamp_after_last(s, Rating.rated_at, Rating.target_number == number, now)
        row = Rating(target_kind=target.kind, target_number=number, staff_no=target.staff_no,
                     staff_name=target.staff_name, window=target.window, item_code=target.item_code,
                     target_node=target.node, level=level,
                     reasons=json.dumps(codes), text=body, private=bool(private), channel=channel,
                     provenance="backfill" if channel == "backfill" else "citizen", rated_at=now, seq=given + 1)
        s.add(row)
        s.flush()
        open_for(s, db, row, actor)  # a bad rating opens its rectification in this same transaction
        return _record(row, counts=True)


def _record(row: Rating, counts: bool, excluded: bool = False) -> RatingRecord:
    try:
        reasons = tuple(str(r) for r in json.loads(row.reasons or "[]"))
    except ValueError:
        reasons = ()
    return RatingRecord(row.id, row.target_kind, row.target_number, row.level, reasons, row.text, row.private,
                        row.channel, row.provenance, row.rated_at, row.staff_no, row.staff_name, row.window,
                        row.seq, counts, excluded)


def counts(provenance: str, rated_at: datetime, last_citizen_at: datetime | None) -> bool:
    """Whether a rating is the one that counts for its target: the citizen's latest (a 追评 replaces
    the 首评; typed in from paper counts as the citizen's); a default only while the citizen has given
    none. Ratings arrive from several places (the window, the centre's public page, a node's default
    job) in any order, and two places may both write a 首评 before they sync: the rule reads the times
    given, never the order of arrival nor the sequence number each place worked out."""
    if provenance == DEFAULT_PROVENANCE:
        return last_citizen_at is None
    return rated_at == last_citizen_at


def last_citizen_rating() -> Subquery:
    """Per target, when the citizen last rated it (no row: only a default): what `counts` compares with."""
    citizen_at = sql_case((Rating.provenance != DEFAULT_PROVENANCE, Rating.rated_at))
    return (select(Rating.target_number, func.max(citizen_at).label("last_at"))
            .group_by(Rating.target_number).subquery())


def ratings_of(db: Database, target_number: str) -> list[RatingRecord]:
    """A target's ratings in the order given; `counts` marks the one that counts."""
    with db.session() as s:
        rows = list(s.scalars(select(Rating).where(Rating.target_number == target_number.strip())
                              .order_by(Rating.rated_at, Rating.seq, Rating.id)))
    last = max((r.rated_at for r in rows if r.provenance != DEFAULT_PROVENANCE), default=None)
    return [_record(r, counts=counts(r.provenance, r.rated_at, last)) for r in rows]


def next_rating(rows: Sequence[RatingRecord]) -> str | None:
    """What the citizen's next rating of a target would be (首评 or 追评), None when both are given;
    a default rating takes no place (add_rating counts the same way)."""
    given = sum(1 for r in rows if r.provenance != DEFAULT_PROVENANCE)
    return WHICH.get(given + 1) if given < MAX_RATINGS else None


def effective_rating(db: Database, target_number: str) -> RatingRecord | None:
    """The rating that counts for this target (see `counts`)."""
    return next((r for r in ratings_of(db, target_number) if r.counts), None)


def iter_ratings(db: Database, batch: int = 1000) -> Iterator[RatingRecord]:
    """Every rating, oldest first, streamed in batches (never the whole table in memory)."""
    last = last_citizen_rating()
    after: tuple[datetime, str] | None = None
    while True:
        query = (select(Rating, last.c.last_at, Rectification.excluded)
                 .join(last, last.c.target_number == Rating.target_number)
                 .outerjoin(Rectification, Rectification.rating_id == Rating.id)
                 .order_by(Rating.rated_at, Rating.id).limit(batch))
        if after is not None:
            query = query.where((Rating.rated_at > after[0]) | ((Rating.rated_at == after[0]) & (Rating.id > after[1])))
        with db.session() as s:
            rows = s.execute(query).all()
        for row, last_at, excluded in rows:
            yield _record(row, counts=counts(row.provenance, row.rated_at, last_at), excluded=bool(excluded))
        if len(rows) < batch:
            return
        after = (rows[-1][0].rated_at, rows[-1][0].id)

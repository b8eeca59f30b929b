"""The grouped queries behind the case, rating, complaint, 首问 and 告知书 figures (their definitions are in
figures.py): each reads a period once, grouped by every scope asked at once (Key), and says per group.

Each query groups in SQL (a month of a township's year is about 80,000 cases) and reads an index alone:
the case and rating indexes by period carry every column counted here (migration 0023). Python only adds
working days per (due date, decision day) or (acceptance day, decision day) group. The case figures read
case_file alone: its decision, end and completion times and its 补正 flag are cached there with every
event (app.services.cases.projection), as status and trips are, so no figure looks up a case's events.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, not_, or_, select, true, union
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from app.models import Case, Complaint, Inquiry, Notice, Rating, RatingOutweighed, Rectification, Staff
from app.services.cases.lifecycle import STATES
from app.services.cases.lights import LIT_STATES, WorkdayCounter
from app.services.ratings.codes import BAD_LEVELS, DEFAULT_PROVENANCE
from app.services.stats.kinds import Grouped, Key, add_to, group_by, key_of, township_of, township_of_target
from app.services.stats.periods import Period, day_of

SATISFIED_LEVEL = 3  # 基本满意 or better
BAD_LEVEL = max(BAD_LEVELS)  # 不满意 or worse
CITIZEN = Rating.provenance != DEFAULT_PROVENANCE
CASE_SCOPES: dict[str, Any] = {"window": Case.staff_workplace, "staff": Case.staff_no, "item": Case.item_code,
                               "node": Case.origin_node, "township": township_of(Case.number, "case")}


def _unindexed(column: Any) -> Any:
    """The column as an expression no index serves (column || ''): with `status IN ('done', 'archived')`
    beside a month of completed_at, SQLite without statistics reads the (status, due_date) index — every
    case ever completed, seconds — instead of the month's range of the completed_at index."""
    return column.concat("")


def _as_date(value: date | str) -> date:
    """A day from SQL: SQLite's date() gives text, PostgreSQL a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _rows(s: Session, query: Select[Any]) -> Any:
    """The rows of a grouped query as plain tuples: through the session's connection, as Core, so the ORM
    does not process tens of thousands of result rows it has no object for."""
    return s.connection().execute(query)


def _tally(s: Session, query: Select[Any], keys: Key, *names: str) -> Grouped:
    """A grouped query's trailing columns added up per group under these names."""
    out: Grouped = {}
    for row in _rows(s, query):
        add_to(out, key_of(row, keys), **dict(zip(names, row[len(keys):], strict=True)))
    return out


def _n_if(condition: ColumnElement[bool]) -> Any:
    return func.sum(sql_case((condition, 1), else_=0))


def accepted(s: Session, period: Period, keys: Key, with_classes: bool = True) -> Grouped:
    """受理量, and by class at acceptance (a 补办件 that was completed later still counts as 补办件) as
    'class:<key>' counts; without classes what a trend over a year needs."""
    groups = group_by(keys, CASE_SCOPES)
    accepted_class = sql_case((or_(Case.case_class == "supplement", Case.supplemented.is_(True)), "supplement"),
                              else_=Case.case_class)
    extra = [accepted_class] if with_classes else []
    query = (select(*groups, *extra, func.count()).select_from(Case)
             .where(Case.accepted_at >= period.start, Case.accepted_at < period.end).group_by(*groups, *extra))
    out: Grouped = {}
    for row in _rows(s, query):
        classes = {f"class:{row[-2]}": row[-1]} if with_classes else {}
        add_to(out, key_of(row, keys), accepted=row[-1], **classes)
    return out


RATING_SUMS = ("ratings", "ratings_default", "satisfied", "bad_ratings", "rectified", "called_back")
COMPLETED_SUMS = ("completed", "completed_on_time", "trips_sum", "one_trip", "workdays_sum", "one_visit")


def completed(s: Session, period: Period, keys: Key, counter: WorkdayCounter) -> Grouped:
    """办结量, 按时办结, trips, 一次办结 and working days to decision, grouped also by (acceptance day,
    decision day) so Python adds working days once per pair of days, not once per case."""
    groups = group_by(keys, CASE_SCOPES)
    decided_day = day_of(Case.decided_at, period)
    accepted_day = day_of(Case.accepted_at, period)
    on_time = sql_case((or_(Case.due_date.is_(None), decided_day <= Case.due_date), 1), else_=0)
    one_visit = sql_case((Case.supplemented.is_(True), 0), else_=1)
    query = (select(*groups, accepted_day, decided_day, func.count(), func.sum(on_time), func.sum(Case.trips),
                    _n_if(Case.trips <= 1), func.sum(one_visit))
             .select_from(Case)
             .where(Case.completed_at >= period.start, Case.completed_at < period.end,
                    _unindexed(Case.status).in_(("done", "archived")))
             .group_by(*groups, accepted_day, decided_day))
    # Tens of thousands of (group, day, day) rows: summed here without a call per row.
    width = len(keys)
    sums: dict[Key, list[float]] = {}
    for row in _rows(s, query):
        first, decided, n, n_on_time, trips, one_trip, n_one_visit = row[width:]
        days = counter.between(_as_date(first), _as_date(decided)) if first and decided else 0
        total = sums.get(row[:width])
        if total is None:
            total = sums[row[:width]] = [0.0] * 6
        total[0] += n
        total[1] += n_on_time or 0
        total[2] += trips or 0
        total[3] += one_trip or 0
        total[4] += days * n
        total[5] += n_one_visit or 0
    return {tuple(str(k or "") for k in key): dict(zip(COMPLETED_SUMS, total, strict=True))
            for key, total in sums.items()}


def completed_count(s: Session, period: Period, keys: Key) -> Grouped:
    """办结量 alone (the same rows as `completed`, without decision days, trips or 补正): for the trend."""
    groups = group_by(keys, CASE_SCOPES)
    query = (select(*groups, func.count()).select_from(Case)
             .where(Case.completed_at >= period.start, Case.completed_at < period.end,
                    _unindexed(Case.status).in_(("done", "archived")))
             .group_by(*groups))
    return _tally(s, query, keys, "completed")


def overdue(s: Session, period: Period, keys: Key, today: date, counter: WorkdayCounter) -> Grouped:
    """超期件数 and working days overdue, for the cases whose deadline fell in the period."""
    last_due = min(period.last, today - timedelta(days=1))
    out: Grouped = {}
    if last_due < period.first:
        return out
    groups = group_by(keys, CASE_SCOPES)
    ended = Case.ended_at
    ended_day = day_of(ended, period)
    late = or_(and_(ended.is_(None), Case.status.in_(tuple(LIT_STATES))),
               and_(ended.is_not(None), ended_day > Case.due_date))
    # every state named, so SQLite reads the (status, due_date) index by ranges instead of the whole table
    query = (select(*groups, Case.due_date, ended_day, func.count()).select_from(Case)
             .where(Case.status.in_(tuple(STATES)), Case.due_date >= period.first, Case.due_date <= last_due, late)
             .group_by(*groups, Case.due_date, ended_day))
    for row in _rows(s, query):
        due, day, n = tuple(row)[len(keys):]
        days = counter.between(due, _as_date(day) if day else today)
        add_to(out, key_of(row, keys), overdue=n, overdue_days=days * n)
    return out


def rating_sums(s: Session, period: Period, keys: Key, columns: Sequence[ColumnElement[Any]],
                extra: Sequence[Any] = (), rectified: bool = False) -> dict[tuple[Any, ...], list[float]]:
    """The additive `columns` (sums, counts) over the period's counted ratings, per group of the scopes
    asked and then of `extra` — the one rule every rating figure and the satisfaction split read: the
    citizen's latest per target (app.services.ratings.ratings.counts), a default only while the citizen gave
    none; a rating an upheld appeal excluded is left out. The ratings the rule leaves out are kept in
    rating_outweighed (by triggers on rating, whatever brings a rating): the period's ratings are summed
    from the index alone and the few left out are summed apart, by their ids, and taken away — cheaper
    than asking of every rating whether it is left out. A rating's item and node are its target's, copied
    onto it when given (migration 0024), so no rating's case is looked up. `rectified`: each rating's
    rectification is joined (for 整改率)."""
    groups = [*group_by(keys, {"window": Rating.window, "staff": Rating.staff_no, "item": Rating.item_code,
                               "node": Rating.target_node,
                               "township": township_of_target(Rating.target_kind, Rating.target_number)}), *extra]
    left_out = union(select(RatingOutweighed.rating_id).where(RatingOutweighed.rated_at >= period.start,
                                                              RatingOutweighed.rated_at < period.end),
                     select(Rectification.rating_id).where(Rectification.excluded == true()))

    def summed(*conditions: ColumnElement[bool]) -> Select[Any]:
        query = (select(*groups, *columns).select_from(Rating)
                 .where(Rating.rated_at >= period.start, Rating.rated_at < period.end, *conditions))
        if rectified:
            query = query.outerjoin(Rectification, Rectification.rating_id == Rating.id)
        return query.group_by(*groups)

    width = len(groups)
    out: dict[tuple[Any, ...], list[float]] = {}
    for sign, query in ((1, summed()), (-1, summed(Rating.id.in_(left_out)))):
        for row in _rows(s, query):
            total = out.setdefault(tuple(row[:width]), [0.0] * len(columns))
            for i, value in enumerate(row[width:]):
                total[i] += sign * float(value or 0)
    return {key: total for key, total in out.items() if any(total)}  # a group of left-out ratings alone is none


def ratings(s: Session, period: Period, keys: Key) -> Grouped:
    """Counted ratings, defaults apart, satisfied and bad ones, and of the bad ones how many are rectified
    (已整改) and called back (回访)."""
    bad = and_(CITIZEN, Rating.level <= BAD_LEVEL)
    sums = rating_sums(s, period, keys, (
        _n_if(CITIZEN), _n_if(not_(CITIZEN)), _n_if(and_(CITIZEN, Rating.level >= SATISFIED_LEVEL)), _n_if(bad),
        _n_if(and_(bad, Rectification.status == "fixed")), _n_if(and_(bad, Rectification.called_back.is_(True)))),
        rectified=True)
    return {tuple(str(k or "") for k in key): dict(zip(RATING_SUMS, total, strict=True)) for key, total in sums.items()}


def satisfaction(s: Session, period: Period, keys: Key) -> Grouped:
    """Counted citizen ratings and the satisfied ones alone: what a trend of 满意度 needs."""
    sums = rating_sums(s, period, keys, (_n_if(CITIZEN), _n_if(and_(CITIZEN, Rating.level >= SATISFIED_LEVEL))))
    return {tuple(str(k or "") for k in key): dict(zip(("ratings", "satisfied"), total, strict=True))
            for key, total in sums.items()}


def complaints(s: Session, period: Period, keys: Key) -> Grouped:
    """Complaints registered in the period, about a clerk (and so their window) or a window."""
    about_case = aliased(Case)
    groups = group_by(keys, {"window": func.coalesce(Staff.workplace, func.nullif(Complaint.window, "")),
                             "staff": Complaint.staff_no,
                             "item": func.coalesce(about_case.item_code, func.nullif(Complaint.item, "")),
                             "node": Complaint.origin_node, "township": township_of(Complaint.number, "complaint")})
    query = (select(*groups, func.count(), _n_if(Complaint.finding == "upheld")).select_from(Complaint)
             .where(Complaint.registered_at >= period.start, Complaint.registered_at < period.end)
             .group_by(*groups))
    if "window" in keys:
        query = query.outerjoin(Staff, and_(Staff.staff_no == Complaint.staff_no, Complaint.staff_no != ""))
    if "item" in keys:
        query = query.outerjoin(about_case, and_(about_case.number == Complaint.case_number,
                                                 Complaint.case_number != ""))
    return _tally(s, query, keys, "complaints", "complaints_upheld")


def inquiries(s: Session, period: Period, keys: Key) -> Grouped:
    """首问 registered in the period, and how many were referred elsewhere."""
    groups = group_by(keys, {"window": Staff.workplace, "staff": Inquiry.responder_no, "item": Inquiry.item_code,
                             "node": Inquiry.origin_node, "township": township_of(Inquiry.number, "inquiry")})
    query = (select(*groups, func.count(), _n_if(Inquiry.outcome == "referred")).select_from(Inquiry)
             .where(Inquiry.asked_at >= period.start, Inquiry.asked_at < period.end).group_by(*groups))
    if "window" in keys:
        query = query.outerjoin(Staff, Staff.staff_no == Inquiry.responder_no)
    return _tally(s, query, keys, "inquiries", "referred")


def notices(s: Session, period: Period, keys: Key) -> Grouped:
    """一次性告知书 issued in the period (a reprint is a print of the same notice, not another)."""
    groups = group_by(keys, {"window": Notice.staff_workplace, "staff": Notice.staff_no, "item": Notice.item_code,
                             "node": Notice.origin_node, "township": township_of(Notice.number, "notice")})
    query = (select(*groups, func.count()).select_from(Notice)
             .where(Notice.issued_at >= period.start, Notice.issued_at < period.end).group_by(*groups))
    return _tally(s, query, keys, "notices")

"""Every statistics figure, defined once: its key, Chinese label, written definition and unit, and the
grouped query that counts it over a period, for the township or by window, staff, item or node.

The definitions below are what the screen shows on hover and the report prints in its notes; the
queries do exactly what they say. Each query groups in SQL (a month of a township's year is about
80,000 cases): Python only adds working days per (due date, decision day) or (acceptance day, decision
day) group. The case figures read case_file alone: its decision, end and completion times and its 补正
flag are cached there with every event (app.services.cases.projection), as status and trips are, so no
figure looks up a case's events. Besides the scopes a user picks (SCOPES) every query also groups by MONTH, the local month
of the time it counts by, so a 12-month trend is the same queries run once, not twelve times.

Figures counted from other areas' tables (延时服务, 预约/上门, 考勤) join here the same way: a Figure in
FIGURES, a derived share in DERIVED if any, and a Part in PARTS whose function groups by the same scopes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, literal_column, not_, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from app.models import Case, Complaint, Inquiry, Notice, Rating, Rectification, Staff
from app.services.calendar.workdays import WorkCalendar
from app.services.cases.lifecycle import STATES
from app.services.cases.lights import LIT_STATES, WorkdayCounter
from app.services.ratings.codes import DEFAULT_PROVENANCE
from app.services.stats.kinds import MONTH, Counts, Figure, Part, PartCount, add
from app.services.stats.periods import Period, day_of, month_of
from app.services.stats.service_figures import DERIVED_SERVICE, SERVICE_FIGURES, SERVICE_PARTS

SCOPES: dict[str, str] = {"window": "窗口（代办点）", "staff": "工作人员", "item": "事项", "node": "节点"}
SATISFIED_LEVEL = 3  # 基本满意 or better
BAD_LEVEL = 2  # 不满意 or worse


CASE_FIGURES: tuple[Figure, ...] = (
    Figure("accepted", "受理量", "统计期内受理（登记）的办件数，含退办件；分件类按受理时的件类计，"
           "补办件补齐后仍计为补办件。归属受理人及其窗口、受理节点。", "件"),
    Figure("completed", "办结量", "统计期内办结的办件数：当场办结或送达（含不予许可的送达）发生在统计期内，"
           "且办件现为已办结或已归档。撤回、终止、不予受理不计。", "件"),
    Figure("completed_on_time", "按时办结件数", "办结量中，作出决定（准予、不予许可或当场办结）之日不晚于办结期限"
           "（含批准的延期、扣除特别程序）的件数。", "件"),
    Figure("on_time_rate", "按时办结率", "按时办结件数 ÷ 办结量。", "%"),
    Figure("overdue", "超期件数", "办结期限落在统计期内（且早于今日）的办件中，期限届满时仍未作出决定的件数："
           "决定（或撤回、终止）晚于期限，或至今未决定且仍在办理中（特别程序中的不计）。", "件"),
    Figure("overdue_days", "超期工作日数", "超期件数中各件超过期限的工作日数之和：算至作出决定（或撤回、终止）之日，"
           "未决定的算至今日；按法定节假日安排计算。", "个工作日"),
    Figure("avg_workdays", "平均办结用时", "办结量中各件自受理之日至作出决定（准予、不予许可或当场办结）之日的工作日数"
           "（受理当日不计，按法定节假日安排计算；当场办结为0）的平均数。", "个工作日"),
    Figure("one_visit_rate", "一次办结率", "办结量中未经补正（没有“材料补齐”记录）即办结的件数 ÷ 办结量。", "%"),
    Figure("trips_avg", "平均跑动次数", "办结量中各件跑动次数（领取告知书、受理、补正、窗口领取及登记的来访）的平均数。",
           "次"),
    Figure("one_trip_share", "最多跑一次占比", "办结量中跑动次数不超过1次的件数 ÷ 办结量。", "%"),
    Figure("ratings", "评价数", "统计期内群众给出、且计入的评价条数：每个办件、首问或告知书只计群众最后一次评价（追评替代首评）；"
           "申诉成立的评价不计；系统默认评价另计，不在此数内。归属被评价人及其窗口。", "条"),
    Figure("ratings_default", "默认评价数", "统计期内记入的系统默认评价（办结5个工作日未评价，记基本满意）条数；"
           "群众此后又评价的不计。", "条"),
    Figure("satisfaction", "满意度", "评价数中“基本满意”及以上的占比；系统默认评价不计入分子和分母，另列默认评价数。", "%"),
    Figure("bad_ratings", "差评数", "评价数中“不满意”“非常不满意”的条数。", "条"),
    Figure("rectification_rate", "整改率", "差评数中，其整改现为“已整改”的占比（申诉成立、不计入的差评不在分母内）。", "%"),
    Figure("callback_rate", "回访率", "差评数中已回访群众的占比。", "%"),
    Figure("complaints", "投诉件数", "统计期内登记的投诉件数；归属被投诉人及其窗口（未指明人员的按所投诉窗口）。", "件"),
    Figure("complaints_upheld", "投诉属实件数", "投诉件数中核实结论为“属实”的件数（部分属实不计）。", "件"),
    Figure("inquiries", "首问登记数", "统计期内登记的首问件数；归属首问责任人及其窗口。", "件"),
    Figure("referral_share", "转介占比", "首问登记中结果为“已转介”（不属本中心职责，告知去向）的占比。", "%"),
    Figure("notices", "一次性告知书", "统计期内出具的一次性告知书份数（补打不重复计）。", "份"),
)
FIGURES: tuple[Figure, ...] = CASE_FIGURES + SERVICE_FIGURES
BY_KEY: dict[str, Figure] = {f.key: f for f in FIGURES}


def _group(by: str | None, exprs: Mapping[str, Any]) -> ColumnElement[Any]:
    """The grouping column for a scope; the township is one group whose key is '' (a constant, which
    `_by` leaves out of GROUP BY: PostgreSQL refuses a constant there)."""
    if by is None:
        return literal_column("''")
    return func.coalesce(exprs[by], "")


def group_columns(by: str | None, group: ColumnElement[Any], *more: Any) -> list[Any]:
    """What to GROUP BY: the scope's column (none for the township) and any further columns."""
    return [*([] if by is None else [group]), *more]


_add = add


def _case_groups(month: ColumnElement[str]) -> dict[str, Any]:
    return {"window": Case.staff_workplace, "staff": Case.staff_no, "item": Case.item_code,
            "node": Case.origin_node, MONTH: month}


def accepted(s: Session, period: Period, by: str | None) -> tuple[Counts, dict[str, dict[str, int]]]:
    """受理量, and by class at acceptance (a 补办件 that was completed later still counts as 补办件)."""
    group = _group(by, _case_groups(month_of(Case.accepted_at, period)))
    accepted_class = sql_case((or_(Case.case_class == "supplement", Case.supplemented.is_(True)), "supplement"),
                              else_=Case.case_class)
    query = (select(group, accepted_class, func.count()).select_from(Case)
             .where(Case.accepted_at >= period.start, Case.accepted_at < period.end)
             .group_by(*group_columns(by, group, accepted_class)))
    out: Counts = {}
    by_class: dict[str, dict[str, int]] = defaultdict(dict)
    for key, klass, n in s.execute(query):
        _add(out, key, accepted=n)
        by_class[str(key or "")][str(klass)] = int(n)
    return out, dict(by_class)


def _unindexed(column: Any) -> Any:
    """The column as an expression no index serves (column || ''): with `status IN ('done', 'archived')`
    beside a month of completed_at, SQLite without statistics reads the (status, due_date) index — every
    case ever completed, seconds — instead of the month's range of the completed_at index."""
    return column.concat("")


def accepted_count(s: Session, period: Period, by: str | None) -> Counts:
    """受理量 alone (the same rows as `accepted`, without the class): what a trend over a year needs."""
    group = _group(by, _case_groups(month_of(Case.accepted_at, period)))
    query = (select(group, func.count()).select_from(Case)
             .where(Case.accepted_at >= period.start, Case.accepted_at < period.end).group_by(*group_columns(by, group)))
    out: Counts = {}
    for key, n in s.execute(query):
        _add(out, key, accepted=n)
    return out


def completed(s: Session, period: Period, by: str | None, counter: WorkdayCounter) -> Counts:
    """办结量, 按时办结, trips, 一次办结 and working days to decision: one grouped query over the completing
    events of the period, grouped also by (acceptance day, decision day) so Python adds working days
    once per pair of days, not once per case."""
    group = _group(by, _case_groups(month_of(Case.completed_at, period)))
    decided_day = day_of(Case.decided_at, period)
    accepted_day = day_of(Case.accepted_at, period)
    on_time = sql_case((or_(Case.due_date.is_(None), decided_day <= Case.due_date), 1), else_=0)
    one_visit = sql_case((Case.supplemented.is_(True), 0), else_=1)
    query = (select(group, accepted_day, decided_day, func.count(), func.sum(on_time), func.sum(Case.trips),
                    func.sum(sql_case((Case.trips <= 1, 1), else_=0)), func.sum(one_visit))
             .select_from(Case)
             .where(Case.completed_at >= period.start, Case.completed_at < period.end,
                    _unindexed(Case.status).in_(("done", "archived")))
             .group_by(*group_columns(by, group, accepted_day, decided_day)))
    out: Counts = {}
    for key, first, decided, n, n_on_time, trips, one_trip, n_one_visit in s.execute(query):
        days = counter.between(_as_date(first), _as_date(decided)) if first and decided else 0
        _add(out, key, completed=n, completed_on_time=n_on_time, trips_sum=trips, one_trip=one_trip,
             workdays_sum=days * n, one_visit=n_one_visit)
    return out


def completed_count(s: Session, period: Period, by: str | None) -> Counts:
    """办结量 alone (the same rows as `completed`, without decision days, trips or 补正): for the trend."""
    group = _group(by, _case_groups(month_of(Case.completed_at, period)))
    query = (select(group, func.count()).select_from(Case)
             .where(Case.completed_at >= period.start, Case.completed_at < period.end,
                    _unindexed(Case.status).in_(("done", "archived")))
             .group_by(*group_columns(by, group)))
    out: Counts = {}
    for key, n in s.execute(query):
        _add(out, key, completed=n)
    return out


def _as_date(value: date | str) -> date:
    """A day from SQL: SQLite's date() gives text, PostgreSQL a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def overdue(s: Session, period: Period, by: str | None, today: date, counter: WorkdayCounter) -> Counts:
    """超期件数 and working days overdue, for the cases whose deadline fell in the period."""
    group = _group(by, _case_groups(month_of(Case.due_date, period, is_date=True)))
    last_due = min(period.last, today - timedelta(days=1))
    out: Counts = {}
    if last_due < period.first:
        return out
    ended = Case.ended_at
    ended_day = day_of(ended, period)
    late = or_(and_(ended.is_(None), Case.status.in_(tuple(LIT_STATES))),
               and_(ended.is_not(None), ended_day > Case.due_date))
    # every state named, so SQLite reads the (status, due_date) index by ranges instead of the whole table
    query = (select(group, Case.due_date, ended_day, func.count()).select_from(Case)
             .where(Case.status.in_(tuple(STATES)), Case.due_date >= period.first, Case.due_date <= last_due, late)
             .group_by(*group_columns(by, group, Case.due_date, ended_day)))
    for key, due, day, n in s.execute(query):
        days = counter.between(due, _as_date(day) if day else today)
        _add(out, key, overdue=n, overdue_days=days * n)
    return out


def counted_ratings(period: Period, by: str | None, *columns: Any) -> tuple[Select[Any], ColumnElement[Any]]:
    """SELECT <group>, *columns FROM the period's counted ratings — the one rule every rating figure and
    the satisfaction split read: the citizen's latest per target (see app.services.ratings.ratings.counts),
    a default only while the citizen gave none; a rating an upheld appeal excluded is left out. The
    caller adds GROUP BY (`group_columns(by, group, ...)`). Each rating's rectification is joined (for 整改率)."""
    later = aliased(Rating)
    outweighed = exists().where(later.target_number == Rating.target_number,
                                later.provenance != DEFAULT_PROVENANCE,
                                or_(Rating.provenance == DEFAULT_PROVENANCE, later.rated_at > Rating.rated_at))
    rated_case, notice, inquiry = aliased(Case), aliased(Notice), aliased(Inquiry)
    group = _group(by, {
        "window": Rating.window, "staff": Rating.staff_no,
        "item": func.coalesce(rated_case.item_code, notice.item_code, inquiry.item_code),
        "node": func.coalesce(rated_case.origin_node, notice.origin_node, inquiry.origin_node, Rating.origin_node),
        MONTH: month_of(Rating.rated_at, period)})
    query = (select(group, *columns).select_from(Rating)
             .outerjoin(Rectification, Rectification.rating_id == Rating.id)
             .where(Rating.rated_at >= period.start, Rating.rated_at < period.end, not_(outweighed),
                    or_(Rectification.excluded.is_(None), Rectification.excluded.is_(False))))
    if by in ("item", "node"):
        query = (query.outerjoin(rated_case, rated_case.number == Rating.target_number)
                 .outerjoin(notice, notice.number == Rating.target_number)
                 .outerjoin(inquiry, inquiry.number == Rating.target_number))
    return query, group


CITIZEN = Rating.provenance != DEFAULT_PROVENANCE


def ratings(s: Session, period: Period, by: str | None) -> Counts:
    """Counted ratings, defaults apart, satisfied and bad ones, and of the bad ones how many are rectified
    (已整改) and called back (回访)."""
    bad = and_(CITIZEN, Rating.level <= BAD_LEVEL)

    def n_if(condition: ColumnElement[bool]) -> Any:
        return func.sum(sql_case((condition, 1), else_=0))

    query, group = counted_ratings(
        period, by, n_if(CITIZEN), n_if(not_(CITIZEN)), n_if(and_(CITIZEN, Rating.level >= SATISFIED_LEVEL)),
        n_if(bad), n_if(and_(bad, Rectification.status == "fixed")),
        n_if(and_(bad, Rectification.called_back.is_(True))))
    out: Counts = {}
    for key, n, defaults, satisfied, n_bad, fixed, called in s.execute(query.group_by(*group_columns(by, group))):
        _add(out, key, ratings=n, ratings_default=defaults, satisfied=satisfied, bad_ratings=n_bad,
             rectified=fixed, called_back=called)
    return out


def complaints(s: Session, period: Period, by: str | None) -> Counts:
    """Complaints registered in the period, about a clerk (and so their window) or a window."""
    about_case = aliased(Case)
    group = _group(by, {"window": func.coalesce(Staff.workplace, func.nullif(Complaint.window, "")),
                        "staff": Complaint.staff_no,
                        "item": func.coalesce(about_case.item_code, func.nullif(Complaint.item, "")),
                        "node": Complaint.origin_node, MONTH: month_of(Complaint.registered_at, period)})
    query = (select(group, func.count(), func.sum(sql_case((Complaint.finding == "upheld", 1), else_=0)))
             .select_from(Complaint)
             .where(Complaint.registered_at >= period.start, Complaint.registered_at < period.end)
             .group_by(*group_columns(by, group)))
    if by == "window":
        query = query.outerjoin(Staff, and_(Staff.staff_no == Complaint.staff_no, Complaint.staff_no != ""))
    if by == "item":
        query = query.outerjoin(about_case, and_(about_case.number == Complaint.case_number,
                                                 Complaint.case_number != ""))
    out: Counts = {}
    for key, n, upheld in s.execute(query):
        _add(out, key, complaints=n, complaints_upheld=upheld)
    return out


def inquiries(s: Session, period: Period, by: str | None) -> Counts:
    """首问 registered in the period, and how many were referred elsewhere."""
    group = _group(by, {"window": Staff.workplace, "staff": Inquiry.responder_no, "item": Inquiry.item_code,
                        "node": Inquiry.origin_node, MONTH: month_of(Inquiry.asked_at, period)})
    query = (select(group, func.count(), func.sum(sql_case((Inquiry.outcome == "referred", 1), else_=0)))
             .select_from(Inquiry)
             .where(Inquiry.asked_at >= period.start, Inquiry.asked_at < period.end).group_by(*group_columns(by, group)))
    if by == "window":
        query = query.outerjoin(Staff, Staff.staff_no == Inquiry.responder_no)
    out: Counts = {}
    for key, n, referred in s.execute(query):
        _add(out, key, inquiries=n, referred=referred)
    return out


def notices(s: Session, period: Period, by: str | None) -> Counts:
    group = _group(by, {"window": Notice.staff_workplace, "staff": Notice.staff_no, "item": Notice.item_code,
                        "node": Notice.origin_node, MONTH: month_of(Notice.issued_at, period)})
    query = (select(group, func.count()).select_from(Notice)
             .where(Notice.issued_at >= period.start, Notice.issued_at < period.end).group_by(*group_columns(by, group)))
    out: Counts = {}
    for key, n in s.execute(query):
        _add(out, key, notices=n)
    return out


def _share(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


DERIVED: dict[str, Callable[[Mapping[str, float]], float | None]] = {
    "on_time_rate": lambda r: _share(r.get("completed_on_time", 0), r.get("completed", 0)),
    "trips_avg": lambda r: round(r.get("trips_sum", 0) / r["completed"], 2) if r.get("completed") else None,
    "one_trip_share": lambda r: _share(r.get("one_trip", 0), r.get("completed", 0)),
    "avg_workdays": lambda r: round(r.get("workdays_sum", 0) / r["completed"], 2) if r.get("completed") else None,
    "one_visit_rate": lambda r: _share(r.get("one_visit", 0), r.get("completed", 0)),
    "rectification_rate": lambda r: _share(r.get("rectified", 0), r.get("bad_ratings", 0)),
    "callback_rate": lambda r: _share(r.get("called_back", 0), r.get("bad_ratings", 0)),
    "satisfaction": lambda r: _share(r.get("satisfied", 0), r.get("ratings", 0)),
    "referral_share": lambda r: _share(r.get("referred", 0), r.get("inquiries", 0)),
}


DERIVED.update(DERIVED_SERVICE)


def values_of(raw: Mapping[str, float], by: str | None = None) -> dict[str, int | float | None]:
    """The published figures of one group, in FIGURES order: counts as integers, shares in per cent;
    None for a figure that cannot be split by this scope (attendance by 事项)."""
    out: dict[str, int | float | None] = {}
    for figure in FIGURES:
        if by is not None and figure.scopes is not None and by not in figure.scopes:
            out[figure.key] = None
        elif figure.key in DERIVED:
            out[figure.key] = DERIVED[figure.key](raw)
        else:
            out[figure.key] = int(raw.get(figure.key, 0))
    return out


def _light(figures: set[str], function: Callable[[Session, Period, str | None], Counts]) -> tuple[frozenset[str],
                                                                                                   PartCount]:
    return frozenset(figures), lambda s, p, by, today, counter: function(s, p, by)


def _accepted_part(s: Session, period: Period, by: str | None, today: date, counter: WorkdayCounter) -> Counts:
    counts, by_class = accepted(s, period, by)
    for key, classes in by_class.items():
        _add(counts, key, **{"class:" + k: n for k, n in classes.items()})
    return counts


PARTS: tuple[Part, ...] = (
    Part(frozenset({"accepted"}), _accepted_part, _light({"accepted"}, accepted_count)),
    Part(frozenset({"completed", "completed_on_time", "on_time_rate", "avg_workdays", "one_visit_rate", "trips_avg",
                    "one_trip_share"}), lambda s, p, by, today, counter: completed(s, p, by, counter),
         _light({"completed"}, completed_count)),
    Part(frozenset({"overdue", "overdue_days"}), overdue),
    Part(frozenset({"ratings", "ratings_default", "satisfaction", "bad_ratings", "rectification_rate",
                    "callback_rate"}), lambda s, p, by, today, counter: ratings(s, p, by)),
    Part(frozenset({"complaints", "complaints_upheld"}), lambda s, p, by, today, counter: complaints(s, p, by)),
    Part(frozenset({"inquiries", "referral_share"}), lambda s, p, by, today, counter: inquiries(s, p, by)),
    Part(frozenset({"notices"}), lambda s, p, by, today, counter: notices(s, p, by)),
    *SERVICE_PARTS,
)


def count_all(s: Session, period: Period, by: str | None, today: date,
              calendar: WorkCalendar | WorkdayCounter,
              only: Collection[str] | None = None) -> tuple[Counts, dict[str, dict[str, int]]]:
    """Every figure's raw counts per group (township: the one group ''), and accepted cases by class;
    `only`: just the parts that yield these figure keys, by their lighter query where one suffices (a
    12-month trend of 受理量 and 办结量 reads a year of rows and needs neither classes nor decision days)."""
    counter = calendar if isinstance(calendar, WorkdayCounter) else WorkdayCounter(calendar, today)
    merged: Counts = {}
    for part in PARTS:
        wanted = part.figures & set(only) if only is not None else part.figures
        if not wanted:
            continue
        count = part.light[1] if only is not None and part.light and wanted <= part.light[0] else part.count
        for key, values in count(s, period, by, today, counter).items():
            _add(merged, key, **values)
    by_class: dict[str, dict[str, int]] = {}
    for key, values in merged.items():
        classes = {name[6:]: int(values.pop(name)) for name in [n for n in values if n.startswith("class:")]}
        if classes:
            by_class[key] = classes
    return merged, by_class

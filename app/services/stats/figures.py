"""Every statistics figure, defined once: its key, Chinese label, written definition and unit, and the
grouped query that counts it over a period (case_counts.py, service_figures.py), for the township or by
window, staff, item or node; and, at the county, by township (the division code each record's number
carries, app.services.numbering).

The definitions below are what the screen shows on hover and the report prints in its notes; the
queries do exactly what they say. A report's tables (township, by window, by clerk, by item) are counted
together: each query reads the period once, grouped by every scope asked, and each table is folded from
those groups (count_scopes). A 12-month trend counts each month as a period of its own (series.py): a
month is a range of the index each figure reads by, which SQLite counts faster than it works out the
local month of a year of rows.

Figures counted from other areas' tables (延时服务, 预约/上门, 考勤) join here the same way: a Figure in
FIGURES, a derived share in DERIVED if any, and a Part in PARTS whose function groups by the same scopes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date

from sqlalchemy.orm import Session

from app.services.calendar.workdays import WorkCalendar
from app.services.cases.lights import WorkdayCounter
from app.services.stats import case_counts
from app.services.stats.kinds import Counts, Figure, Grouped, Key, Part, PartCount, add
from app.services.stats.periods import Period
from app.services.stats.queue_figures import DERIVED_QUEUE, QUEUE_FIGURES, QUEUE_PARTS
from app.services.stats.service_figures import DERIVED_SERVICE, SERVICE_FIGURES, SERVICE_PARTS

SCOPES: dict[str, str] = {"window": "窗口（代办点）", "staff": "工作人员", "item": "事项", "node": "节点"}
# The county's scope: which township a record belongs to, read from its number. Not offered within a
# township (it has one), so it is apart from SCOPES, which the screens and `stats --by` list.
TOWNSHIP_SCOPE = "township"
EVERY_SCOPE: dict[str, str] = {**SCOPES, TOWNSHIP_SCOPE: "乡镇"}


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
FIGURES: tuple[Figure, ...] = CASE_FIGURES + SERVICE_FIGURES + QUEUE_FIGURES
BY_KEY: dict[str, Figure] = {f.key: f for f in FIGURES}


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
DERIVED.update(DERIVED_QUEUE)


def values_of(raw: Mapping[str, float], by: str | None = None,
              uncounted: Collection[str] = frozenset()) -> dict[str, int | float | None]:
    """The published figures of one group, in FIGURES order: counts as integers, shares in per cent;
    None for a figure that cannot be split by this scope (attendance by 事项) or that the source has no
    records for (`uncounted`: the county holds no attendance), never a misleading 0."""
    out: dict[str, int | float | None] = {}
    for figure in FIGURES:
        if not figure.splits(by) or figure.key in uncounted:
            out[figure.key] = None
        elif figure.key in DERIVED:
            out[figure.key] = DERIVED[figure.key](raw)
        else:
            out[figure.key] = int(raw.get(figure.key, 0))
    return out


def _township_or(counted: Grouped, keys: Key, scope: str | None) -> Counts:
    """One scope's rows folded from groups by several scopes (the township: every group added up)."""
    out: Counts = {}
    index = keys.index(scope) if scope is not None else None
    for key, values in counted.items():
        add(out, key[index] if index is not None else "", **values)
    return out


def _full(count: Callable[[Session, Period, Key], Grouped]) -> PartCount:
    return lambda s, p, keys, today, counter: count(s, p, keys)


PARTS: tuple[Part, ...] = (
    Part(frozenset({"accepted"}), _full(case_counts.accepted),
         (frozenset({"accepted"}), lambda s, p, keys, today, counter: case_counts.accepted(s, p, keys, False))),
    Part(frozenset({"completed", "completed_on_time", "on_time_rate", "avg_workdays", "one_visit_rate", "trips_avg",
                    "one_trip_share"}), lambda s, p, keys, today, counter: case_counts.completed(s, p, keys, counter),
         (frozenset({"completed"}), _full(case_counts.completed_count))),
    Part(frozenset({"overdue", "overdue_days"}), case_counts.overdue),
    Part(frozenset({"ratings", "ratings_default", "satisfaction", "bad_ratings", "rectification_rate",
                    "callback_rate"}), _full(case_counts.ratings),
         (frozenset({"ratings", "satisfaction"}), _full(case_counts.satisfaction))),
    Part(frozenset({"complaints", "complaints_upheld"}), _full(case_counts.complaints)),
    Part(frozenset({"inquiries", "referral_share"}), _full(case_counts.inquiries)),
    Part(frozenset({"notices"}), _full(case_counts.notices)),
    *SERVICE_PARTS,
    *QUEUE_PARTS,
)


def count_scopes(s: Session, period: Period, scopes: Sequence[str | None], today: date,
                 calendar: WorkCalendar | WorkdayCounter, only: Collection[str] | None = None,
                 uncounted: Collection[str] = frozenset()) -> dict[str | None, tuple[Counts, dict[str, dict[str, int]]]]:
    """Every figure's raw counts per group for each scope asked (None: the township, whose one group is
    ''), and accepted cases by class. Each part reads the period once, grouped by all the scopes asked
    together, and each scope's rows are folded from those groups; the township is every group added up
    (every record is in exactly one group: one naming no window counts under ''), and shares are worked
    out from the added counts (values_of), never averaged. `only`: just the parts that yield these figure
    keys, by their lighter query where one suffices (a trend of 受理量 needs no classes). `uncounted`: figures
    whose records the source does not hold (their parts are not run: their tables may not exist there)."""
    counter = calendar if isinstance(calendar, WorkdayCounter) else WorkdayCounter(calendar, today)
    named: Key = tuple(dict.fromkeys(scope for scope in scopes if scope is not None))
    merged: dict[str | None, Counts] = {scope: {} for scope in scopes}
    for part in PARTS:
        wanted = part.figures & set(only) if only is not None else part.figures
        if not wanted or part.figures & set(uncounted):
            continue
        count = part.light[1] if only is not None and part.light and wanted <= part.light[0] else part.count
        if part.one_scope:
            for scope in merged:
                if not any(BY_KEY[key].splits(scope) for key in part.figures):
                    continue  # 延时服务 by township: its records name no township
                keys: Key = () if scope is None else (scope,)
                for group, values in _township_or(count(s, period, keys, today, counter), keys, scope).items():
                    add(merged[scope], group, **values)
            continue
        counted = count(s, period, named, today, counter)
        for scope in merged:
            for group, values in _township_or(counted, named, scope).items():
                add(merged[scope], group, **values)
    return {scope: _classes_apart(counts) for scope, counts in merged.items()}


def _classes_apart(merged: Counts) -> tuple[Counts, dict[str, dict[str, int]]]:
    by_class: dict[str, dict[str, int]] = {}
    for key, values in merged.items():
        classes = {name[6:]: int(values.pop(name)) for name in [n for n in values if n.startswith("class:")]}
        if classes:
            by_class[key] = classes
    return merged, by_class


def count_all(s: Session, period: Period, by: str | None, today: date,
              calendar: WorkCalendar | WorkdayCounter, only: Collection[str] | None = None,
              uncounted: Collection[str] = frozenset()) -> tuple[Counts, dict[str, dict[str, int]]]:
    """count_scopes for one scope (None: the township)."""
    return count_scopes(s, period, (by,), today, calendar, only, uncounted)[by]

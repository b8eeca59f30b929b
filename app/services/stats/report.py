"""The statistics table: one row per window, clerk, item or node, and the township's total, for a period.

The total is the township's own counts: every group's counts added up before any share or average is
worked out (a share or an average does not add); a record outside every group counts under （未指明）
and so in the total. A test checks the total against a count made another way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import SYSTEM_ACTOR
from app.clock import local_now
from app.database import Database
from app.models import NodeInfo, ServiceItem, Staff
from app.models.cases import class_label
from app.services.cases.lights import WorkdayCounter
from app.services.cases.records import workday_counter
from app.services.errors import ValidationError
from app.services.stats.figures import BY_KEY, EVERY_SCOPE, FIGURES, count_scopes, values_of
from app.services.stats.periods import Period, make_period

UNNAMED = "（未指明）"
# Records written by no person: the command line (app/cli.py `_cli_actor`, staff number "cli") and the
# system's own jobs (app.actor.SYSTEM_ACTOR). A staff key of theirs is named for what it is, never shown
# as if it were a clerk called "cli".
NOT_PERSONS = {"cli": "命令行管理", SYSTEM_ACTOR.staff_no: SYSTEM_ACTOR.name}
AS_OF_FORMAT = "%Y-%m-%d %H:%M"


def as_of_text(as_of: datetime) -> str:
    """「数据截至 2026-12-10 09:30」: the moment the figures were counted at. 超期件数 (and working days
    overdue, attendance) count "undecided as of today", so a closed month's figures printed on another
    day differ; every screen and paper that shows figures says when they were counted, in these words."""
    return f"数据截至 {as_of.strftime(AS_OF_FORMAT)}"


def as_of_note(as_of: datetime) -> str:
    """What the notes say of the as-of moment: which figures move with it."""
    moving = "、".join(BY_KEY[k].label_cn for k in ("overdue", "overdue_days", "attendance_days", "absent"))
    return (f"本表{as_of_text(as_of)}。{moving}按截至时点计算：期限已过、截至时点仍未作出决定的办件计为超期，"
            "其超期工作日算至截至之日；故同一期间在不同时点统计，这些数可能不同。")


def uncounted_note(uncounted: frozenset[str]) -> str:
    """What the notes say of the figures a report has no records for ('' when it has them all)."""
    if not uncounted:
        return ""
    names = "、".join(f.label_cn for f in FIGURES if f.key in uncounted)
    return f"本表不统计{names}：这些记录不上报到这里，表中显示为“—”（不是0）。"


def counted_at(today: date | None) -> tuple[date, datetime]:
    """The day the figures count "today" as, and the moment they are as of: now when no day is given (or
    today's date is); a datetime given is that moment; another day alone stands for its start."""
    if isinstance(today, datetime):
        return today.date(), today.replace(second=0, microsecond=0)
    now = local_now().replace(second=0, microsecond=0)
    if today is None or today == now.date():
        return now.date(), now
    return today, datetime.combine(today, datetime.min.time(), now.tzinfo)


@dataclass(frozen=True)
class StatsRow:
    key: str  # window name, staff number, item code or node code; '' for the township or none named
    label: str
    values: dict[str, int | float | None]  # figure key → value (FIGURES order)
    accepted_by_class: dict[str, int] = field(default_factory=dict)  # class key → cases accepted
    raw: dict[str, float] = field(default_factory=dict, compare=False, repr=False)  # the counts behind values

    def as_json(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label, **self.values,
                "accepted_by_class": dict(sorted(self.accepted_by_class.items()))}


@dataclass(frozen=True)
class StatsTable:
    period: Period
    by: str | None
    rows: tuple[StatsRow, ...]
    total: StatsRow
    as_of: datetime  # the moment the figures were counted at (see as_of_text)


Labeller = Callable[[Session, list[str]], dict[str, str]]


@dataclass(frozen=True)
class Source:
    """Where figures are counted: the workstation's SQLite, the centre's PostgreSQL or the county's (whose
    tables have the same names and columns, so the same queries run there). Besides sessions, a source says
    what the working-day calendar is and what each node is called (a workstation knows only itself).

    A county holds only what townships publish: `uncounted` names the figures it has no records for (shown
    as “—”, never 0), `labels` names groups it knows itself (townships from its registry, items from the
    cases, having no catalogue), and `area` is what its total is called (全县)."""

    session: Callable[[], AbstractContextManager[Session]]
    counter: Callable[[date], WorkdayCounter]
    node_names: Callable[[Session], dict[str, str]]
    labels: Mapping[str, Labeller] = field(default_factory=dict)
    uncounted: frozenset[str] = frozenset()
    area: str = "全镇"


def _here(s: Session) -> dict[str, str]:
    return {str(code): str(name) for code, name in s.execute(select(NodeInfo.node_code, NodeInfo.node_name))}


def source_of(db: Database | Source) -> Source:
    """A workstation database as a figures source (a Source is returned as it is)."""
    if isinstance(db, Source):
        return db
    return Source(db.session, lambda today: workday_counter(db, today), _here)


def _labels(s: Session, by: str | None, keys: list[str], source: Source) -> dict[str, str]:
    """What each group is called on screen and paper (a township by its division code unless the source
    knows its name)."""
    if by is not None and by in source.labels:
        names = source.labels[by](s, keys)
        return {k: names.get(k, k) for k in keys}
    if by == "staff":
        names = {str(no): str(name) for no, name in s.execute(select(Staff.staff_no, Staff.name)
                                                               .where(Staff.staff_no.in_(keys)))}
        return {k: f"{names[k]}（{k}）" if k in names else NOT_PERSONS.get(k, k) for k in keys}
    if by == "item":
        names = {str(code): str(name) for code, name in s.execute(select(ServiceItem.code, ServiceItem.name)
                                                                   .where(ServiceItem.code.in_(keys)))}
        return {k: names.get(k, k) for k in keys}
    if by == "node":
        names = source.node_names(s)
        return {k: names[k] if k in names else f"节点 {k}" for k in keys}
    return {k: k for k in keys}


def figures_for(db: Database | Source, date_from: date | str, date_to: date | str, by: str | None = None,
                today: date | None = None) -> StatsTable:
    """Every figure over [date_from, date_to] (local days), grouped `by` a scope (None: township only)."""
    return tables_for(db, date_from, date_to, (by,), today)[by]


def tables_for(db: Database | Source, date_from: date | str, date_to: date | str,
               scopes: Sequence[str | None], today: date | None = None) -> dict[str | None, StatsTable]:
    """The table for each scope asked (None: township only), the township's total counted once: what a
    report with several tables asks for. `today` (default: now) is what 超期 and 考勤 count up to; a
    datetime gives the as-of moment too."""
    for by in scopes:
        if by is not None and by not in EVERY_SCOPE:
            raise ValidationError("统计范围应为：" + "、".join(f"{k}（{v}）" for k, v in EVERY_SCOPE.items()))
    period = make_period(date_from, date_to)
    today, as_of = counted_at(today)
    source = source_of(db)
    counter = source.counter(today)
    out: dict[str | None, StatsTable] = {}
    with source.session() as s:
        counted = count_scopes(s, period, (None, *(by for by in scopes if by is not None)), today, counter,
                               uncounted=source.uncounted)
        total_raw, total_classes = counted[None]
        total_counts = total_raw.get("", {})
        total = StatsRow("", f"{source.area}合计", values_of(total_counts, None, source.uncounted),
                         total_classes.get("", {}), total_counts)
        for by in scopes:
            rows_raw, row_classes = counted[by] if by else ({}, {})
            keys = sorted(rows_raw, key=lambda k: (k == "", k))
            labels = _labels(s, by, [k for k in keys if k], source)
            rows = tuple(StatsRow(k, labels.get(k, k) if k else UNNAMED, values_of(rows_raw[k], by, source.uncounted),
                                  row_classes.get(k, {}), rows_raw[k]) for k in keys)
            out[by] = StatsTable(period, by, rows, total, as_of)
    return out


def class_counts_text(row: StatsRow) -> str:
    """受理量 by class, as the table's footnote writes it: 即办件 3、承诺件 5."""
    return "、".join(f"{class_label(k)} {n}" for k, n in sorted(row.accepted_by_class.items())) or "—"


def format_value(key: str, value: int | float | None) -> str:
    unit = BY_KEY[key].unit
    if value is None:
        return "—"
    if unit == "%":
        return f"{value:.1f}%"
    if unit in ("小时", "分钟"):
        return f"{value:.1f}"  # counted to one decimal (延时服务时长, 排队等候与办理时长)
    return f"{value:.2f}" if isinstance(value, float) else str(value)

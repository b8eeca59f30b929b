"""The statistics table: one row per window, clerk, item or node, and the township's total, for a period.

The total is counted by the same queries at township scope, never by adding the rows up (a share or an
average does not add, and a record outside every group still counts for the township); a test checks
that the rows of the counted figures do add up to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import local_today
from app.database import Database
from app.models import NodeInfo, ServiceItem, Staff
from app.models.cases import class_label
from app.services.cases.records import workday_counter
from app.services.errors import ValidationError
from app.services.stats.figures import FIGURES, SCOPES, count_all, values_of
from app.services.stats.periods import Period, make_period

UNNAMED = "（未指明）"


@dataclass(frozen=True)
class StatsRow:
    key: str  # window name, staff number, item code or node code; '' for the township or none named
    label: str
    values: dict[str, int | float | None]  # figure key → value (FIGURES order)
    accepted_by_class: dict[str, int] = field(default_factory=dict)  # class key → cases accepted

    def as_json(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label, **self.values,
                "accepted_by_class": dict(sorted(self.accepted_by_class.items()))}


@dataclass(frozen=True)
class StatsTable:
    period: Period
    by: str | None
    rows: tuple[StatsRow, ...]
    total: StatsRow


def _labels(s: Session, by: str | None, keys: list[str]) -> dict[str, str]:
    """What each group is called on screen and paper."""
    if by == "staff":
        names = {str(no): str(name) for no, name in s.execute(select(Staff.staff_no, Staff.name)
                                                               .where(Staff.staff_no.in_(keys)))}
        return {k: f"{names[k]}（{k}）" if k in names else k for k in keys}
    if by == "item":
        names = {str(code): str(name) for code, name in s.execute(select(ServiceItem.code, ServiceItem.name)
                                                                   .where(ServiceItem.code.in_(keys)))}
        return {k: names.get(k, k) for k in keys}
    if by == "node":
        here = s.execute(select(NodeInfo.node_code, NodeInfo.node_name)).first()
        return {k: here[1] if here and here[0] == k else f"节点 {k}" for k in keys}
    return {k: k for k in keys}


def figures_for(db: Database, date_from: date | str, date_to: date | str, by: str | None = None,
                today: date | None = None) -> StatsTable:
    """Every figure over [date_from, date_to] (local days), grouped `by` a scope (None: township only)."""
    if by is not None and by not in SCOPES:
        raise ValidationError("统计范围应为：" + "、".join(f"{k}（{v}）" for k, v in SCOPES.items()))
    period = make_period(date_from, date_to)
    today = today or local_today()
    counter = workday_counter(db, today)
    with db.session() as s:
        total_raw, total_classes = count_all(s, period, None, today, counter)
        rows_raw, row_classes = count_all(s, period, by, today, counter) if by else ({}, {})
        keys = sorted(rows_raw, key=lambda k: (k == "", k))
        labels = _labels(s, by, [k for k in keys if k])
    rows = tuple(StatsRow(k, labels.get(k, k) if k else UNNAMED, values_of(rows_raw[k]), row_classes.get(k, {}))
                 for k in keys)
    total = StatsRow("", "全镇合计", values_of(total_raw.get("", {})), total_classes.get("", {}))
    return StatsTable(period, by, rows, total)


def class_counts_text(row: StatsRow) -> str:
    """受理量 by class, as the table's footnote writes it: 即办件 3、承诺件 5."""
    return "、".join(f"{class_label(k)} {n}" for k, n in sorted(row.accepted_by_class.items())) or "—"


def format_value(key: str, value: int | float | None) -> str:
    unit = next(f.unit for f in FIGURES if f.key == key)
    if value is None:
        return "—"
    return f"{value:.1f}%" if unit == "%" else (f"{value:.2f}" if isinstance(value, float) else str(value))

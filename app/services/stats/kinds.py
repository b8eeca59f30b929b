"""What a statistics figure is, and the shape of the grouped queries that count figures: shared by the
case figures (figures.py) and the service figures of other areas (service_figures.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.services.cases.lights import WorkdayCounter
from app.services.stats.periods import Period

Counts = dict[str, dict[str, float]]  # group key → figure key → value
MONTH = "month"  # a grouping only the trend uses: the local month ('2026-11') each record counts in
PartCount = Callable[[Session, Period, "str | None", date, WorkdayCounter], Counts]


@dataclass(frozen=True)
class Figure:
    key: str  # stable English key (command line, JSON, workbook)
    label_cn: str
    definition_cn: str  # shown on hover and printed in the report's notes
    unit: str
    # The scopes a figure can be split by (None: all). Attendance belongs to people: it has no 事项 or 节点,
    # so by those scopes it is shown as “—” rather than as a misleading 0.
    scopes: frozenset[str] | None = None


@dataclass(frozen=True)
class Part:
    """One grouped query and the figures it yields: count_all runs only the parts the figures asked need."""

    figures: frozenset[str]
    count: PartCount
    light: tuple[frozenset[str], PartCount] | None = None  # a cheaper query when only these are asked for


def add(out: Counts, key: object, **values: float) -> None:
    """Add values into a group's row (the township's group is '')."""
    row = out.setdefault(str(key or ""), {})
    for name, value in values.items():
        row[name] = row.get(name, 0) + float(value or 0)

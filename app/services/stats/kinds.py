"""What a statistics figure is, and the shape of the grouped queries that count figures: shared by the
case figures (figures.py, case_counts.py) and the service figures of other areas (service_figures.py).

A part's query groups by a tuple of scopes at once (window, staff, item: what a report's three tables
ask) and each table is folded from those groups in Python: a month is read once, not once per table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import func
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.services.cases.lights import WorkdayCounter
from app.services.numbering import DIVISION_CODE_DIGITS, division_code_offset
from app.services.stats.periods import Period

Counts = dict[str, dict[str, float]]  # group key → figure key → value (the township's group is '')
Key = tuple[str, ...]  # one value per scope asked, in the order asked (the township: ())
Grouped = dict[Key, dict[str, float]]
PartCount = Callable[[Session, Period, Key, date, WorkdayCounter], Grouped]


@dataclass(frozen=True)
class Figure:
    key: str  # stable English key (command line, JSON, workbook)
    label_cn: str
    definition_cn: str  # shown on hover and printed in the report's notes
    unit: str
    # The scopes a figure can be split by (None: all). Attendance belongs to people: it has no 事项 or 节点,
    # so by those scopes it is shown as “—” rather than as a misleading 0.
    scopes: frozenset[str] | None = None

    def splits(self, by: str | None) -> bool:
        """Whether this figure can be split by the scope (the township, by None, always)."""
        return by is None or self.scopes is None or by in self.scopes


@dataclass(frozen=True)
class Part:
    """One grouped query and the figures it yields: count_scopes runs only the parts the figures asked need.
    `count` is given the scopes to group by at once; a part whose area counts one scope at a time says
    `one_scope` and is asked once per scope (with () or a single scope)."""

    figures: frozenset[str]
    count: PartCount
    light: tuple[frozenset[str], PartCount] | None = None  # a cheaper query when only these are asked for
    one_scope: bool = False


def add(out: Counts, key: object, **values: float) -> None:
    """Add values into a group's row (the township's group is '')."""
    row = out.setdefault(str(key or ""), {})
    for name, value in values.items():
        row[name] = row.get(name, 0) + float(value or 0)


def add_to(out: Grouped, key: Key, **values: float) -> None:
    """Add values into the row of a tuple of group keys."""
    row = out.setdefault(key, {})
    for name, value in values.items():
        row[name] = row.get(name, 0) + float(value or 0)


def group_by(keys: Key, columns: Mapping[str, Any]) -> list[ColumnElement[Any]]:
    """The columns to select first and GROUP BY, one per scope asked (a record naming none counts under '')."""
    return [func.coalesce(columns[k], "") for k in keys]


def township_of(number: Any, kind: str) -> ColumnElement[str]:
    """The "township" scope of a record: the division code its number carries (app.services.numbering)."""
    return func.substr(number, division_code_offset(kind) + 1, DIVISION_CODE_DIGITS)


def township_of_target(kind: Any, number: Any, kinds: tuple[str, ...] = ("case", "inquiry", "notice")) -> Any:
    """The township of what a record is about, by its target's kind and number (a rating's case, 首问 or
    告知书); a target of another kind names none and counts under （未指明）."""
    start = sql_case(*((kind == k, division_code_offset(k) + 1) for k in kinds), else_=None)
    return func.substr(number, start, DIVISION_CODE_DIGITS)


def key_of(row: Any, keys: Key) -> Key:
    """The group key tuple a result row starts with."""
    return tuple(str(value or "") for value in tuple(row)[:len(keys)])


def one_scope(count: Callable[[Session, Period, str | None, date, WorkdayCounter], Counts]) -> PartCount:
    """A count by one scope (or the township) as a part's count: its string keys as one-element tuples."""
    def counted(s: Session, period: Period, keys: Key, today: date, counter: WorkdayCounter) -> Grouped:
        if len(keys) > 1:
            raise ValueError("a one-scope count is asked one scope at a time")
        out: Grouped = {}
        for group, values in count(s, period, keys[0] if keys else None, today, counter).items():
            add_to(out, (group,) if keys else (), **values)
        return out
    return counted

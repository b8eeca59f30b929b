"""The data behind the statistics charts (bars per window, the monthly trend line, the satisfaction split),
as plain values: the screen draws them with QPainter and the report with reportlab, from the same numbers.

The trend counts each month as a period of its own with the figures' own queries, only those the asked
figures need (a month is a range of the index each reads by: SQLite counts twelve ranges faster than it
works out the local month of a year of rows); the split reads the same counted ratings as the `ratings`
figure (case_counts.rating_sums), so a pie never disagrees with the table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func

from app.clock import local_today
from app.database import Database
from app.models import Rating
from app.services.errors import ValidationError
from app.services.ratings.codes import DEFAULT_PROVENANCE, LEVELS
from app.services.stats.case_counts import SATISFIED_LEVEL, rating_sums
from app.services.stats.figures import BY_KEY, EVERY_SCOPE, count_all, values_of
from app.services.stats.periods import make_period, months_ending
from app.services.stats.report import Source, StatsTable, source_of

TREND_FIGURES = ("accepted", "completed", "satisfaction")


@dataclass(frozen=True)
class TrendPoint:
    month: str  # '2026-11'
    values: dict[str, float | None]  # figure key → value in that month (None: no base for a share)

    @property
    def label(self) -> str:
        """How an axis writes the month: 11月 (and the year at January: 2027年1月)."""
        year, month = int(self.month[:4]), int(self.month[5:])
        return f"{year}年{month}月" if month == 1 else f"{month}月"


def monthly_trend(db: Database | Source, last_month: date, months: int = 12, figures: tuple[str, ...] = TREND_FIGURES,
                  today: date | None = None) -> tuple[TrendPoint, ...]:
    """The township's figures for each of the `months` months ending with `last_month`'s, oldest first;
    a month without records has zeros (and None for a share)."""
    unknown = [f for f in figures if f not in BY_KEY]
    if unknown:
        raise ValidationError("没有这项统计指标：" + "、".join(unknown[:5]))
    today = today or local_today()
    source = source_of(db)
    counter = source.counter(today)
    points = []
    with source.session() as s:
        for code, month in months_ending(last_month, months):
            raw, _ = count_all(s, month, None, today, counter, only=figures, uncounted=source.uncounted)
            values = values_of(raw.get("", {}), None, source.uncounted)
            points.append(TrendPoint(code, {f: None if values[f] is None else float(values[f] or 0) for f in figures}))
    return tuple(points)


@dataclass(frozen=True)
class SatisfactionSplit:
    levels: dict[int, int] = field(default_factory=dict)  # level 5..1 → counted citizen ratings
    defaults: int = 0  # system default ratings (基本满意), shown apart, not in the levels

    @property
    def rated(self) -> int:
        return sum(self.levels.values())

    @property
    def satisfaction(self) -> float | None:
        """The `satisfaction` figure, from the split: the share 基本满意 or better, in per cent."""
        satisfied = sum(n for level, n in self.levels.items() if level >= SATISFIED_LEVEL)
        return round(100.0 * satisfied / self.rated, 1) if self.rated else None

    def parts(self) -> list[tuple[str, int]]:
        """(label, count) from 非常满意 down to 非常不满意, then the defaults: what a legend lists."""
        return [*((LEVELS[level], self.levels.get(level, 0)) for level in sorted(LEVELS, reverse=True)),
                ("默认评价", self.defaults)]


def satisfaction_split(db: Database | Source, date_from: date | str, date_to: date | str, by: str | None = None,
                       key: str | None = None) -> SatisfactionSplit:
    """Counted ratings per level over the period, for the township or one group (`by` scope, `key` as in
    the statistics table's rows), with the same counting rule as the `ratings` figure."""
    if by is not None and by not in EVERY_SCOPE:
        raise ValidationError("统计范围应为：" + "、".join(f"{k}（{v}）" for k, v in EVERY_SCOPE.items()))
    if by is not None and key is None:
        raise ValidationError("按范围统计满意度构成时须指明是哪一个（窗口、人员、事项或节点）")
    period = make_period(date_from, date_to)
    citizen = Rating.provenance != DEFAULT_PROVENANCE
    keys = () if by is None else (by,)
    levels: dict[int, int] = {level: 0 for level in sorted(LEVELS, reverse=True)}
    defaults = 0
    with source_of(db).session() as s:
        sums = rating_sums(s, period, keys, (func.count(),), extra=(citizen, Rating.level))
    for group, (n,) in sums.items():
        *scope, is_citizen, level = group
        if by is not None and str(scope[0] or "") != key:
            continue
        if is_citizen:
            levels[int(level)] = levels.get(int(level), 0) + int(n)
        else:
            defaults += int(n)
    return SatisfactionSplit(levels, defaults)


def bars(table: StatsTable, figure_key: str) -> list[tuple[str, float]]:
    """(row label, value) per row of a statistics table, in its order; a share with no base counts 0."""
    if figure_key not in BY_KEY:
        raise ValidationError(f"没有这项统计指标：{figure_key[:30]}")
    return [(row.label, float(row.values.get(figure_key) or 0)) for row in table.rows]

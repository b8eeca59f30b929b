"""Warning lights (预警): how many working days an open case has left, and its colour.

One rule for every screen, paper and command: green while more than the warning days are left; yellow
when the due date is within that many working days, or today; red once it has passed. Overdue is
counted in working days. Cases that are decided, closed, or whose clock is stopped carry no light.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.services.calendar.workdays import WorkCalendar
from app.services.cases.lifecycle import CLOCK_STOPPED, OPEN_STATES

DEFAULT_WARNING_DAYS = 2
LIT_STATES = OPEN_STATES - CLOCK_STOPPED  # the states whose cases carry a light
LIGHT_LABELS = {"green": "正常", "yellow": "即将到期", "red": "已超期", "none": ""}


class WorkdayCounter:
    """Working days between two dates in constant time, from running totals over the years around today.

    A list of 100,000 cases asks this once per row; walking each case's days one by one would cost
    more than reading the rows.
    """

    def __init__(self, calendar: WorkCalendar, today: date, span_days: int = 3 * 366) -> None:
        self.calendar = calendar
        self.first = today - timedelta(days=span_days)
        self.totals = [0]
        day = self.first
        for _ in range(2 * span_days):
            day += timedelta(days=1)
            self.totals.append(self.totals[-1] + (1 if calendar.is_workday(day) else 0))

    def _total(self, day: date) -> int | None:
        index = (day - self.first).days
        return self.totals[index] if 0 <= index < len(self.totals) else None

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative when end comes first)."""
        if end < start:
            return -self.between(end, start)
        a, b = self._total(start), self._total(end)
        if a is not None and b is not None:
            return b - a
        count, day = 0, start
        while day < end:  # far from today: the slow way
            day += timedelta(days=1)
            count += self.calendar.is_workday(day)
        return count


@dataclass(frozen=True)
class Light:
    colour: str  # green | yellow | red | none
    days_left: int | None  # working days until the due date; negative: working days overdue

    @property
    def label(self) -> str:
        if self.colour == "red" and self.days_left is not None:
            return f"超期{-self.days_left}个工作日" if self.days_left < 0 else "已超期"  # only rest days since
        if self.colour == "yellow":
            return "今日到期" if self.days_left == 0 else f"剩{self.days_left}个工作日"
        return LIGHT_LABELS[self.colour]


NO_LIGHT = Light("none", None)


def light_of(state: str, due: date | None, today: date, counter: WorkdayCounter,
             warning_days: int = DEFAULT_WARNING_DAYS) -> Light:
    if state not in LIT_STATES or due is None:
        return NO_LIGHT
    left = counter.between(today, due)
    if due < today:
        return Light("red", left)
    if due == today or left <= warning_days:
        return Light("yellow", left)
    return Light("green", left)


def overdue_days(due: date | None, today: date, counter: WorkdayCounter) -> int:
    """Working days past the due date (0 when on time or none): what a red light counts, and what a
    late decision records."""
    return counter.between(due, today) if due is not None and today > due else 0


def yellow_horizon(today: date, counter: WorkdayCounter, warning_days: int = DEFAULT_WARNING_DAYS) -> date:
    """The latest due date that is yellow today: a lit case due on or before it is yellow or red
    (what the 预警 list shows), one due after it green. Follows light_of's rule, for a query."""
    day = today
    while counter.between(today, day + timedelta(days=1)) <= warning_days:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class DueSummary:
    due_today: int
    overdue: int
    soon: int  # yellow, not due today

    @property
    def text(self) -> str:
        return f"今日到期 {self.due_today} · 超期 {self.overdue}" + (f" · 即将到期 {self.soon}" if self.soon else "")

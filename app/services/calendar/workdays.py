"""Counting working days under China's official holiday schedule (Qt-free, no database).

Rules (seed 003 限时办结制度, seed 000 第十二条): the day of receipt is not counted; rest days and
statutory holidays are skipped and 调休 make-up days count; days inside special procedures
(听证、检测、鉴定、专家评审 …) are excluded. Where a year's schedule is unknown, weekdays count and
the result is marked provisional.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

MAX_DAYS = 3650  # a safety bound: no time limit is ten years of working days


@dataclass(frozen=True)
class Due:
    day: date
    provisional: bool

    def __str__(self) -> str:
        return f"{self.day.isoformat()} provisional" if self.provisional else self.day.isoformat()


@dataclass(frozen=True)
class WorkCalendar:
    overrides: Mapping[date, bool] = field(default_factory=dict)  # True: working day; False: rest day
    covered_years: frozenset[int] = frozenset()

    def is_workday(self, day: date) -> bool:
        known = self.overrides.get(day)
        return known if known is not None else day.weekday() < 5

    def is_covered(self, day: date) -> bool:
        return day.year in self.covered_years

    def add(self, start: date, days: int, excluded: Iterable[tuple[date, date]] = ()) -> Due:
        """The day on which `days` working days after `start` end; start itself is not counted.

        `excluded` are inclusive date ranges (special procedures) whose working days do not count.
        """
        if days < 0:
            raise ValueError("working days cannot be negative")
        ranges = list(excluded)
        provisional = False
        day = start
        counted = 0
        for _ in range(MAX_DAYS * 2):
            if counted == days:
                return Due(day, provisional)
            day += timedelta(days=1)
            if not self.is_covered(day):
                provisional = True
            if self.is_workday(day) and not any(a <= day <= b for a, b in ranges):
                counted += 1
        raise ValueError("working-day span too long")

    def next_workday(self, day: date) -> Due:
        """The first working day after `day`."""
        return self.add(day, 1)

    def count_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how far a deadline has run."""
        return sum(1 for n in range(1, (end - start).days + 1) if self.is_workday(start + timedelta(days=n)))


_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class OfficeHours:
    """Opening periods of a working day, e.g. 8:30-12:00 and 13:00-17:30 (the default)."""

    periods: tuple[tuple[time, time], ...] = ((time(8, 30), time(12, 0)), (time(13, 0), time(17, 30)))

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """'08:30-12:00,13:00-17:30' -> OfficeHours; ValueError with a Chinese reason otherwise."""
        periods = []
        for part in re.split(r"[,，;；]", text):
            if not part.strip():
                continue
            match = _HOURS.match(part)
            if not match:
                raise ValueError(f"办公时间“{part.strip()}”格式应为 08:30-12:00")
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            try:
                start, end = time(h1, m1), time(h2, m2)
            except ValueError:
                raise ValueError(f"办公时间“{part.strip()}”不是有效时间") from None
            if start >= end:
                raise ValueError(f"办公时间“{part.strip()}”的开始应早于结束")
            periods.append((start, end))
        if not periods:
            raise ValueError("请填写办公时间")
        return cls(tuple(sorted(periods)))

    def __str__(self) -> str:
        return ",".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in self.periods)

    def is_open(self, moment: time) -> bool:
        return any(a <= moment < b for a, b in self.periods)

    def closing_time(self) -> time:
        return self.periods[-1][1]


def immediate_due(received: datetime, calendar: WorkCalendar, hours: OfficeHours) -> Due:
    """A 即办件 is due the same day, or the next working day if received after closing or on a rest day."""
    day = received.date()
    if calendar.is_workday(day) and received.time() < hours.closing_time():
        return Due(day, not calendar.is_covered(day))
    return calendar.next_workday(day)

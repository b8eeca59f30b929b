"""Working-day arithmetic on the official 2026 schedule and beyond it."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from app.services.calendar.workdays import Due, OfficeHours, WorkCalendar, immediate_due


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    from app.services.calendar.holidays import chinesecalendar_days

    days = chinesecalendar_days()
    return WorkCalendar({d: kind == "workday" for d, (kind, _name) in days.items()}, frozenset({d.year for d in days}))


def test_national_day_2026(cal: WorkCalendar) -> None:
    # platform-notes: received 2026-09-30, 5 working days counted from the next day: due 2026-10-13
    assert cal.add(date(2026, 9, 30), 5) == Due(date(2026, 10, 13), False)
    assert cal.is_workday(date(2026, 10, 10))  # Saturday make-up day
    assert not cal.is_workday(date(2026, 10, 5))


def test_receipt_day_not_counted(cal: WorkCalendar) -> None:
    assert cal.add(date(2026, 11, 20), 1) == Due(date(2026, 11, 23), False)  # Friday -> Monday
    assert cal.add(date(2026, 11, 20), 0) == Due(date(2026, 11, 20), False)


def test_spring_festival_make_up_days(cal: WorkCalendar) -> None:
    assert cal.is_workday(date(2026, 2, 14)) and cal.is_workday(date(2026, 2, 28))
    assert not cal.is_workday(date(2026, 2, 16))
    # received 2026-02-13 (Fri): 14 (Sat, make-up) counts, 15-23 rest, 24, 25 ...
    assert cal.add(date(2026, 2, 13), 3) == Due(date(2026, 2, 25), False)


def test_into_2027_is_provisional(cal: WorkCalendar) -> None:
    due = cal.add(date(2026, 12, 28), 10)
    assert due.provisional
    assert due.day == date(2027, 1, 11)  # weekdays only in 2027
    assert str(due) == "2027-01-11 provisional"


def test_excluded_special_procedure(cal: WorkCalendar) -> None:
    plain = cal.add(date(2026, 11, 2), 10)
    paused = cal.add(date(2026, 11, 2), 10, excluded=[(date(2026, 11, 4), date(2026, 11, 6))])
    assert plain.day == date(2026, 11, 16)
    assert paused.day == date(2026, 11, 19)  # three working days of 检测 not counted


def test_immediate_item_after_closing_or_on_rest_day(cal: WorkCalendar) -> None:
    hours = OfficeHours()
    assert immediate_due(datetime(2026, 11, 20, 10, 0), cal, hours).day == date(2026, 11, 20)
    assert immediate_due(datetime(2026, 11, 20, 17, 45), cal, hours).day == date(2026, 11, 23)
    assert immediate_due(datetime(2026, 10, 3, 9, 0), cal, hours).day == date(2026, 10, 8)


def test_count_between(cal: WorkCalendar) -> None:
    assert cal.count_between(date(2026, 9, 30), date(2026, 10, 13)) == 5


def test_office_hours_parse() -> None:
    hours = OfficeHours.parse("08:30-12:00，13:00-17:30")
    assert hours == OfficeHours() and str(hours) == "08:30-12:00,13:00-17:30"
    assert hours.is_open(time(9)) and not hours.is_open(time(12, 30))
    for bad in ("8-12", "12:00-08:00", "25:00-26:00", ""):
        with pytest.raises(ValueError):
            OfficeHours.parse(bad)

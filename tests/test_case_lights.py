"""Issue 11: one rule for the warning light, in working days on the holiday calendar."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

import app.clock
from app.actor import Actor
from app.database import Database
from app.models import Case
from app.services.calendar.workdays import WorkCalendar
from app.services.cases.lights import WorkdayCounter, light_of
from app.services.cases.records import accept_case, due_summary, list_cases
from app.services.settings import CenterSettings, save_settings
from tests.test_cases import form

NATIONAL_DAY = {date(2026, 10, d): False for d in range(1, 9)} | {date(2026, 9, 27): True, date(2026, 10, 10): True}
CALENDAR = WorkCalendar(NATIONAL_DAY, frozenset({2026}))


def test_working_days_between_follow_the_calendar_fast_and_slow() -> None:
    counter = WorkdayCounter(CALENDAR, date(2026, 9, 28))
    assert counter.between(date(2026, 9, 30), date(2026, 10, 9)) == 1  # only Friday the 9th works
    assert counter.between(date(2026, 9, 30), date(2026, 10, 10)) == 2  # the make-up Saturday counts
    assert counter.between(date(2026, 10, 10), date(2026, 9, 30)) == -2
    far = counter.between(date(2020, 1, 1), date(2020, 1, 31))  # outside the running totals
    assert far == sum(1 for d in range(2, 32) if CALENDAR.is_workday(date(2020, 1, d)))  # the first not counted


def test_the_light_of_an_open_case() -> None:
    today = date(2026, 9, 30)  # a Wednesday before the holiday
    counter = WorkdayCounter(CALENDAR, today)
    assert light_of("accepted", date(2026, 10, 12), today, counter).colour == "green"  # 9th, 10th, 12th: 3 left
    assert light_of("accepted", date(2026, 10, 10), today, counter).colour == "yellow"  # 2 working days left
    due_today = light_of("accepted", today, today, counter)
    assert due_today.colour == "yellow" and due_today.label == "今日到期"
    late = light_of("accepted", date(2026, 9, 28), today, counter)
    assert late.colour == "red" and late.days_left == -2 and late.label == "超期2个工作日"
    weekend = light_of("accepted", date(2026, 10, 9), date(2026, 10, 11), WorkdayCounter(CALENDAR, today))
    assert weekend.colour == "red" and weekend.label == "超期1个工作日"  # the make-up Saturday counted


def test_no_light_when_the_clock_is_stopped_or_the_case_is_decided() -> None:
    today = date(2026, 9, 30)
    counter = WorkdayCounter(CALENDAR, today)
    for state in ("supplementing", "suspended", "approved", "done", "rejected", "withdrawn"):
        assert light_of(state, date(2026, 9, 1), today, counter).colour == "none"
    assert light_of("accepted", None, today, counter).colour == "none"


def test_lists_and_the_command_line_carry_the_light(db, admin, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import json
    from datetime import datetime, timedelta, timezone

    import app.clock
    from app.cli import main
    from app.services.cases.actions import Decision, decide
    from app.services.cases.records import accept_case, get_case, list_cases
    from app.services.settings import CenterSettings, save_settings
    from tests.test_cases import form

    cn = timezone(timedelta(hours=8))
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 2, 9, 0, tzinfo=cn))  # a Monday
    late = accept_case(db, admin, form(db, "SB-002", "promised"))  # due Monday 16th
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 12, 9, 0, tzinfo=cn))
    soon = accept_case(db, admin, form(db, "SB-002", "promised"))  # due the 26th
    decided = accept_case(db, admin, form(db, "SB-002", "promised"))
    decide(db, admin, decided, Decision(True, result="准予"))
    lights = {c.number: (c.light.colour, c.light.days_left) for c in list_cases(db)}
    assert lights[late] == ("yellow", 2) and lights[soon] == ("green", 10) and lights[decided] == ("none", None)
    save_settings(db, admin, CenterSettings(warning_days="1"))
    record = get_case(db, late)
    assert record is not None and record.light.colour == "green"  # the centre's own warning days
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 19, 9, 0, tzinfo=cn))
    assert main(["--data-dir", str(db.path.parent), "cases", "list", "--json"]) == 0
    rows = {r["number"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows[late]["light"] == "red" and rows[late]["working_days_left"] == -3
    assert rows[soon]["light"] == "green" and rows[soon]["working_days_left"] == 5
    assert {"case_class", "status", "due_date", "owner_node"} <= set(rows[late])


def test_the_status_bar_counts_agree_with_each_cases_light(db: Database, admin: Actor,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """due_summary counts in SQL; every case's own light (light_of) must give the same three numbers."""
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 18, 10, 0, tzinfo=timezone(timedelta(hours=8))))
    save_settings(db, admin, CenterSettings(warning_days="3"))
    rng = random.Random(11)
    numbers = [accept_case(db, admin, form(db, "SB-002", "promised")) for _ in range(40)]
    with db.session() as s:
        for number in numbers:
            s.execute(update(Case).where(Case.number == number).values(
                due_date=date(2026, 11, 18) + timedelta(days=rng.randint(-12, 12)),
                status=rng.choice(["accepted", "accepted", "suspended", "approved"])))
    lights = [c.light for c in list_cases(db)]
    summary = due_summary(db)
    assert summary.overdue == sum(1 for x in lights if x.colour == "red") > 0
    assert summary.due_today == sum(1 for x in lights if x.colour == "yellow" and x.days_left == 0)
    assert summary.soon == sum(1 for x in lights if x.colour == "yellow" and x.days_left != 0) > 0

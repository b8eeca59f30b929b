"""What acceptance keeps between cases (calendar, settings, the item, the clerk's phone) is dropped by
the change bus whenever a commit writes what it was read from: no stale deadline, no hand-placed
invalidation. Speed itself is measured only by `make bench`."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from app.actor import Actor
from app.database import Database
from app.services.calendar.holidays import import_calendar, load_calendar, read_calendar_file
from app.services.cases.form import CaseForm, as_catalogued
from app.services.cases.records import accept_case, get_case, iter_cases, page_cases
from app.services.catalog import items as catalog
from app.services.db_cache import cached
from app.services.id_numbers import id_check_digit
from app.services.people.staff import StaffForm, save_staff
from app.services.settings import load_settings, save_settings
from app.startup import open_workstation

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
ID = "22082119850312" + "123"
ID += id_check_digit(ID)
CSV_2027 = "date,kind,name\n2027-01-01,休,元旦\n"


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=CN)


def form(db: Database, code: str) -> CaseForm:
    item = catalog.load_item(db, code)
    assert item is not None
    return CaseForm(item_code=code, case_class=item.default_case_class, applicant_name="张桂芳",
                    applicant_id_number=ID, applicant_phone="13904367788", applicant_address="镇赉镇红旗村三组",
                    received=as_catalogued(item, list(range(1, len(item.materials) + 1))))


def due_of(db: Database, number: str) -> tuple[date | None, bool]:
    case = get_case(db, number)
    assert case is not None
    return case.due_date, case.provisional


def test_importing_a_calendar_moves_the_next_acceptances_deadline(db: Database, admin: Actor, tmp_path: Path) -> None:
    """Issue 10: after importing 2027 the acceptance must not go on counting 2027 as weekdays only."""
    received = at("2026-12-28T10:00")  # SB-002: 10 working days, into 2027
    before = accept_case(db, admin, form(db, "SB-002"), now=received)
    assert due_of(db, before) == (date(2027, 1, 11), True)  # cached from here on
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    import_calendar(db, admin, read_calendar_file(path), "2027.csv")
    after = accept_case(db, admin, form(db, "SB-002"), now=received)
    assert due_of(db, after) == (date(2027, 1, 12), False)  # New Year's Day is a rest day now


def test_a_calendar_written_by_plain_sql_is_seen_too(db: Database) -> None:
    """A page from the centre writes through the engine without any service: the bus still tells."""
    assert not load_calendar(db).is_workday(date(2026, 10, 1))  # National Day, kept in the cache
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM calendar_day WHERE day = :day"), {"day": "2026-10-01"})
    assert load_calendar(db).is_workday(date(2026, 10, 1))


def test_a_rolled_back_write_keeps_the_cached_calendar(db: Database) -> None:
    load_calendar(db)  # a new database's first read seeds the calendar, a change of its own
    first = load_calendar(db)
    assert load_calendar(db) is first
    with pytest.raises(RuntimeError), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM calendar_day WHERE day = :day"), {"day": "2026-10-01"})
        raise RuntimeError("rolled back")
    assert load_calendar(db) is first and not first.is_workday(date(2026, 10, 1))


def test_changed_office_hours_reach_the_next_acceptance(db: Database, admin: Actor) -> None:
    evening = at("2026-11-20T17:00")  # SB-003 is done on the spot; a Friday
    assert due_of(db, accept_case(db, admin, form(db, "SB-003"), now=evening))[0] == date(2026, 11, 20)
    save_settings(db, admin, dataclasses.replace(load_settings(db), office_hours="08:30-12:00,13:00-16:30"))
    assert load_settings(db).office_hours == "08:30-12:00,13:00-16:30"
    assert due_of(db, accept_case(db, admin, form(db, "SB-003"), now=evening))[0] == date(2026, 11, 23)


def test_a_changed_item_reaches_the_next_acceptance(db: Database, admin: Actor) -> None:
    first = get_case(db, accept_case(db, admin, form(db, "SB-002"), now=at("2026-11-02T10:00")))
    assert first is not None and first.time_limit_days == 10
    item = catalog.load_item(db, "SB-002")
    assert item is not None
    catalog.apply_items(db, admin, [dataclasses.replace(item, promised_limit_days=5)], source="test")
    second = get_case(db, accept_case(db, admin, form(db, "SB-002"), now=at("2026-11-02T10:00")))
    assert second is not None and second.time_limit_days == 5 and second.item.promised_limit_days == 5


def test_a_changed_phone_is_stamped_on_the_next_case(db: Database, admin: Actor) -> None:
    assert admin.staff_id is not None
    first = get_case(db, accept_case(db, admin, form(db, "SB-002")))
    assert first is not None and first.staff_phone == ""
    save_staff(db, admin, StaffForm(admin.staff_no, admin.name, admin.role, admin.workplace, phone="13904361009"),
               staff_id=admin.staff_id)
    second = get_case(db, accept_case(db, admin, form(db, "SB-002")))
    assert second is not None and second.staff_phone == "13904361009"


def test_a_value_read_while_its_table_changes_is_not_kept(db: Database, admin: Actor) -> None:
    loads: list[int] = []

    def load_and_meanwhile_change() -> int:
        loads.append(1)
        if len(loads) == 1:  # another thread's commit lands while this read runs
            save_settings(db, admin, dataclasses.replace(load_settings(db), center_phone="0436-7310000"))
        return len(loads)

    assert cached(db, "probe", {"center_setting"}, load_and_meanwhile_change) == 1
    assert cached(db, "probe", {"center_setting"}, load_and_meanwhile_change) == 2  # read again
    assert cached(db, "probe", {"center_setting"}, load_and_meanwhile_change) == 2  # and now kept


def test_each_database_has_its_own_cache(tmp_path: Path) -> None:
    one, _ = open_workstation(tmp_path / "one")
    two, _ = open_workstation(tmp_path / "two")
    try:
        assert cached(one, "probe", {"center_setting"}, lambda: "one") == "one"
        assert cached(two, "probe", {"center_setting"}, lambda: "two") == "two"
        assert cached(one, "probe", {"center_setting"}, lambda: "again") == "one"
    finally:
        one.dispose()
        two.dispose()


def test_nothing_invalidates_a_cache_by_hand() -> None:
    """Services say what they changed through the bus; no forget_calendar() placed after a write."""
    app = Path(__file__).resolve().parents[1] / "app"
    calls = re.compile(r"\bforget_calendar\(")
    offenders = [path.relative_to(app).as_posix() for folder in ("services", "ui", "printing")
                 for path in sorted((app / folder).rglob("*.py"))
                 if any(calls.search(line) and not line.lstrip().startswith("def ")
                        for line in path.read_text(encoding="utf-8").splitlines())]
    assert offenders == []


def test_lists_read_as_rows_give_the_same_records(db: Database, admin: Actor) -> None:
    numbers = [accept_case(db, admin, form(db, code), now=at("2026-11-02T10:00")) for code in ("SB-002", "SB-003")]
    listed = {record.number: record for record in iter_cases(db)}
    paged = {record.number: record for record in page_cases(db).rows}
    for number in numbers:
        full = get_case(db, number)
        assert full is not None
        assert listed[number] == paged[number] == dataclasses.replace(full, events=())


def test_warming_up_before_set_up_writes_nothing(blank_db: Database) -> None:
    """The login window's head start reads the calendar only once the workstation is set up."""
    from app.ui.app import _warm_up
    from app.ui.lazy_db import LazyDatabase

    lazy = LazyDatabase(blank_db.path)
    try:
        _warm_up(lazy, set_up=False)
        with lazy.get().engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM calendar_year")).scalar_one() == 0
    finally:
        lazy.dispose()

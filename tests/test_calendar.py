"""The holiday calendar in the database: seeding, import, single-day edits, the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.actor import Actor
from app.cli import main
from app.database import Database
from app.models import AuditEntry, CalendarYear
from app.services.calendar.holidays import import_calendar, load_calendar, read_calendar_file, set_day, year_days
from app.services.errors import PermissionDenied, ValidationError

CSV_2027 = "date,kind,name\n2027-01-01,休,元旦\n2027-02-06,班,春节\n" + "".join(
    f"2027-02-{d:02d},holiday,春节\n" for d in (11, 12, 13, 14, 15, 16, 17)
)


def test_seeded_from_chinesecalendar_on_first_use(db: Database) -> None:
    calendar = load_calendar(db)
    assert set(range(2004, 2027)) <= calendar.covered_years
    assert 2027 not in calendar.covered_years
    assert calendar.add(date(2026, 9, 30), 5).day == date(2026, 10, 13)
    assert ("2026-10-10", "workday", "国庆节") in [(d.isoformat(), k, n) for d, k, n in year_days(db, 2026)]


def test_import_covers_a_new_year(db: Database, admin: Actor, tmp_path: Path) -> None:
    before = load_calendar(db).add(date(2026, 12, 28), 10)
    assert before.provisional
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    assert import_calendar(db, admin, read_calendar_file(path), "2027.csv").years == [2027]
    after = load_calendar(db).add(date(2026, 12, 28), 10)
    assert not after.provisional and after.day == date(2027, 1, 12)
    assert load_calendar(db).is_workday(date(2027, 2, 6))  # a Saturday make-up day
    with db.session() as s:
        assert s.scalar(select(CalendarYear.source).where(CalendarYear.year == 2027)) == "2027.csv"
        assert s.scalar(select(func.count()).where(AuditEntry.action == "calendar_import")) >= 1


def test_reimport_replaces_the_year(db: Database, admin: Actor, tmp_path: Path) -> None:
    path = tmp_path / "2027.json"
    path.write_text(json.dumps({"days": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]}), encoding="utf-8")
    import_calendar(db, admin, read_calendar_file(path), "v1")
    path.write_text(json.dumps([{"date": "2027-01-04", "kind": "holiday", "name": "更正"}]), encoding="utf-8")
    import_calendar(db, admin, read_calendar_file(path), "v2")
    assert [d.isoformat() for d, _, _ in year_days(db, 2027)] == ["2027-01-04"]


@pytest.mark.parametrize(
    ("content", "suffix", "reason"),
    [
        ("date,kind\n2027-02-30,休\n", ".csv", "第2行：日期“2027-02-30”无效"),
        ("date,kind\n2027-01-01,rest\n", ".csv", "类型“rest”无效"),
        ("date,kind\n2027-01-01,休\n2027-01-01,休\n", ".csv", "第3行：日期 2027-01-01 重复"),
        ("date,kind\n2027-01-06,班\n", ".csv", "不需要登记为调休上班"),
        ("day,type\n2027-01-01,休\n", ".csv", "列名"),
        ("{not json", ".json", "不是有效的 JSON"),
        ("a,b", ".txt", "不支持的文件类型"),
    ],
)
def test_bad_files_change_nothing(db: Database, tmp_path: Path, content: str, suffix: str, reason: str) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_calendar_file(path)
    assert any(reason in e for e in info.value.errors) or reason in info.value.message


def test_only_directors_and_admins_change_it(db: Database, admin: Actor, tmp_path: Path) -> None:
    from app.services.people.auth import login
    from app.services.people.staff import StaffForm, save_staff

    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", password="pass1234"))
    clerk = login(db, "1001", "pass1234")
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    with pytest.raises(PermissionDenied):
        import_calendar(db, clerk, read_calendar_file(path), "x")
    with pytest.raises(PermissionDenied):
        set_day(db, clerk, date(2027, 1, 1), "holiday")


def test_single_day_edit_does_not_cover_a_year(db: Database, admin: Actor) -> None:
    set_day(db, admin, date(2027, 1, 1), "holiday", "元旦")
    calendar = load_calendar(db)
    assert not calendar.is_workday(date(2027, 1, 1))
    assert 2027 not in calendar.covered_years
    set_day(db, admin, date(2027, 1, 1), None)
    assert load_calendar(db).is_workday(date(2027, 1, 1))


def test_cli_workdays_and_calendar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.test_cli import cli_setup

    data = tmp_path / "ws"
    cli_setup(data)
    capsys.readouterr()
    assert main(["--data-dir", str(data), "workdays", "add", "2026-09-30", "5"]) == 0
    assert capsys.readouterr().out.strip() == "2026-10-13"
    assert main(["--data-dir", str(data), "workdays", "add", "2026-12-28", "10"]) == 0
    assert capsys.readouterr().out.strip() == "2027-01-11 provisional"
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    assert main(["--data-dir", str(data), "calendar", "import", str(path)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data), "workdays", "add", "2026-12-28", "10"]) == 0
    assert capsys.readouterr().out.strip() == "2027-01-12"
    assert main(["--data-dir", str(data), "calendar", "show", "2027"]) == 0
    assert "2027-02-06\t调休上班\t春节" in capsys.readouterr().out
    with pytest.raises(SystemExit) as usage:
        main(["--data-dir", str(data), "workdays", "add", "2026-13-01", "5"])
    assert usage.value.code == 2
    assert main(["--data-dir", str(data), "workdays", "add", "2026-12-01", "5000"]) == 1
    assert "0至3650" in capsys.readouterr().err

"""考勤 (issue 13): the rules at their edges (seed 003: more than 15 minutes late or early, more than 30
absent), a 调休 Saturday and a holiday on the real 2026 calendar, refusals that store nothing, the
month's sheet and its totals, the counts for the statistics, and the append-only records."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

import app.clock
from app.actor import Actor
from app.database import Database
from app.models import Attendance
from app.services.calendar.workdays import OfficeHours
from app.services.errors import PermissionDenied, ValidationError
from app.services.people.attendance import (
    ABSENT_AFTER_MINUTES,
    LATE_AFTER_MINUTES,
    judge_day,
    sign,
    today_of,
)
from app.services.people.attendance_sheet import attendance_counts, attendance_sheet, parse_month
from tests.conftest import add_staff

pytestmark = pytest.mark.usefixtures("china_time")
HOURS = OfficeHours.parse("08:30-12:00,13:00-17:30")
TUESDAY = date(2026, 10, 13)
WORKING_SATURDAY = date(2026, 10, 10)  # 国庆调休：上班
NATIONAL_DAY = date(2026, 10, 1)


def at_china(day: date, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=UTC) - timedelta(hours=8)


def local(day: date, hh: int, mm: int, ss: int = 0) -> datetime:
    return at_china(day, hh, mm, ss).astimezone()


def judge(sign_in: tuple[int, int] | None, sign_out: tuple[int, int] | None = None, *, day: date = TUESDAY,
          today: date = date(2026, 10, 20), workday: bool = True, leave: str = "") -> object:
    return judge_day(day, local(day, *sign_in) if sign_in else None, local(day, *sign_out) if sign_out else None,
                     workday=workday, hours=HOURS, today=today, leave=leave)


def test_thresholds_are_the_seed_and_the_edges_hold() -> None:
    assert (LATE_AFTER_MINUTES, ABSENT_AFTER_MINUTES) == (15, 30)
    on_time = judge((8, 45), (17, 30))
    assert on_time.status == "present" and on_time.mark == "√" and on_time.label == "正常"  # exactly 15: not late
    late = judge((8, 46), (17, 30))
    assert late.late and late.late_minutes == 16 and late.mark == "迟" and late.label == "迟到 16 分钟"
    assert judge((9, 0), (17, 30)).mark == "迟"  # exactly 30: still only late
    absent = judge((9, 1), (17, 30))
    assert absent.status == "absent" and absent.mark == "旷" and absent.label == "旷工（迟到 31 分钟）"
    assert judge((8, 20), (17, 15)).mark == "√"  # out exactly 15 early
    early = judge((8, 20), (17, 14))
    assert early.early and early.early_minutes == 16 and early.mark == "早"
    assert judge((8, 20), (17, 0)).mark == "早"
    assert judge((8, 20), (16, 59)).status == "absent"
    assert judge((8, 50), (17, 10)).mark == "迟早"


def test_seconds_do_not_count_and_missing_signs() -> None:
    day = TUESDAY
    rule = judge_day(day, local(day, 8, 45, 59), None, workday=True, hours=HOURS, today=day + timedelta(days=1))
    assert not rule.late and rule.no_sign_out and rule.mark == "未" and rule.label == "未签退"
    assert judge(None).status == "absent" and judge(None).label == "旷工（未签到）"
    assert judge(None, today=TUESDAY).status == "pending" and judge(None, today=TUESDAY).mark == ""
    signed_today = judge((8, 30), today=TUESDAY)
    assert signed_today.mark == "√" and not signed_today.no_sign_out  # the day is not over yet
    assert judge((8, 50), today=date(2026, 10, 14)).mark == "迟未"
    assert judge(None, workday=False).mark == "—"
    assert judge(None, leave="病假").mark == "假" and judge(None, leave="病假").label == "请假（病假）"
    assert judge((9, 40), leave="事假").status == "leave"  # leave wins over what was signed


def test_office_hours_come_from_the_setting() -> None:
    hours = OfficeHours.parse("08:30-11:30,14:30-17:30")  # seed 003's own hours
    mark = judge_day(TUESDAY, local(TUESDAY, 8, 40), local(TUESDAY, 17, 10), workday=True, hours=hours,
                     today=date(2026, 10, 20))
    assert mark.mark == "早" and mark.early_minutes == 20


@pytest.fixture
def people(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setattr(app.clock, "_fixed", at_china(date(2026, 9, 30), 9, 0))
    add_staff(db, admin, "A001", "A002")
    add_staff(db, admin, "B001", workplace="2号窗口")
    return db


def sign_at(db: Database, moment: datetime, staff_no: str, kind: str = "sign_in", actor: Actor | None = None) -> str:
    app.clock._fixed = moment
    who = actor or Actor(staff_id=None, staff_no="cli", name="命令行管理", role="system")
    return sign(db, who, staff_no, kind).message


def records(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Attendance)) or 0


def test_signing_a_working_saturday_and_a_holiday(people: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", None)  # sign_at sets it; undone after the test
    assert sign_at(people, at_china(WORKING_SATURDAY, 8, 47), "A001") == "签到 08:47，迟到 17 分钟"
    assert sign_at(people, at_china(WORKING_SATURDAY, 17, 20), "A001", "sign_out") == "签退 17:20，正常"
    assert sign_at(people, at_china(NATIONAL_DAY, 9, 30), "A002") == "签到 09:30（今天不是工作日，不计考勤）"
    assert sign_at(people, at_china(TUESDAY, 9, 5), "B001") == "签到 09:05，迟到 35 分钟（超过30分钟，按旷工计）"
    assert sign_at(people, at_china(TUESDAY, 17, 0), "B001", "sign_out") == "签退 17:00，早退 30 分钟"
    assert records(people) == 5


def test_refusals_store_nothing(people: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", None)
    sign_at(people, at_china(TUESDAY, 8, 20), "A001")
    before = records(people)
    with pytest.raises(ValidationError, match="今天已于 08:20 签到，不能重复签到"):
        sign_at(people, at_china(TUESDAY, 8, 25), "A001")
    with pytest.raises(ValidationError, match="还没有签到，请先签到再签退"):
        sign_at(people, at_china(TUESDAY, 17, 40), "A002", "sign_out")
    with pytest.raises(ValidationError, match="工号 Z999 不是本中心的工作人员"):
        sign_at(people, at_china(TUESDAY, 8, 25), "Z999")
    with pytest.raises(ValidationError, match="不超过20个字符"):
        sign_at(people, at_china(TUESDAY, 8, 25), "X" * 21)
    clerk = Actor(staff_id=None, staff_no="A002", name="测试人员2", role="clerk")
    with pytest.raises(PermissionDenied):
        sign_at(people, at_china(TUESDAY, 8, 25), "B001", actor=clerk)
    sign_at(people, at_china(TUESDAY, 17, 40), "A001", "sign_out")
    with pytest.raises(ValidationError, match="今天已于 17:40 签退"):
        sign_at(people, at_china(TUESDAY, 17, 45), "A001", "sign_out")
    assert records(people) == before + 1
    assert sign_at(people, at_china(TUESDAY, 8, 31), "A002", actor=clerk) == "签到 08:31，正常"  # oneself


def test_records_are_append_only(people: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", None)
    sign_at(people, at_china(TUESDAY, 8, 20), "A001")
    with people.engine.begin() as conn, pytest.raises(Exception, match="考勤记录只能追加，不能修改"):
        conn.execute(text("UPDATE attendance SET at = '2026-10-13 00:00:00'"))
    with people.engine.begin() as conn, pytest.raises(Exception, match="考勤记录只能追加，不能删除"):
        conn.execute(text("DELETE FROM attendance"))
    assert records(people) == 1


def test_today_and_the_login_offer(people: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", at_china(TUESDAY, 8, 0))
    assert today_of(people, "A001").offer_sign_in
    sign_at(people, at_china(TUESDAY, 8, 10), "A001")
    today = today_of(people, "A001")
    assert not today.offer_sign_in and today.sign_in is not None and today.mark.mark == "√"
    app.clock._fixed = at_china(NATIONAL_DAY, 8, 0)
    assert not today_of(people, "A002").offer_sign_in  # a holiday asks for nothing


def october(db: Database) -> None:
    """A001: late on the 调休 Saturday, early on the 13th, absent (no sign-in) the 14th, on leave the
    15th, no sign-out the 16th, normal otherwise from the 8th; A002 and B001 sign nothing."""
    for day in (date(2026, 10, 8), date(2026, 10, 9), WORKING_SATURDAY, TUESDAY, date(2026, 10, 16)):
        sign_at(db, at_china(day, 8, 46) if day == WORKING_SATURDAY else at_china(day, 8, 8), "A001")
        if day != date(2026, 10, 16):
            sign_at(db, at_china(day, 17, 10) if day == TUESDAY else at_china(day, 17, 31), "A001", "sign_out")


def test_the_month_sheet_and_its_totals(people: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", None)
    october(people)
    app.clock._fixed = at_china(date(2026, 10, 19), 10, 0)  # Monday the 19th: the 19th itself is not over
    leave = {("A001", date(2026, 10, 15)): "事假"}
    sheet = attendance_sheet(people, "2026-10", leave)
    assert len(sheet.days) == 31 and sheet.workdays[9] and not sheet.workdays[0] and not sheet.workdays[10]
    rows = {r.staff_no: r for r in sheet.rows}
    marks = "".join(m.mark or "." for m in rows["A001"].marks[:19])
    # 1-7 国庆, 8 9 √, 10 (Sat, 调休) 迟, 11 Sun, 12 Mon absent (no sign-in), 13 早, 14 absent, 15 假, 16 未,
    # 17 18 weekend, 19 today (pending)
    assert marks == "———————√√迟—旷早旷假未——."
    totals = rows["A001"].totals
    assert (totals.attendance_days, totals.late, totals.early, totals.absent, totals.leave, totals.no_sign_out,
            totals.workdays) == (5, 1, 1, 2, 1, 1, 8)
    assert rows["B001"].totals.absent == 8 and rows["B001"].totals.attendance_days == 0
    assert set(rows) == {"A001", "A002", "B001"}  # the 系统管理员 account keeps no office hours
    sheet_b = attendance_sheet(people, date(2026, 10, 1))
    assert {r.staff_no: r.totals.leave for r in sheet_b.rows}["A001"] == 0  # leave is only the input's


def test_days_before_the_account_owe_nothing(people: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", at_china(date(2026, 10, 15), 9, 0))
    add_staff(people, admin, "N001")
    app.clock._fixed = at_china(date(2026, 10, 20), 9, 0)
    row = next(r for r in attendance_sheet(people, "2026-10").rows if r.staff_no == "N001")
    assert row.totals.workdays == 3 and row.totals.absent == 3  # 15, 16, 19: the 20th is today


def test_counts_add_up(people: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", None)
    october(people)
    app.clock._fixed = at_china(date(2026, 10, 19), 10, 0)
    township = attendance_counts(people, "2026-10-01", "2026-10-18")[""]
    by_staff = attendance_counts(people, "2026-10-01", "2026-10-18", "staff")
    by_window = attendance_counts(people, date(2026, 10, 1), date(2026, 10, 18), "window")
    for key in ("attendance_days", "late", "early", "absent", "no_sign_out", "workdays"):
        assert sum(r[key] for r in by_staff.values()) == township[key]
        assert sum(r[key] for r in by_window.values()) == township[key]
    assert by_staff["A001"]["late"] == 1 and by_staff["A001"]["absent"] == 3  # the 15th: no leave input here
    assert by_window["2号窗口"]["absent"] == 8
    assert attendance_counts(people, "2026-10-01", "2026-10-18", "item") == {}
    with pytest.raises(ValidationError):
        attendance_counts(people, "2026-10-18", "2026-10-01")


@pytest.mark.parametrize("bad", ["2026-13", "2026/10", "26-10", "", "2026-10-01", "x" * 200])
def test_bad_months(bad: str) -> None:
    with pytest.raises(ValidationError, match="月份"):
        parse_month(bad)
    assert parse_month("2026-02") == date(2026, 2, 1)



def test_the_centres_office_hours_setting_is_used(people: Database, admin: Actor,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from app.services.settings import load_settings, save_settings

    save_settings(people, admin, replace(load_settings(people), office_hours="09:00-12:00,13:00-17:00"))
    monkeypatch.setattr(app.clock, "_fixed", None)
    assert sign_at(people, at_china(TUESDAY, 9, 10), "A001") == "签到 09:10，正常"
    assert sign_at(people, at_china(TUESDAY, 16, 44), "A001", "sign_out") == "签退 16:44，早退 16 分钟"

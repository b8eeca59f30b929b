"""Issue 13: the service figures beyond cases (预约, 上门, 延时服务, 考勤) are counted once in the statistics,
equal to counts made another way, add up from clerks to windows to the township, and are “—” where a
scope cannot split them (attendance by 事项)."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

import app.clock
from app.actor import Actor
from app.database import Database
from app.services.appointments import checkin
from app.services.appointments.after_hours import AfterHoursForm, record_after_hours
from app.services.appointments.booking import AppointmentForm, book
from app.services.people import leave as lv
from app.services.people.attendance import sign
from app.services.stats.figures import BY_KEY
from app.services.stats.report import figures_for
from tests.conftest import add_staff

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
SYSTEM = Actor(staff_id=None, staff_no="cli", name="命令行管理", role="system")
MONDAY, TUESDAY = date(2026, 11, 30), date(2026, 12, 1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CN)


@pytest.fixture
def service(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> Database:
    """Two windows, three clerks; Monday's and Tuesday's appointments, after-hours service and attendance."""
    monkeypatch.setattr(app.clock, "_fixed", at(MONDAY, 7, 0))
    add_staff(db, admin, "1001", "1002")
    add_staff(db, admin, "2001", workplace="2号窗口")

    def booked(day: date, slot: str, window: str, **kw: str) -> str:
        return book(db, admin, AppointmentForm("SB-002", "张桂芳", "13904367788", day, slot, window=window,
                                               **kw)).number

    kept = booked(MONDAY, "08:30-09:30", "1号窗口")
    missed = booked(MONDAY, "08:30-09:30", "1号窗口")
    called_off = booked(MONDAY, "09:30-10:30", "2号窗口")
    booked(TUESDAY, "08:30-09:30", "2号窗口")
    home = booked(MONDAY, "09:30-10:30", "", kind="home", address="红旗村三组", reason="elderly", visitor_no="2001")
    booked(TUESDAY, "09:30-10:30", "", kind="home", address="红旗村四组", reason="disabled", visitor_no="2001")
    monkeypatch.setattr(app.clock, "_fixed", at(MONDAY, 10, 0))
    checkin.check_in(db, admin, kept)
    checkin.mark_no_show(db, admin, missed)
    checkin.cancel(db, admin, called_off)
    checkin.record_home_outcome(db, admin, home, "已代为申请，材料齐全")
    # Monday: 1001 on time, 1002 17 minutes late, 2001 absent; Tuesday: 1002 on approved leave.
    for staff_no, minute in (("1001", 28), ("1002", 47)):
        monkeypatch.setattr(app.clock, "_fixed", at(MONDAY, 8, minute))
        sign(db, SYSTEM, staff_no, "sign_in")
    monkeypatch.setattr(app.clock, "_fixed", at(MONDAY, 17, 35))
    for staff_no in ("1001", "1002"):
        sign(db, SYSTEM, staff_no, "sign_out")
    leave = lv.request_leave(db, SYSTEM, lv.LeaveForm("1002", "事假", TUESDAY, TUESDAY))
    lv.approve(db, SYSTEM, leave.number)
    monkeypatch.setattr(app.clock, "_fixed", at(date(2026, 12, 2), 9, 0))
    for staff_no, start, minutes in (("1001", at(MONDAY, 17, 40), 50), ("2001", at(MONDAY, 18, 0), 30),
                                     ("2001", at(TUESDAY, 12, 5), 40)):
        record_after_hours(db, SYSTEM, AfterHoursForm(start, start + timedelta(minutes=minutes), "群众下班后来办",
                                                      staff_no=staff_no))
    return db


def test_service_figures_equal_what_happened(service: Database) -> None:
    got = figures_for(service, MONDAY, TUESDAY).total.values
    assert (got["appointments"], got["no_shows"], got["home_visits"]) == (3, 1, 1)  # cancelled left out
    assert (got["after_hours"], got["after_hours_hours"]) == (3, 2.0)
    # Owed: 3 clerks × 2 days (the administrator keeps no office hours).
    assert (got["attendance_days"], got["late"], got["early"], got["absent"], got["leave"]) == (2, 1, 0, 3, 1)
    monday = figures_for(service, MONDAY, MONDAY).total.values
    assert (monday["appointments"], monday["after_hours"], monday["absent"], monday["leave"]) == (2, 2, 1, 0)


def test_clerks_add_up_to_windows_and_windows_to_the_township(service: Database) -> None:
    total = figures_for(service, MONDAY, TUESDAY).total.values
    staff = {r.key: r.values for r in figures_for(service, MONDAY, TUESDAY, "staff").rows}
    windows = {r.key: r.values for r in figures_for(service, MONDAY, TUESDAY, "window").rows}
    assert (staff["1002"]["late"], staff["1002"]["leave"], staff["2001"]["absent"]) == (1, 1, 2)
    assert windows["2号窗口"]["after_hours"] == 2 and windows["1号窗口"]["after_hours"] == 1
    for name in ("after_hours", "attendance_days", "late", "absent", "leave"):
        assert sum(int(v[name] or 0) for v in staff.values()) == total[name], name
        assert sum(int(v[name] or 0) for v in windows.values()) == total[name], name


def test_attendance_is_not_split_by_item_or_node(service: Database) -> None:
    assert BY_KEY["late"].scopes == frozenset({"window", "staff"})
    for scope in ("item", "node"):
        rows = figures_for(service, MONDAY, TUESDAY, scope).rows
        assert rows and all(r.values["absent"] is None and r.values["leave"] is None for r in rows)
    nodes = figures_for(service, MONDAY, TUESDAY, "node").rows
    assert sum(int(r.values["after_hours"] or 0) for r in nodes) == 3


def test_records_of_the_command_line_are_labelled_not_shown_as_a_person(service: Database) -> None:
    """A record the command line wrote has the staff key "cli": it is 命令行管理, on screen, paper and `stats`."""
    from app.services.cases.records import accept_case
    from app.services.stats.monthly import gather, report_sheet
    from tests.test_cases import form

    accept_case(service, SYSTEM, form(service, "SB-002"))  # `cases accept` without --staff-no
    rows = {r.key: r for r in figures_for(service, MONDAY, date(2026, 12, 3), "staff").rows}
    assert rows["cli"].label == "命令行管理" and rows["cli"].values["accepted"] == 1
    assert all(r.label != "cli" for r in rows.values())
    sheet = report_sheet(gather(service, "2026-12"), "测试中心", "测试")
    names = [name for table in sheet.tables for block in table.blocks for name, _v in block.rows]
    assert "命令行管理" in names and "cli" not in names


def test_the_trend_counts_service_figures_month_by_month(service: Database) -> None:
    """The twelve-month trend of a service figure equals each month's own count (not zeros)."""
    from app.services.stats.series import monthly_trend

    keys = ("appointments", "home_visits", "after_hours", "after_hours_hours", "absent", "leave")
    trend = monthly_trend(service, TUESDAY, 2, keys)
    assert [p.month for p in trend] == ["2026-11", "2026-12"]
    for point, (first, last) in zip(trend, ((date(2026, 11, 1), date(2026, 11, 30)),
                                            (date(2026, 12, 1), date(2026, 12, 31))), strict=True):
        month = figures_for(service, first, last).total.values
        assert point.values == {k: float(month[k] or 0) for k in keys}, point.month
    assert trend[0].values["after_hours"] == 2 and trend[1].values["after_hours"] == 1


def test_the_report_shows_service_figures_per_scope(service: Database, tmp_path: Path) -> None:
    """Each scope's table carries the service figures beneath the case figures; by 事项 attendance is left
    out of the paper and reads “—” in the workbook (it belongs to people, not to items)."""
    from openpyxl import load_workbook

    from app.printing.stats_report_pdf import stats_report_pdf
    from app.services.stats.monthly import (
        SERVICE_BLOCK,
        SERVICE_BLOCK_NO_ATTENDANCE,
        gather,
        report_sheet,
        write_report,
    )
    from tests.pdf_helpers import flat, pdf_text

    data = gather(service, "2026-11")
    sheet = report_sheet(data, "测试中心", "测试")
    tables = {t.title: t for t in sheet.tables}
    window = tables["按窗口（代办点）"].blocks
    assert [b.caption for b in window][1] == SERVICE_BLOCK and "出勤天数" in window[1].columns
    staff = dict(tables["按工作人员"].blocks[1].rows)
    late = tables["按工作人员"].blocks[1].columns.index("迟到次数")
    assert staff["测试人员2（1002）"][late] == "1"
    item = tables["按事项"].blocks
    assert len(item) == 2 and "出勤天数" not in item[1].columns and "预约件数" in item[1].columns
    assert item[1].caption == SERVICE_BLOCK_NO_ATTENDANCE
    assert "考勤属于人员及其窗口" in tables["按事项"].note
    pdf = stats_report_pdf(sheet)
    text = flat(pdf_text(pdf))
    assert text.count(flat(SERVICE_BLOCK)) == 2 and flat(SERVICE_BLOCK_NO_ATTENDANCE) in text
    assert "延时服务时长1.3小时" in text  # hours to one decimal, as defined
    if os.environ.get("REPORT_PNG_DIR"):  # for looking at the pages by eye
        from tests.pdf_helpers import render

        for index, page in enumerate(render(pdf, 100), start=1):
            page.save(Path(os.environ["REPORT_PNG_DIR"]) / f"service-report-{index}.png")
    out = tmp_path / "r.xlsx"
    write_report(data, out, "测试中心", "测试")
    items = load_workbook(out)["按事项"]
    header = [c.value for c in items[1]]
    absent = header.index("旷工天数（天）")
    values = list(items.iter_rows(min_row=2, values_only=True))
    assert all(r[absent] == "—" for r in values[:-1]) and values[-1][absent] == data.township.values["absent"]
    sb002 = next(r for r in values if r[0] == "SB-002")
    assert sb002[header.index("预约件数（件）")] == 2 and sb002[header.index("上门服务次数（次）")] == 1

"""`attendance sign-in | sign-out | sheet` (issue 13): the time and the mark printed, failures in Chinese
with a non-zero exit and nothing written, and the month's sheet as a repeatable PDF with its font
embedded (header on every page) and as a workbook with the same marks and totals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

import app.clock
from app.actor import Actor
from app.cli import main
from app.database import Database
from app.models import Attendance
from app.services.people.attendance_print import sheet_pdf
from app.services.people.attendance_sheet import attendance_sheet
from tests.conftest import add_staff
from tests.pdf_helpers import flat, pdf_text, render, unembedded_fonts

pytestmark = pytest.mark.usefixtures("china_time")


def at_china(day: date, hh: int, mm: int) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=UTC) - timedelta(hours=8)


@pytest.fixture
def staffed(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setattr(app.clock, "_fixed", at_china(date(2026, 9, 30), 9, 0))
    add_staff(db, admin, "A001", "A002")
    return db


def run(data_dir: Path, *argv: str) -> int:
    return main(["--data-dir", str(data_dir), "attendance", *argv])


def records(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Attendance)) or 0


def test_sign_in_and_out(staffed: Database, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app.clock._fixed = at_china(date(2026, 10, 13), 8, 47)
    assert run(data_dir, "sign-in", "--staff", "A001") == 0
    assert "测试人员1（A001）签到 08:47，迟到 17 分钟" in capsys.readouterr().out
    app.clock._fixed = at_china(date(2026, 10, 13), 17, 40)
    assert run(data_dir, "sign-out", "--staff", "A001") == 0
    assert "签退 17:40，正常" in capsys.readouterr().out
    assert records(staffed) == 2


def test_failures_say_why_and_change_nothing(staffed: Database, data_dir: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    app.clock._fixed = at_china(date(2026, 10, 13), 8, 47)
    assert run(data_dir, "sign-in", "--staff", "Z999") != 0
    assert "工号 Z999 不是本中心的工作人员" in capsys.readouterr().err
    assert run(data_dir, "sign-out", "--staff", "A001") != 0
    assert "还没有签到" in capsys.readouterr().err
    assert records(staffed) == 0
    out = tmp_path / "out.pdf"
    assert run(data_dir, "sheet", "--month", "2026-13", "-o", str(out)) != 0
    assert "不是有效的月份" in capsys.readouterr().err
    assert run(data_dir, "sheet", "--month", "2026-10", "-o", str(tmp_path / "out.doc")) != 0
    assert ".pdf 或 .xlsx" in capsys.readouterr().err
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    assert run(data_dir, "sheet", "--month", "2026-10", "-o", str(blocker / "out.pdf")) != 0
    assert "失败：" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "data"]


def october(db: Database, admin: Actor, people: int) -> None:
    app.clock._fixed = at_china(date(2026, 9, 30), 9, 0)
    add_staff(db, admin, *(f"C{n:03d}" for n in range(people)), workplace="社保医保窗口")
    system = Actor(staff_id=None, staff_no="cli", name="命令行管理", role="system")
    from app.services.people.attendance import sign

    for day in range(8, 17):
        when = date(2026, 10, day)
        app.clock._fixed = at_china(when, 8, 30) + timedelta(minutes=4 * (day - 8))  # 16 late on the 12th
        sign(db, system, "A001", "sign_in")
        app.clock._fixed = at_china(when, 17, 35)
        sign(db, system, "A001", "sign_out")


def test_sheet_pdf_pages_font_and_repeatable(staffed: Database, admin: Actor, data_dir: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    october(staffed, admin, 30)
    app.clock._fixed = at_china(date(2026, 11, 2), 9, 0)
    out = tmp_path / "kq.pdf"
    assert run(data_dir, "sheet", "--month", "2026-10", "-o", str(out)) == 0
    assert "2026年10月考勤表（32 人）已保存到" in capsys.readouterr().out  # 32 clerks; not the 系统管理员
    data = out.read_bytes()
    assert unembedded_fonts(data) == []
    text = flat(pdf_text(data))
    assert "镇赉镇民生服务中心2026年10月考勤表" in text and "图例" in text
    pages = render(data, dpi=110)
    assert len(pages) >= 2
    assert text.count("出勤天数") == len(pages)  # the column header heads every page
    assert "第2页共2页" in text or f"第{len(pages)}页共{len(pages)}页" in text
    sheet = attendance_sheet(staffed, "2026-10")
    assert sheet_pdf(staffed, sheet, "命令行管理") == sheet_pdf(staffed, sheet, "命令行管理")
    row = next(r for r in sheet.rows if r.staff_no == "A001")
    assert (row.totals.attendance_days, row.totals.late, row.totals.absent) == (7, 4, 11)


def test_sheet_workbook(staffed: Database, admin: Actor, data_dir: Path, tmp_path: Path) -> None:
    october(staffed, admin, 2)
    app.clock._fixed = at_china(date(2026, 11, 2), 9, 0)
    out = tmp_path / "kq.xlsx"
    assert run(data_dir, "sheet", "--month", "2026-10", "-o", str(out)) == 0
    book = load_workbook(out, read_only=True)  # a read-only workbook keeps its file open until closed
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    assert rows[0][:4] == ["工号", "姓名", "所在窗口", "1日"] and rows[0][-6:] == [
        "出勤天数", "迟到", "早退", "旷工", "请假", "未签退"]
    a001 = next(r for r in rows if r[0] == "A001")
    # 1-7 国庆; 8-10 on time (the 10th a 调休 Saturday); 11 Sunday; 12-15 迟 (16 to 28 minutes); 16 two
    # minutes past half an hour: 旷; 17-18 weekend; 19 no sign-in: 旷
    assert a001[3:3 + 19] == ["—"] * 7 + ["√", "√", "√", "—", "迟", "迟", "迟", "迟", "旷", "—", "—", "旷"]
    assert a001[-6:] == [7, 4, 0, 11, 0, 0]
    assert any(isinstance(r[0], str) and r[0].startswith("2026年10月考勤表　图例") for r in rows if r)

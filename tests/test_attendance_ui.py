"""考勤 on screen (issue 13): the question after the day's first login (Enter 签到, Esc 稍后, asked once a
day), the 考勤 area (Ctrl+Shift+K) signing in and out by keyboard and showing the month, and the
director's sheet of everyone printed (preview) and exported; a clerk sees only their own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

import app.clock
from app.actor import Actor
from app.database import Database
from app.models import Attendance
from app.services.people.auth import login
from app.ui.attendance import offer
from app.ui.main_window import MainWindow
from app.ui.tasks import TaskRunner
from tests.conftest import add_staff
from tests.ui_helpers import open_main_window, visible_message_boxes

pytestmark = pytest.mark.usefixtures("china_time")
TUESDAY = date(2026, 10, 13)


def at_china(day: date, hh: int, mm: int) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=UTC) - timedelta(hours=8)


@pytest.fixture(autouse=True)
def fresh_offers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(offer, "_asked", set())


@pytest.fixture
def clerk(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> Actor:
    monkeypatch.setattr(app.clock, "_fixed", at_china(date(2026, 9, 30), 9, 0))
    add_staff(db, admin, "A001")
    return login(db, "A001", "pass1234")


def records(db: Database, staff_no: str) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Attendance).where(Attendance.staff_no == staff_no)) or 0


def offer_box() -> QMessageBox | None:
    return next((b for b in visible_message_boxes() if b.objectName() == "signInOffer"), None)


@pytest.fixture
def parent(qtbot: QtBot) -> Iterator[QWidget]:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    for box in visible_message_boxes():
        box.close()


def test_the_offer_signs_in_on_enter_and_is_asked_once(db: Database, clerk: Actor, parent: QWidget, qtbot: QtBot,
                                                       task_runner: TaskRunner) -> None:
    app.clock._fixed = at_china(TUESDAY, 8, 40)
    offer.offer_sign_in(parent, db, clerk, task_runner)
    qtbot.waitUntil(lambda: offer_box() is not None)
    box = offer_box()
    assert box is not None and "还没有签到" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any("签到 08:40，正常" in b.text() for b in visible_message_boxes()))
    assert records(db, "A001") == 1
    for b in visible_message_boxes():
        b.close()
    offer.offer_sign_in(parent, db, clerk, task_runner)  # logged in again the same day: not asked
    task_runner.wait()
    qtbot.wait(50)
    assert offer_box() is None and records(db, "A001") == 1


def test_esc_puts_it_off_and_it_is_not_asked_again_today(db: Database, clerk: Actor, parent: QWidget,
                                                         qtbot: QtBot, task_runner: TaskRunner) -> None:
    app.clock._fixed = at_china(TUESDAY, 8, 40)
    offer.offer_sign_in(parent, db, clerk, task_runner)
    qtbot.waitUntil(lambda: offer_box() is not None)
    qtbot.keyClick(offer_box(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: offer_box() is None)
    task_runner.wait()
    assert records(db, "A001") == 0
    offer.offer_sign_in(parent, db, clerk, task_runner)
    task_runner.wait()
    qtbot.wait(50)
    assert offer_box() is None
    app.clock._fixed = at_china(TUESDAY + timedelta(days=1), 8, 20)  # the next working day asks again
    offer.offer_sign_in(parent, db, clerk, task_runner)
    qtbot.waitUntil(lambda: offer_box() is not None)


def test_no_offer_on_a_holiday(db: Database, clerk: Actor, parent: QWidget, qtbot: QtBot,
                               task_runner: TaskRunner) -> None:
    app.clock._fixed = at_china(date(2026, 10, 1), 8, 40)
    offer.offer_sign_in(parent, db, clerk, task_runner)
    task_runner.wait()
    qtbot.wait(50)
    assert offer_box() is None


def dismiss(window: MainWindow, qtbot: QtBot) -> None:
    """Close the message boxes shown and give the keyboard back to the main window."""
    for b in visible_message_boxes():
        b.close()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def area(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.tabs.currentWidget() is window.attendance
    qtbot.waitUntil(lambda: window.attendance.loaded is not None)


def test_a_clerk_signs_in_late_and_out_by_keyboard(qapp: QApplication, qtbot: QtBot, db: Database, clerk: Actor,
                                                   tmp_path: Path) -> None:
    app.clock._fixed = at_china(TUESDAY, 8, 47)
    with open_main_window(qtbot, db, clerk, lambda m: QApplication.activeWindow() is m) as window:
        area(window, qtbot)
        view = window.attendance
        assert view.tabs is None and view.sheet_table is None  # a clerk: their own marks only
        assert "尚未签到" in view.today_label.text() and not view.sign_out_button.isEnabled()
        assert QApplication.focusWidget() is view.sign_in_button
        qtbot.keyClick(view.sign_in_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: "迟到 17 分钟" in view.today_label.text())
        assert any("签到 08:47，迟到 17 分钟" in b.text() for b in visible_message_boxes())
        dismiss(window, qtbot)
        assert view.sign_out_button.isEnabled() and not view.sign_in_button.isEnabled()
        day = view.mine_model.rows()[TUESDAY.day - 1]
        assert day.mark == "迟"
        app.clock._fixed = at_china(TUESDAY, 17, 35)
        qtbot.keyClick(QApplication.focusWidget() or view, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: "已于 17:35 签退" in view.today_label.text())
        assert records(db, "A001") == 2
        view.print_sheet()  # not for a clerk: nothing opens
        assert window.opener.dialog is None
        view.month.setFocus()
        view.month.setCurrentSection(QDateTimeEdit.Section.MonthSection)
        qtbot.keyClick(view.month, Qt.Key.Key_Down)  # Alt+M, the month part, ↓: the month before
        qtbot.waitUntil(lambda: len(view.mine_model.rows()) == 30)
        assert view.chosen_month() == date(2026, 9, 1)
        view.month.setDate(view.month.date().addMonths(1))
        qtbot.waitUntil(lambda: len(view.mine_model.rows()) == 31)
        window.resize(1100, 640)
        window.grab().save(str(tmp_path.parent / "attendance_clerk.png"))


def test_the_director_sees_prints_and_exports_everyone(qapp: QApplication, qtbot: QtBot, db: Database,
                                                       clerk: Actor, admin: Actor, tmp_path: Path) -> None:
    from app.services.people.attendance import sign

    app.clock._fixed = at_china(TUESDAY, 8, 47)
    sign(db, clerk, "A001", "sign_in")
    app.clock._fixed = at_china(TUESDAY + timedelta(days=1), 9, 0)
    with open_main_window(qtbot, db, admin, lambda m: QApplication.activeWindow() is m) as window:
        area(window, qtbot)
        view = window.attendance
        assert view.tabs is not None
        view.tabs.setCurrentIndex(1)
        model = view.sheet_model
        assert model is not None
        rows = {r.staff_no: r for r in model.rows()}
        assert rows["A001"].marks[TUESDAY.day - 1].mark == "迟未"  # the day is over: no sign-out
        assert rows["A001"].totals.late == 1
        row = list(rows).index("A001")
        cell = model.index(row, model.FIRST_DAY + TUESDAY.day - 1)
        assert model.data(cell) == "迟未"
        assert model.data(cell, Qt.ItemDataRole.ToolTipRole) == "测试人员1 10-13：迟到 17 分钟、未签退（签到 08:47）"
        assert model.data(cell, Qt.ItemDataRole.ForegroundRole) is not None
        assert model.data(model.index(row, model.FIRST_DAY), Qt.ItemDataRole.BackgroundRole) is not None  # 国庆
        out = tmp_path / "kq.xlsx"
        view.export_to(out)
        qtbot.waitUntil(lambda: out.exists())
        book = load_workbook(out, read_only=True)  # a read-only workbook keeps its file open until closed
        assert any(r[0] == "A001" for r in book.worksheets[0].iter_rows(values_only=True))
        book.close()
        dismiss(window, qtbot)
        qtbot.keyClick(view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: window.opener.dialog is not None and window.opener.dialog.isVisible())
        assert "2026年10月考勤表" in window.opener.dialog.windowTitle()
        window.opener.dialog.close()
        window.resize(1280, 640)
        window.grab().save(str(tmp_path.parent / "attendance_director.png"))

"""Catalogue browser and staff management, driven from the keyboard."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QRawFont
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.services.node import load_identity
from app.services.people.staff import StaffForm, list_staff, save_staff
from app.ui.crash import CrashReporter
from app.ui.fonts import install_app_font
from app.ui.main_window import MainWindow
from app.ui.messages import show_message
from app.ui.tasks import TaskRunner
from tests.ui_helpers import type_chinese, visible_message_boxes


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    errors: list[BaseException] = []
    task_runner = TaskRunner(errors.append)
    task_runner.errors = errors  # type: ignore[attr-defined]
    yield task_runner
    task_runner.wait()


@pytest.fixture
def window(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, runner: TaskRunner) -> Iterator[MainWindow]:
    install_app_font(qapp)
    identity = load_identity(db)
    assert identity is not None
    main = MainWindow(db, identity, admin, runner, db.path.parent / "window-state.ini")
    qtbot.addWidget(main)
    main.show()
    qtbot.waitUntil(lambda: main.catalog.model.rowCount() > 0)
    yield main
    runner.wait()


def test_app_font_renders_chinese(qapp: QApplication) -> None:
    family = install_app_font(qapp)
    raw = QRawFont.fromFont(QFont(family))
    assert all(raw.supportsCharacter(ord(ch)) for ch in "民生服务中心一次性告知首问登记受理龘0123ABCxyz:-")
    assert qapp.font().family() == family


def test_search_by_pinyin_initials_from_the_keyboard(window: MainWindow, qtbot: QtBot) -> None:
    view = window.catalog
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search_box.hasFocus()
    qtbot.keyClicks(view.search_box, "dbsq")
    assert view.model.row_at(0).code == "SHJZ-001"
    assert "最低生活保障申请书" in view.guide.toPlainText()
    assert "找到 1 项" in view.count_label.text()
    qtbot.keyClick(view.search_box, Qt.Key.Key_Escape)
    assert view.search_box.text() == ""
    assert view.model.rowCount() == 34


def test_arrow_keys_move_through_results_and_enter_opens_guide(window: MainWindow, qtbot: QtBot) -> None:
    view = window.catalog
    view.search_box.setFocus()
    type_chinese(view.search_box, "补贴")
    codes = [view.model.row_at(r).code for r in range(view.model.rowCount())]
    assert len(codes) >= 3
    qtbot.keyClick(view.search_box, Qt.Key.Key_Down)
    assert view.table.currentIndex().row() == 1
    second = view.model.row_at(1)
    assert second.name in view.guide.toPlainText()
    qtbot.keyClick(view.search_box, Qt.Key.Key_Up)
    assert view.table.currentIndex().row() == 0
    qtbot.keyClick(view.search_box, Qt.Key.Key_Return)
    assert view.guide.hasFocus()
    qtbot.keyClick(view.guide, Qt.Key.Key_Escape)
    assert view.search_box.hasFocus()


def test_no_match_explains_itself(window: MainWindow) -> None:
    view = window.catalog
    type_chinese(view.search_box, "不存在的事项")
    assert view.model.rowCount() == 0
    assert "没有找到" in view.guide.toPlainText()


def test_joint_item_guide_lists_every_element(window: MainWindow) -> None:
    view = window.catalog
    type_chinese(view.search_box, "出生")
    text = view.guide.toPlainText()
    for part in ("HJ-001", "联办件", "镇医疗保障服务站", "设定依据", "受理条件", "办理流程", "申请材料",
                 "出生医学证明", "原件核验", "咨询电话", "监督电话", "0436-7312345", "办理时间"):
        assert part in text, part


def test_admin_adds_staff_through_the_dialog(window: MainWindow, qtbot: QtBot, db: Database) -> None:
    window.show_area(window.staff)
    staff = window.staff
    qtbot.waitUntil(lambda: staff.model.rowCount() == 1)
    qtbot.keyClick(staff.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = staff.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.staff_no, "1001")
    type_chinese(dialog.name, "李秀兰")
    qtbot.keyClicks(dialog.phone, "12345")
    qtbot.keyClicks(dialog.password, "pass1234")
    qtbot.keyClicks(dialog.password2, "pass1234")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "电话格式不正确" in dialog.form.error_text("phone")
    assert [r.staff_no for r in list_staff(db)] == ["admin"]
    dialog.phone.setText("13904361001")
    qtbot.keyClick(dialog.password2, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: staff.model.rowCount() == 2)
    assert not dialog.isVisible()
    added = next(r for r in list_staff(db) if r.staff_no == "1001")
    assert (added.name, added.role, added.phone) == ("李秀兰", "clerk", "13904361001")


def test_unlock_from_the_staff_list(window: MainWindow, qtbot: QtBot, db: Database, admin: Actor) -> None:
    from app.services.errors import AuthError
    from app.services.people.auth import login

    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", password="pass1234"))
    for _ in range(5):
        with pytest.raises(AuthError):
            login(db, "1001", "bad00000")
    window.show_area(window.staff)
    staff = window.staff
    staff.load()
    qtbot.waitUntil(lambda: staff.model.rowCount() == 2 and staff.model.row_at(0).locked)
    staff.table.selectRow(0)
    qtbot.keyClick(staff.table, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not staff.model.row_at(0).locked)
    assert login(db, "1001", "pass1234").name == "李秀兰"
    for box in visible_message_boxes():
        box.close()


def test_task_runner_delivers_on_the_gui_thread(runner: TaskRunner, qtbot: QtBot) -> None:
    """Hundreds of cross-thread deliveries; PySide6 6.12.0 crashed the process on this."""
    results: list[object] = []
    threads: set[bool] = set()

    def record(value: object) -> None:
        threads.add(threading.current_thread() is threading.main_thread())
        results.append(value)

    for i in range(400):
        runner.submit(lambda i=i: None if i % 2 else {"i": i}, record)
    qtbot.waitUntil(lambda: len(results) == 400, timeout=20000)
    assert threads == {True}
    runner.submit(lambda: 1 / 0, record)
    qtbot.waitUntil(lambda: len(runner.errors) == 1)  # type: ignore[attr-defined]
    assert isinstance(runner.errors[0], ZeroDivisionError)  # type: ignore[attr-defined]


def test_crash_reporter_writes_log_and_shows_dialog(qapp: QApplication, qtbot: QtBot, tmp_path: Path) -> None:
    reporter = CrashReporter(tmp_path / "logs")
    try:
        raise RuntimeError("意外")
    except RuntimeError as exc:
        reporter.report(exc)
    assert reporter.last_crash_log is not None and "RuntimeError: 意外" in reporter.last_crash_log.read_text(encoding="utf-8")
    boxes = visible_message_boxes()
    assert any("意外错误" in b.text() for b in boxes)
    for box in boxes:
        box.close()


def test_environment_errors_are_explained_not_crashed(qapp: QApplication, qtbot: QtBot, tmp_path: Path) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    reporter = CrashReporter(tmp_path / "logs")
    error = OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))
    worker = threading.Thread(target=reporter.report, args=(error,))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: any("磁盘空间已满" in b.text() for b in visible_message_boxes()))
    assert reporter.last_crash_log is None
    assert not (tmp_path / "logs").exists() or not list((tmp_path / "logs").glob("crash-*"))
    for box in visible_message_boxes():
        box.close()


def test_messages_do_not_block(qapp: QApplication) -> None:
    box = show_message(None, "测试消息", details=[f"第{i}行" for i in range(20)])
    assert box.isVisible() and "共20条" in box.informativeText()
    box.close()


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_reaches_the_hook(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from PySide6.QtWidgets import QPushButton

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    reporter = CrashReporter(tmp_path / "logs")
    reporter.install()
    button = QPushButton("出错")
    qtbot.addWidget(button)

    def broken() -> None:
        raise ValueError("槽函数出错")

    button.clicked.connect(broken)
    button.click()
    assert reporter.last_crash_log is not None
    assert "ValueError: 槽函数出错" in reporter.last_crash_log.read_text(encoding="utf-8")
    boxes = visible_message_boxes()
    assert any("意外错误" in b.text() for b in boxes)
    for box in boxes:
        box.close()

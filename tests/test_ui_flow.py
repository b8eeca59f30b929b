"""The window flow a new clerk goes through: set-up, login, main window, logout; training mode."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.services.training import TRAINING_PASSWORD
from app.ui.app import Controller
from app.ui.fonts import install_app_font


@pytest.fixture
def make_controller(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[object]:
    install_app_font(qapp)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(qapp, "quit", lambda: None)  # the flow may ask to quit; keep the test app
    made: list[Controller] = []

    def make(training: bool = False, data: Path | None = None) -> Controller:
        controller = Controller(qapp, data or tmp_path / "data", training)
        controller.start()
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.runner.wait()
        for widget in (controller.main_window, controller.login_dialog, controller.setup_dialog):
            if widget is not None:
                widget.close()
        controller.runner.wait()
        if controller.lazy_db is not None:
            controller.lazy_db.dispose()


def fill_setup(controller: Controller, code: str = "220821100") -> None:
    dialog = controller.setup_dialog
    assert dialog is not None
    dialog.center_name.setText("镇赉镇民生服务中心")
    dialog.center_code.setText(code)
    dialog.node_name.setText("1号综合受理窗口")
    dialog.node_code.setText("01")
    dialog.admin_user.setText("admin")
    dialog.admin_name.setText("王管理")
    dialog.password.setText("abc12345")
    dialog.password2.setText("abc12345")


def test_setup_shows_inline_errors_then_leads_to_login(make_controller, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    controller = make_controller()
    qtbot.waitUntil(lambda: controller.setup_dialog is not None and controller.setup_dialog.isVisible())
    dialog = controller.setup_dialog
    fill_setup(controller, code="2208")
    dialog.password2.setText("different1")
    qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)
    assert "9位数字" in dialog.form.error_text("center_code")
    assert "不一致" in dialog.form.error_text("password2")
    assert controller.login_dialog is None
    from app.services.setup import is_set_up

    assert not is_set_up(controller.db)
    fill_setup(controller)
    qtbot.keyClick(dialog.password2, Qt.Key.Key_Return)  # Enter submits: the default button
    qtbot.waitUntil(lambda: controller.login_dialog is not None and controller.login_dialog.isVisible(), timeout=10000)
    header = controller.login_dialog.findChild(type(dialog.status), "loginHeader")
    assert "镇赉镇民生服务中心" in header.text() and "1号综合受理窗口" in header.text()
    assert controller.identity is not None and controller.identity.node_code == "01"


def login(controller: Controller, qtbot: QtBot, staff_no: str, password: str) -> None:
    dialog = controller.login_dialog
    assert dialog is not None
    dialog.staff_no.clear()
    qtbot.keyClicks(dialog.staff_no, staff_no)
    qtbot.keyClick(dialog.staff_no, Qt.Key.Key_Return)  # Enter moves on to the password
    assert dialog.password.hasFocus() or QApplication.focusWidget() in (dialog.password, None)
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def test_login_errors_then_main_window_then_logout(make_controller, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    controller = make_controller()
    qtbot.waitUntil(lambda: controller.setup_dialog is not None)
    fill_setup(controller)
    controller.setup_dialog.submit()
    qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=10000)
    login(controller, qtbot, "admin", "wrong9999")
    qtbot.waitUntil(lambda: "再错4次" in controller.login_dialog.error.text())
    assert controller.main_window is None
    login(controller, qtbot, "admin", "abc12345")
    qtbot.waitUntil(lambda: controller.main_window is not None and controller.main_window.isVisible())
    window = controller.main_window
    assert "王管理" in window.user_label.text() and "admin" in window.user_label.text()
    assert "1号综合受理窗口" in window.place_label.text()
    assert "培训" not in window.windowTitle()
    # F9 opens staff management for an admin, F2 returns to the catalogue
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert window.tabs.currentWidget() is window.staff
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert window.tabs.currentWidget() is window.catalog
    first_login = controller.login_dialog
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.login_dialog is not first_login and controller.login_dialog.isVisible())
    assert not window.isVisible()
    assert (Path(controller.data_dir) / "window-state.ini").exists()


def test_training_mode_from_setup_dialog(make_controller, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    controller = make_controller()
    qtbot.waitUntil(lambda: controller.setup_dialog is not None)
    qtbot.mouseClick(controller.setup_dialog.training_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=15000)
    dialog = controller.login_dialog
    assert "培训模式" in dialog.windowTitle()
    banner = dialog.findChild(type(dialog.error), "trainingBanner")
    assert banner is not None and TRAINING_PASSWORD in banner.text()
    login(controller, qtbot, "8001", TRAINING_PASSWORD)
    qtbot.waitUntil(lambda: controller.main_window is not None)
    window = controller.main_window
    assert "培训模式" in window.windowTitle()
    assert window.findChild(type(window.user_label), "trainingBadge") is not None
    assert window.staff is None  # a clerk sees no staff management
    assert "李秀兰" in window.user_label.text()


def test_training_flag_opens_training_database(make_controller, qtbot: QtBot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    controller = make_controller(training=True)
    qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=15000)
    assert controller.setup_dialog is None
    assert "培训模式" in controller.login_dialog.windowTitle()
    assert not (tmp_path / "data" / "workstation.sqlite3").exists()


def test_newer_database_shows_a_clear_message(make_controller, qtbot: QtBot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from app.services.setup import perform_setup
    from app.startup import open_workstation
    from tests.conftest import setup_request

    data = tmp_path / "newer"
    db, _ = open_workstation(data)
    perform_setup(db, setup_request())
    db.dispose()
    conn = sqlite3.connect(data / "workstation.sqlite3")
    conn.execute("UPDATE app_meta SET value='5' WHERE key='schema_major'")
    conn.commit()
    conn.close()
    controller = make_controller(data=data)
    qtbot.waitUntil(lambda: controller.fatal_box is not None)
    assert "请先升级工作站程序" in controller.fatal_box.text()
    assert controller.login_dialog is None and controller.setup_dialog is None

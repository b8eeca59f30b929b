"""main.py --kiosk / --hall open the queue's screens instead of the login; the kiosk's settings dialog."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.cli import EXIT_USAGE, main
from app.database import Database
from app.services.queue.kiosk_settings import KioskSettings, load_kiosk_settings
from app.ui.app import Controller
from app.ui.queue.hall_window import HallWindow
from app.ui.queue.kiosk_settings_dialog import KioskSettingsDialog
from app.ui.queue.kiosk_window import KioskWindow
from app.ui.queue.standalone import NOT_SET_UP
from app.ui.tasks import TaskRunner


@pytest.fixture
def quiet_app(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> QApplication:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(qapp, "quit", lambda: None)
    monkeypatch.setattr(qapp, "setQuitOnLastWindowClosed", lambda _on: None)  # the test app lives on
    return qapp


def _close(controller: Controller) -> None:
    controller.runner.wait()
    for window in controller.queue_windows:
        window.close()
    if controller.fatal_box is not None:
        controller.fatal_box.close()
    controller.runner.wait()
    if controller.lazy_db is not None:
        controller.lazy_db.dispose()
    controller.release_lock()


def test_kiosk_and_hall_open_without_login_and_say_when_not_joined(quiet_app: QApplication, qtbot: QtBot,
                                                                  db: Database, data_dir: Path) -> None:
    db.dispose()
    controller = Controller(quiet_app, data_dir, False, kiosk=True, hall=True)
    controller.start()
    try:
        qtbot.waitUntil(lambda: len(controller.queue_windows) == 2)
        kiosk, hall = controller.queue_windows
        assert isinstance(kiosk, KioskWindow) and isinstance(hall, HallWindow)
        assert controller.login_dialog is None and controller.main_window is None
        assert kiosk.isFullScreen() and hall.isFullScreen()
        qtbot.waitUntil(lambda: "暂时无法连接中心取号" in kiosk.message.text())
        qtbot.waitUntil(lambda: "暂时无法连接中心" in hall.state.text())
        qtbot.keyClick(kiosk, Qt.Key.Key_1)  # nothing to take: nothing happens
        assert not kiosk.taking
    finally:
        _close(controller)


def test_the_kiosk_refuses_to_start_on_a_workstation_not_set_up(quiet_app: QApplication, qtbot: QtBot,
                                                               tmp_path: Path) -> None:
    controller = Controller(quiet_app, tmp_path / "data", False, kiosk=True)
    controller.start()
    try:
        qtbot.waitUntil(lambda: controller.fatal_box is not None)
        assert controller.fatal_box is not None and controller.fatal_box.text() == NOT_SET_UP
        assert controller.queue_windows == [] and controller.setup_dialog is None
    finally:
        _close(controller)


def test_kiosk_and_hall_are_not_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--kiosk", "staff", "list"]) == EXIT_USAGE
    assert "--kiosk、--hall" in capsys.readouterr().err


def test_the_kiosk_settings_dialog_saves_paper_and_printer(qtbot: QtBot, db: Database, admin: Actor,
                                                          task_runner: TaskRunner) -> None:
    dialog = KioskSettingsDialog(db, admin, task_runner)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(dialog.isEnabled)
    assert dialog.paper.currentData() == "80" and dialog.printer.currentData() == ""
    dialog.paper.setCurrentIndex(dialog.paper.findData("58"))
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert load_kiosk_settings(db) == KioskSettings("58", "")


def test_the_main_window_mounts_the_call_bar_and_the_queue_entries(qtbot: QtBot, db: Database, admin: Actor,
                                                                   tmp_path: Path) -> None:
    from PySide6.QtWidgets import QToolBar

    from app.ui.queue.categories_dialog import CategoriesDialog
    from tests.ui_helpers import open_main_window

    with open_main_window(qtbot, db, admin) as main:
        strip = main.findChild(QToolBar, "callStrip")
        assert strip is not None and main.queue.call_bar is not None
        qtbot.waitUntil(lambda: main.queue.call_bar.offline)  # not joined to a centre: it says so
        labels = [a.text() for a in main.menuBar().actions()[1].menu().actions()]
        assert "叫号大厅屏幕…" in labels and "排队类别…" in labels and "取号机设置（本机）…" in labels
        qtbot.keyClick(main, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        dialog = main.queue.categories_dialog
        assert isinstance(dialog, CategoriesDialog) and dialog.isVisible()
        qtbot.waitUntil(lambda: "只能在联网时修改" in dialog.status.text())
        main.grab().save(str(tmp_path / "main.png"))  # looked at: the call strip above the tabs
        dialog.close()


@pytest.mark.parametrize("kind", ["speech", "chime", "beep"])
def test_the_hall_display_shows_how_it_announces_also_offline(qtbot: QtBot, db: Database, task_runner: TaskRunner,
                                                               kind: str) -> None:
    """At 1366×768, with the long line of a centre out of reach beside it, 播报方式 is shown whole."""
    from app.services.queue.announce import KIND_LABELS, Announcer

    display = HallWindow(db, task_runner, "镇赉镇民生服务中心", Announcer(kind))
    qtbot.addWidget(display)
    display.show()
    display.resize(1366, 768)
    display.load()  # not joined to a centre: the offline line
    qtbot.waitUntil(lambda: "暂时无法连接中心" in display.state.text())
    qtbot.waitUntil(lambda: display.voice.width() >= display.voice.sizeHint().width())
    assert display.voice.text() == f"播报方式：{KIND_LABELS[kind]}" and display.voice.isVisible()
    assert display.voice.geometry().right() <= display.width()
    display.grab().save(str(Path("/tmp/minsheng-shots") / f"fix15_hall_offline_{kind}.png"))
    display.close()

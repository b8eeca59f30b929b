"""The progress window: it appears only for work that lasts, 取消 stops the work where it is safe, and
the screens use it (register export, catalogue import) while a background sync keeps to the status bar."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.progress import Cancelled, Progress
from app.ui.progress_dialog import SHOW_AFTER_MS, ProgressDialog
from app.ui.tasks import TaskRunner
from tests.ui_helpers import open_main_window, visible_message_boxes


@pytest.fixture
def runner(task_runner: TaskRunner) -> TaskRunner:
    return task_runner  # conftest's: an error the work did not handle fails the test


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def shown_dialogs() -> list[ProgressDialog]:
    return [w for w in QApplication.allWidgets()
            if isinstance(w, ProgressDialog) and w.isVisible()]


def slow_work(release: threading.Event) -> Any:
    """Counts to 100 and then waits for the test, checking for 取消 all the while."""

    def work(progress: Progress) -> str:
        for n in range(101):
            progress.step(n, 100, "正在测试")
        while not release.wait(0.01):
            progress.check()
        return "done"

    return work


def test_the_window_appears_for_slow_work_and_cancel_stops_it(qtbot: QtBot, runner: TaskRunner,
                                                               host: QWidget) -> None:
    release = threading.Event()
    results: list[str] = []
    progress = runner.submit_with_progress("测试导出", slow_work(release), results.append, parent=host,
                                           on_cancelled=lambda: results.append("cancelled"))
    assert shown_dialogs() == []  # not at once: no flashing for quick work
    qtbot.waitUntil(lambda: len(shown_dialogs()) == 1, timeout=SHOW_AFTER_MS * 5)
    dialog = shown_dialogs()[0]
    assert dialog.windowTitle() == "测试导出"
    qtbot.waitUntil(lambda: dialog.counts.text() == "100 / 100")
    assert dialog.what.text() == "正在测试……" and dialog.bar.value() == dialog.bar.maximum()
    assert dialog.cancel_button is not None
    with qtbot.waitSignal(runner.notice, timeout=5000) as notice:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert progress.cancelled
    assert notice.args == ["测试导出：已取消"]
    assert results == ["cancelled"]  # not "done", and not an error
    qtbot.waitUntil(lambda: shown_dialogs() == [])


def test_quick_work_shows_no_window(qtbot: QtBot, runner: TaskRunner, host: QWidget,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[ProgressDialog] = []
    monkeypatch.setattr(ProgressDialog, "open", lambda self: opened.append(self))
    results: list[str] = []

    def quick(progress: Progress) -> str:
        progress.step(1, 1, "正在测试")
        return "done"

    runner.submit_with_progress("测试", quick, results.append, parent=host)
    qtbot.waitUntil(lambda: results == ["done"])
    qtbot.wait(SHOW_AFTER_MS + 200)
    assert opened == []


def test_work_that_cannot_stop_offers_no_cancel(qtbot: QtBot, runner: TaskRunner, host: QWidget) -> None:
    release = threading.Event()
    results: list[str] = []

    def writing(progress: Progress) -> str:
        progress.point_of_no_return("正在写入")
        release.wait(5)
        return "done"

    runner.submit_with_progress("写入", writing, results.append, parent=host, cancellable=False)
    qtbot.waitUntil(lambda: len(shown_dialogs()) == 1, timeout=SHOW_AFTER_MS * 5)
    dialog = shown_dialogs()[0]
    assert dialog.cancel_button is None
    dialog.reject()  # Esc does not close it over running work
    assert dialog.isVisible()
    release.set()
    qtbot.waitUntil(lambda: results == ["done"])
    qtbot.waitUntil(lambda: shown_dialogs() == [])


def test_cancel_is_greyed_once_the_work_writes(qtbot: QtBot, runner: TaskRunner, host: QWidget) -> None:
    release = threading.Event()
    results: list[str] = []

    def import_like(progress: Progress) -> str:
        progress.step(5, 10, "正在检查")
        progress.point_of_no_return("正在写入")
        release.wait(5)
        return "done"

    runner.submit_with_progress("导入", import_like, results.append, parent=host)
    qtbot.waitUntil(lambda: len(shown_dialogs()) == 1, timeout=SHOW_AFTER_MS * 5)
    dialog = shown_dialogs()[0]
    assert dialog.cancel_button is not None
    qtbot.waitUntil(lambda: not dialog.cancel_button.isEnabled())  # type: ignore[union-attr]
    assert "不能中途取消" in dialog.counts.text() and dialog.what.text() == "正在写入……"
    release.set()
    qtbot.waitUntil(lambda: results == ["done"])


def test_background_sync_keeps_to_the_status_bar_and_f12_shows_the_window(
        qtbot: QtBot, runner: TaskRunner, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui import sync_panel

    release = threading.Event()
    calls: list[Progress] = []

    def fake_sync(_db: Database, progress: Progress) -> Any:
        calls.append(progress)
        progress.step(0, 0, "正在下载中心的全部数据")
        for received in range(0, 5000, 500):  # pages, each a safe place to stop
            progress.step(received, 0)
            progress.check()
        while not release.wait(0.01):
            progress.check()
        return None

    monkeypatch.setattr(sync_panel, "run_sync", fake_sync)
    window = QWidget()
    qtbot.addWidget(window)
    label = QLabel()
    QVBoxLayout(window).addWidget(label)
    window.show()
    scheduler = sync_panel.SyncScheduler(db, runner, label, window)
    scheduler.request()  # the minute's background sync
    qtbot.waitUntil(lambda: label.text().startswith("同步中：正在下载中心的全部数据"), timeout=3000)
    qtbot.wait(SHOW_AFTER_MS)
    assert shown_dialogs() == []  # never a window for a sync nobody asked for
    scheduler.sync_now()  # F12 while it runs: the same sync, now with the window
    qtbot.waitUntil(lambda: len(shown_dialogs()) == 1, timeout=SHOW_AFTER_MS * 5)
    assert len(calls) == 1
    dialog = shown_dialogs()[0]
    assert dialog.cancel_button is not None
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not scheduler.running)
    assert "同步已取消" in scheduler.message
    qtbot.waitUntil(lambda: shown_dialogs() == [])
    qtbot.waitUntil(lambda: not label.text().startswith("同步中"))
    assert scheduler.timer.isActive()  # the next sync carries on later
    scheduler.stop()


def test_register_export_is_cancelled_from_its_window(qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.inquiries import register as inquiries
    from tests.test_lists_paging import add_inquiries

    add_inquiries(db, 40)
    release = threading.Event()
    real = inquiries.iter_inquiries

    def slow(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for n, record in enumerate(real(*args, **kwargs)):
            if n == 20:
                release.wait(5)  # a long register: the clerk has time to think again
            yield record

    monkeypatch.setattr(inquiries, "iter_inquiries", slow)
    path = tmp_path / "exports" / "register.xlsx"
    with open_main_window(qtbot, db, admin) as window:
        view = window.register
        window.show_area(view)
        view.date_from.setDate(QDate(2020, 1, 1))  # the filled register's dates
        view.date_to.setDate(QDate(2030, 12, 31))
        view.export_to(path)
        qtbot.waitUntil(lambda: len(shown_dialogs()) == 1, timeout=SHOW_AFTER_MS * 5)
        dialog = shown_dialogs()[0]
        assert dialog.cancel_button is not None
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        release.set()
        qtbot.waitUntil(lambda: "导出已取消" in view.status.text())
        assert not path.exists() and not path.parent.exists()
        assert not any("已导出" in b.text() for b in visible_message_boxes())


def test_enter_on_an_entry_followed_by_a_case_asks_for_that_case(qtbot: QtBot, db: Database,
                                                                 admin: Actor) -> None:
    from tests.test_progress import followed_by_a_case

    _inquiry, notice, case = followed_by_a_case(db, admin)
    with open_main_window(qtbot, db, admin) as window:
        view = window.register
        window.show_area(view)
        view.load()
        qtbot.waitUntil(lambda: view.model.rowCount() == 1)
        view.table.setFocus()
        view.table.selectRow(0)
        with qtbot.waitSignal(view.case_requested, timeout=2000) as requested:
            qtbot.keyClick(view.table, Qt.Key.Key_Return)
        assert requested.args == [case]
        with qtbot.waitSignal(view.notice_requested, timeout=2000) as reopened:  # the button still opens the notice
            view.open_selected()
        assert reopened.args == [notice]


def test_catalogue_import_from_the_screen_refreshes_the_browser(qtbot: QtBot, runner: TaskRunner, db: Database,
                                                                admin: Actor, tmp_path: Path) -> None:
    from app.services.catalog import items as catalog
    from app.services.catalog.files import write_catalog
    from app.ui.catalog_view import CatalogView

    view = CatalogView(db, runner, actor=admin)
    qtbot.addWidget(view)
    view.show()
    view.load()
    qtbot.waitUntil(lambda: view.model.rowCount() == 34)
    assert view.import_button is not None and view.import_button.isVisible()
    view.picker.select_code("SB-002")
    item = catalog.load_item(db, "SB-002")
    assert item is not None
    path = tmp_path / "catalog.json"
    write_catalog(path, [item.__class__(**{**item.__dict__, "name": "最低生活保障审核确认（2027版）"})])
    view.import_file(path)
    qtbot.waitUntil(lambda: any("更新 1 项" in b.text() for b in visible_message_boxes()), timeout=5000)
    qtbot.waitUntil(lambda: "2027版" in view.guide.toPlainText())  # it refreshed itself, on the same item
    for box in visible_message_boxes():
        box.close()
    clerk_view = CatalogView(db, runner, actor=Actor(staff_id=None, staff_no="0101", name="李娜", role="clerk"))
    qtbot.addWidget(clerk_view)
    assert clerk_view.import_button is None  # a clerk is not offered what the service would refuse


def test_cancelled_is_not_an_error(qtbot: QtBot, runner: TaskRunner, host: QWidget) -> None:
    """A task that raises Cancelled by itself (say, the CLI's Ctrl+C path reused) ends quietly."""
    ended: list[str] = []

    def stops(_progress: Progress) -> None:
        raise Cancelled()

    runner.submit_with_progress("测试", stops, lambda _r: ended.append("done"), parent=host,
                                on_cancelled=lambda: ended.append("cancelled"))
    qtbot.waitUntil(lambda: ended == ["cancelled"])

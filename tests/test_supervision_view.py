"""The 督办 screen (Ctrl+Shift+D) by keyboard: the director's board by window (red first), Enter drills to the
window's lit cases and on to the case in F7, Alt+D sends a 督办; a window sees its open 督办 first, a notice in
the status bar, answers with Enter, and the notice goes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import app.clock
from app.actor import Actor
from app.database import Database
from app.services.cases.records import accept_case
from app.services.demo_data import fill_demo_data
from app.services.supervision import records
from app.ui.main_window import MainWindow
from app.ui.supervision.dialogs import AnswerDialog, IssueDialog
from tests.test_cases import form
from tests.ui_helpers import open_main_window, type_chinese

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
DIRECTOR = Actor(staff_id=None, staff_no="8004", name="刘国庆", role="director", workplace="镇民生服务中心")
SHOTS = Path("/tmp/shots")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def _clock(monkeypatch: pytest.MonkeyPatch, day: date) -> datetime:
    moment = datetime(day.year, day.month, day.day, 9, 30, tzinfo=CN)
    monkeypatch.setattr(app.clock, "_fixed", moment.astimezone(UTC))
    return moment


@pytest.fixture
def director_window(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
                    monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    _clock(monkeypatch, date(2026, 11, 2))
    fill_demo_data(db, admin)
    _clock(monkeypatch, date(2026, 11, 18))  # the demo's promised cases are red or yellow by now
    with open_main_window(qtbot, db, DIRECTOR, lambda m: QApplication.activeWindow() is m) as main:
        yield main


def test_the_director_drills_from_a_red_window_to_the_case_and_sends_a_supervision(
        director_window: MainWindow, qtbot: QtBot, db: Database) -> None:
    window = director_window
    window.runner.wait()  # start-up's scan: this workstation's overdue cases got their automatic records
    assert records.list_supervisions(db, "pending").total >= 1
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL_SHIFT)
    view = window.supervision
    assert window.tabs.currentWidget() is view
    assert window.tabs.tabText(window.tabs.currentIndex()).startswith("督办")  # the key shows as the main window says
    qtbot.waitUntil(lambda: view.windows_model.rowCount() > 0)
    assert view.windows_table.hasFocus() and not view.own_box.isVisible()
    windows = view.windows_model.rows()
    assert windows[0].red >= 1 and [w.red for w in windows] == sorted((w.red for w in windows), reverse=True)
    qtbot.keyClick(view.windows_table, Qt.Key.Key_Return)  # the reddest window's lit cases
    qtbot.waitUntil(lambda: view.lit_model.rowCount() > 0)
    assert view.lit_table.hasFocus() and view.window_key == windows[0].window
    assert view.lit_model.total() == windows[0].red + windows[0].yellow
    first = view.lit_model.row_at(0)
    assert first is not None and first.colour == "red"
    assert f"共 {view.lit_model.total()} 件" in view.lit_title.text()
    window.resize(1366, 768)
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "S-supervision-director.png"))

    qtbot.keyClick(view.lit_table, Qt.Key.Key_D, ALT)  # 发督办 on the selected case
    qtbot.waitUntil(lambda: isinstance(view.dialog, IssueDialog) and view.dialog.isVisible())
    dialog = view.dialog
    assert isinstance(dialog, IssueDialog)
    qtbot.waitUntil(dialog.content.hasFocus)  # straight into the content
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # empty: refused
    qtbot.waitUntil(lambda: "督办内容" in dialog.status.text())
    type_chinese(dialog.content, "请于三日内办结并书面说明超期原因")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: any(r.rule_code == "R99" for r in view.list_model.rows()))
    issued = view.list_model.row_at(0)  # the newest first
    assert issued is not None and (issued.case_number, issued.state, issued.rule_code) == (first.number, "pending", "R99")
    qtbot.waitUntil(lambda: "请于三日内办结" in view.detail.toPlainText())
    window.grab().save(str(SHOTS / "S-supervision-issued.png"))
    qtbot.waitUntil(lambda: any(r.supervised for r in view.lit_model.rows()))  # marked 督办中 in the list

    view.lit_table.setFocus()
    view.lit_table.selectRow(0)
    qtbot.keyClick(view.lit_table, Qt.Key.Key_Return)  # the case itself, in F7
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.cases)


def test_a_window_sees_its_supervision_first_and_answers_it(
        qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    now = _clock(monkeypatch, date(2026, 11, 2))
    number = accept_case(db, admin, form(db, "SB-002", "promised"))
    item = records.issue(db, DIRECTOR, number, "请说明办理进度", date(2026, 11, 5), now)
    with open_main_window(qtbot, db, admin, lambda m: QApplication.activeWindow() is m) as window:
        view = window.supervision
        qtbot.waitUntil(lambda: view.notice.text() == "待答复督办 1 条（Ctrl+Shift+D）")
        assert view.notice.isVisible()
        qtbot.keyClick(window, Qt.Key.Key_D, CTRL_SHIFT)
        qtbot.waitUntil(lambda: view.own_model.rowCount() == 1)
        assert view.own_box.isVisible() and not view.board_box.isVisible() and not view.issue_button.isVisible()
        assert view.own_table.hasFocus()
        view.own_table.selectRow(0)
        window.resize(1366, 768)
        SHOTS.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SHOTS / "S-supervision-window.png"))
        qtbot.keyClick(view.own_table, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: isinstance(view.dialog, AnswerDialog) and view.dialog.isVisible())
        dialog = view.dialog
        assert isinstance(dialog, AnswerDialog)
        qtbot.waitUntil(dialog.outcome.hasFocus)
        qtbot.keyClick(dialog.outcome, Qt.Key.Key_Down)  # 已整改
        qtbot.keyClick(dialog.outcome, Qt.Key.Key_Tab)
        type_chinese(dialog.text, "材料已补齐，今日办结")
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        qtbot.waitUntil(lambda: view.notice.text() == "" and view.own_model.rowCount() == 0)
        answered = records.get(db, item.id, now)
        assert (answered.state, answered.answer_result, answered.answer_text) == ("answered", "rectified", "材料已补齐，今日办结")
        window.show_area(window.catalog)  # on another screen, a 督办 arrives (as by the sync)
        records.issue(db, DIRECTOR, number, "请再核实一次", date(2026, 11, 6), now)
        qtbot.waitUntil(lambda: view.notice.text() == "待答复督办 1 条（Ctrl+Shift+D）")


def test_alt_a_answers_the_supervision_the_detail_shows(
        qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13 trial (T13-47): Ctrl+Shift+D then Alt+A said 请先选择一条督办 while a 督办 was shown; 答复 must
    answer the one the detail shows, from whichever list the clerk went to last."""
    now = _clock(monkeypatch, date(2026, 11, 2))
    first = records.issue(db, DIRECTOR, accept_case(db, admin, form(db, "SB-002", "promised")), "请说明办理进度",
                          date(2026, 11, 5), now)
    second = records.issue(db, DIRECTOR, accept_case(db, admin, form(db, "SB-002", "promised")), "请今日办结",
                           date(2026, 11, 5), now + timedelta(minutes=1))
    with open_main_window(qtbot, db, admin, lambda m: QApplication.activeWindow() is m) as window:
        view = window.supervision
        qtbot.keyClick(window, Qt.Key.Key_D, CTRL_SHIFT)
        qtbot.waitUntil(lambda: view.own_model.rowCount() == 2 and view.list_model.rowCount() == 2)
        assert view.own_table.hasFocus()
        qtbot.waitUntil(lambda: view.shown is not None)
        shown = view.shown
        assert shown is not None and shown.number in view.detail.toPlainText()
        qtbot.keyClick(view.own_table, Qt.Key.Key_A, ALT)  # straight away: no Alt+L needed
        qtbot.waitUntil(lambda: isinstance(view.dialog, AnswerDialog) and view.dialog.isVisible())
        assert isinstance(view.dialog, AnswerDialog) and view.dialog.item.id == shown.id
        view.dialog.reject()
        qtbot.waitUntil(lambda: not view.dialog.isVisible())  # type: ignore[union-attr]
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

        qtbot.keyClick(window, Qt.Key.Key_L, ALT)  # the whole list: the detail follows it
        qtbot.waitUntil(view.list_table.hasFocus)
        other = next(i for i in (first, second) if i.id != shown.id)
        row = next(r for r in range(2) if view.list_model.row_at(r).id == other.id)  # type: ignore[union-attr]
        view.list_table.selectRow(row)
        qtbot.waitUntil(lambda: view.shown is not None and view.shown.id == other.id)
        assert other.number in view.detail.toPlainText()
        qtbot.keyClick(view.list_table, Qt.Key.Key_A, ALT)
        qtbot.waitUntil(lambda: isinstance(view.dialog, AnswerDialog) and view.dialog.isVisible())
        assert isinstance(view.dialog, AnswerDialog) and view.dialog.item.id == other.id
        view.dialog.reject()


def test_the_director_sees_the_answer_without_scrolling_and_reaches_the_detail_by_keyboard(
        qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13 trial (T13-60/61): the answer was below the fold of the detail, and Tab / Ctrl+End did not
    scroll it. The answer now follows the state, and the detail takes the focus and scrolls by keyboard."""
    now = _clock(monkeypatch, date(2026, 11, 2))
    number = accept_case(db, admin, form(db, "SB-002", "promised"))
    item = records.issue(db, DIRECTOR, number, "该办件今日到期，请今天下班前办结并报告原因", date(2026, 11, 5), now)
    records.answer(db, admin, item.id, "已于今日下午办结，原因是材料核验系统故障延误，已整改", "rectified")
    with open_main_window(qtbot, db, DIRECTOR, lambda m: QApplication.activeWindow() is m) as window:
        window.resize(1366, 768)
        view = window.supervision
        qtbot.keyClick(window, Qt.Key.Key_D, CTRL_SHIFT)
        qtbot.keyClick(window, Qt.Key.Key_L, ALT)
        qtbot.waitUntil(lambda: view.shown is not None and view.shown.id == item.id)
        text = view.detail.toPlainText()
        assert text.index("答复内容") < text.index("督办发出时间")  # right after the state, not at the end
        found = view.detail.document().find("材料核验系统故障延误")
        assert not found.isNull()
        assert view.detail.verticalScrollBar().value() == 0
        assert view.detail.cursorRect(found).bottom() < view.detail.viewport().height()  # seen unscrolled
        SHOTS.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SHOTS / "S-supervision-answer-detail.png"))
        assert view.list_table.hasFocus()
        qtbot.keyClick(view.list_table, Qt.Key.Key_Tab)  # Tab from the list reaches the detail
        qtbot.waitUntil(view.detail.hasFocus)
        bar = view.detail.verticalScrollBar()
        view.detail.resize(view.detail.width(), 120)  # a small pane: the detail must scroll
        qtbot.waitUntil(lambda: bar.maximum() > 0)
        qtbot.keyClick(view.detail, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: bar.value() > 0)  # scrolled to the end: its last line is in view
        assert view.detail.cursorRect().bottom() <= view.detail.viewport().height()
        assert view.detail.textCursor().atEnd()
        at_end = bar.value()
        qtbot.keyClick(view.detail, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: bar.value() < at_end and view.detail.textCursor().atStart())

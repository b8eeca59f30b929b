"""Issue 11 on screen: the 超期公示 board full screen on the hall's screen, and the 办件登记簿 window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.services.cases import actions as act
from app.services.cases.board import load_board
from app.ui import shortcuts
from app.ui.board_window import ADVANCE_MS, REFRESH_MS, BoardWindow, paginate
from app.ui.main_window import MainWindow
from tests.test_board import WINDOW1, at, hall  # noqa: F401 (hall is a fixture)
from tests.test_case_ledger import sheet_rows
from tests.ui_helpers import open_main_window, visible_message_boxes

pytestmark = pytest.mark.usefixtures("china_time")
PNG_DIR = Path("/tmp/board_png")


@pytest.fixture
def window(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
           hall: dict[str, str]) -> Iterator[MainWindow]:  # noqa: F811 (the fixture imported above)
    with open_main_window(qtbot, db, admin, lambda m: QApplication.activeWindow() is m) as main:
        yield main


def _portable(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)


def _cells(board: BoardWindow) -> list[list[str]]:
    table = board.table
    items = [[table.item(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())]
    return [[item.text() if item is not None else "" for item in row] for row in items]  # a heading spans the row


def open_board(window: MainWindow, qtbot: QtBot) -> BoardWindow:
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.board_window is not None and window.board_window.loads > 0)
    board = window.board_window
    assert board is not None
    return board


def test_the_board_opens_full_screen_with_masked_names(window: MainWindow, qtbot: QtBot,
                                                       hall: dict[str, str]) -> None:  # noqa: F811
    board = open_board(window, qtbot)
    qtbot.waitUntil(lambda: board.isFullScreen() and board.isVisible())
    assert board.size() == board.screen().geometry().size()  # the whole screen, window manager or not
    assert board.summary.text().startswith("超期未办结 3 件")
    assert board.page_title.text() == "1号综合受理窗口、2号综合受理窗口"  # every list fits on one page
    rows = _cells(board)
    assert [r[0] for r in rows if r[1] == ""] == [
        "1号综合受理窗口 · 超期未办结（共 2 件）", "1号综合受理窗口 · 11月13日以来办结（共 1 件）",
        "2号综合受理窗口 · 超期未办结（共 1 件）", "2号综合受理窗口 · 11月13日以来办结（共 1 件）"]
    assert [(r[0], r[2], r[4]) for r in rows[1:3]] == [(hall["a1"], "张*芳", "超期3个工作日"),
                                                       (hall["a2"], "刘*", "超期1个工作日")]
    assert rows[-1][4] == "按时办结"
    shown = " ".join(" ".join(r) for r in rows)
    assert "张桂芳" not in shown and "刘备" not in shown
    assert "监督电话 12345" in board.note.text()
    PNG_DIR.mkdir(exist_ok=True)
    board.grab().save(str(PNG_DIR / "board-window-fullscreen.png"))
    # More lists than fit: the pages turn by themselves, a list going on over pages under its heading.
    board.pages = paginate(board.board, 3)
    board.page_index = 0
    board._show_page()
    titles = []
    for _ in range(len(board.pages)):
        titles.append([r[0] for r in _cells(board) if r[1] == ""])
        qtbot.keyClick(board, Qt.Key.Key_PageDown)
    assert titles == [["1号综合受理窗口 · 超期未办结（共 2 件）"], ["1号综合受理窗口 · 11月13日以来办结（共 1 件）"],
                      ["2号综合受理窗口 · 超期未办结（共 1 件）"], ["2号综合受理窗口 · 11月13日以来办结（共 1 件）"]]
    assert board.page_index == 0  # round again
    qtbot.keyClick(board, Qt.Key.Key_PageUp)
    assert _cells(board)[1][4] == "按时办结"
    board.grab().save(str(PNG_DIR / "board-window-completed.png"))
    assert board._advance.isActive() and board._advance.interval() == ADVANCE_MS
    assert board._refresh.isActive() and board._refresh.interval() == REFRESH_MS
    board._advance.timeout.emit()
    assert board.page_index == 0
    qtbot.keyClick(board, Qt.Key.Key_F11)
    assert not board.isFullScreen()
    board.resize(1600, 900)
    qtbot.waitUntil(lambda: board.width() == 1600)
    qtbot.wait(100)  # the style for the new width applies on the next turn of the event loop
    board.grab().save(str(PNG_DIR / "board-window-1600x900.png"))
    qtbot.keyClick(board, Qt.Key.Key_F11)
    assert board.isFullScreen()
    qtbot.keyClick(board, Qt.Key.Key_Escape)
    assert not board.isVisible() and not board._advance.isActive() and not board._refresh.isActive()
    again = open_board(window, qtbot)
    assert again is board and board.isFullScreen()  # one board, shown again


def test_the_board_refreshes_when_a_case_changes(window: MainWindow, qtbot: QtBot, db: Database,
                                                 hall: dict[str, str]) -> None:  # noqa: F811
    board = open_board(window, qtbot)
    before = board.loads
    act.decide(db, WINDOW1, hall["a1"], act.Decision(True, result="准予", late_reason="等待部门回复"),
               now=at("2026-11-19T10:00"))
    qtbot.waitUntil(lambda: board.loads > before)
    assert board.summary.text().startswith("超期未办结 2 件")
    rows = _cells(board)
    assert rows[0][0] == "1号综合受理窗口 · 超期未办结（共 1 件）" and rows[1][0] == hall["a2"]
    board.close()


def test_pages_are_as_tall_as_the_screen(db: Database, hall: dict[str, str]) -> None:  # noqa: F811
    board = load_board(db)
    pages = paginate(board, 2)  # a heading and one line a page
    assert [[(b.window, b.completed, len(b.lines), b.continued) for b in p.blocks] for p in pages] == [
        [("1号综合受理窗口", False, 1, False)], [("1号综合受理窗口", False, 1, True)], [("1号综合受理窗口", True, 1, False)],
        [("2号综合受理窗口", False, 1, False)], [("2号综合受理窗口", True, 1, False)]]
    packed = paginate(board, 5)  # a heading never ends a page alone
    assert [[(b.window, b.completed, len(b.lines)) for b in p.blocks] for p in packed] == [
        [("1号综合受理窗口", False, 2), ("1号综合受理窗口", True, 1)],
        [("2号综合受理窗口", False, 1), ("2号综合受理窗口", True, 1)]]
    bounded = paginate(load_board(db, per_window=1), 10)
    first = bounded[0].blocks[0]
    assert first.total == 2 and first.hidden == 1 and len(first.lines) == 1 and bounded[0].hidden == 1


def test_board_and_ledger_keys_are_declared_and_do_not_clash(window: MainWindow, qtbot: QtBot) -> None:
    for screen in ("board", "case_ledger_dialog"):
        assert shortcuts.clashes(screen) == []
    board = open_board(window, qtbot)
    keys = {_portable(s.key().toString()) for s in board.findChildren(QShortcut)}
    assert keys == {_portable(k) for k in shortcuts.bound_keys("board")}
    board.close()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.case_ledger_dialog
    assert dialog is not None and dialog.isVisible()
    keys = {_portable(s.key().toString()) for s in dialog.findChildren(QShortcut)}
    assert keys == {_portable(k) for k in shortcuts.bound_keys("case_ledger_dialog")}
    dialog.close()


def test_the_ledger_window_exports_and_prints(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                                              hall: dict[str, str]) -> None:  # noqa: F811
    window.open_case_ledger()
    dialog = window.case_ledger_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.loaded)
    PNG_DIR.mkdir(exist_ok=True)
    dialog.grab().save(str(PNG_DIR / "case-ledger-dialog.png"))
    assert dialog.item.findData("SB-002") > 0 and dialog.staff.findData("admin") > 0
    dialog.by_date.setChecked(False)
    dialog.status.setCurrentIndex(dialog.status.findData("accepted"))
    with qtbot.waitSignal(dialog.exported, timeout=10000) as exported:
        dialog.export_to(tmp_path / "在办")
    count, path = exported.args
    assert count == 3 and path == tmp_path / "在办.xlsx"
    assert [r[1] for r in sheet_rows(path)[1:]] == [hall["a1"], hall["b1"], hall["a2"]]
    boxes = visible_message_boxes()
    assert [b.text() for b in boxes] == [f"已导出 3 件办件到 {path}"]
    boxes[0].close()
    dialog.status.setCurrentIndex(0)
    dialog.item.setCurrentIndex(dialog.item.findData("SB-003"))
    previous = window.opener.dialog
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.opener.dialog is not None and window.opener.dialog is not previous, timeout=10000)
    preview = window.opener.dialog
    assert preview is not None and preview.windowTitle().startswith("办件登记簿")
    assert b"%PDF" in preview.data[:8]
    preview.close()
    dialog.close()

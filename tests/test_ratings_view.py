"""The 好差评 screen (Ctrl+Shift+R): ratings with true totals, a bad rating's rectification run through
核实 → 回访 → 办结 by keyboard, the rated clerk's appeal and the director's decision, who may decide,
the 未回访 list, and the 差评整改台账 printed and exported."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.models.ratings import Rating
from app.services.ratings import rectification as rect
from app.services.ratings.listing import page_rectifications
from app.services.ratings.ratings import add_rating
from app.ui.main_window import MainWindow
from app.ui.ratings.dialogs import RectificationDialog
from app.ui.ratings.view import RatingsView
from app.ui.tasks import TaskRunner
from tests.test_ratings import MONDAY, immediate_done
from tests.ui_helpers import open_main_window, type_chinese

pytestmark = pytest.mark.usefixtures("china_time")
CLERK = Actor(staff_id=None, staff_no="1002", name="王晓东", role="clerk", workplace="社保窗口")
DIRECTOR = Actor(staff_id=None, staff_no="8004", name="刘国庆", role="director", workplace="镇民生服务中心")
SHOTS = Path("/tmp/shots")
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    import app.clock

    monkeypatch.setattr(app.clock, "_fixed", (MONDAY + timedelta(days=1)).astimezone(UTC))


@pytest.fixture
def window(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor) -> Iterator[MainWindow]:
    with open_main_window(qtbot, db, admin, lambda m: QApplication.activeWindow() is m) as main:
        yield main


def bad_rating(db: Database, admin: Actor, minute: int = 0, level: int = 2, by: Actor | None = None) -> str:
    """A delivered case rated 不满意; the one who delivered it (the admin unless `by`) is the one rated."""
    number = immediate_done(db, by or admin)
    add_rating(db, admin, number, level, ["213"] if level == 2 else ["115"], "窗口人员对新政策不熟",
               now=MONDAY + timedelta(minutes=minute))
    return number


def standalone(qtbot: QtBot, db: Database, actor: Actor, runner: TaskRunner) -> RatingsView:
    """The screen as another user sees it on their own workstation."""
    from app.ui.documents import DocumentOpener

    host = QWidget()
    qtbot.addWidget(host)
    view = RatingsView(db, actor, runner, DocumentOpener(db, actor, runner, host), host)
    QVBoxLayout(host).addWidget(view)
    host.resize(1366, 700)
    host.show()
    view.load()
    return view


def back_to(window: MainWindow, qtbot: QtBot) -> None:
    """The main window active again after a dialog closed (the offscreen platform does not always
    hand activation back by itself, as a desktop's window manager does)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.ratings.rectifications.table.setFocus()


def selected_ready(view: RatingsView, status: str) -> bool:
    tab = view.rectifications
    row = tab.selected()  # the list's row and the pane beside it both read after the last change
    return (tab.detail is not None and tab.detail.item.status_label == status and row is not None
            and row == tab.detail.item)


def test_ctrl_shift_r_shows_a_bad_rating_with_its_rectification(window: MainWindow, qtbot: QtBot, db: Database,
                                                                 admin: Actor) -> None:
    number = bad_rating(db, admin)
    add_rating(db, admin, immediate_done(db, admin), 5, ["517"], now=MONDAY)
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL | Qt.KeyboardModifier.ShiftModifier)
    view = window.ratings
    assert window.tabs.currentWidget() is view and view.ratings.table.hasFocus()  # straight into the list
    assert window.tabs.tabText(window.tabs.currentIndex()) == "好差评"
    qtbot.waitUntil(lambda: view.ratings.model.rowCount() == 2)
    assert view.ratings.count.text() == "共 2 条"
    levels = {view.ratings.model.row_at(i).level_label: i for i in range(2)}  # type: ignore[union-attr]
    bad_row = view.ratings.model.index(levels["不满意"], 0)
    assert view.ratings.model.data(bad_row, Qt.ItemDataRole.BackgroundRole) is not None  # bad ones stand out
    view.tabs.setCurrentWidget(view.rectifications)
    tab = view.rectifications
    qtbot.waitUntil(lambda: selected_ready(view, "待核实"))
    item = tab.model.row_at(0)
    assert item is not None and item.target_number == number
    assert (item.status_label, item.callback_label, f"{item.due_date}") == ("待核实", "未回访", "2026-11-16")
    assert "差评登记" in tab.pane.toPlainText() and "窗口人员业务不熟练" in tab.pane.toPlainText()
    assert {s for s, b in tab.buttons.items() if b.isEnabled()} == {"appeal"}  # the admin is the one rated
    window.resize(1366, 768)
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "E-rectifications.png"))
    view.tabs.setCurrentWidget(view.ratings)
    window.grab().save(str(SHOTS / "E-ratings.png"))


def test_verify_callback_and_close_by_keyboard(window: MainWindow, qtbot: QtBot, db: Database, admin: Actor) -> None:
    key_number = bad_rating(db, admin, by=CLERK)  # the admin works a colleague's bad rating
    window.show_area(window.ratings)
    view = window.ratings
    view.tabs.setCurrentWidget(view.rectifications)
    tab = view.rectifications
    qtbot.waitUntil(lambda: selected_ready(view, "待核实"))
    tab.table.setFocus()

    def step(key: Qt.Key, text: str, after: str, choose: int = 0) -> RectificationDialog:
        back_to(window, qtbot)
        previous = tab.dialog
        qtbot.keyClick(tab.table, key, ALT)
        qtbot.waitUntil(lambda: tab.dialog is not previous and tab.dialog is not None and tab.dialog.isVisible())
        dialog = tab.dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.isActiveWindow())
        type_chinese(dialog.note, text)
        for _ in range(choose):  # the answer of a 请选择 list, by keyboard
            combo = dialog.satisfied if dialog.step == "callback" else dialog.decision
            qtbot.keyClick(combo, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        qtbot.waitUntil(lambda: selected_ready(view, after) and tab.detail is not None
                        and tab.detail.history[-1].text.startswith(text))
        return dialog

    step(Qt.Key.Key_Y, "核实属实，窗口人员对新政策不熟", "整改中")
    # 回访 without saying whether the citizen is satisfied: said in red, nothing written
    back_to(window, qtbot)
    previous = tab.dialog
    qtbot.keyClick(tab.table, Qt.Key.Key_C, ALT)
    qtbot.waitUntil(lambda: tab.dialog is not previous and tab.dialog is not None and tab.dialog.isVisible())
    dialog = tab.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isActiveWindow())
    type_chinese(dialog.note, "已电话致歉")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, CTRL)
    assert dialog.status.text() == "请选择群众对回访是否满意" and dialog.isVisible()
    dialog.reject()
    assert len(rect.history(db, tab.model.row_at(0).id)) == 2  # type: ignore[union-attr]
    step(Qt.Key.Key_C, "已向群众致歉并说明整改措施", "整改中", choose=1)
    assert tab.model.row_at(0).callback_label == "已回访"  # type: ignore[union-attr]
    step(Qt.Key.Key_J, "已组织窗口业务培训", "已整改")
    key = tab.model.row_at(0).id  # type: ignore[union-attr]
    trail = rect.history(db, key)
    assert [kind for _at, kind, _by, _d in trail] == ["opened", "verified", "callback", "fixed"]
    assert trail[2][2] == admin.name and trail[2][3]["satisfied"] is True  # who called: the user
    assert {s for s, b in tab.buttons.items() if b.isEnabled()} == {"callback"}  # nothing else is offered
    assert "已组织窗口业务培训" in tab.pane.toPlainText() and key_number in tab.pane.toPlainText()


def test_unfixable_takes_a_reason_and_a_new_deadline(window: MainWindow, qtbot: QtBot, db: Database,
                                                    admin: Actor) -> None:
    bad_rating(db, admin, by=CLERK)
    view = window.ratings
    window.show_area(view)
    view.tabs.setCurrentWidget(view.rectifications)
    tab = view.rectifications
    qtbot.waitUntil(lambda: selected_ready(view, "待核实"))
    tab.open_step("close")
    dialog = tab.dialog
    assert dialog is not None
    assert not dialog.until.isVisibleTo(dialog)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("unfixable"))
    assert dialog.until.isVisibleTo(dialog)
    dialog.until.setDate(dialog.until.date().addDays(16))  # today + 30 days
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "E-close-unfixable.png"))
    dialog.submit()  # no reason: refused in Chinese
    qtbot.waitUntil(lambda: "无法整改的原因" in dialog.status.text())
    type_chinese(dialog.note, "政策规定须本人到场")
    dialog.submit()
    qtbot.waitUntil(lambda: selected_ready(view, "无法整改"))
    assert f"{tab.model.row_at(0).due_date}" == "2026-12-03"  # type: ignore[union-attr]


def test_appeal_and_the_directors_decision_exclude_the_rating(window: MainWindow, qtbot: QtBot, db: Database,
                                                              admin: Actor, task_runner: TaskRunner) -> None:
    bad_rating(db, admin)
    view = window.ratings
    window.show_area(view)
    view.tabs.setCurrentWidget(view.rectifications)
    tab = view.rectifications
    qtbot.waitUntil(lambda: selected_ready(view, "待核实"))
    back_to(window, qtbot)
    qtbot.keyClick(tab.table, Qt.Key.Key_A, ALT)  # the rated one appeals
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible())
    appeal = tab.dialog
    assert appeal is not None and appeal.step == "appeal"
    qtbot.waitUntil(lambda: appeal.isActiveWindow())  # where Ctrl+Enter goes
    type_chinese(appeal.note, "群众误点了不满意")
    type_chinese(appeal.evidence, "评价器录像")
    qtbot.keyClick(appeal.note, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: tab.detail is not None and tab.detail.appeal == "pending")
    assert not tab.buttons["close"].isEnabled() and not tab.buttons["decide"].isEnabled()  # the admin cannot decide

    director = standalone(qtbot, db, DIRECTOR, task_runner)
    director.tabs.setCurrentWidget(director.rectifications)
    qtbot.waitUntil(lambda: director.rectifications.detail is not None)
    dtab = director.rectifications
    assert dtab.buttons["decide"].isEnabled() and not dtab.buttons["appeal"].isEnabled()
    dtab.open_step("decide")
    decide = dtab.dialog
    assert decide is not None and decide.step == "decide"
    decide.decision.setCurrentIndex(decide.decision.findData(True))
    type_chinese(decide.note, "录像显示群众误触")
    decide.submit()
    qtbot.waitUntil(lambda: selected_ready(director, "无效差评"))
    assert "申诉成立" in dtab.pane.toPlainText() and "录像显示群众误触" in dtab.pane.toPlainText()
    SHOTS.mkdir(parents=True, exist_ok=True)
    director.window().grab().save(str(SHOTS / "E-appeal-upheld.png"))
    qtbot.waitUntil(lambda: selected_ready(view, "无效差评"))  # the other screen refreshed itself
    assert tab.model.row_at(0).excluded  # type: ignore[union-attr]
    view.tabs.setCurrentWidget(view.ratings)
    qtbot.waitUntil(lambda: view.ratings.model.rowCount() == 1 and view.ratings.model.row_at(0).excluded)  # type: ignore[union-attr]
    assert view.ratings.model.data(view.ratings.model.index(0, 9)) == "申诉成立，不计入"
    assert view.ratings.model.data(view.ratings.model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None


def test_a_clerk_cannot_decide_an_appeal(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
                                         task_runner: TaskRunner) -> None:
    bad_rating(db, admin)
    key = page_rectifications(db).rows[0].id
    rect.appeal(db, admin, key, "群众误点")
    clerk = standalone(qtbot, db, CLERK, task_runner)
    clerk.tabs.setCurrentWidget(clerk.rectifications)
    tab = clerk.rectifications
    qtbot.waitUntil(lambda: tab.detail is not None)
    assert not tab.buttons["decide"].isEnabled() and not tab.buttons["appeal"].isEnabled()
    tab.open_step("decide")  # not offered: nothing opens
    assert tab.dialog is None
    assert tab.detail is not None
    forced = RectificationDialog(db, CLERK, task_runner, tab.detail.item, "decide", clerk)
    forced.decision.setCurrentIndex(forced.decision.findData(True))
    type_chinese(forced.note, "自己认定")
    forced.submit()  # the core refuses, in Chinese, and nothing changes
    qtbot.waitUntil(lambda: forced.status.text() != "")
    assert forced.status.text() == "差评申诉须由中心主任复核决定"
    assert [k for _at, k, _by, _d in rect.history(db, key)] == ["opened", "appealed"]


def test_paging_says_the_true_total(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
                                    task_runner: TaskRunner) -> None:
    rows = [{"target_kind": "case", "target_number": f"2208211000120261102{i:04d}"[-22:], "staff_no": "1002",
             "staff_name": "王晓东", "window": "社保窗口", "level": 5, "reasons": "[]", "text": "", "private": False,
             "channel": "window", "provenance": "citizen", "rated_at": MONDAY + timedelta(seconds=i), "seq": 1}
            for i in range(205)]
    with db.session(admin) as s:
        s.add_all([Rating(**row) for row in rows])
    view = standalone(qtbot, db, admin, task_runner)
    model = view.ratings.model
    qtbot.waitUntil(lambda: model.rowCount() == 200)
    assert view.ratings.count.text() == "共 205 条" and model.total() == 205
    view.ratings.table.scrollToBottom()  # the next page as the clerk scrolls
    qtbot.waitUntil(lambda: model.rowCount() == 205)
    view.ratings.bad_only.setChecked(True)
    qtbot.waitUntil(lambda: model.rowCount() == 0 and view.ratings.count.text() == "共 0 条")
    view.ratings.bad_only.setChecked(False)
    view.ratings.by_date.setChecked(True)
    view.ratings.date_to.setDate(view.ratings.date_from.date().addDays(-1))  # an end before the start
    qtbot.waitUntil(lambda: view.ratings.problem.text() == "起始日期不能晚于截止日期")


def test_the_missing_callback_list(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
                                   task_runner: TaskRunner) -> None:
    numbers = [bad_rating(db, admin, minute) for minute in range(3)]
    first = next(r.id for r in page_rectifications(db).rows if r.target_number == numbers[0])
    rect.callback(db, DIRECTOR, first, "已致歉", True)
    view = standalone(qtbot, db, DIRECTOR, task_runner)
    tab = view.rectifications
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3)
    view.show_missing_callbacks()
    assert view.tabs.currentWidget() is tab and tab.view.currentText() == "未回访"
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2 and tab.count.text() == "共 2 条")
    assert {r.target_number for r in tab.model.rows()} == set(numbers[1:])
    assert {r.id for r in tab.model.rows()} == {r.id for r in rect.missing_callbacks(db)}
    tab.view.setCurrentIndex(tab.view.findData("open"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3)


def test_the_ledger_prints_and_exports(window: MainWindow, qtbot: QtBot, db: Database, admin: Actor,
                                       tmp_path: Path) -> None:
    pytest.importorskip("app.services.ratings.ledger")  # helper C's module: the screen calls it as it is
    bad_rating(db, admin)
    view = window.ratings
    window.show_area(view)
    view.tabs.setCurrentWidget(view.rectifications)
    qtbot.keyClick(view.rectifications.table, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: window.opener.dialog is not None and window.opener.dialog.isVisible(), timeout=15000)
    assert "差评整改台账" in window.opener.dialog.windowTitle()
    window.opener.dialog.close()
    with qtbot.waitSignal(view.exported, timeout=15000) as done:
        view.export_to(tmp_path / "台账")
    count, path = done.args
    assert count == 1 and path == tmp_path / "台账.xlsx" and path.stat().st_size > 0
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)  # a read-only workbook keeps its file open until closed
    assert any("差评" in str(cell) or "不满意" in str(cell) for row in book.active.iter_rows(values_only=True)
               for cell in row)
    book.close()


def test_every_key_of_the_screen_and_its_dialogs_is_declared(window: MainWindow, qtbot: QtBot, db: Database,
                                                            admin: Actor) -> None:
    from app.ui import shortcuts
    from tests.test_ui_keyboard import _live_keys, _portable

    bad_rating(db, admin)
    view = window.ratings
    window.show_area(view)
    for page in (view.ratings, view.rectifications):  # test_ui_keyboard sees only the tab shown first
        view.tabs.setCurrentWidget(page)
        keys, mnemonics = _live_keys(view, window)
        assert set(keys) <= {_portable(k) for k in shortcuts.bound_keys("ratings")}
        assert shortcuts.clashes("ratings", mnemonics) == [], mnemonics
    declared = {_portable(k) for k in shortcuts.bound_keys("rectification_dialog")}
    tab = view.rectifications
    qtbot.waitUntil(lambda: selected_ready(view, "待核实"))
    assert tab.detail is not None
    for step in ("verify", "callback", "close", "appeal", "decide"):
        dialog = RectificationDialog(db, admin, window.runner, tab.detail.item, step, window)
        keys, mnemonics = _live_keys(dialog, dialog)
        assert set(keys) == declared, step
        assert shortcuts.clashes("rectification_dialog", mnemonics) == [], (step, mnemonics)
        dialog.deleteLater()

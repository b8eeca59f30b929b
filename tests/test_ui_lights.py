"""Issue 11: lights on screen: the status bar's counts, F7's 预警 list, coloured rows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import app.clock
from app.actor import Actor
from app.database import Database
from app.services.cases.records import URGENT, accept_case
from app.ui.case_view import CaseView
from app.ui.main_window import MainWindow
from tests.test_cases import form
from tests.ui_helpers import open_main_window

CN = timezone(timedelta(hours=8))


def open_in_f7(window: MainWindow, qtbot: QtBot, number: str) -> CaseView:
    """F7 on the whole list, with the case selected."""
    view = window.cases
    window.show_area(view)
    view.status.setCurrentIndex(0)
    qtbot.waitUntil(lambda: view.selected() is not None and view.selected().number == number)
    return view


def test_after_login_overdue_and_due_today_come_first(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 2, 9, 0, tzinfo=CN))
    late = accept_case(db, admin, form(db, "SB-002", "promised"))  # due 16th
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 4, 9, 0, tzinfo=CN))
    later = accept_case(db, admin, form(db, "SB-002", "promised"))  # due 18th: one working day left
    accept_case(db, admin, form(db, "SB-002", "promised"))
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 17, 9, 0, tzinfo=CN))
    newest = accept_case(db, admin, form(db, "SB-002", "promised"))  # due December: green
    with open_main_window(qtbot, db, admin, lambda m: m.due_label.summary is not None) as window:
        assert window.due_label.text() == "今日到期 0 · 超期 1 · 即将到期 2"
        view = window.cases
        assert view.status.currentData() == URGENT
        assert window.tabs.currentWidget() is view  # the first screen after log-in
        qtbot.waitUntil(lambda: view.model.rowCount() == 3)
        assert view.model.row_at(0).number == late  # the most urgent first
        assert newest not in [r.number for r in view.model.rows()]
        model = view.model
        assert model.data(model.index(0, 5)).endswith("超期1个工作日")
        assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole).name() == "#f8d7da"
        assert model.data(model.index(1, 0), Qt.ItemDataRole.BackgroundRole).name() == "#fff3cd"
        assert model.row_at(1).number == later
        view.status.setCurrentIndex(0)
        qtbot.waitUntil(lambda: view.model.rowCount() == 4)
        assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is None  # green: no colour


def test_f7_takes_a_case_from_decision_to_archive(qapp: QApplication, qtbot: QtBot, db: Database,
                                                 admin: Actor) -> None:
    from app.services.cases.lifecycle import BY_ACTION

    number = accept_case(db, admin, form(db, "SB-002", "promised"))
    with open_main_window(qtbot, db, admin) as window:
        view = open_in_f7(window, qtbot, number)
        assert [t.action for t in view.available_steps(view.selected())] == ["approved", "denied", "withdrawn",
                                                                             "terminated"]
        view._open_step(number, BY_ACTION["denied"])
        dialog = view.dialog
        dialog.edits["reason"].setText("不符合条件")
        qtbot.keyClick(dialog.edits["reason"], Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "法律依据" in dialog.status.text())  # refused: says why, stays open
        assert dialog.isVisible() and view.selected().status == "accepted"
        dialog.edits["basis"].setText("《城乡居民基本养老保险办法》第十条")
        qtbot.keyClick(dialog.edits["basis"], Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        qtbot.waitUntil(lambda: view.selected().status == "denied")  # the list refreshed by itself
        assert [t.action for t in view.available_steps(view.selected())] == ["notified", "delivered"]
        qtbot.waitUntil(lambda: "不予许可" in view.detail.toHtml() and "法律依据：" in view.detail.toHtml())


def test_f7_recolours_when_the_warning_days_change(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.settings import CenterSettings, save_settings

    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 4, 9, 0, tzinfo=CN))
    number = accept_case(db, admin, form(db, "SB-002", "promised"))  # due 18th
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 16, 9, 0, tzinfo=CN))  # 2 working days left
    with open_main_window(qtbot, db, admin) as window:
        view = open_in_f7(window, qtbot, number)
        assert view.selected().light.colour == "yellow"
        save_settings(db, admin, CenterSettings(warning_days="1"))
        qtbot.waitUntil(lambda: view.selected() is not None and view.selected().light.colour == "green")
        qtbot.waitUntil(lambda: window.due_label.text() == "今日到期 0 · 超期 0")


def test_f7_extension_is_confirmed_by_a_directors_password(qapp: QApplication, qtbot: QtBot, db: Database,
                                                           admin: Actor) -> None:
    from app.services.people.staff import StaffForm, save_staff

    save_staff(db, admin, StaffForm("0001", "刘国庆", "director", password="zhuren123"))
    save_staff(db, admin, StaffForm("0002", "退休主任", "director", password="zhuren123", active=False))
    number = accept_case(db, admin, form(db, "SB-002", "promised"))
    with open_main_window(qtbot, db, admin) as window:
        view = open_in_f7(window, qtbot, number)
        view._time_limit("extend")
        qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.isVisible())
        dialog = view.dialog
        assert [dialog.approver.itemText(i) for i in range(dialog.approver.count())] == ["刘国庆（0001）"]
        dialog.reason.setText("需上级复核")
        dialog.password.setText("wrong")
        dialog.submit()
        qtbot.waitUntil(lambda: "密码错误" in dialog.status.text())
        assert dialog.password.text() == ""  # never kept
        dialog.password.setText("zhuren123")
        dialog.submit()
        qtbot.waitUntil(lambda: not dialog.isVisible())
        qtbot.waitUntil(lambda: "批准人：刘国庆" in view.detail.toHtml())


def test_arrows_in_f7s_search_box_move_through_the_list(qapp: QApplication, qtbot: QtBot, db: Database,
                                                        admin: Actor) -> None:
    first = accept_case(db, admin, form(db, "SB-002", "promised"))
    second = accept_case(db, admin, form(db, "SB-002", "promised"))
    with open_main_window(qtbot, db, admin) as window:
        view = open_in_f7(window, qtbot, second)  # newest first
        view.search.setFocus()
        qtbot.keyClick(view.search, Qt.Key.Key_Down)
        assert view.selected() is not None and view.selected().number == first and view.search.hasFocus()
        qtbot.keyClick(view.search, Qt.Key.Key_Up)
        assert view.selected().number == second

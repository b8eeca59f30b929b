"""GUI: the 请假值周 screen (Ctrl+Shift+Q). A clerk asks for leave from the keyboard (the estimate says who
approves; over 3 days the stand-in is required and nothing is stored without one); the director approves
from 待我审批 (never their own); a clerk sees no approval tab; the duty tab's roster and inspection dialog."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

import app.clock
from app.actor import Actor
from app.database import Database
from app.services.people import duty
from app.services.people import leave as lv
from app.services.people.auth import login
from app.services.people.staff import StaffForm, save_staff
from app.ui.documents import DocumentOpener
from app.ui.leave.view import LeaveView
from app.ui.tasks import TaskRunner
from tests.ui_helpers import type_chinese

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=CN)
SHOTS = Path("/tmp/shots")
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def people(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> dict[str, Actor]:
    monkeypatch.setattr(app.clock, "_fixed", MONDAY)
    for no, name, role in (("1001", "李秀兰", "clerk"), ("1002", "张伟", "clerk"), ("8004", "刘国庆", "director")):
        save_staff(db, admin, StaffForm(no, name, role, "1号综合受理窗口", "13904361001", password="pass1234"))
    return {no: login(db, no, "pass1234") for no in ("1001", "1002", "8004")}


def make_view(qtbot: QtBot, db: Database, actor: Actor, runner: TaskRunner) -> LeaveView:
    from app.ui.fonts import install_app_font

    install_app_font(QApplication.instance())  # type: ignore[arg-type]  # readable screenshots
    holder = QWidget()
    qtbot.addWidget(holder)
    view = LeaveView(db, actor, runner, DocumentOpener(db, actor, runner, holder))
    qtbot.addWidget(view)
    view.resize(1280, 640)
    view.show()
    view.load()
    qtbot.waitUntil(lambda: view.duty.on_duty.text() != "")
    return view


def test_a_clerk_asks_for_leave_by_keyboard_and_the_director_approves(
        qtbot: QtBot, db: Database, people: dict[str, Actor], task_runner: TaskRunner) -> None:
    clerk = make_view(qtbot, db, people["1001"], task_runner)
    assert clerk.pending is None and [clerk.tabs.tabText(i) for i in range(clerk.tabs.count())] == ["我的请假", "值周"]
    clerk.activateWindow()
    qtbot.keyClick(clerk, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: clerk.dialog is not None and clerk.dialog.isVisible())
    dialog = clerk.dialog
    assert dialog is not None and dialog.kind.hasFocus()
    dialog.from_date.setDate(QDate(2026, 11, 3))
    dialog.to_date.setDate(QDate(2026, 11, 9))  # Tue–Mon: 5 working days
    qtbot.waitUntil(lambda: dialog.estimate.text() == "共 5 个工作日，须中心主任审批；超过3个工作日，须指定代岗人（AB岗）接手办件")
    dialog.reason.setFocus()
    type_chinese(dialog.reason, "探亲")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: "须指定代岗人" in dialog.status.text())
    assert lv.list_leave(db).total == 0 and dialog.isVisible()  # nothing stored
    dialog.stand_in.setFocus()
    qtbot.keyClicks(dialog.stand_in, "1002")  # typed staff number picks the stand-in
    assert dialog.stand_in.currentData() == "1002"
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "leave_dialog.png"))
    qtbot.keyClick(dialog.stand_in, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: clerk.mine.model.total() == 1 and clerk.mine.selected() is not None)
    record = clerk.mine.selected()
    assert record is not None and (record.status, record.stand_in, record.half_days) == ("pending", "1002", 10)
    assert clerk.cancel_button.isEnabled()

    director = make_view(qtbot, db, people["8004"], task_runner)
    assert director.pending is not None
    director.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: director.pending is not None and director.pending.model.total() == 1
                    and director.approve_button.isEnabled())
    type_chinese(director.note, "同意，注意交接")
    qtbot.waitUntil(lambda: "请假 " in director.pending.detail.toPlainText() if director.pending else False)
    director.grab().save(str(SHOTS / "leave_pending.png"))
    director.approve_button.click()
    qtbot.waitUntil(lambda: lv.get_leave(db, record.number).status == "approved")
    assert lv.get_leave(db, record.number).note == "同意，注意交接"
    qtbot.waitUntil(lambda: director.pending is not None and director.pending.model.total() == 0)
    qtbot.waitUntil(lambda: clerk.mine.selected() is not None and clerk.mine.selected().status == "approved")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "已批准" in clerk.mine.detail.toPlainText())
    clerk.grab().save(str(SHOTS / "leave_mine.png"))

    own = lv.request_leave(db, people["8004"], lv.LeaveForm("8004", "事假", date(2026, 11, 12), date(2026, 11, 12)))
    qtbot.waitUntil(lambda: director.mine.model.total() == 1)
    assert director.pending.model.total() == 0  # their own request is not theirs to approve
    assert own.status == "pending"


def test_duty_roster_and_an_inspection_from_the_tab(
        qtbot: QtBot, db: Database, people: dict[str, Actor], task_runner: TaskRunner) -> None:
    director = make_view(qtbot, db, people["8004"], task_runner)
    director.tabs.setCurrentWidget(director.duty)
    tab = director.duty
    assert tab.staff is not None
    qtbot.waitUntil(lambda: tab.staff is not None and tab.staff.count() == 4)
    tab.staff.setCurrentIndex(tab.staff.findData("1002"))
    tab.set_inspector()
    qtbot.waitUntil(lambda: "张伟（1002）" in tab.on_duty.text())
    clerk = make_view(qtbot, db, people["1002"], task_runner)
    clerk.tabs.setCurrentWidget(clerk.duty)
    assert clerk.duty.staff is None  # only the director draws up the roster
    qtbot.waitUntil(lambda: clerk.duty.inspect_button.isEnabled())
    clerk.activateWindow()
    qtbot.keyClick(clerk, Qt.Key.Key_I, CTRL)
    qtbot.waitUntil(lambda: clerk.duty.dialog is not None and clerk.duty.dialog.isVisible())
    dialog = clerk.duty.dialog
    assert dialog is not None
    names = [dialog.window_name.itemText(i) for i in range(dialog.window_name.count())]
    assert not dialog.window_name.isEditable() and names == duty.known_windows(db)  # a pick list, no typing
    assert "1号综合受理窗口" in names and dialog.window_name.currentIndex() == -1
    dialog.window_name.setFocus()
    qtbot.keyClick(dialog.window_name, Qt.Key.Key_Down)  # picked by keyboard
    assert dialog.window_name.currentText() in names
    dialog.window_name.setCurrentText("1号综合受理窗口")
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("fix"))
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.findings.setFocus()
    qtbot.keyClick(dialog.findings, Qt.Key.Key_Return, CTRL)
    assert "需整改的，请写明发现的问题" in dialog.status.text() and duty.inspections(db, MONDAY.date()) == []
    dialog.findings.setPlainText("叫号后窗口无人应答")
    qtbot.keyClick(dialog.findings, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: "叫号后窗口无人应答" in clerk.duty.summary.toPlainText())
    assert [r.result for r in duty.inspections(db, MONDAY.date())] == ["fix"]
    clerk.grab().save(str(SHOTS / "leave_duty.png"))
    clerk.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is clerk)
    qtbot.keyClick(clerk, Qt.Key.Key_P, CTRL)  # the week's summary, previewed with 打印 and 保存为PDF
    qtbot.waitUntil(lambda: clerk.duty.opener.dialog is not None and clerk.duty.opener.dialog.isVisible())
    preview = clerk.duty.opener.dialog
    assert preview is not None and "值周汇总 2026-11-02" in preview.windowTitle()
    assert b"%PDF" in preview.data[:8]
    preview.close()


def test_the_director_enters_a_paper_request_for_a_clerk(
        qtbot: QtBot, db: Database, people: dict[str, Actor], task_runner: TaskRunner) -> None:
    director = make_view(qtbot, db, people["8004"], task_runner)
    director.activateWindow()
    qtbot.keyClick(director, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: director.dialog is not None and director.dialog.isVisible())
    dialog = director.dialog
    assert dialog is not None and dialog.applicant is not None and dialog.applicant.hasFocus()
    assert dialog.applicant.currentData() == "8004"
    qtbot.keyClicks(dialog.applicant, "1001")
    assert dialog.applicant.currentData() == "1001"
    dialog.from_date.setDate(QDate(2026, 11, 5))
    dialog.to_date.setDate(QDate(2026, 11, 5))
    dialog.from_half.setCurrentText("下午")
    qtbot.waitUntil(lambda: dialog.estimate.text() == "共 0.5 个工作日，须单位负责人（或中心主任）审批")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    rows = lv.list_leave(db).rows
    assert [(r.staff_no, r.half_days, r.from_half) for r in rows] == [("1001", 1, "下午")]
    qtbot.waitUntil(lambda: director.pending is not None and director.pending.model.total() == 1)
    clerk = make_view(qtbot, db, people["1001"], task_runner)
    assert clerk.new_button.isEnabled()
    qtbot.waitUntil(lambda: clerk.mine.model.total() == 1)

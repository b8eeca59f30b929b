"""Issue 11: F7's 办理 menu offers 联办 hand-over and reply and a visit; the detail shows the progress and
the 办结通知's text message."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.services.cases.actions import Decision, decide, notify
from app.services.cases.joint import extra_actions
from app.services.cases.records import accept_case, get_case
from app.ui.joint_dialog import JointDialog
from app.ui.tasks import TaskRunner
from tests.test_case_joint import JOINT
from tests.test_cases import form
from tests.test_ui_lights import open_in_f7
from tests.ui_helpers import open_main_window


def test_a_joint_case_is_handed_over_and_answered_from_f7(qapp: QApplication, qtbot: QtBot, db: Database,
                                                         admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "HJ-001", "joint", **JOINT))
    with open_main_window(qtbot, db, admin) as window:
        view = open_in_f7(window, qtbot, number)
        assert extra_actions("joint", "accepted") == ["handover", "reply", "visit"]
        assert extra_actions("promised", "accepted") == ["visit"]
        view._open_extra(number, "handover")
        qtbot.waitUntil(lambda: isinstance(view.dialog, JointDialog) and view.dialog.isVisible())
        dialog = view.dialog
        assert isinstance(dialog, JointDialog)
        assert [dialog.department.itemText(i) for i in range(dialog.department.count())] == JOINT["co_departments"]
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        qtbot.waitUntil(lambda: "已转办，待回复" in view.detail.toHtml())
        view._open_extra(number, "reply")
        qtbot.waitUntil(lambda: view.dialog is not dialog and view.dialog.isVisible())
        reply = view.dialog
        assert isinstance(reply, JointDialog)
        assert reply.department.currentText() == "镇医疗保障服务站"  # only those waiting for a reply
        qtbot.keyClick(reply.text, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "部门意见" in reply.status.text())  # refused: an empty opinion
        reply.text.setText("符合参保条件")
        qtbot.keyClick(reply.text, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not reply.isVisible())
        qtbot.waitUntil(lambda: "已回复（同意）" in view.detail.toHtml())
        case = get_case(db, number)
        assert case is not None and [e[1] for e in case.events][-2:] == ["joint_handover", "joint_reply"]


def test_the_detail_shows_the_text_message_to_send(qapp: QApplication, qtbot: QtBot, db: Database,
                                                   admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-002", "promised"))
    decide(db, admin, number, Decision(True, result="准予领取养老金"))
    notify(db, admin, number, "pickup")
    with open_main_window(qtbot, db, admin) as window:
        view = open_in_f7(window, qtbot, number)
        qtbot.waitUntil(lambda: "办结通知短信（待发送）" in view.detail.toHtml())
        assert "13904367788" in view.detail.toHtml()


def test_a_joint_decision_asks_for_the_override_only_on_a_joint_case(qapp: QApplication, qtbot: QtBot, db: Database,
                                                                    admin: Actor) -> None:
    from app.services.cases.lifecycle import BY_ACTION

    number = accept_case(db, admin, form(db, "HJ-001", "joint", **JOINT))
    promised = accept_case(db, admin, form(db, "SB-002", "promised"))
    with open_main_window(qtbot, db, admin) as window:
        view = open_in_f7(window, qtbot, promised)
        view._open_step(promised, BY_ACTION["approved"])
        assert "joint_override" not in view.dialog.edits
        view.dialog.close()
        view.search.setText(number)
        qtbot.waitUntil(lambda: view.selected() is not None and view.selected().number == number)
        view._open_step(number, BY_ACTION["approved"])
        dialog = view.dialog
        dialog.edits["result"].setText("准予迁入")
        qtbot.keyClick(dialog.edits["result"], Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "尚未回复的联办部门" in dialog.status.text())
        dialog.edits["joint_override"].setText("两部门书面同意已附卷")
        qtbot.keyClick(dialog.edits["joint_override"], Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        case = get_case(db, number)
        assert case is not None and case.status == "approved"


def test_the_decision_dialog_asks_only_what_applies_and_says_every_bad_date_at_once(
        qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, task_runner: TaskRunner) -> None:
    from app.services.cases.lifecycle import BY_ACTION
    from app.ui.case_step_dialog import CaseStepDialog

    number = accept_case(db, admin, form(db, "SB-002", "promised"))
    runner = task_runner
    on_time = CaseStepDialog(db, admin, runner, number, BY_ACTION["approved"], None, "promised", overdue=False)
    qtbot.addWidget(on_time)
    assert "late_reason" not in on_time.edits and "joint_override" not in on_time.edits
    late = CaseStepDialog(db, admin, runner, number, BY_ACTION["approved"], None, "promised", overdue=True)
    qtbot.addWidget(late)
    assert "late_reason" in late.edits
    late.edits["result"].setText("准予")
    late.edits["valid_until"].setText("2027-13-01")
    late.edits["department_decision_date"].setText("昨天")
    late.submit()
    assert "有效期" in late.status.text() and "部门决定日期" in late.status.text()

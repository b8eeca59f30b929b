"""The forms take their lengths from the field rules and show the services' own messages (issue 9)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.services import field_rules as rules
from app.ui.acceptance_view import AcceptanceView
from app.ui.department_view import DepartmentDialog
from app.ui.staff_dialog import StaffDialog
from app.ui.tasks import TaskRunner


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    tasks = TaskRunner(lambda exc: (_ for _ in ()).throw(exc))
    yield tasks
    tasks.wait()


def test_acceptance_lengths_and_live_messages_come_from_the_rules(qtbot: QtBot, db: Database, admin: Actor,
                                                                   runner: TaskRunner) -> None:
    view = AcceptanceView(db, admin, runner)
    qtbot.addWidget(view)
    view.load()
    qtbot.waitUntil(lambda: view.picker.model.rowCount() > 0)
    view.picker.select_code("HJ-001")
    assert view.lead_window.maxLength() == rules.LEAD_WINDOW.max_len == 60
    assert view.applicant_name.maxLength() == rules.ORGANISATION.max_len
    assert view.address.maxLength() == rules.APPLICANT_ADDRESS.max_len
    relation = view.agent_relation.lineEdit()
    assert relation is not None and relation.maxLength() == rules.AGENT_RELATION.max_len == 20
    view.lead_window.setText("窗" * 100)  # pasted: the field keeps what the centre can store
    assert view.lead_window.text() == "窗" * 60
    view.applicant_name.setText("张\u202e三")
    assert view.form.error_text("applicant_name").startswith("申请人姓名含有不可见或控制字符")
    assert not view.accept_button.isEnabled()


def test_a_problem_in_a_field_the_class_hides_is_named_on_the_status_line(
        qtbot: QtBot, db: Database, admin: Actor, runner: TaskRunner) -> None:
    view = AcceptanceView(db, admin, runner)
    qtbot.addWidget(view)
    view.load()
    qtbot.waitUntil(lambda: view.picker.model.rowCount() > 0)
    view.picker.select_code("SB-002")  # a 承诺件: the lead window row is hidden, yet its value is stored
    view.lead_window.setText("1号窗口\x00")
    assert "lead_window" in view.revalidate()
    view.submit()
    assert "牵头窗口含有不可见或控制字符" in view.status.text()


def test_staff_and_department_dialogs_limit_their_fields(qtbot: QtBot, db: Database, admin: Actor,
                                                         runner: TaskRunner) -> None:
    staff = StaffDialog(db, admin, runner, [], None)
    qtbot.addWidget(staff)
    assert (staff.name.maxLength(), staff.workplace.maxLength()) == (rules.STAFF_PERSON.max_len,
                                                                      rules.WORKPLACE.max_len)
    department = DepartmentDialog(db, admin, runner, None)
    qtbot.addWidget(department)
    assert department.name.maxLength() == rules.DEPARTMENT_NAME.max_len
    assert department.duties.maxLength() == rules.DUTIES.max_len

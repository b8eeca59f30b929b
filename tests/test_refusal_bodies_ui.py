"""F10: a handling department's own 复议机关 and 人民法院, edited from the keyboard, reach its refusals."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.services.inquiries.refusal_bodies import list_department_bodies
from app.services.settings import CenterSettings, refusal_bodies, save_settings
from app.ui.department_view import DepartmentView
from app.ui.tasks import TaskRunner
from tests.ui_helpers import type_chinese


def test_the_catalogue_departments_are_listed_with_the_township_default(db: Database, admin: Actor) -> None:
    save_settings(db, admin, CenterSettings(review_body="镇赉县人民政府", court="镇赉县人民法院"))
    bodies = {b.department: b for b in list_department_bodies(db)}
    assert "县税务局第二税务分局" in bodies and bodies["县税务局第二税务分局"].items >= 1
    assert all(b.review_body == "" and b.court == "" for b in bodies.values())
    assert refusal_bodies(db, "县税务局第二税务分局") == ("镇赉县人民政府", "镇赉县人民法院")


def test_enter_on_a_department_sets_its_own_bodies(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
                                                   task_runner: TaskRunner) -> None:
    save_settings(db, admin, CenterSettings(review_body="镇赉县人民政府", court="镇赉县人民法院"))
    view = DepartmentView(db, admin, task_runner)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    view.load()
    box = view.bodies
    qtbot.waitUntil(lambda: box.model.rowCount() > 0 and box.defaults[0] == "镇赉县人民政府")
    names = [r.department for r in box.model.rows()]
    row = names.index("县税务局第二税务分局")
    assert box.model.data(box.model.index(row, 2)) == "镇赉县人民政府（中心默认）"
    box.table.setFocus()
    box.table.selectRow(row)
    qtbot.keyClick(box.table, Qt.Key.Key_Return)
    dialog = box.dialog
    assert dialog is not None and dialog.isVisible()
    type_chinese(dialog.review_body, "国家税务总局白城市税务局")
    type_chinese(dialog.court, "洮北区人民法院")
    qtbot.keyClick(dialog.court, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert refusal_bodies(db, "县税务局第二税务分局") == ("国家税务总局白城市税务局", "洮北区人民法院")
    qtbot.waitUntil(lambda: box.model.data(box.model.index(row, 2)) == "国家税务总局白城市税务局")  # refreshed by itself
    selected = box.model.row_at(box.table.currentIndex().row())
    assert selected is not None and selected.department == "县税务局第二税务分局"
    assert refusal_bodies(db, "镇民政办") == ("镇赉县人民政府", "镇赉县人民法院")  # the others keep the default


def test_a_bad_value_is_refused_in_the_dialog(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
                                              task_runner: TaskRunner) -> None:
    view = DepartmentView(db, admin, task_runner)
    qtbot.addWidget(view)
    view.show()
    view.load()
    box = view.bodies
    qtbot.waitUntil(lambda: box.model.rowCount() > 0)
    box.table.selectRow(0)
    box.edit_selected()
    dialog = box.dialog
    assert dialog is not None
    dialog.review_body.setMaxLength(1000)
    dialog.review_body.setText("法" * 300)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.status.text() != "")
    assert dialog.isVisible() and "复议机关" in dialog.status.text()
    assert all(b.review_body == "" for b in list_department_bodies(db))

"""Issue 11: 补齐材料 shows the checklist, records what was actually brought, confirms, then starts the clock."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.services.cases.records import accept_case, get_case
from app.ui.supplement_dialog import SupplementDialog
from app.ui.tasks import TaskRunner
from tests.test_cases import form


def test_the_clerk_ticks_and_counts_what_was_brought(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
                                                      task_runner: TaskRunner) -> None:
    number = accept_case(db, admin, form(db, "SHJZ-001", "supplement", seqs=[1, 2]))
    case = get_case(db, number)
    assert case is not None
    dialog = SupplementDialog(db, admin, task_runner, case)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    table = dialog.table
    assert not dialog.confirm.isEnabled() and "尚缺必要材料 3 项" in dialog.summary.text()
    assert table.currentIndex().row() == 2  # the cursor starts at the first missing material
    qtbot.keyClick(table, Qt.Key.Key_Space)  # material 3 brought
    assert dialog.confirm.isEnabled() and dialog.confirm.text().startswith("登记本次补交")  # a partial visit
    assert get_case(db, number).status == "supplementing"
    dialog.checklist.setData(dialog.checklist.index(2, 5), 3)  # three copies, not one (F2 in the table)
    for row in (3, 4):
        table.selectRow(row)
        qtbot.keyClick(table, Qt.Key.Key_Space)
    assert dialog.confirm.isEnabled() and "必要材料已齐全。" in dialog.summary.text()
    assert [r.seq for r in dialog.brought()] == [3, 4, 5]  # materials 1 and 2 came at acceptance
    qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    record = get_case(db, number)
    assert record is not None and record.status == "accepted" and record.due_date is not None
    details = json.loads(record.events[-1][3])
    assert details["seqs"] == [3, 4, 5] and details["materials"][0]["copies"] == 3
    assert details["from_class"] == "supplement"


def test_a_partial_visit_is_recorded_and_counted(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
                                                 task_runner: TaskRunner) -> None:
    """Part of what was missing arrives: the visit is recorded (a trip), the case still waits."""
    number = accept_case(db, admin, form(db, "SHJZ-001", "supplement", seqs=[1, 2]))
    case = get_case(db, number)
    assert case is not None
    dialog = SupplementDialog(db, admin, task_runner, case)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.table.currentIndex().row() == 2  # the first missing material
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert len(dialog.still) == 2
    record = get_case(db, number)
    assert record is not None and record.status == "supplementing" and record.trips == 2
    assert record.events[-1][1] == "supplement_visit" and record.received_seqs() == {1, 2, 3}

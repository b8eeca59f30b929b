"""F7 办理 menu, beside the lifecycle's steps: 联办 hand-over and reply, and a visit registered by hand.

None of these changes the case's state; the core refuses what does not fit (a class other than 联办件,
a department handed over twice, a reply before its hand-over) and this dialog shows the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QLabel, QLineEdit, QSpinBox, QWidget

from app.actor import Actor
from app.database import Database
from app.services import field_rules as rules
from app.services.cases import joint
from app.services.cases.records import CaseRecord
from app.ui.forms import InlineForm, dialog_with_form, report_on, to_date, today_qdate
from app.ui.tasks import TaskRunner


class JointDialog(QDialog):
    """mode: "handover", "reply" or "visit"."""

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, case: CaseRecord, mode: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.number, self.mode = db, actor, runner, case.number, mode
        self.setWindowTitle(f"{joint.EXTRA_ACTIONS[mode]} — {case.number}")
        self.setMinimumWidth(520)
        self.form = InlineForm()
        parts = joint.joint_parts(case.co_departments, case.events)
        self.department = QComboBox()
        self.department.setEditable(True)  # a department may be added beyond those named at acceptance
        waiting = [p for p in parts if (mode == "handover" and not p.handed_on)
                   or (mode == "reply" and p.handed_on and not p.replied_on)]
        self.department.addItems([p.department for p in waiting])
        editor = self.department.lineEdit()
        if editor is not None:
            editor.setMaxLength(rules.CO_DEPARTMENT.max_len)
        self.day = QDateEdit(today_qdate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.days = QSpinBox()
        self.days.setRange(1, joint.MAX_DEPARTMENT_DAYS)
        self.days.setValue(max(1, min(case.time_limit_days, joint.MAX_DEPARTMENT_DAYS)))
        self.outcome = QComboBox()
        for key, label in joint.REPLY_OUTCOMES.items():
            self.outcome.addItem(label, key)
        self.text = QLineEdit()
        self.purpose = QComboBox()
        self.purpose.addItems(joint.VISIT_PURPOSES)
        if mode == "handover":
            self.form.add_field("department", "联办部门(&B)", self.department)
            self.form.add_field("day", "转办日期(&T)", self.day)
            self.form.add_field("days", "该部门时限（工作日，次日起算）(&X)", self.days)
            self.text.setMaxLength(rules.PAUSE_NOTE.max_len)
            self.form.add_field("note", "转办说明(&N)", self.text)
        elif mode == "reply":
            self.form.add_field("department", "联办部门(&B)", self.department)
            self.form.add_field("day", "回复日期(&T)", self.day)
            self.form.add_field("outcome", "回复意见(&Y)", self.outcome)
            self.text.setMaxLength(rules.RESULT.max_len)
            self.form.add_field("opinion", "部门意见(&N)", self.text)
        else:
            self.form.add_field("purpose", "来访事由(&Y)", self.purpose)
            self.text.setMaxLength(rules.PAUSE_NOTE.max_len)
            self.form.add_field("note", "说明(&N)", self.text)
        summary = "；".join(f"{p.department}：{p.status_label}" for p in parts) or "（受理时未填联办部门）"
        if mode != "visit":
            self.form.addRow(QLabel(f"联办进度：{summary}"))
        self.status = dialog_with_form(self, self.form, f"{joint.EXTRA_ACTIONS[mode]}(&O)", self.submit)

    def work(self) -> Callable[[], object]:
        db, actor, number = self.db, self.actor, self.number
        department, day, text = self.department.currentText(), to_date(self.day.date()), self.text.text()
        if self.mode == "handover":
            days = self.days.value()
            return lambda: joint.hand_over(db, actor, number, department, day, days, text)
        if self.mode == "reply":
            outcome = str(self.outcome.currentData())
            return lambda: joint.record_reply(db, actor, number, department, day, outcome, text)
        purpose = self.purpose.currentText()
        return lambda: joint.record_visit(db, actor, number, purpose, text)

    def submit(self) -> None:
        self.status.setText("")
        self.runner.submit(self.work(), lambda _result: self.accept(), lambda exc: report_on(self.status, exc))

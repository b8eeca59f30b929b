"""The next step of a complaint (Alt+D on the 投诉 screen): 交办 (自办/转办/督办), 答复, 回访满意度,
重新核实 or 办结 with the finding.

The screen offers only the steps the core says the complaint's state allows (detail.allowed_steps);
this dialog asks for what the step needs and hands it to app.services.complaints.handling, which
checks everything again. A refused step shows its reason in red, keeps the dialog open and changes
nothing. A written reply announces its paper (投诉答复书) so the screen can print it at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from app.actor import Actor
from app.database import Database
from app.services.complaints import handling
from app.services.complaints.categories import FINDINGS, REPLY_FORMS
from app.services.complaints.detail import STEPS, ComplaintDetail, modes_for
from app.services.complaints.documents import REPLY as REPLY_DOC
from app.services.inquiries.departments import DepartmentRecord
from app.ui.forms import InlineForm, dialog_with_form, report_on, to_date
from app.ui.key_binding import bind
from app.ui.tasks import TaskRunner

SCREEN = "complaint_step_dialog"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class StepDialog(QDialog):
    printable = Signal(str, str)  # (document type, complaint number): print it now

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, detail: ComplaintDetail, step: str,
                 departments: list[DepartmentRecord], today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.step = db, actor, runner, step
        self.number = detail.row.number
        self.setWindowTitle(f"{STEPS[step]} — 投诉 {self.number}")
        self.setMinimumWidth(560)
        self.form = InlineForm()
        self.choices = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(96)
        self.department = QComboBox()
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.finding = QComboBox()
        if step == "handle":
            self._radios("mode", "办理方式", [(k, f"{v}(&{n})") for n, (k, v) in enumerate(modes_for(actor).items(), 1)])
            self.department.addItem("（请选择承办部门）", "")
            for d in departments:
                self.department.addItem(d.name, d.name)
            self.form.add_field("department", "承办部门(&B)", self.department, "转办、督办时必选")
            self.due.setMinimumDate(_qdate(today))
            self.due.setDate(_qdate(max(detail.row.due_date, today)))
            self.form.add_field("due", "承办期限(&Q)", self.due)
            self.choices.buttonToggled.connect(lambda _b, _on: self._mode_changed())
            self.buttons["self"].setChecked(True)
        elif step == "reply":
            self._radios("form", "答复方式", [(k, f"{v}(&{n})") for n, (k, v) in enumerate(REPLY_FORMS.items(), 1)])
            for key, button in self.buttons.items():
                button.setEnabled(key in detail.reply_forms)
            self.buttons[detail.reply_forms[0]].setChecked(True)
            self.form.add_field("text", "答复内容(&G)", self.text, "口头答复记录所说内容；书面答复即答复书正文")
        elif step == "satisfaction":
            self._radios("satisfied", "投诉人意见", [("yes", "满意(&1)"), ("no", "不满意(&2)")])
            self.form.add_field("text", "回访说明(&G)", self.text)
        elif step == "reopen":
            self.form.add_field("text", "重新核实的原因(&G)", self.text)
        else:
            self.finding.addItem("（请选择核实结论）", "")
            for key, label in FINDINGS.items():
                self.finding.addItem(label, key)
            self.form.add_field("finding", "核实结论(&J)", self.finding)
        bind(self, SCREEN, "confirm", self.submit)
        self.status = dialog_with_form(self, self.form, f"{STEPS[step].split('（')[0]}(&O)", self.submit)
        self.form.field(self.form.keys()[0]).setFocus()

    def _radios(self, key: str, label: str, choices: list[tuple[str, str]]) -> None:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for choice, text in choices:
            button = QRadioButton(text)
            self.choices.addButton(button)
            self.buttons[choice] = button
            row.addWidget(button)
        row.addStretch(1)
        self.form.add_field(key, label, box)

    def choice(self) -> str:
        return next((key for key, button in self.buttons.items() if button.isChecked()), "")

    def _mode_changed(self) -> None:
        """自办 needs no department: the centre itself answers."""
        onward = self.choice() in {"refer", "supervise"}
        self.department.setEnabled(onward)
        self.due.setEnabled(onward)

    def work(self) -> Callable[[], None]:
        db, actor, number, text = self.db, self.actor, self.number, self.text.toPlainText()
        choice = self.choice()
        if self.step == "handle":
            onward = choice in {"refer", "supervise"}
            department = str(self.department.currentData() or "") if onward else ""
            due = to_date(self.due.date()) if onward else None
            return lambda: handling.handle(db, actor, number, choice, department, due)
        if self.step == "reply":
            return lambda: handling.reply(db, actor, number, choice, text)
        if self.step == "satisfaction":
            return lambda: handling.record_satisfaction(db, actor, number, choice == "yes", text)
        if self.step == "reopen":
            return lambda: handling.reopen(db, actor, number, text)
        finding = str(self.finding.currentData() or "")
        return lambda: handling.close(db, actor, number, finding)

    def submit(self) -> None:
        if self.step == "satisfaction" and not self.choice():
            self.status.setText("请选择投诉人满意或不满意")
            return
        self.status.setText("")
        self.runner.submit(self.work(), self._done, lambda exc: report_on(self.status, exc))

    def _done(self, _result: None) -> None:
        self.accept()
        if self.step == "reply" and self.choice() == "written":
            self.printable.emit(REPLY_DOC, self.number)

"""Changing a case's time limit: start or end a special procedure, or record an approved extension."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.actor import Actor
from app.database import Database
from app.services import field_rules as rules
from app.services.cases.deadlines import extend_case, pause_case, resume_case
from app.services.cases.records import SPECIAL_PROCEDURES
from app.services.people.staff import StaffRecord
from app.ui.forms import InlineForm, dialog_with_form, report_on, to_date, today_qdate
from app.ui.tasks import TaskRunner


def _date_edit() -> QDateEdit:
    edit = QDateEdit(today_qdate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class TimeLimitDialog(QDialog):
    """mode: "pause", "resume" or "extend"."""

    TITLES = {"pause": "进入特别程序", "resume": "结束特别程序", "extend": "批准延长办理时限"}

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, number: str, mode: str,
                 parent: QWidget | None = None, directors: Sequence[StaffRecord] = ()) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.number, self.mode = db, actor, runner, number, mode
        self.setWindowTitle(f"{self.TITLES[mode]} — {number}")
        self.setMinimumWidth(460)
        self.form = InlineForm()
        self.procedure = QComboBox()
        self.procedure.addItems(SPECIAL_PROCEDURES)
        self.start = _date_edit()
        self.expected = QSpinBox()
        self.expected.setRange(1, 365)
        self.expected.setValue(10)
        self.note = QLineEdit()
        self.end = _date_edit()
        self.days = QSpinBox()
        self.days.setRange(1, 60)
        self.days.setValue(5)
        self.reason = QLineEdit()
        self.approver = QComboBox()  # the directors: the one approving confirms with their own password
        for member in directors:
            self.approver.addItem(f"{member.name}（{member.staff_no}）", member.staff_no)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.basis = QLineEdit()
        self.basis.setPlaceholderText("延期后超过法定时限时必填")
        self.note.setMaxLength(rules.PAUSE_NOTE.max_len)
        self.reason.setMaxLength(rules.EXTENSION_REASON.max_len)
        self.basis.setMaxLength(rules.LEGAL_BASIS.max_len)
        if mode == "pause":
            self.form.add_field("procedure", "特别程序(&P)", self.procedure)
            self.form.add_field("start", "开始日期", self.start)
            self.form.add_field("expected", "预计所需天数（自然日，告知申请人）", self.expected)
            self.form.add_field("note", "说明", self.note)
        elif mode == "resume":
            self.form.add_field("end", "结束日期（含当日）", self.end)
        else:
            self.form.add_field("days", "延长工作日(&D)", self.days)
            self.form.add_field("reason", "延期理由(&R)", self.reason)
            self.form.add_field("approver", "批准人（中心主任）(&A)", self.approver)
            self.form.add_field("password", "批准人密码(&W)", self.password)
            self.form.add_field("basis", "法律依据(&B)", self.basis)
        self.status = dialog_with_form(self, self.form, "确定(&S)", self.submit)

    def submit(self) -> None:
        db, actor, number = self.db, self.actor, self.number
        if self.mode == "pause":
            procedure, start, days, note = (self.procedure.currentText(), to_date(self.start.date()),
                                            self.expected.value(), self.note.text())
            work = lambda: pause_case(db, actor, number, procedure, start, days, note)  # noqa: E731
        elif self.mode == "resume":
            end = to_date(self.end.date())
            work = lambda: resume_case(db, actor, number, end)  # noqa: E731
        else:
            days, reason, basis = self.days.value(), self.reason.text(), self.basis.text()
            approver, password = str(self.approver.currentData() or ""), self.password.text()
            errors = {k: m for k, m, v in (("reason", "请写明延期理由", reason),
                                           ("approver", "没有在用的中心主任账号，无法批准延期", approver),
                                           ("password", "请批准人输入自己的密码", password)) if not v.strip()}
            self.form.set_errors(errors)
            if errors:
                self.status.setText("延期须写明理由，并由中心主任输入密码批准")
                return
            self.password.clear()  # never kept after the attempt
            work = lambda: extend_case(db, actor, number, days, reason, approver, password, basis)  # noqa: E731
        self.runner.submit(work, lambda _deadline: self.accept(), lambda exc: report_on(self.status, exc))

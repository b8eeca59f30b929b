"""登记投诉 (Ctrl+N on the 投诉 screen): who complains, how, about whom or what, and what happened.

Everything is reachable from the keyboard: each field has its Alt letter, combo boxes answer typed
digits (category 1–11, a staff number), Ctrl+Enter registers. The form is checked by the core's own
rule before it is sent, and the core checks it again; a refused form stays open with the reasons in
red and nothing is stored. Registering announces the number, so the screen can offer the receipt.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.database import Database
from app.services.complaints.categories import CATEGORIES, CHANNELS
from app.services.complaints.complaints import (
    MAX_CASE_NUMBER,
    MAX_ITEM,
    MAX_NAME,
    MAX_WINDOW,
    ComplaintForm,
    register,
    validate,
)
from app.services.errors import ValidationError
from app.services.people.staff import StaffRecord
from app.ui.forms import InlineForm, report_on, status_label
from app.ui.key_binding import bind
from app.ui.messages import ask_discard
from app.ui.tasks import TaskRunner

SCREEN = "complaint_register_dialog"
NO_STAFF = "（不针对具体工作人员）"


class RegisterDialog(QDialog):
    registered = Signal(str)  # the complaint's number

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, staff: list[StaffRecord],
                 items: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner = db, actor, runner
        self.setWindowTitle(f"登记投诉 — 登记人：{actor.name}（{actor.staff_no}）")
        self.setMinimumWidth(640)
        self.discard_question: QMessageBox | None = None
        self.form = InlineForm()
        self.category = QComboBox()
        for number, label in CATEGORIES.items():
            self.category.addItem(f"{number} {label}", number)
        self.form.add_field("category", "投诉类别(&L)", self.category, "输入数字选择类别")
        self.channel = QComboBox()
        for key, label in CHANNELS.items():
            self.channel.addItem(label, key)
        self.form.add_field("channel", "投诉渠道(&C)", self.channel)
        self.anonymous = self.form.add_field("anonymous", "匿名", QCheckBox("匿名投诉，不登记姓名和电话(&A)"))
        self.name = self.form.add_field("name", "投诉人姓名(&N)", QLineEdit())
        self.name.setMaxLength(MAX_NAME)
        self.phone = self.form.add_field("phone", "联系电话(&T)", QLineEdit())
        self.phone.setMaxLength(20)
        self.phone.setPlaceholderText("11位手机号或带区号的固定电话")
        self.confidential = self.form.add_field(
            "confidential", "保密", QCheckBox("投诉人要求保密：姓名和电话只有中心主任可见(&M)"))
        self.staff = QComboBox()
        self.staff.addItem(NO_STAFF, "")
        for member in staff:
            if member.active:
                place = f"，{member.workplace}" if member.workplace else ""
                self.staff.addItem(f"{member.staff_no} {member.name}（{member.role_label}{place}）", member.staff_no)
        self.workplaces = {m.staff_no: m.workplace for m in staff}
        self.form.add_field("staff_no", "被投诉人(&P)", self.staff, "输入工号选择")
        self.window_name = self.form.add_field("window", "窗口(&W)", QLineEdit())
        self.window_name.setMaxLength(MAX_WINDOW)
        self.item = self.form.add_field("item", "事项(&I)", QLineEdit())
        self.item.setMaxLength(MAX_ITEM)
        completer = QCompleter(items or [], self.item)  # the catalogue's names, matched anywhere in them
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.item.setCompleter(completer)
        self.case_number = self.form.add_field("case_number", "办件编号(&B)", QLineEdit())
        self.case_number.setMaxLength(MAX_CASE_NUMBER)
        self.case_number.setPlaceholderText("投诉涉及具体办件的，扫描或输入受理回执上的编号")
        self.content = QPlainTextEdit()
        self.content.setTabChangesFocus(True)
        self.content.setFixedHeight(96)
        self.form.add_field("content", "投诉内容(&G)", self.content)
        self.anonymous.toggled.connect(self._anonymous_changed)
        self._filled_window = ""  # the window last filled in from the staff pick (not typed by the clerk)
        self.staff.currentIndexChanged.connect(self._staff_changed)
        self.status = status_label()
        self.save_button = QPushButton("登记(&S)")
        self.save_button.setToolTip("Ctrl+Enter")
        self.save_button.setDefault(True)
        cancel = QPushButton("取消")
        self.save_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        bind(self, SCREEN, "register", self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("实名投诉优先办理。按 Ctrl+Enter 登记，登记后可打印投诉登记回执交投诉人。"))
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        self.category.setFocus()

    def typed(self) -> bool:
        """Whether Esc would throw away something the clerk wrote (a complaint may take minutes to take down)."""
        return any(t.strip() for t in (self.name.text(), self.phone.text(), self.window_name.text(),
                                       self.item.text(), self.case_number.text(), self.content.toPlainText()))

    def reject(self) -> None:
        """Esc, 取消 or the close box: ask first when something was typed."""
        if not self.typed():
            super().reject()
            return
        self.discard_question = ask_discard(self, "登记投诉", "放弃已填写的投诉？", lambda: QDialog.reject(self))

    def _anonymous_changed(self, anonymous: bool) -> None:
        """An anonymous complaint has no name, phone or identity to keep secret."""
        for widget in (self.name, self.phone):
            if anonymous:
                widget.clear()
            widget.setEnabled(not anonymous)
        if anonymous:
            self.confidential.setChecked(False)
        self.confidential.setEnabled(not anonymous)

    def _staff_changed(self) -> None:
        """The window of the staff member picked follows the pick (arrowing through the list must not
        leave the first one's window behind), unless the clerk typed a window of their own."""
        place = self.workplaces.get(str(self.staff.currentData() or ""), "")
        current = self.window_name.text().strip()
        if not current or current == self._filled_window:
            self.window_name.setText(place)
            self._filled_window = place

    def complaint_form(self) -> ComplaintForm:
        return ComplaintForm(
            category=int(self.category.currentData()), channel=str(self.channel.currentData()),
            content=self.content.toPlainText(), name=self.name.text(), phone=self.phone.text(),
            anonymous=self.anonymous.isChecked(), confidential=self.confidential.isChecked(),
            staff_no=str(self.staff.currentData() or ""), window=self.window_name.text(), item=self.item.text(),
            case_number=self.case_number.text())

    def submit(self) -> None:
        if not self.save_button.isEnabled():
            return  # already sent: a second Ctrl+Enter must not register it twice
        self.status.setText("")
        form = self.complaint_form()
        errors = validate(form)
        if errors:  # said at once, nothing sent
            report_on(self.status, ValidationError("投诉登记有误，未保存", errors))
            return
        self.save_button.setEnabled(False)
        db, actor = self.db, self.actor
        self.runner.submit(lambda: register(db, actor, form), self._done, self._failed)

    def _failed(self, exc: BaseException) -> bool:
        self.save_button.setEnabled(True)
        return report_on(self.status, exc)

    def _done(self, number: str) -> None:
        self.accept()  # accept(), not reject(): nothing to ask about once registered
        self.registered.emit(number)

"""Adding or editing one staff account (administrators only)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.database import Database
from app.services import field_rules as rules
from app.services.labels import ROLES
from app.services.people.staff import StaffForm, StaffRecord, save_staff, validate_form
from app.ui.forms import InlineForm, report_on, status_label
from app.ui.tasks import TaskRunner

_FIELD_OF_MESSAGE = {
    "工号": "staff_no",
    "姓名": "name",
    "电话": "phone",
    "所在窗口": "workplace",
    "角色": "role",
    "密码": "password",
}


class StaffDialog(QDialog):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        runner: TaskRunner,
        colleagues: list[StaffRecord],
        record: StaffRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.runner = runner
        self.record = record
        self.saved_id: str | None = None
        self.setWindowTitle("编辑人员" if record else "新增人员")
        self.setMinimumWidth(460)
        self.form = InlineForm()
        self.staff_no = self.form.add_field("staff_no", "工号(&U)", QLineEdit())
        self.name = self.form.add_field("name", "姓名(&N)", QLineEdit())
        self.role = QComboBox()
        for key, label in ROLES.items():
            self.role.addItem(label, key)
        self.form.add_field("role", "角色(&R)", self.role)
        self.workplace = self.form.add_field("workplace", "所在窗口或代办点(&W)", QLineEdit())
        self.phone = self.form.add_field("phone", "电话(&T)", QLineEdit())
        self.staff_no.setMaxLength(20)  # check_staff_no: 2 to 20 letters or digits
        self.name.setMaxLength(rules.STAFF_PERSON.max_len)
        self.workplace.setMaxLength(rules.WORKPLACE.max_len)
        self.phone.setMaxLength(rules.PHONE.max_len)
        self.backup = QComboBox()
        self.backup.addItem("（无）", None)
        for colleague in colleagues:
            if colleague.active and (record is None or colleague.id != record.id):
                self.backup.addItem(f"{colleague.name}（{colleague.staff_no}）", colleague.id)
        self.form.add_field("backup", "B岗人员(&B)", self.backup, "本人不在岗时接手其未办结工作的同事")
        self.active = QCheckBox("在用")
        self.active.setChecked(True)
        self.form.add_field("active", "状态(&A)", self.active)
        self.password = self.form.add_field("password", "密码(&P)", QLineEdit())
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = self.form.add_field("password2", "确认密码(&C)", QLineEdit())
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        if record is not None:
            self.staff_no.setText(record.staff_no)
            self.name.setText(record.name)
            self.role.setCurrentIndex(max(0, self.role.findData(record.role)))
            self.workplace.setText(record.workplace)
            self.phone.setText(record.phone)
            self.backup.setCurrentIndex(max(0, self.backup.findData(record.backup_id)))
            self.active.setChecked(record.active)
            self.password.setPlaceholderText("留空则不修改密码")
        else:
            self.password.setPlaceholderText("至少8位，含字母和数字")
        self.status = status_label()
        self.save_button = QPushButton("保存(&S)")
        self.save_button.setDefault(True)
        cancel = QPushButton("取消")
        self.save_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.staff_no.setFocus()

    def staff_form(self) -> StaffForm:
        return StaffForm(
            staff_no=self.staff_no.text(),
            name=self.name.text(),
            role=str(self.role.currentData()),
            workplace=self.workplace.text(),
            phone=self.phone.text(),
            backup_id=self.backup.currentData(),
            active=self.active.isChecked(),
            password=self.password.text(),
        )

    def _field_errors(self, messages: list[str]) -> dict[str, str]:
        errors: dict[str, str] = {}
        for message in messages:
            key = next((f for word, f in _FIELD_OF_MESSAGE.items() if word in message), None)
            if key is not None and key not in errors:
                errors[key] = message
        return errors

    def submit(self) -> None:
        form = self.staff_form()
        messages = validate_form(form, creating=self.record is None)
        errors = self._field_errors(messages)
        if self.password.text() != self.password2.text():
            errors["password2"] = "两次输入的密码不一致"
        self.form.set_errors(errors)
        if errors or messages:
            self.status.setText("请按提示修改标红的项目")
            return
        self.save_button.setEnabled(False)
        record_id = self.record.id if self.record else None
        self.runner.submit(lambda: save_staff(self.db, self.actor, form, record_id), self._done, self._failed)

    def _done(self, staff_id: str) -> None:
        self.save_button.setEnabled(True)
        self.saved_id = staff_id
        self.accept()

    def _failed(self, exc: BaseException) -> bool:
        self.save_button.setEnabled(True)
        return report_on(self.status, exc)

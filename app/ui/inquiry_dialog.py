"""Quick first-inquiry entry (F3 from anywhere): who asked, how, about what, and what was done.

The outcome is one of three: answered, a one-time notice, or a referral to a named department
with the reason. There is no way to record a refusal: that is a complaint category (首问负责制).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.database import Database
from app.services import field_rules as rules
from app.services.catalog.search import ItemSummary
from app.services.inquiries.departments import DepartmentRecord
from app.services.inquiries.register import InquiryForm, InquiryRecord, register_inquiry, validate_inquiry
from app.services.labels import CHANNELS
from app.ui.forms import InlineForm, report_on, status_label
from app.ui.idcard.photo_panel import PhotoPanel
from app.ui.item_field import ItemField
from app.ui.key_binding import bind
from app.ui.messages import ask_discard
from app.ui.tasks import TaskRunner

ANSWER_LABELS = {
    "answered": "答复内容",
    "notice": "补充说明（可不填）",
    "referred": "不属本中心受理范围的原因",
}
EMPTY_DIRECTORY = ("部门名录中还没有在用的部门，无法选择转介去向。请系统管理员在“部门名录”（F10）中新增部门"
                   "或启用已停用的部门；此前可先按“已当场解答”登记，在答复中写明去向。")


class InquiryDialog(QDialog):
    registered = Signal(object)  # InquiryRecord

    def __init__(
        self,
        db: Database,
        actor: Actor,
        runner: TaskRunner,
        items: list[ItemSummary],
        departments: list[DepartmentRecord],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.runner = runner
        self.departments = departments
        self.setWindowTitle(f"首问登记 — 首问责任人：{actor.name}（{actor.staff_no}）")
        self.setMinimumWidth(620)
        self.discard_question: QMessageBox | None = None
        self.form = InlineForm()
        self.citizen_name = self.form.add_field("citizen_name", "咨询人姓名(&N)", QLineEdit())
        self.citizen_phone = self.form.add_field("citizen_phone", "联系电话(&T)", QLineEdit())
        self.citizen_phone.setPlaceholderText("11位手机号或带区号的固定电话")
        self.citizen_name.setMaxLength(rules.CITIZEN_NAME.max_len)
        self.citizen_phone.setMaxLength(rules.PHONE.max_len)
        self.channel = QComboBox()
        for key, label in CHANNELS.items():
            self.channel.addItem(label, key)
        self.form.add_field("channel", "咨询渠道(&C)", self.channel)
        self.question = self.form.add_field("question", "咨询内容(&Q)", QPlainTextEdit())
        self.question.setTabChangesFocus(True)
        self.question.setFixedHeight(64)
        self.item = self.form.add_field("item_code", "相关事项(&I)", ItemField())
        self.item.set_items(items)
        outcome_box = QWidget()
        outcome_row = QHBoxLayout(outcome_box)
        outcome_row.setContentsMargins(0, 0, 0, 0)
        self.outcomes = QButtonGroup(self)
        self.outcome_buttons: dict[str, QRadioButton] = {}
        # Explicit Alt+1/2/3 shortcuts rather than mnemonics, which do not fire on every platform.
        for number, (key, text) in enumerate(
            (("answered", "已当场解答"), ("notice", "出具一次性告知书"), ("referred", "不属本中心职责，转介")), start=1
        ):
            button = QRadioButton(f"{text}（Alt+{number}）")
            self.outcomes.addButton(button)
            self.outcome_buttons[key] = button
            outcome_row.addWidget(button)
            button.toggled.connect(self._outcome_changed)
            bind(self, "inquiry_dialog", key, partial(_choose, button))
        self.form.add_field("outcome", "处理结果", outcome_box)
        self.department = QComboBox()
        self.department.addItem("（请选择转介部门）" if departments else "（部门名录为空）", None)
        for d in departments:
            self.department.addItem(d.name, d.id)
        self.department.currentIndexChanged.connect(self._show_department)
        self.form.add_field("department_id", "转介部门(&D)", self.department)
        self.department_info = QLabel()
        self.department_info.setObjectName("departmentInfo")
        self.department_info.setWordWrap(True)
        self.department_info.setStyleSheet("color:#444")
        self.answer = QPlainTextEdit()
        self.answer.setTabChangesFocus(True)
        self.answer.setFixedHeight(56)
        self.form.add_field("answer", "答复或说明(&A)", self.answer)
        self.status = status_label()
        self.save_button = QPushButton("登记(&S)")
        self.save_button.setToolTip("Ctrl+Enter")
        cancel = QPushButton("取消")
        self.save_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        bind(self, "inquiry_dialog", "register", self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("按 Ctrl+Enter 登记。不属本中心职责的，必须选择转介部门并说明原因，系统会打印转介告知单。"))
        layout.addLayout(self.form)
        self.card_panel = PhotoPanel("放身份证读入咨询人姓名")  # shown while a reader is set (app.ui.idcard)
        layout.addWidget(self.card_panel)
        layout.addWidget(self.department_info)
        layout.addLayout(buttons)
        self.outcome_buttons["answered"].setChecked(True)
        self.citizen_name.setFocus()

    def typed(self) -> bool:
        """Whether the clerk has written anything that Esc would throw away."""
        texts = (self.citizen_name.text(), self.citizen_phone.text(), self.question.toPlainText(),
                 self.item.text(), self.answer.toPlainText())
        return any(t.strip() for t in texts)

    def reject(self) -> None:
        """Esc, 取消 or the window's close box: ask first when something was typed (a citizen's
        question may take a minute to write down)."""
        if not self.typed():
            super().reject()
            return
        self.discard_question = ask_discard(self, "首问登记", "放弃已填写的内容？", lambda: QDialog.reject(self))

    def outcome(self) -> str:
        return next((k for k, b in self.outcome_buttons.items() if b.isChecked()), "")

    def _outcome_changed(self) -> None:
        referred = self.outcome() == "referred"
        self.department.setEnabled(referred)
        self.department_info.setVisible(referred)
        self.answer.setPlaceholderText(ANSWER_LABELS.get(self.outcome(), ""))
        self._show_department()

    def _show_department(self) -> None:
        if not self.departments and self.outcome() == "referred":
            # a dead end otherwise: say why the list is empty and who can fill it
            self.department_info.setText(EMPTY_DIRECTORY)
            return
        department = next((d for d in self.departments if d.id == self.department.currentData()), None)
        if department is None or self.outcome() != "referred":
            self.department_info.setText("")
            return
        self.department_info.setText(
            f"{department.name}：{department.address}；电话 {department.phone}；{department.office_hours}。"
            f"职责：{department.duties or '—'}"
        )

    def inquiry_form(self) -> InquiryForm:
        return InquiryForm(
            citizen_name=self.citizen_name.text(),
            citizen_phone=self.citizen_phone.text(),
            channel=str(self.channel.currentData()),
            question=self.question.toPlainText(),
            outcome=self.outcome(),
            item_code=self.item.item_code(),
            answer=self.answer.toPlainText(),
            department_id=self.department.currentData() if self.outcome() == "referred" else None,
        )

    def submit(self) -> None:
        form = self.inquiry_form()
        errors = validate_inquiry(form)
        if self.item.text().strip() and not form.item_code:
            errors["item_code"] = "请从下拉列表中选择一个事项，或清空此栏"
        self.form.set_errors(errors)
        if errors:
            self.status.setText("请按提示修改标红的项目")
            return
        self.save_button.setEnabled(False)
        self.runner.submit(lambda: register_inquiry(self.db, self.actor, form), self._done, self._failed)

    def _done(self, record: InquiryRecord) -> None:
        self.save_button.setEnabled(True)
        self.registered.emit(record)
        self.accept()

    def _failed(self, exc: BaseException) -> bool:
        self.save_button.setEnabled(True)
        return report_on(self.status, exc)


def _choose(button: QRadioButton) -> None:
    button.setChecked(True)
    button.setFocus()

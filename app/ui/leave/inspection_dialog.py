"""新检查记录 (Ctrl+I on the 值周 tab): which window, 合格 or 需整改, and what was found.

The window is picked from the windows the centre knows (the staff's workplaces and the node's name, as the
core checks); a name cannot be typed, so no inspection of a window that does not exist is recorded.
Ctrl+Enter saves; a refused record stays open with the reasons in red and nothing stored.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.database import Database
from app.services.errors import ValidationError
from app.services.people.duty import (
    RESULTS,
    InspectionForm,
    InspectionRecord,
    check_inspection,
    record_inspection,
)
from app.ui.forms import report_on, status_label
from app.ui.key_binding import bind
from app.ui.tasks import TaskRunner

SCREEN = "inspection_dialog"


class InspectionDialog(QDialog):
    saved = Signal(object)  # the InspectionRecord

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, week: date, windows: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.week = db, actor, runner, week
        self.setWindowTitle(f"新检查记录 — {week.isoformat()} 起的一周，检查人：{actor.name}")
        self.setMinimumWidth(520)
        self.window_name = QComboBox()  # a pick list: the core accepts only the windows the centre knows
        self.window_name.addItems(windows)
        self.window_name.setCurrentIndex(-1)
        self.window_name.setPlaceholderText("请选择窗口（↑↓ 或首字选择）" if windows else "本中心尚无窗口")
        self.outcome = QComboBox()
        for key, label in RESULTS.items():
            self.outcome.addItem(label, key)
        self.findings = QPlainTextEdit()
        self.findings.setTabChangesFocus(True)
        self.findings.setFixedHeight(110)
        self.findings.setPlaceholderText("到岗、着装、桌面、服务态度、一次性告知、离岗暂停服务牌……需整改的写明问题")
        form = QFormLayout()
        for label, widget in (("窗口(&W)", self.window_name), ("检查结果(&R)", self.outcome),
                              ("检查情况(&G)", self.findings)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        self.status = status_label()
        self.save_button = QPushButton("保存(&S)")
        self.save_button.setToolTip("Ctrl+Enter")
        self.save_button.setDefault(True)
        cancel = QPushButton("取消")
        self.save_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        bind(self, SCREEN, "confirm", self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.window_name.setFocus()

    def inspection_form(self) -> InspectionForm:
        return InspectionForm(self.week, self.window_name.currentText(), self.findings.toPlainText(),
                              str(self.outcome.currentData()))

    def submit(self) -> None:
        if not self.save_button.isEnabled():
            return
        form = self.inspection_form()
        errors = check_inspection(form)
        if errors:  # said at once, nothing sent
            report_on(self.status, ValidationError("检查记录有误，未保存", errors))
            return
        self.status.setText("")
        self.save_button.setEnabled(False)
        db, actor = self.db, self.actor
        self.runner.submit(lambda: record_inspection(db, actor, form), self._done, self._failed)

    def _failed(self, exc: BaseException) -> bool:
        self.save_button.setEnabled(True)
        return report_on(self.status, exc)

    def _done(self, record: InspectionRecord) -> None:
        self.accept()
        self.saved.emit(record)

"""The two 督办 dialogs: 发督办 (the director, about one case or complaint: content and answer-by date) and
答复 (the addressed window: result and text). The core checks everything again; a refusal is shown in red
on the dialog with nothing changed. Ctrl+Enter (or the default button's Enter) confirms, Esc cancels.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QLabel, QPlainTextEdit, QWidget

from app.actor import Actor
from app.database import Database
from app.services.supervision import records
from app.services.supervision.records import SupervisionItem
from app.services.supervision.rules import ANSWER_MAX, CONTENT_MAX, MAX_ANSWER_DAYS, RESULTS
from app.ui.forms import InlineForm, dialog_with_form, report_on, to_date, today_qdate
from app.ui.key_binding import bind
from app.ui.tasks import TaskRunner

DEFAULT_ANSWER_DAYS = 3  # the answer-by date first offered; the director sets the real one


def _text_box(limit: int, placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # Tab leaves the box: keyboard-only
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(90)

    def clip() -> None:  # bounded as typed, not only when saved
        text = box.toPlainText()
        if len(text) > limit:
            box.setPlainText(text[:limit])
            box.moveCursor(box.textCursor().MoveOperation.End)
    box.textChanged.connect(clip)
    return box


class IssueDialog(QDialog):
    """发督办 about one case or complaint (its number), addressed by the core to the node holding it."""

    issued = Signal(str)  # the new 督办's id

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, number: str, about: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisionIssueDialog")
        self.db, self.actor, self.runner, self.number = db, actor, runner, number
        self.setWindowTitle(f"发督办 — {number}")
        self.setMinimumWidth(560)
        self.form = InlineForm()
        summary = QLabel(escape(about))
        summary.setWordWrap(True)
        self.form.addRow(summary)
        self.content = self.form.add_field("content", "督办内容(&C)", _text_box(CONTENT_MAX, "要求窗口做什么、何时办结"),
                                           f"不超过{CONTENT_MAX}字")
        today = today_qdate()
        self.answer_by = QDateEdit(today.addDays(DEFAULT_ANSWER_DAYS))
        self.answer_by.setCalendarPopup(True)
        self.answer_by.setDisplayFormat("yyyy-MM-dd")
        self.answer_by.setMinimumDate(today)
        self.answer_by.setMaximumDate(today.addDays(MAX_ANSWER_DAYS))
        self.form.add_field("answer_by", "答复期限(&D)", self.answer_by)
        self.status = dialog_with_form(self, self.form, "发出督办(&K)", self.submit)
        bind(self, "supervision_dialog", "confirm", self.submit)
        self.content.setFocus()

    def submit(self) -> None:
        self.status.setText("")
        db, actor, number = self.db, self.actor, self.number
        content, due = self.content.toPlainText(), to_date(self.answer_by.date())
        self.runner.submit(lambda: records.issue(db, actor, number, content, due), self._done,
                           lambda exc: report_on(self.status, exc))

    def _done(self, item: SupervisionItem) -> None:
        self.accept()
        self.issued.emit(item.id)


class AnswerDialog(QDialog):
    """答复 a 督办 addressed to this workstation."""

    answered = Signal(str)  # the 督办's id

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, item: SupervisionItem,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisionAnswerDialog")
        self.db, self.actor, self.runner, self.item = db, actor, runner, item
        self.setWindowTitle(f"答复督办 — {item.case_number}")
        self.setMinimumWidth(560)
        self.form = InlineForm()
        summary = QLabel(f"<b>{escape(item.rule_label)}</b>（{escape(item.warning_label)}）　"
                         f"{escape(item.target_label)} {escape(item.case_number)}<br>{escape(item.content)}<br>"
                         f"督办人 {escape(item.issued_by_name)}　答复期限 {item.due_date:%Y-%m-%d}")
        summary.setWordWrap(True)
        self.form.addRow(summary)
        self.outcome = QComboBox()
        self.outcome.addItem("请选择", None)
        for key, text in RESULTS.items():
            self.outcome.addItem(text, key)
        self.form.add_field("result", "答复结果(&R)", self.outcome)
        self.text = self.form.add_field("text", "答复内容(&N)", _text_box(ANSWER_MAX, "办理情况、原因和整改措施"),
                                        f"不超过{ANSWER_MAX}字")
        self.status = dialog_with_form(self, self.form, "答复(&K)", self.submit)
        bind(self, "supervision_dialog", "confirm", self.submit)
        self.outcome.setFocus()

    def submit(self) -> None:
        self.status.setText("")
        db, actor, key = self.db, self.actor, self.item.id
        result = str(self.outcome.currentData() or "")
        body = self.text.toPlainText()
        self.runner.submit(lambda: records.answer(db, actor, key, body, result), self._done,
                           lambda exc: report_on(self.status, exc))

    def _done(self, item: SupervisionItem) -> None:
        self.accept()
        self.answered.emit(item.id)


def later(days: int) -> QDate:
    """A date `days` after today, as a date edit's value (tests pick answer-by dates with it)."""
    day = to_date(today_qdate()) + timedelta(days=days)
    return QDate(day.year, day.month, day.day)

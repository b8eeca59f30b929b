"""Forms with an inline error line under each field, shared by the set-up and staff dialogs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.errors import UserError

ERROR_STYLE = "color:#b00020;"
W = TypeVar("W", bound=QWidget)


def status_label(object_name: str = "status") -> QLabel:
    """The red line under a form that says why it was not accepted."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def to_date(value: QDate) -> date:
    """A date edit's value as a datetime.date (typed, unlike QDate.toPython())."""
    return date(value.year(), value.month(), value.day())


def today_qdate() -> QDate:
    """Today (from app.clock, like every "now") as a date edit's value."""
    from app.clock import local_today

    day = local_today()
    return QDate(day.year, day.month, day.day)


def dialog_with_form(dialog: QDialog, form: QFormLayout, ok_text: str, on_ok: Callable[[], None]) -> QLabel:
    """Lay out a form dialog: the form, then a status line with Cancel and the default button."""
    status = status_label()
    ok = QPushButton(ok_text)
    ok.setDefault(True)
    cancel = QPushButton("取消")
    ok.clicked.connect(on_ok)
    cancel.clicked.connect(dialog.reject)
    buttons = QHBoxLayout()
    buttons.addWidget(status, 1)
    buttons.addWidget(cancel)
    buttons.addWidget(ok)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addLayout(buttons)
    return status


def report_on(label: QLabel, exc: BaseException) -> bool:
    """Show a user error on the form's status line; False for anything else (the crash hook's)."""
    if isinstance(exc, UserError):
        label.setText("；".join(exc.errors))
        return True
    return False


class InlineForm(QFormLayout):
    """A QFormLayout whose rows each carry a hidden error label shown by set_errors()."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._rows: dict[str, QWidget] = {}

    def add_field(self, key: str, label: str, widget: W, hint: str = "") -> W:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        error = QLabel()
        error.setObjectName(f"error_{key}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        if hint:
            widget.setToolTip(hint)
        title = QLabel(label)
        title.setBuddy(widget)
        self.addRow(title, box)
        self._rows[key] = box
        self._fields[key] = widget
        self._errors[key] = error
        return widget

    def set_visible(self, key: str, visible: bool) -> None:
        """Show or hide a whole row (label, field and its error line)."""
        self.setRowVisible(self._rows[key], visible)

    def set_errors(self, errors: dict[str, str], focus: bool = True) -> None:
        """Show each field's message; focus the first field in error unless told not to."""
        first: QWidget | None = None
        for key, label in self._errors.items():
            message = errors.get(key)
            label.setText(message or "")
            label.setVisible(bool(message))
            if message and first is None:
                first = self._fields[key]
        if first is not None and focus:
            first.setFocus()

    def error_text(self, key: str) -> str:
        return self._errors[key].text()

    def keys(self) -> list[str]:
        """The field keys in the order they were added (the order the form reads)."""
        return list(self._fields)

    def field(self, key: str) -> QWidget:
        return self._fields[key]

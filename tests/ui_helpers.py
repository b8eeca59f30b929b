"""Helpers for GUI tests: typing Chinese (QTest handles ASCII only) and finding message boxes."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget


def type_chinese(widget: QWidget, text: str) -> None:
    """Commit text through an input-method event, as a Chinese IME does."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def visible_message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]

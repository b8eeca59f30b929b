"""Barcode scans anywhere in the main window.

A scanner types the number and Enter like a keyboard, into whatever has the focus. This filter
keeps the characters typed since the last Enter; when Enter completes a known document number,
it takes the number back out of the field it landed in and hands it to the registered handler.
A clerk who types a number by hand and presses Enter gets the same, which is what they want.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from app.services.settings import PUBLIC_LINK

MAX_BUFFER = 200  # a QR link: the centre's address (at most 100 characters), /q/ and the number
# The QR code of a receipt or 办结通知书 may be a link to the centre's public page, <address>/q/<number>:
# the number is taken out of it (app.services.settings.CenterSettings.public_link).
LINK = PUBLIC_LINK  # one definition of the link, in the core (app.services.settings)
PASS_SCANS = "passesScans"  # a window property: scans typed there go through to the main window
_ENTER = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
_RESET = {Qt.Key.Key_Tab, Qt.Key.Key_Escape, Qt.Key.Key_Backtab}


class ScanRouter(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self._buffer = ""
        self._routes: list[tuple[re.Pattern[str], Callable[[str], None]]] = []

    def register(self, pattern: str, handler: Callable[[str], None]) -> None:
        self._routes.append((re.compile(pattern), handler))

    def install(self) -> None:
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        focus = QApplication.focusWidget()
        # Each key press is seen once: on the widget that has the focus (or the window itself).
        if watched is not (focus or self.window):
            return False
        if not isinstance(watched, QWidget):
            return False
        window = watched.window()
        passing = self._passes(window)
        if window is not self.window and not passing:
            return False
        key = Qt.Key(event.key())
        if key in _ENTER:
            typed, self._buffer = self._buffer, ""
            if passing and self._matches(typed):
                window.close()  # a preview left open: the next citizen's scan still goes through
                return self._route(typed, None)
            return self._route(typed, focus)
        if key in _RESET:
            self._buffer = ""
        elif key == Qt.Key.Key_Backspace:
            self._buffer = self._buffer[:-1]
        elif event.text() and event.text().isprintable():
            self._buffer = (self._buffer + event.text())[-MAX_BUFFER:]
        return False

    def _passes(self, window: QWidget) -> bool:
        """A dialog of the main window marked to let scans through (a print preview)."""
        parent = window.parentWidget()
        return (window is not self.window and bool(window.property(PASS_SCANS))
                and parent is not None and parent.window() is self.window)

    def _matches(self, typed: str) -> bool:
        code, _length = unlink(typed)
        return any((m := p.search(code.upper())) and m.end() == len(code) for p, _h in self._routes)

    def _route(self, typed: str, focus: QWidget | None) -> bool:
        code_text, link_length = unlink(typed)
        for pattern, handler in self._routes:
            match = pattern.search(code_text.upper())
            if match and match.end() == len(code_text):
                code = match.group(0)
                _take_back(focus, link_length or len(code))
                handler(code)
                return True
        return False


def unlink(typed: str) -> tuple[str, int]:
    """A scanned public-page link as the number it names, with how many characters the link took
    (0 when `typed` is not a link: the code itself is taken back)."""
    match = LINK.search(typed)
    if match is None:
        return typed, 0
    return match.group(1), len(typed) - match.start()


def _take_back(widget: QWidget | None, length: int) -> None:
    """Remove the scanned characters from the text field they were typed into."""
    if isinstance(widget, QLineEdit) and not widget.isReadOnly():
        text = widget.text()
        widget.setText(text[:-length] if len(text) >= length else "")
    elif isinstance(widget, (QPlainTextEdit, QTextEdit)) and not widget.isReadOnly():
        cursor = widget.textCursor()
        for _ in range(length):
            cursor.deletePreviousChar()
    elif isinstance(widget, QAbstractSpinBox):
        widget.clear()

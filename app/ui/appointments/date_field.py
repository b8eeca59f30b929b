"""A date box that takes a whole typed date: 20261130, 2026-11-30, 2026/11/30 or 2026.11.30.

QDateEdit edits one section at a time, so typed digits land in the year or are dropped and reaching a
day a month away takes dozens of arrow presses. This field is a line edit: on focus its text is selected,
so the clerk just types the date (eight digits take effect at once, a shorter form on Enter or leaving
the field); PgUp/PgDown (or -/+ while the shown date is untouched) step one day back or forward, and
Up/Down do the same. A text that is not a date is refused in Chinese in the tooltip and the last good
date is shown again. Same reading API as QDateEdit (date, setDate, dateChanged) so callers keep to_date.

A line edit claims Ctrl+letter keys for its own editing before the window's shortcuts see them; on X11
Ctrl+U is "delete the whole line" and Ctrl+K "delete to the end", so the screen's Ctrl+U (上门受理) typed in
this box blanked the date. Only the ordinary editing keys (select all, copy, cut, paste, undo, redo) stay
the box's own; every other Ctrl/Alt key goes on to the screen's shortcuts.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

_SEPARATED = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_STEPS = {Qt.Key.Key_PageUp: -1, Qt.Key.Key_PageDown: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}
_SIGNS = {"-": -1, "+": 1, "=": 1}  # "=" is + without Shift on most keyboards
_OWN_KEYS = (QKeySequence.StandardKey.SelectAll, QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.Cut,
             QKeySequence.StandardKey.Paste, QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)
_COMMAND = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier


def parse_date(text: str) -> date | None:
    """The date a clerk typed, or None: eight digits (20261130) or year, month, day with - / . or 年月日."""
    value = text.strip()[:20]
    if re.fullmatch(r"\d{8}", value):
        parts: tuple[str, ...] = (value[:4], value[4:6], value[6:])
    else:
        match = _SEPARATED.match(value)
        if match is None:
            return None
        parts = tuple(match.groups())
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


class DateField(QLineEdit):
    """A date typed whole or stepped by day; emits dateChanged(QDate) when the date really changes."""

    dateChanged = Signal(QDate)

    def __init__(self, value: QDate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._date = QDate(value)
        self._minimum = QDate(1900, 1, 1)
        self._maximum = QDate(2199, 12, 31)
        self.setMaxLength(20)
        self.setPlaceholderText("如 20261130")
        self.setToolTip("直接输入日期，如 20261130 或 2026-11-30；PgUp/PgDown 前一天、后一天")
        self.setText(self._shown())
        self.textEdited.connect(self._edited)
        self.editingFinished.connect(self._finish)

    # -- the QDateEdit reading API ---------------------------------------------------------------

    def date(self) -> QDate:
        return QDate(self._date)

    def setDate(self, value: QDate) -> None:
        value = max(self._minimum, min(self._maximum, value))
        changed = value != self._date
        self._date = QDate(value)
        self.setText(self._shown())
        if changed:
            self.dateChanged.emit(QDate(self._date))

    def setMinimumDate(self, value: QDate) -> None:
        self._minimum = QDate(value)
        if self._date < value:
            self.setDate(value)

    def setMaximumDate(self, value: QDate) -> None:
        self._maximum = QDate(value)
        if self._date > value:
            self.setDate(value)

    # -- typing ----------------------------------------------------------------------------------

    def _shown(self) -> str:
        return self._date.toString("yyyy-MM-dd")

    def _take(self, text: str) -> bool:
        day = parse_date(text)
        if day is None:
            return False
        value = QDate(day.year, day.month, day.day)
        if not self._minimum <= value <= self._maximum:
            self.setToolTip(f"日期应在 {self._minimum.toString('yyyy-MM-dd')} 至 "
                            f"{self._maximum.toString('yyyy-MM-dd')} 之间")
            return False
        self.setDate(value)
        return True

    def _edited(self, text: str) -> None:
        if re.fullmatch(r"\d{8}", text.strip()):
            self._take(text)

    def _finish(self) -> None:
        text = self.text()
        if text == self._shown():
            return
        if not self._take(text):
            self.setToolTip(f"“{text.strip()[:20]}”不是有效日期，请输入如 20261130 或 2026-11-30；已恢复为 "
                            f"{self._shown()}")
            self.setText(self._shown())

    def event(self, event: QEvent) -> bool:
        """Ctrl/Alt keys other than plain editing are the screen's shortcuts, not line edits (see above)."""
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.modifiers() & _COMMAND and not any(event.matches(key) for key in _OWN_KEYS)):
            event.ignore()  # not overridden: the shortcut map takes it
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() & _COMMAND and not any(event.matches(key) for key in _OWN_KEYS):
            event.ignore()  # no shortcut took it: still not an edit of the date (never Ctrl+U's blank line)
            return
        step = _STEPS.get(Qt.Key(event.key()))
        if step is None and event.text() in _SIGNS and self.text() == self._shown():
            step = _SIGNS[event.text()]
        if step is not None:
            if self.text() != self._shown():
                self._finish()
            self.setDate(self._date.addDays(step))
            self.selectAll()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        QTimer.singleShot(0, self.selectAll)  # after the click that placed the cursor: typing replaces

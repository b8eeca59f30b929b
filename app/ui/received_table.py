"""The table of materials received, as F6 and the 补正 dialog show it: Space ticks, F2 edits counts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTableView

from app.ui.checklist_model import COUNT_COLUMNS, ReceivedModel
from app.ui.table_model import setup_table


class ReceivedTable(QTableView):
    """Keyboard first: Space ticks the current material, F2 edits its count (starting at 原件收取)."""

    def __init__(self, model: ReceivedModel, object_name: str = "receivedTable") -> None:
        super().__init__()
        self.checklist = model
        setup_table(self, model, object_name, 2)
        self.setEditTriggers(  # counts as received: F2 or double-click to change
            QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self or not isinstance(event, QKeyEvent):
            return False
        if event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_F2:
            event.accept()  # F2 edits the counts here; the window's F2 (catalogue) must not take it
            return True
        if event.type() != QEvent.Type.KeyPress:
            return False
        if event.key() == Qt.Key.Key_Space:
            self.checklist.toggle(self.currentIndex().row())
            return True
        if event.key() == Qt.Key.Key_F2 and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.edit_counts()
            return True
        return False

    def edit_counts(self) -> None:
        """F2: edit the current row's count, starting at 原件收取 when the cursor is on another column."""
        row = self.currentIndex().row()
        if row < 0:
            return
        column = self.currentIndex().column()
        index = self.checklist.index(row, column if column in COUNT_COLUMNS else min(COUNT_COLUMNS))
        self.setCurrentIndex(index)
        self.edit(index)

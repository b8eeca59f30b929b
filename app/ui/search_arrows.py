"""↑/↓ (and PgUp/PgDn) typed in a list's search box move through the list, so a clerk finds a record
and picks it without leaving the keyboard's home row or tabbing to the table."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QTableView

STEPS = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -10, Qt.Key.Key_PageDown: 10}


class SearchArrows(QObject):
    def __init__(self, search: QLineEdit, table: QTableView) -> None:
        super().__init__(search)
        self.table = table
        search.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = STEPS.get(Qt.Key(event.key()))
            model = self.table.model()
            if step is not None and model is not None and model.rowCount() > 0:
                row = min(model.rowCount() - 1, max(0, max(0, self.table.currentIndex().row()) + step))
                self.table.selectRow(row)
                self.table.scrollTo(model.index(row, 0))
                return True
        return False

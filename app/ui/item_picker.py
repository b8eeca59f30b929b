"""Finding a catalogue item from the keyboard: type, move with ↑/↓/PgUp/PgDn, Enter to choose.

The search box keeps the focus while the clerk moves through the results, so typing can go on at
any time; Esc clears the search. Used by the catalogue browser and the one-time notice.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.catalog.search import ItemSummary, search
from app.services.labels import class_label
from app.ui.table_model import RecordTableModel, make_table

_STEPS = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -10, Qt.Key.Key_PageDown: 10}


def _columns() -> list[tuple[str, object]]:
    return [
        ("编码", lambda i: i.code),
        ("事项名称", lambda i: i.name + ("（已停用）" if i.retired else "")),
        ("类别", lambda i: i.category),
        ("办件类型", lambda i: class_label(i.case_class)),
        ("承诺时限", lambda i: "当场" if i.promised_limit_days == 0 else f"{i.promised_limit_days}个工作日"),
        ("代办", lambda i: "可" if i.agent_allowed else ""),
    ]


class ItemPicker(QWidget):
    current_changed = Signal(object)  # ItemSummary | None
    chosen = Signal(object)  # ItemSummary, on Enter

    def __init__(self, allow_retired: bool = True, compact: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all: list[ItemSummary] = []
        self.search_box = QLineEdit()
        self.search_box.setObjectName("itemSearch")
        self.search_box.setPlaceholderText("输入事项名称、编码或拼音首字母，如 dbsq（低保申请）")
        self.search_box.setClearButtonEnabled(True)
        self.include_retired = QCheckBox("含已停用事项(&R)")
        self.include_retired.setVisible(allow_retired)
        self.count_label = QLabel("正在加载事项清单……")
        self.model: RecordTableModel[ItemSummary] = RecordTableModel(_columns())  # type: ignore[arg-type]
        self.model.set_muted(lambda i: i.retired)
        self.table = make_table(self.model, "itemTable", 1)
        if compact:  # beside a form: code, name and promised time are enough
            for column in (2, 3, 5):
                self.table.setColumnHidden(column, True)
        label = QLabel("查找(&F)")
        label.setBuddy(self.search_box)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.search_box, 1)
        top.addWidget(self.include_retired)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.search_box.textChanged.connect(self.refilter)
        self.include_retired.toggled.connect(self.refilter)
        self.search_box.installEventFilter(self)
        self.search_box.returnPressed.connect(self._choose_current)
        self.table.activated.connect(lambda _index: self._choose_current())
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.current_changed.emit(self.model.row_at(current.row()))
        )
        self.setFocusProxy(self.search_box)

    def set_items(self, items: list[ItemSummary]) -> None:
        self._all = items
        self.refilter()

    def refilter(self) -> None:
        with_retired = self.include_retired.isChecked() and self.include_retired.isVisible()
        matches = search(self._all, self.search_box.text(), with_retired)
        self.model.set_rows(matches)
        total = sum(1 for i in self._all if with_retired or not i.retired)
        self.count_label.setText(f"找到 {len(matches)} 项（共 {total} 项）")
        if matches:
            self.table.selectRow(0)
        self.current_changed.emit(matches[0] if matches else None)

    def current(self) -> ItemSummary | None:
        return self.model.row_at(self.table.currentIndex().row())

    def replace_items(self, items: list[ItemSummary]) -> bool:
        """A changed catalogue under a form being filled: the item in use stays selected, with no
        current_changed (which would reset the clerk's ticks); True when it did. Otherwise as set_items."""
        current = self.current()
        if current is None:
            self.set_items(items)
            return False
        with QSignalBlocker(self):
            self.set_items(items)  # the clerk's search stays as typed
            rows = [item.code for item in self.model.rows()]
            kept = current.code in rows
            if kept:
                self.table.selectRow(rows.index(current.code))
        if not kept:
            self.current_changed.emit(self.current())
        return kept

    def select_code(self, code: str) -> bool:
        """Show and select the item with this code (clearing a search that hides it)."""
        for attempt in range(2):
            for row, item in enumerate(self.model.rows()):
                if item.code == code:
                    if self.table.currentIndex().row() == row:
                        self.current_changed.emit(item)  # selectRow would not signal an unchanged row
                    else:
                        self.table.selectRow(row)
                    return True
            if attempt == 0:
                self.search_box.blockSignals(True)
                self.search_box.clear()
                self.search_box.blockSignals(False)
                self.refilter()
        return False

    def _choose_current(self) -> None:
        item = self.current()
        if item is not None:
            self.chosen.emit(item)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_box and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = Qt.Key(event.key())
            if key in _STEPS:
                self._move(_STEPS[key])
                return True
            if key == Qt.Key.Key_Escape and self.search_box.text():
                self.search_box.clear()
                return True
        return False

    def _move(self, step: int) -> None:
        rows = self.model.rowCount()
        if rows == 0:
            return
        target = min(rows - 1, max(0, max(0, self.table.currentIndex().row()) + step))
        self.table.selectRow(target)
        self.table.scrollTo(self.model.index(target, 0))

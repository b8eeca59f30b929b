"""Catalogue browser: search as you type on the left, the item's full guide on the right.

The search box keeps the focus: Up/Down/PageUp/PageDown move through the results from there,
Enter moves into the guide, Esc clears the search, so a clerk never needs the mouse.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.database import Database
from app.models.catalog import CASE_CLASSES
from app.services import catalog
from app.services.catalog_data import ItemData
from app.services.catalog_search import ItemSummary, search
from app.ui.guide_html import guide_html
from app.ui.table_model import RecordTableModel
from app.ui.tasks import TaskRunner

_NAV_KEYS = {
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
}


def _columns() -> list[tuple[str, object]]:
    return [
        ("编码", lambda i: i.code),
        ("事项名称", lambda i: i.name + ("（已停用）" if i.retired else "")),
        ("类别", lambda i: i.category),
        ("办件类型", lambda i: CASE_CLASSES.get(i.case_class, i.case_class)),
        ("承诺时限", lambda i: "当场" if i.promised_limit_days == 0 else f"{i.promised_limit_days}个工作日"),
        ("代办", lambda i: "可" if i.agent_allowed else ""),
    ]


class CatalogView(QWidget):
    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self._all: list[ItemSummary] = []
        self._guides: dict[str, ItemData] = {}
        self.search_box = QLineEdit()
        self.search_box.setObjectName("catalogSearch")
        self.search_box.setPlaceholderText("输入事项名称、编码或拼音首字母，如 dbsq（低保申请）")
        self.search_box.setClearButtonEnabled(True)
        self.include_retired = QCheckBox("含已停用事项(&R)")
        self.count_label = QLabel("正在加载事项清单……")
        self.model: RecordTableModel[ItemSummary] = RecordTableModel(_columns())  # type: ignore[arg-type]
        self.model.set_muted(lambda i: i.retired)
        self.table = QTableView()
        self.table.setObjectName("catalogTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        self.guide = QTextBrowser()
        self.guide.setObjectName("guide")
        self.guide.setOpenLinks(False)
        search_label = QLabel("查找(&F)")
        search_label.setBuddy(self.search_box)
        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search_box, 1)
        top.addWidget(self.include_retired)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count_label)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.guide)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.search_box.textChanged.connect(self.refilter)
        self.include_retired.toggled.connect(self.refilter)
        self.search_box.installEventFilter(self)
        self.guide.installEventFilter(self)
        self.search_box.returnPressed.connect(self.guide.setFocus)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.show_item(cur.row()))
        self.setFocusProxy(self.search_box)

    def load(self) -> None:
        """Read the catalogue in the background; results are filtered in memory afterwards."""

        def read() -> tuple[list[ItemSummary], list[ItemData]]:
            return catalog.load_summaries(self.db), catalog.load_all(self.db)

        self.runner.submit(read, self._loaded)

    def _loaded(self, result: tuple[list[ItemSummary], list[ItemData]]) -> None:
        self._all, items = result
        self._guides = {i.code: i for i in items}
        self.refilter()

    def refilter(self) -> None:
        matches = search(self._all, self.search_box.text(), self.include_retired.isChecked())
        self.model.set_rows(matches)
        total = sum(1 for i in self._all if self.include_retired.isChecked() or not i.retired)
        self.count_label.setText(f"找到 {len(matches)} 项（共 {total} 项）")
        if matches:
            self.table.selectRow(0)
            self.show_item(0)
        else:
            text = self.search_box.text().strip()
            self.guide.setHtml(f"<p>没有找到与“{text}”相关的事项。可以换用简称、编码或拼音首字母再试。</p>")

    def show_item(self, row: int) -> None:
        summary = self.model.row_at(row)
        if summary is None:
            return
        item = self._guides.get(summary.code)
        if item is not None:
            self.guide.setHtml(guide_html(item))

    def current_item(self) -> ItemData | None:
        summary = self.model.row_at(self.table.currentIndex().row())
        return self._guides.get(summary.code) if summary else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if watched is self.search_box:
            if event.key() in _NAV_KEYS:
                self._move(event.key())
                return True
            if event.key() == Qt.Key.Key_Escape and self.search_box.text():
                self.search_box.clear()
                return True
        if watched is self.guide and event.key() == Qt.Key.Key_Escape:
            self.search_box.setFocus()
            self.search_box.selectAll()
            return True
        return False

    def _move(self, key: int) -> None:
        rows = self.model.rowCount()
        if rows == 0:
            return
        current = max(0, self.table.currentIndex().row())
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -10, Qt.Key.Key_PageDown: 10}[
            Qt.Key(key)
        ]
        target = min(rows - 1, max(0, current + step))
        self.table.selectRow(target)
        self.table.scrollTo(self.model.index(target, 0))

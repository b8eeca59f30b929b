"""Catalogue browser: search as you type on the left, the item's full guide on the right.

Enter moves from the search into the guide, Esc goes back, so a clerk never needs the mouse.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QSplitter, QTableView, QTextBrowser, QVBoxLayout, QWidget

from app.database import Database
from app.services import catalog
from app.services.catalog_data import ItemData
from app.services.catalog_search import ItemSummary
from app.ui.guide_html import guide_html
from app.ui.item_picker import ItemPicker
from app.ui.table_model import RecordTableModel
from app.ui.tasks import TaskRunner


class CatalogView(QWidget):
    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self._guides: dict[str, ItemData] = {}
        self.picker = ItemPicker(allow_retired=True)
        self.search_box = self.picker.search_box
        self.guide = QTextBrowser()
        self.guide.setObjectName("guide")
        self.guide.setOpenLinks(False)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.picker)
        self.splitter.addWidget(self.guide)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.picker.current_changed.connect(self.show_item)
        self.picker.chosen.connect(lambda _item: self.guide.setFocus())
        self.guide.installEventFilter(self)
        self.setFocusProxy(self.search_box)

    @property
    def model(self) -> RecordTableModel[ItemSummary]:
        return self.picker.model

    @property
    def count_label(self) -> QLabel:
        return self.picker.count_label

    @property
    def table(self) -> QTableView:
        return self.picker.table

    def load(self) -> None:
        """Read the catalogue in the background; results are filtered in memory afterwards."""
        self.runner.submit(lambda: catalog.load_catalog(self.db), self._loaded)

    def _loaded(self, result: tuple[list[ItemSummary], list[ItemData]]) -> None:
        summaries, items = result
        self._guides = {i.code: i for i in items}
        self.picker.set_items(summaries)

    def show_item(self, summary: ItemSummary | None) -> None:
        if summary is None:
            text = self.search_box.text().strip()
            self.guide.setHtml(f"<p>没有找到与“{text}”相关的事项。可以换用简称、编码或拼音首字母再试。</p>")
            return
        item = self._guides.get(summary.code)
        if item is not None:
            self.guide.setHtml(guide_html(item))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.guide
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            self.search_box.setFocus()
            self.search_box.selectAll()
            return True
        return False

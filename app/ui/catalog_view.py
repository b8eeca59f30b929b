"""Catalogue browser: search as you type on the left, the item's full guide on the right.

Enter moves from the search into the guide, Esc goes back, so a clerk never needs the mouse.
Directors and administrators import a catalogue file here (.json or .xlsx) with its progress shown;
取消 works while the file is read and checked, not once the items are being written (all or nothing).
The browser refreshes itself whenever the catalogue changes (an import, a sync), keeping the item shown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.database import Database
from app.progress import CANCELLED_TEXT
from app.services.catalog.agency import FLAG_LABEL, load_offered_catalog, set_agency_ok
from app.services.catalog.data import ItemData
from app.services.catalog.files import import_catalog
from app.services.catalog.items import ImportReport
from app.services.catalog.search import ItemSummary
from app.services.errors import UserError
from app.services.people.permissions import EDIT_CATALOG, can
from app.ui.change_watch import watch
from app.ui.forms import status_label
from app.ui.guide_html import guide_html
from app.ui.item_picker import ItemPicker
from app.ui.messages import show_message, show_user_error
from app.ui.table_model import RecordTableModel
from app.ui.tasks import TaskRunner

WATCHED_TABLES = ("service_item", "item_material")


class CatalogView(QWidget):
    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None,
                 actor: Actor | None = None) -> None:
        """`actor`: who is logged in; a director or administrator gets the import button."""
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self.actor = actor
        self._guides: dict[str, ItemData] = {}
        self._loaded_once = False
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
        self.status = status_label("catalogStatus")
        self.import_button: QPushButton | None = None
        self.agency_box: QCheckBox | None = None  # the village list (可代办), for whoever edits the catalogue
        if actor is not None and can(actor, EDIT_CATALOG):
            self.agency_box = QCheckBox(f"{FLAG_LABEL}(&A)")
            self.agency_box.setObjectName("agencyOk")
            self.agency_box.setToolTip("村级代办事项清单：勾选后，村(社区)代办点可以代办受理所选事项")
            self.agency_box.toggled.connect(self._agency_toggled)
            self.import_button = QPushButton("导入事项清单(&I)…")
            self.import_button.setObjectName("catalogImport")
            self.import_button.clicked.connect(self.choose_file)
            row = QHBoxLayout()
            row.addWidget(self.status, 1)
            row.addWidget(self.agency_box)
            row.addWidget(self.import_button)
            layout.addLayout(row)
        self.picker.current_changed.connect(self.show_item)
        self.picker.chosen.connect(lambda _item: self.guide.setFocus())
        self.guide.installEventFilter(self)
        watch(self, db, WATCHED_TABLES, self.load)
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
        """Read the catalogue in the background (an agency point's: the village list only, one rule in
        app.services.catalog.agency); results are filtered in memory afterwards."""
        self.runner.submit(lambda: load_offered_catalog(self.db), self._loaded)

    def _loaded(self, result: tuple[list[ItemSummary], list[ItemData]]) -> None:
        summaries, items = result
        self._guides = {i.code: i for i in items}
        if not self._loaded_once:
            self._loaded_once = True
            self.picker.set_items(summaries)
        elif self.picker.replace_items(summaries):  # a changed catalogue: same search, same item, new guide
            self.show_item(self.picker.current())

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入事项清单", "", "事项清单 (*.json *.xlsx)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Read, check and apply the file in the background; the browser refreshes by itself."""
        actor = self.actor
        if actor is None:
            return
        self.status.setText("")
        self.runner.submit_with_progress(
            "导入事项清单", lambda progress: import_catalog(self.db, actor, path, progress), self._imported,
            self._import_failed, parent=self, on_cancelled=self._import_cancelled)

    def _imported(self, report: ImportReport) -> None:
        self.status.setText("")
        show_message(self, f"导入完成：新增 {report.added} 项，更新 {report.updated} 项，未变 {report.unchanged} 项",
                     "导入事项清单")

    def _import_failed(self, exc: BaseException) -> bool:
        if isinstance(exc, UserError):  # every problem of the file, each with where it is
            self.status.setText(exc.message)
            show_user_error(self, exc)
            return True
        return False

    def _import_cancelled(self) -> None:
        self.status.setText(f"导入{CANCELLED_TEXT}，事项清单未作任何修改")

    def show_item(self, summary: ItemSummary | None) -> None:
        if self.agency_box is not None:
            with QSignalBlocker(self.agency_box):
                self.agency_box.setChecked(bool(summary and summary.agent_allowed))
            self.agency_box.setEnabled(summary is not None)
        if summary is None:
            text = self.search_box.text().strip()
            self.guide.setHtml(f"<p>没有找到与“{text}”相关的事项。可以换用简称、编码或拼音首字母再试。</p>")
            return
        item = self._guides.get(summary.code)
        if item is not None:
            self.guide.setHtml(guide_html(item))

    def _agency_toggled(self, allowed: bool) -> None:
        """On or off the village list; the browser refreshes itself when the catalogue has changed."""
        summary, actor = self.picker.current(), self.actor
        if summary is None or actor is None or summary.agent_allowed == allowed:
            return
        code, name = summary.code, summary.name

        def done(_result: object) -> None:
            self.status.setText(f"已将“{name}”{'列入' if allowed else '移出'}村级代办事项清单")

        def failed(exc: BaseException) -> bool:
            self.show_item(self.picker.current())  # the box shows what is stored
            if isinstance(exc, UserError):
                show_user_error(self, exc)
                return True
            return False

        self.runner.submit(lambda: set_agency_ok(self.db, actor, code, allowed), done, failed)

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

"""The 一次性告知 area: the checklist editor and the list of notices issued (Ctrl+Tab between them)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QTabWidget, QVBoxLayout, QWidget

from app.actor import Actor
from app.database import Database
from app.ui.documents import DocumentOpener
from app.ui.notice_editor import NoticeEditor
from app.ui.notice_list import NoticeList
from app.ui.tasks import TaskRunner


class NoticeArea(QWidget):
    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, opener: DocumentOpener,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.opener = opener
        self.editor = NoticeEditor(db, actor, runner)
        self.list = NoticeList(db, runner)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.editor, "出具告知书")
        self.tabs.addTab(self.list, "告知书记录")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.editor.issued.connect(self._issued)
        self.list.reprint_requested.connect(lambda number: self.opener.open("notice", number))
        self.list.reopen_requested.connect(self.reopen)
        self.setFocusProxy(self.editor)

    def search_field(self) -> QLineEdit:
        """Ctrl+F here searches the items of the checklist editor (the list of notices has no search)."""
        self.tabs.setCurrentWidget(self.editor)
        return self.editor.picker.search_box

    def load(self) -> None:
        self.editor.load()
        self.list.load()

    def _issued(self, number: str) -> None:
        self.opener.open("notice", number)

    def reopen(self, number: str) -> None:
        self.tabs.setCurrentWidget(self.editor)
        self.editor.reopen(number)

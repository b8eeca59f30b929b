"""Notices issued on this workstation: reopen one (Enter) or reprint it (Ctrl+R, marked 补打)."""

from __future__ import annotations

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.database import Database
from app.services.notices import NoticeSummary, list_notices
from app.ui.table_model import RecordTableModel, make_table
from app.ui.tasks import TaskRunner


class NoticeList(QWidget):
    reopen_requested = Signal(str)
    reprint_requested = Signal(str)

    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self.model: RecordTableModel[NoticeSummary] = RecordTableModel(
            [
                ("告知书编号", lambda n: n.number),
                ("出具时间", lambda n: f"{n.issued_at.astimezone():%Y-%m-%d %H:%M}"),
                ("申请人", lambda n: n.citizen_name),
                ("事项", lambda n: f"{n.item_name}（{n.item_code}）"),
                ("经办人", lambda n: f"{n.staff_name}（{n.staff_no}）"),
                ("尚缺", lambda n: f"{n.missing_count}项" if n.missing_count else "齐全"),
            ]
        )
        self.table = make_table(self.model, "noticeTable", 3)
        self.table.activated.connect(lambda _i: self._emit(self.reopen_requested))
        reopen = QPushButton("再次来访，打开清单(&O)")
        reprint = QPushButton("补打(&R)")
        reopen.clicked.connect(lambda: self._emit(self.reopen_requested))
        reprint.clicked.connect(lambda: self._emit(self.reprint_requested))
        QShortcut(QKeySequence("Ctrl+R"), self, lambda: self._emit(self.reprint_requested))
        buttons = QHBoxLayout()
        buttons.addWidget(reopen)
        buttons.addWidget(reprint)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)

    def load(self) -> None:
        self.runner.submit(lambda: list_notices(self.db), self._loaded)

    def _loaded(self, notices: list[NoticeSummary]) -> None:
        self.model.set_rows(notices)
        if notices:
            self.table.selectRow(0)

    def selected(self) -> NoticeSummary | None:
        return self.model.row_at(self.table.currentIndex().row())

    def _emit(self, signal: SignalInstance) -> None:
        notice = self.selected()
        if notice is not None:
            signal.emit(notice.number)

"""Notices issued on this workstation: reopen one (Enter) or reprint it (Ctrl+R, marked 补打)."""

from __future__ import annotations

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import changes
from app.database import Database
from app.services.inquiries.notices import NoticeSummary, page_notices
from app.ui.change_watch import watch
from app.ui.key_binding import bind
from app.ui.table_model import PagedRecordModel, make_table
from app.ui.tasks import TaskRunner


class NoticeList(QWidget):
    reopen_requested = Signal(str)
    reprint_requested = Signal(str)

    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self.model: PagedRecordModel[NoticeSummary] = PagedRecordModel(
            [
                ("告知书编号", lambda n: n.number),
                ("出具时间", lambda n: f"{n.issued_at.astimezone():%Y-%m-%d %H:%M}"),
                ("申请人", lambda n: n.citizen_name),
                ("事项", lambda n: f"{n.item_name}（{n.item_code}）"),
                ("经办人", lambda n: f"{n.staff_name}（{n.staff_no}）"),
                ("尚缺", lambda n: f"{n.missing_count}项" if n.missing_count else "齐全"),
            ],
            runner,
            self,
        )
        self.model.loaded.connect(self._loaded)
        self.model.total_changed.connect(self._show_total)
        self.count = QLabel()
        self.table = make_table(self.model, "noticeTable", 3)
        self.table.activated.connect(lambda _i: self._emit(self.reopen_requested))
        reopen = QPushButton("再次来访，打开清单(&O)")
        reprint = QPushButton("补打(&R)")
        reopen.clicked.connect(lambda: self._emit(self.reopen_requested))
        reprint.clicked.connect(lambda: self._emit(self.reprint_requested))
        bind(self, "notices", "reprint_notice", lambda: self._emit(self.reprint_requested))
        buttons = QHBoxLayout()
        buttons.addWidget(reopen)
        buttons.addWidget(reprint)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)
        watch(self, db, changes.NOTICES, self.refresh)

    def load(self) -> None:
        self.model.load(lambda offset, limit: page_notices(self.db, offset, limit))

    def refresh(self) -> None:
        """The list again after a change, keeping the selected notice selected."""
        notice = self.selected()
        self.model.reload(keep=notice.number if notice else None)

    def _show_total(self, total: int) -> None:
        self.count.setText(f"共 {total} 份")  # every match, not only the rows fetched so far

    def _loaded(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(self.model.kept_row(lambda n: n.number))

    def selected(self) -> NoticeSummary | None:
        return self.model.row_at(self.table.currentIndex().row())

    def _emit(self, signal: SignalInstance) -> None:
        notice = self.selected()
        if notice is not None:
            signal.emit(notice.number)

"""办件登记簿 (Ctrl+Shift+L): pick the cases — accepted between two dates, in a state, of a class, by a clerk,
for an item — and export them to Excel (Ctrl+E) or print the ledger (Ctrl+P).

Both run off the GUI thread with the progress window (it appears when the work lasts) and 取消; a
cancelled export writes no file, a cancelled ledger prints nothing. Every matching case is included:
the ledger is the record, with no row cap.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.clock import local_today
from app.database import Database
from app.progress import CANCELLED_TEXT
from app.services.cases.ledger import LedgerFilter, class_labels, export_ledger, ledger_document
from app.services.catalog.items import load_summaries
from app.services.catalog.search import ItemSummary
from app.services.labels import CASE_STATUS
from app.services.people.staff import StaffRecord, list_staff
from app.services.settings import load_settings
from app.ui import pdf_folder
from app.ui.documents import DocumentOpener
from app.ui.forms import report_on, status_label, to_date
from app.ui.key_binding import bind
from app.ui.messages import show_message
from app.ui.tasks import TaskRunner

Choices = tuple[list[StaffRecord], list[ItemSummary], list[str]]


def _choices(db: Database) -> Choices:
    """Who may have accepted a case, which items exist, and the centre's own case classes."""
    return list_staff(db), load_summaries(db), load_settings(db).custom_classes()


class CaseLedgerDialog(QDialog):
    exported = Signal(int, object)  # how many cases, the file's Path

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, opener: DocumentOpener,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseLedgerDialog")
        self.setWindowTitle("办件登记簿")
        self.setMinimumWidth(520)
        self.db = db
        self.actor = actor
        self.runner = runner
        self.opener = opener
        self.loaded = False
        today = local_today()
        self.by_date = QCheckBox("按受理日期(&D)")
        self.by_date.setChecked(True)
        self.date_from = self._date_edit(today.replace(day=1))
        self.date_to = self._date_edit(today)
        self.by_date.toggled.connect(self.date_from.setEnabled)
        self.by_date.toggled.connect(self.date_to.setEnabled)
        self.status = QComboBox()
        self.status.addItem("全部状态", "")
        for key, text in CASE_STATUS.items():
            self.status.addItem(text, key)
        self.case_class = QComboBox()
        self.staff = QComboBox()
        self.item = QComboBox()
        self._fill_choices(([], [], []))
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("至"))
        dates.addWidget(self.date_to)
        form = QFormLayout()
        form.addRow(self.by_date, dates)
        for text, widget in (("状态(&S)", self.status), ("办件类型(&C)", self.case_class), ("经办人(&R)", self.staff),
                             ("事项(&I)", self.item)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.message = status_label("ledgerStatus")
        self.export_button = QPushButton("导出 Excel(&E)…")
        self.export_button.setToolTip("Ctrl+E")
        self.print_button = QPushButton("打印登记簿(&P)")
        self.print_button.setToolTip("Ctrl+P")
        self.print_button.setDefault(True)
        close = QPushButton("关闭")
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print_ledger)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("列出符合条件的全部办件（不限条数），按受理时间先后排列。"))
        layout.addLayout(form)
        layout.addLayout(buttons)
        bind(self, "case_ledger_dialog", "export", self.export)
        bind(self, "case_ledger_dialog", "print", self.print_ledger)
        self.runner.submit(lambda: _choices(db), self._loaded)

    @staticmethod
    def _date_edit(day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _loaded(self, choices: Choices) -> None:
        self._fill_choices(choices)
        self.loaded = True

    def _fill_choices(self, choices: Choices) -> None:
        staff, items, custom = choices
        for combo, everything, entries in (
            (self.case_class, "全部类型", list(class_labels(custom).items())),
            (self.staff, "全部经办人", [(m.staff_no, f"{m.name}（{m.staff_no}）") for m in staff]),
            (self.item, "全部事项", [(i.code, f"{i.name}（{i.code}）") for i in items]),
        ):
            kept = combo.currentData()
            combo.clear()
            combo.addItem(everything, "")
            for key, text in entries:
                combo.addItem(text, key)
            combo.setCurrentIndex(max(0, combo.findData(kept)))

    def current_filter(self) -> LedgerFilter:
        dated = self.by_date.isChecked()
        return LedgerFilter(
            date_from=to_date(self.date_from.date()) if dated else None,
            date_to=to_date(self.date_to.date()) if dated else None,
            status=self.status.currentData() or "", case_class=self.case_class.currentData() or "",
            staff_no=self.staff.currentData() or "", item_code=self.item.currentData() or "")

    def _period(self, flt: LedgerFilter) -> str:
        return f"{flt.date_from:%Y%m%d}至{flt.date_to:%Y%m%d}" if flt.date_from and flt.date_to else "全部"

    def export(self) -> None:
        suggested = f"办件登记簿{self._period(self.current_filter())}.xlsx"
        path = pdf_folder.ask_save(self, "导出办件登记簿", suggested)
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        flt = self.current_filter()
        self.message.setText("")
        self.runner.submit_with_progress(
            "导出办件登记簿", lambda progress: export_ledger(self.db, path, flt, progress),
            lambda count: self._exported(count, path), lambda exc: report_on(self.message, exc), parent=self,
            on_cancelled=lambda: self.message.setText(f"导出{CANCELLED_TEXT}，未写入任何文件"))

    def _exported(self, count: int, path: Path) -> None:
        self.exported.emit(count, path)
        show_message(self, f"已导出 {count} 件办件到 {path}", "导出完成")

    def print_ledger(self) -> None:
        flt = self.current_filter()
        printed_by = f"{self.actor.name}（{self.actor.staff_no}）"
        period = self._period(flt)
        self.message.setText("")
        self.runner.submit_with_progress(
            "生成办件登记簿", lambda progress: ledger_document(self.db, flt, printed_by, progress),
            lambda data: self.opener.show_pdf("办件登记簿", data, f"办件登记簿{period}.pdf", "case_ledger",
                                              period[:24]),
            lambda exc: report_on(self.message, exc), parent=self,
            on_cancelled=lambda: self.message.setText(f"打印登记簿{CANCELLED_TEXT}"))

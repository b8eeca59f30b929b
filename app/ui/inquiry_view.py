"""首问登记簿: the register with filters, export to Excel (Ctrl+E) and a printed ledger (Ctrl+P).

The register refreshes itself when inquiries, notices or cases change (app.ui.change_watch), keeping
the clerk's place. Export and ledger show their progress and may be cancelled (nothing is written or
logged then). Enter on an entry opens where the matter went: the case that followed it, else its
notice or referral slip.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.clock import local_today
from app.database import Database
from app.progress import CANCELLED_TEXT
from app.services.documents import ledger_document
from app.services.inquiries.register import InquiryFilter, InquiryRecord, export_inquiries, page_inquiries
from app.services.labels import CHANNELS, OUTCOMES
from app.services.people.staff import list_staff
from app.ui import pdf_folder
from app.ui.change_watch import watch
from app.ui.documents import DocumentOpener
from app.ui.forms import to_date, today_qdate
from app.ui.messages import show_message
from app.ui.search_arrows import SearchArrows
from app.ui.table_model import PagedRecordModel, make_table
from app.ui.tasks import TaskRunner

# What the rows show: the entries, the notices issued from them, and the cases accepted from those.
WATCHED_TABLES = ("inquiry", "notice", "case_file")


class InquiryView(QWidget):
    new_requested = Signal()
    notice_requested = Signal(str)  # a notice number to reopen
    case_requested = Signal(str)  # the number of the case that followed an entry, to open in F7

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, opener: DocumentOpener,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.runner = runner
        self.opener = opener
        today = today_qdate()
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.staff = QComboBox()
        self.staff.addItem("全部人员", "")
        self.channel = QComboBox()
        self.channel.addItem("全部渠道", "")
        for key, label in CHANNELS.items():
            self.channel.addItem(label, key)
        self.outcome = QComboBox()
        self.outcome.addItem("全部结果", "")
        for key, label in OUTCOMES.items():
            self.outcome.addItem(label, key)
        self.text = QLineEdit()
        self.text.setObjectName("registerSearch")
        self.text.setPlaceholderText("姓名、电话、内容或登记号")
        self.text.setClearButtonEnabled(True)
        self.model: PagedRecordModel[InquiryRecord] = PagedRecordModel(
            [
                ("登记号", lambda r: r.number),
                ("时间", lambda r: f"{r.asked_at.astimezone():%m-%d %H:%M}"),
                ("咨询人", lambda r: r.citizen_name),
                ("电话", lambda r: r.citizen_phone),
                ("渠道", lambda r: r.channel_label),
                ("咨询内容", lambda r: r.question),
                ("相关事项", lambda r: r.item_name),
                ("结果", lambda r: r.outcome_label),
                ("去向/告知书", lambda r: r.follow_up),
                ("首问责任人", lambda r: r.responder_name),
            ],
            runner,
            self,
        )
        self.model.loaded.connect(self._loaded)
        self.model.total_changed.connect(self._show_total)
        self.table = make_table(self.model, "registerTable", 5)
        SearchArrows(self.text, self.table)
        self.table.activated.connect(lambda _i: self.activate_selected())
        self.count = QLabel()
        self.status = QLabel()
        self.status.setObjectName("registerStatus")
        new = QPushButton("新登记(&N) F3")
        export = QPushButton("导出Excel(&E)")
        ledger = QPushButton("打印登记簿(&P)")
        follow = QPushButton("补打转介单/打开告知书(&O)")
        new.clicked.connect(self.new_requested.emit)
        export.clicked.connect(self.export)
        ledger.clicked.connect(self.print_ledger)
        follow.clicked.connect(self.open_selected)
        QShortcut(QKeySequence("Ctrl+E"), self, self.export)
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_ledger)
        filters = QHBoxLayout()
        for label, widget in (("从(&B)", self.date_from), ("至", self.date_to), ("人员", self.staff),
                              ("渠道", self.channel), ("结果", self.outcome), ("查找(&K)", self.text)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget, 2 if widget is self.text else 0)
        buttons = QHBoxLayout()
        for button in (new, export, ledger, follow):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.status)
        buttons.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(250)
        self._reload_timer.timeout.connect(self.load)
        for signal in (self.date_from.dateChanged, self.date_to.dateChanged, self.staff.currentIndexChanged,
                       self.channel.currentIndexChanged, self.outcome.currentIndexChanged, self.text.textChanged):
            signal.connect(self._reload_timer.start)
        watch(self, db, WATCHED_TABLES, self.refresh)
        self.setFocusProxy(self.text)

    def current_filter(self) -> InquiryFilter:
        return InquiryFilter(
            date_from=to_date(self.date_from.date()),
            date_to=to_date(self.date_to.date()),
            responder_no=str(self.staff.currentData() or ""),
            channel=str(self.channel.currentData() or ""),
            outcome=str(self.outcome.currentData() or ""),
            text=self.text.text(),
        )

    def load(self) -> None:
        flt = self.current_filter()
        self.model.load(lambda offset, limit: page_inquiries(self.db, flt, offset, limit))
        if self.staff.count() == 1:
            self.runner.submit(lambda: list_staff(self.db), self._staff_loaded)

    def _staff_loaded(self, staff: list) -> None:  # type: ignore[type-arg]
        if self.staff.count() == 1:
            for member in staff:
                self.staff.addItem(f"{member.name}（{member.staff_no}）", member.staff_no)

    def _show_total(self, total: int) -> None:
        self.count.setText(f"共 {total} 条")  # every match, not only the rows fetched so far

    def refresh(self) -> None:
        """Something this register shows has changed elsewhere (a notice issued from an inquiry, a case
        accepted from that notice): read the rows again, keeping the clerk's place."""
        record = self.selected()
        self.model.reload(keep=record.number if record is not None else None)

    def _loaded(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(self.model.kept_row(lambda r: r.number))

    def show_number(self, number: str) -> None:
        """A scanned referral slip: widen the dates, find the entry and select it."""
        today = today_qdate()
        self.date_from.setDate(today.addYears(-5))
        self.date_to.setDate(today)
        self.text.setText(number)
        self._reload_timer.stop()
        self.load()

    def selected(self) -> InquiryRecord | None:
        return self.model.row_at(self.table.currentIndex().row())

    def activate_selected(self) -> None:
        """Enter or double-click: the case that followed the entry if there is one, else open_selected."""
        record = self.selected()
        if record is not None and record.case_numbers:
            self.case_requested.emit(record.case_numbers[-1])
        else:
            self.open_selected()

    def open_selected(self) -> None:
        """The entry's referral slip (reprint) or its latest notice (the 补打转介单/打开告知书 button)."""
        record = self.selected()
        if record is None:
            return
        if record.outcome == "referred":
            self.opener.open("referral", record.number)
        elif record.notice_numbers:
            self.notice_requested.emit(record.notice_numbers[-1])
        else:
            show_message(self, f"登记 {record.number}：已当场解答。\n答复内容：{record.answer}", "首问登记")

    def export(self) -> None:
        suggested = f"首问登记簿{local_today():%Y%m%d}.xlsx"
        path = pdf_folder.ask_save(self, "导出首问登记簿", suggested)
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        flt = self.current_filter()  # every entry the filter matches, not only the rows fetched so far
        self.status.setText("")
        self.runner.submit_with_progress(
            "导出首问登记簿", lambda progress: export_inquiries(self.db, path, flt, progress),
            lambda count: self._exported(count, path), parent=self, on_cancelled=self._export_cancelled)

    def _exported(self, count: int, path: Path) -> None:
        show_message(self, f"已导出 {count} 条到 {path}", "导出完成")

    def _export_cancelled(self) -> None:
        self.status.setText(f"导出{CANCELLED_TEXT}，未写入任何文件")

    def _ledger_cancelled(self) -> None:
        self.status.setText(f"打印登记簿{CANCELLED_TEXT}")

    def print_ledger(self) -> None:
        flt = self.current_filter()
        printed_by = f"{self.actor.name}（{self.actor.staff_no}）"
        self.status.setText("")
        self.runner.submit_with_progress(
            "生成首问登记簿", lambda progress: ledger_document(self.db, flt, printed_by, progress=progress),
            lambda data: self.opener.show_pdf(
                "首问登记簿", data, f"首问登记簿{flt.date_from}至{flt.date_to}.pdf", "ledger",
                f"{flt.date_from}~{flt.date_to}",
            ),
            parent=self, on_cancelled=self._ledger_cancelled)



"""打印报表 (Ctrl+P) and 导出Excel (Ctrl+E) on the 统计 screen: the month's or quarter's statistics report
(统计报表) of the period shown, made by the report's own code (app.services.stats.monthly, the same as
`report --period … -o …`) off the GUI thread; the PDF is previewed before printing. Only for those who
see the township, and only for a month or a quarter (the report's periods).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from app.actor import Actor
from app.clock import local_today
from app.database import Database
from app.progress import Progress
from app.services.errors import UserError
from app.ui import pdf_folder
from app.ui.documents import DocumentOpener
from app.ui.messages import show_message, show_user_error
from app.ui.shortcuts import shortcut
from app.ui.tasks import TaskRunner

DOC_TYPE = "stats_report"  # print log (at most 12 characters)
TITLE = "统计报表"
ONLY_MONTH_OR_QUARTER = "统计报表按月或按季度出具：请将期间选为“月”或“季”"


def report_code(kind: str, first: date) -> str | None:
    """The report's period as `report --period` takes it (2026-11, 2026-Q4); None for other kinds."""
    if kind == "month":
        return f"{first.year}-{first.month:02d}"
    if kind == "quarter":
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    return None


def _pdf(db: Database, code: str, printed_by: str) -> bytes:
    from app.printing.stats_report_pdf import stats_report_pdf
    from app.services.cases.documents import center_of
    from app.services.stats.monthly import gather, report_sheet

    center_name, training = center_of(db)
    return stats_report_pdf(report_sheet(gather(db, code), center_name, printed_by, training))


def _workbook(db: Database, code: str, path: Path, printed_by: str) -> Path:
    from app.services.cases.documents import center_of
    from app.services.stats.monthly import gather, write_report

    center_name, training = center_of(db)
    write_report(gather(db, code), path, center_name, printed_by, training)
    return path


class ReportButtons(QObject):
    """The two buttons and what they do; `code` tells which report the period shown is (None: none)."""

    message = Signal(str)

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, opener: DocumentOpener | None,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.opener, self.view = db, actor, runner, opener, parent
        self.code: str | None = None
        self.print_button = QPushButton("打印报表(&P)")
        self.print_button.setObjectName("statsPrint")
        self.print_button.clicked.connect(self.print_report)
        self.export_button = QPushButton("导出Excel(&E)…")
        self.export_button.setObjectName("statsExport")
        self.export_button.clicked.connect(self.export)
        self.print_button.setVisible(opener is not None)

    def set_period(self, kind: str, first: date) -> None:
        self.code = report_code(kind, first)
        for button, what in ((self.print_button, f"{shortcut('stats', 'print_report').shown}：预览后打印本期统计报表（含图表和指标定义）"),
                             (self.export_button, f"{shortcut('stats', 'export').shown}：本期统计报表导出为 Excel（每表一页）")):
            button.setEnabled(self.code is not None)
            button.setToolTip(what if self.code is not None else ONLY_MONTH_OR_QUARTER)

    def _printed_by(self) -> str:
        return f"{self.actor.name}（{self.actor.staff_no}）"

    def print_report(self) -> None:
        code, opener = self.code, self.opener
        if opener is None:
            return
        if code is None:
            show_message(self.view, ONLY_MONTH_OR_QUARTER)
            return
        db, printed_by = self.db, self._printed_by()
        self.runner.submit_with_progress(
            f"生成{TITLE}", lambda _progress: _pdf(db, code, printed_by),
            lambda data: opener.show_pdf(TITLE, data, f"{TITLE}{code}.pdf", DOC_TYPE, code),
            self._failed, cancellable=False, parent=self.view)

    def export(self) -> None:
        if self.code is None:
            show_message(self.view, ONLY_MONTH_OR_QUARTER)
            return
        path = pdf_folder.ask_save(self.view, f"导出{TITLE}", f"{TITLE}{self.code}_{local_today():%Y%m%d}.xlsx")
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        code = self.code
        if code is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        db, printed_by = self.db, self._printed_by()

        def work(_progress: Progress) -> Path:
            return _workbook(db, code, path, printed_by)

        self.runner.submit_with_progress(f"导出{TITLE}", work, self._exported, self._failed, cancellable=False,
                                         parent=self.view)

    def _exported(self, path: Path) -> None:
        self.message.emit(f"已导出{TITLE}到 {path}")
        show_message(self.view, f"已导出{TITLE}到 {path}", "导出完成")

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, UserError):
            show_user_error(self.view, exc)
            return True
        return False

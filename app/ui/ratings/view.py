"""好差评 (Ctrl+Shift+R): two tabs — 评价记录 (every rating) and 差评整改 (bad ratings' rectifications,
call-backs and appeals) — and the 差评整改台账, printed (Ctrl+P, previewed first) or exported to Excel
(Ctrl+E), both off the GUI thread with the progress window and 取消, every rectification included.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.actor import Actor
from app.clock import local_today
from app.database import Database
from app.progress import CANCELLED_TEXT, Progress
from app.services.errors import UserError
from app.ui import pdf_folder
from app.ui.documents import DocumentOpener
from app.ui.key_binding import bind
from app.ui.messages import show_message, show_user_error
from app.ui.ratings.ratings_tab import RatingsTab
from app.ui.ratings.rectifications_tab import RectificationsTab
from app.ui.tasks import TaskRunner

LEDGER_TITLE = "差评整改台账"
LEDGER_DOC_TYPE = "rect_ledger"  # print log (at most 12 characters)


class RatingsView(QWidget):
    exported = Signal(int, object)  # how many rectifications, the file's Path
    message = Signal(str)  # a line for the status bar

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, opener: DocumentOpener,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.opener = db, actor, runner, opener
        self.ratings = RatingsTab(db, runner)
        self.rectifications = RectificationsTab(db, actor, runner)
        self.rectifications.step_done.connect(self.message)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("ratingTabs")
        self.tabs.addTab(self.ratings, "评价记录")
        self.tabs.addTab(self.rectifications, "差评整改")
        self.print_button = QPushButton("打印整改台账(&P)")
        self.print_button.setToolTip("Ctrl+P：预览后打印全部差评整改记录")
        self.export_button = QPushButton("导出Excel(&E)…")
        self.export_button.setToolTip("Ctrl+E：差评整改台账导出为 Excel，不限条数")
        self.print_button.clicked.connect(self.print_ledger)
        self.export_button.clicked.connect(self.export)
        self.rectifications.ledger_row.addWidget(self.print_button)
        self.rectifications.ledger_row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        bind(self, "ratings", "print_ledger", self.print_ledger)
        bind(self, "ratings", "export", self.export)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setFocusProxy(self.ratings)  # F-key or Ctrl+Shift+R lands in the list of the tab shown

    def _tab_changed(self, _index: int) -> None:
        current = self.tabs.currentWidget()
        self.setFocusProxy(current)
        current.setFocus()

    def load(self) -> None:
        self.ratings.load()
        self.rectifications.load()

    def show_missing_callbacks(self) -> None:
        """The director's list: real-name bad ratings nobody has called back yet."""
        self.tabs.setCurrentWidget(self.rectifications)
        self.rectifications.show_view("missing_callback")

    def print_ledger(self) -> None:
        from app.services.ratings.ledger import rectification_ledger_pdf

        printed_by = f"{self.actor.name}（{self.actor.staff_no}）"
        day = local_today().isoformat()
        self.runner.submit_with_progress(
            f"生成{LEDGER_TITLE}", lambda progress: rectification_ledger_pdf(self.db, printed_by, progress=progress),
            lambda data: self.opener.show_pdf(LEDGER_TITLE, data, f"{LEDGER_TITLE}{day}.pdf", LEDGER_DOC_TYPE, day),
            self._failed, parent=self, on_cancelled=lambda: self.message.emit(f"打印{LEDGER_TITLE}{CANCELLED_TEXT}"))

    def export(self) -> None:
        suggested = f"{LEDGER_TITLE}{local_today():%Y%m%d}.xlsx"
        path = pdf_folder.ask_save(self, f"导出{LEDGER_TITLE}", suggested)
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        from app.services.ratings.ledger import write_rectification_ledger_xlsx

        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")

        def work(progress: Progress) -> int:
            return write_rectification_ledger_xlsx(self.db, path, progress=progress)

        self.runner.submit_with_progress(
            f"导出{LEDGER_TITLE}", work, lambda count: self._exported(count, path), self._failed, parent=self,
            on_cancelled=lambda: self.message.emit(f"导出{LEDGER_TITLE}{CANCELLED_TEXT}，未写入任何文件"))

    def _exported(self, count: int, path: Path) -> None:
        self.exported.emit(count, path)
        show_message(self, f"已导出 {count} 条差评整改记录到 {path}", "导出完成")

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, UserError):
            show_user_error(self, exc)
            return True
        return False

"""代办台账 (F11, at a village agency point): every case accepted here with its stage, 受理 → 代办 → 反馈 → 归档.

Filter by stage; the list pages as the agent scrolls and says how many cases the filter holds in all,
with the count of each stage above it. Cases whose result has come back (反馈) are tinted: the agent's
next step is to take the result to the villager. Enter opens the case in F7; Ctrl+E exports the
filtered ledger to Excel (streamed, with progress and 取消). The ledger refreshes itself when cases change.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import changes
from app.actor import Actor
from app.clock import local_today
from app.database import Database
from app.progress import CANCELLED_TEXT
from app.services.cases.agency_ledger import STAGES, LedgerRow, export_ledger, page_ledger, stage_counts
from app.ui import pdf_folder
from app.ui.change_watch import watch
from app.ui.key_binding import bind
from app.ui.messages import show_message
from app.ui.table_model import PagedRecordModel, make_table
from app.ui.tasks import TaskRunner

RETURNED_COLOUR = "#e3f2e1"  # the result is back: the agent takes it to the villager


def _when(moment: datetime | None) -> str:
    return f"{moment.astimezone():%m-%d %H:%M}" if moment else ""


class AgencyLedgerView(QWidget):
    case_requested = Signal(str)  # a case number to open in F7

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner = db, actor, runner
        self.stage = QComboBox()
        self.stage.setObjectName("ledgerStage")
        self.stage.addItem("全部阶段", "")
        for key, text in STAGES.items():
            self.stage.addItem(text, key)
        self.model: PagedRecordModel[LedgerRow] = PagedRecordModel(
            [
                ("办件编号", lambda r: r.number),
                ("受理", lambda r: _when(r.accepted_at)),
                ("申请人", lambda r: r.applicant_name),
                ("事项", lambda r: r.item_name),
                ("阶段", lambda r: r.stage_label),
                ("状态", lambda r: r.status_label),
                ("承诺办结", lambda r: f"{r.due_date:%m-%d}" if r.due_date else "—"),
                ("移交乡镇", lambda r: _when(r.handed_over_at)),
                ("结果回传", lambda r: _when(r.returned_at)),
                ("代办员", lambda r: r.agent_name),
            ],
            runner,
            self,
        )
        self.model.set_background(lambda r: RETURNED_COLOUR if r.stage == "returned" else None)
        self.model.loaded.connect(self._loaded)
        self.model.total_changed.connect(self._show_total)
        self.table = make_table(self.model, "ledgerTable", 3)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.counts = QLabel()
        self.counts.setObjectName("ledgerCounts")
        self.total = QLabel()
        self.status = QLabel()
        self.status.setObjectName("ledgerStatus")
        export = QPushButton("导出Excel(&E)")
        export.clicked.connect(self.export)
        bind(self, "agency_ledger", "export", self.export)
        label = QLabel("阶段(&S)")
        label.setBuddy(self.stage)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.stage)
        top.addWidget(self.counts, 1)
        top.addWidget(self.status)
        top.addWidget(export)
        top.addWidget(self.total)
        hint = QLabel("回车在“办件”（F7）中打开所选办件；绿色为结果已回传、待送达申请人的办件。")
        hint.setStyleSheet("color:#555")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.load)
        self.stage.currentIndexChanged.connect(self._timer.start)
        self.setFocusProxy(self.table)
        watch(self, db, changes.CASES, self.refresh)

    def current_stage(self) -> str:
        return str(self.stage.currentData() or "")

    def load(self) -> None:
        stage = self.current_stage()
        self.model.load(lambda offset, limit: page_ledger(self.db, stage, offset, limit))
        self._load_counts()

    def refresh(self) -> None:
        """Cases changed (a hand-over, a result back, a delivery): the same filter again, same case selected."""
        row = self.selected()
        self.model.reload(keep=row.number if row else None)
        self._load_counts()

    def _load_counts(self) -> None:
        self.runner.submit(lambda: stage_counts(self.db), self._show_counts)

    def _show_counts(self, counts: dict[str, int]) -> None:
        self.counts.setText("　".join(f"{STAGES[key]} {n}" for key, n in counts.items()))

    def _show_total(self, total: int) -> None:
        self.total.setText(f"共 {total} 件")

    def _loaded(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(self.model.kept_row(lambda r: r.number))

    def selected(self) -> LedgerRow | None:
        return self.model.row_at(self.table.currentIndex().row())

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.case_requested.emit(row.number)

    def export(self) -> None:
        suggested = f"代办台账{local_today():%Y%m%d}.xlsx"
        path = pdf_folder.ask_save(self, "导出代办台账", suggested)
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Every line of the current filter, not only the rows fetched so far."""
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        stage = self.current_stage()
        self.status.setText("")
        self.runner.submit_with_progress(
            "导出代办台账", lambda progress: export_ledger(self.db, path, stage, progress),
            lambda count: self._exported(count, path), parent=self,
            on_cancelled=lambda: self.status.setText(f"导出{CANCELLED_TEXT}，未写入任何文件"))

    def _exported(self, count: int, path: Path) -> None:
        show_message(self, f"已导出 {count} 件到 {path}", "导出完成")

"""补正 (F7, 补齐材料): the citizen brings what was missing; the clerk ticks it, counts it, confirms.

The checklist shows every material of the item, those received before already ticked with their
counts. What the clerk ticks now is recorded as brought today, a visit (跑动) either way; the case
starts its clock only when nothing required is missing (the service decides, and says what still is).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.actor import Actor
from app.database import Database
from app.services.cases.records import CaseRecord, supplement_materials
from app.ui.capture.panel import CapturePanel
from app.ui.checklist_model import ReceivedModel, missing_summary
from app.ui.forms import report_on, status_label
from app.ui.key_binding import bind
from app.ui.messages import show_message
from app.ui.received_table import ReceivedTable
from app.ui.tasks import TaskRunner


class SupplementDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, case: CaseRecord,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.case = db, actor, runner, case
        self.setWindowTitle(f"补齐材料 — {case.number}（{case.applicant_name}）")
        self.before = case.received_seqs()
        self.checklist = ReceivedModel()
        self.checklist.set_materials(case.item.materials, set(self.before))
        for row in case.received:
            self.checklist.set_counts(int(row["seq"]), dict(row))
        self.table = ReceivedTable(self.checklist, "supplementTable")
        hint = QLabel("勾选申请人本次带来的材料（空格键），F2 修改实收份数，按 Ctrl+Enter 确认。必要材料齐全即开始计时；"
                      "仍有缺少的，登记本次补交，办件仍待补正。")
        hint.setWordWrap(True)
        self.summary = QLabel()
        self.status = status_label()
        self.still: list[str] = []  # what the service says is still missing after the submit
        self.confirm = QPushButton("确认补齐，开始计时(&S)")
        self.confirm.setDefault(True)
        self.confirm.clicked.connect(self.submit)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        bind(self, "supplement_dialog", "confirm", self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.confirm)
        self.capture = CapturePanel(db, runner, self.table, "supplement_dialog")  # 高拍仪 at 补正 too
        self.resize(1200, 560)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addWidget(self.capture, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(body, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.checklist.ticks_changed.connect(self._update)
        self._update()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.selectRow(min((seq - 1 for seq, _m in self.checklist.missing()), default=0))

    def brought(self) -> list:  # type: ignore[type-arg]
        """Ticked now and not received before: what the citizen brought today, with its counts."""
        return [r for r in self.checklist.received() if r.seq not in self.before]

    def _update(self) -> None:
        missing = self.checklist.missing()
        self.summary.setText(missing_summary(missing, "必要材料已齐全。"))
        self.confirm.setText("确认补齐，开始计时(&S)" if not missing else "登记本次补交，仍待补正(&S)")
        self.confirm.setEnabled(bool(self.brought()))

    def submit(self) -> None:
        if not self.confirm.isEnabled():
            self.status.setText("请先勾选申请人本次带来的材料")
            return
        db, actor, number, brought, pages = self.db, self.actor, self.case.number, self.brought(), self.capture.pages()
        self.runner.submit(lambda: supplement_materials(db, actor, number, brought, pages=pages), self._done,
                           lambda exc: report_on(self.status, exc))

    def _done(self, still: list[str]) -> None:
        self.still = still
        if still:
            show_message(self.parentWidget(), f"已登记本次补交的材料。仍缺：{'、'.join(still)}。办件仍待补正，请一次性告知申请人。")
        self.accept()

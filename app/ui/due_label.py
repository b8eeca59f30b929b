"""The status bar's 今日到期 N · 超期 N, kept current by itself (cases, calendar or settings change; hourly)."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from app import changes
from app.database import Database
from app.services.cases.lights import DueSummary
from app.services.cases.records import due_summary
from app.ui.change_watch import watch
from app.ui.tasks import TaskRunner

RED = "color:#b00020; font-weight:bold;"


class DueLabel(QLabel):
    summary_changed = Signal(object)  # DueSummary

    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dueLabel")
        self.db = db
        self.runner = runner
        self.summary: DueSummary | None = None
        watch(self, db, changes.CASES | changes.CALENDAR | changes.SETTINGS, self.load)
        self._hourly = QTimer(self)  # a case turns yellow or red when the day changes, with no write at all
        self._hourly.setInterval(3600 * 1000)
        self._hourly.timeout.connect(self.load)
        self._hourly.start()

    def load(self) -> None:
        self.runner.submit(lambda: due_summary(self.db), self._loaded)

    def _loaded(self, summary: DueSummary) -> None:
        self.summary = summary
        self.setText(summary.text)
        self.setStyleSheet(RED if summary.overdue or summary.due_today else "")
        self.setToolTip("本机办件中：今天到期、已超期和即将到期的件数（按工作日计算）；F7 中选“预警”查看")
        self.summary_changed.emit(summary)

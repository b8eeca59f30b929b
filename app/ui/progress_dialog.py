"""A "正在……" window for long work: what is being done, how far, and 取消 where stopping is safe.

It appears only when the work lasts longer than SHOW_AFTER_MS, so quick work never flashes a window.
Steps arrive from the worker thread as queued Qt signals (app.ui.tasks), so widgets are touched on the
GUI thread only. Esc or the window's close button mean 取消 too; the window itself closes when the work
has stopped, never before (a closed window over running work would hide what is still going on).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.progress import Progress, Step

SHOW_AFTER_MS = 400  # below this the work is done before the eye settles on a window
BAR_STEPS = 1000
CANCELLING_TEXT = "正在取消：完成当前这一步后停止……"
NO_CANCEL_TEXT = "正在写入，不能中途取消，请稍候"


class ProgressDialog(QDialog):
    def __init__(self, title: str, progress: Progress, cancellable: bool, parent: QWidget | None = None,
                 show_after_ms: int = SHOW_AFTER_MS) -> None:
        super().__init__(parent)
        self.setObjectName("progressDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        if parent is not None:
            self.setWindowModality(Qt.WindowModality.WindowModal)  # the window waits; other windows do not
        self.progress = progress
        self.finished_work = False
        self.what = QLabel(f"正在{title}……" if not title.startswith("正在") else f"{title}……")
        self.what.setObjectName("progressWhat")
        self.what.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setObjectName("progressBar")
        self.bar.setRange(0, 0)  # busy until the first step says how much there is
        self.counts = QLabel()
        self.counts.setObjectName("progressCounts")
        self.cancel_button: QPushButton | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.what)
        layout.addWidget(self.bar)
        row = QHBoxLayout()
        row.addWidget(self.counts, 1)
        if cancellable:
            self.cancel_button = QPushButton("取消")
            self.cancel_button.setObjectName("progressCancel")
            self.cancel_button.clicked.connect(self.request_cancel)
            row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(show_after_ms)
        self._timer.timeout.connect(self._reveal)

    def arm(self) -> None:
        """Start the clock: the window appears if the work is still running when it runs out."""
        latest = self.progress.latest
        if latest is not None:
            self.show_step(latest)
        self._timer.start()

    def _reveal(self) -> None:
        if not self.finished_work:
            self.open()

    def show_step(self, step: Step) -> None:
        if self.finished_work:
            return
        self.what.setText(CANCELLING_TEXT if self.progress.cancelled else f"{step.what}……")
        fraction = step.fraction
        if fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, BAR_STEPS)
            self.bar.setValue(round(fraction * BAR_STEPS))
        self.counts.setText(step.counts())
        if not step.cancellable and self.cancel_button is not None:  # past the point of no return
            self.cancel_button.setEnabled(False)
            self.cancel_button.setToolTip(NO_CANCEL_TEXT)
            if not step.counts():
                self.counts.setText(NO_CANCEL_TEXT)

    def request_cancel(self) -> None:
        """取消: the work stops at its next safe point; refused once it is writing its result."""
        if self.cancel_button is None or not self.cancel_button.isEnabled():
            return
        self.cancel_button.setEnabled(False)
        if self.progress.cancel():
            self.what.setText(CANCELLING_TEXT)
        else:
            self.cancel_button.setToolTip(NO_CANCEL_TEXT)
            self.counts.setText(NO_CANCEL_TEXT)

    def finish(self) -> None:
        """The work ended (done, failed or cancelled): close for good."""
        self.finished_work = True
        self._timer.stop()
        super().done(0)
        self.deleteLater()

    def reject(self) -> None:  # Esc: 取消 where allowed; the window waits for the work to stop
        self.request_cancel()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.finished_work:
            super().closeEvent(event)
            return
        event.ignore()
        self.request_cancel()

"""Replication in the desktop client: the status-bar indicator, background sync, joining a centre,
and the list of changes the centre quarantined.

Sync runs in the task pool, never on the GUI thread: on start, every minute, after each acceptance
and on demand (F12); when the centre cannot be reached the interval doubles up to a quarter hour.
A background sync shows how far it is in the status label only; a sync the clerk asked for (F12, the
first after joining) also opens a progress window with 取消, which stops it after the current page.
The label refreshes itself whenever the sync state, the outbox or the quarantine changes (app.changes).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.database import Database
from app.progress import CANCELLED_TEXT, NO_PROGRESS, Progress, Step
from app.sync.issues import ISSUE_COLUMNS
from app.sync.upkeep import after_sync
from app.ui.change_watch import watch
from app.ui.forms import dialog_with_form
from app.ui.progress_dialog import SHOW_AFTER_MS, ProgressDialog
from app.ui.table_model import RecordTableModel, make_table
from app.ui.tasks import TaskRunner

INTERVAL_MS = 60_000
MAX_INTERVAL_MS = 15 * 60_000
SYNC_TITLE = "与中心同步"
# What the label shows depends on these: the sync state, what waits to go up, quarantined and held changes.
WATCHED_TABLES = ("sync_state", "outbox", "sync_issue", "held_change")


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncView:
    """What the status bar shows, computed off the GUI thread."""

    joined: bool
    online: bool
    last_sync: str
    waiting: int
    issues: int
    message: str
    clock: str | None
    held: int = 0  # centre-data edits waiting for their author to be proven to the centre

    def text(self) -> str:
        if not self.joined:
            return "未连接中心（单机使用）"
        parts = ["● 在线" if self.online else "○ 离线", f"上次同步 {self.last_sync}", f"待上传 {self.waiting} 条"]
        if self.issues:
            parts.append(f"▲ {self.issues} 条被中心退回（Shift+F12 查看）")
        if self.held:
            parts.append(f"{self.held} 条中心数据修改待核验身份")
        if self.clock:
            parts.append("▲ 本机时钟与中心不一致")
        return " · ".join(parts)

    def tooltip(self) -> str:
        lines = [self.message] if self.message else []
        if self.held:
            lines.append(f"有 {self.held} 条对人员、事项、部门、日历或设置的修改暂存本机：中心只接收由它核验过身份的"
                         "中心主任或系统管理员的修改。修改人在中心可连通时登录一次，即随同步上传。")
        if self.clock:
            lines.append(self.clock)
        lines.append("F12 立即同步")
        return "\n".join(lines)


def read_view(db: Database, online: bool, message: str) -> SyncView:
    from app.sync.authority import held_count
    from app.sync.client import clock_warning, last_sync_text, status_line

    state, waiting, issues = status_line(db)
    if state is None:
        return SyncView(False, False, "", 0, 0, "", None)
    with db.engine.connect() as conn:
        held = held_count(conn)
    return SyncView(True, online, last_sync_text(state.last_sync_at), waiting, issues, message, clock_warning(db),
                    held)


def run_sync(db: Database, progress: Progress = NO_PROGRESS) -> Any:
    """One sync in a worker thread; the report, or None when this workstation has not joined a centre.
    Raises app.progress.Cancelled when `progress` was cancelled (whole pages are kept)."""
    from app.sync.client import NotJoined, SyncClient

    try:
        report = SyncClient(db, progress=progress).run()
    except NotJoined:
        report = None
    after_sync(db)  # after the pull: ratings given elsewhere, kiosk arrivals are here by now
    return report


class SyncScheduler(QObject):
    """Owns the timer and the status label; at most one sync at a time."""

    changed = Signal(object)  # SyncView
    calendar_changed = Signal()

    def __init__(self, db: Database, runner: TaskRunner, label: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self.label = label
        self.label.setObjectName("syncStatus")
        self.running = False
        self.again = False
        self.again_shown = False  # the sync asked for while one ran was the clerk's: show it
        self.interval = INTERVAL_MS
        self.online = False
        self.message = ""
        self.stopped = False  # the window closed: nothing is scheduled any more
        self.progress: Progress | None = None  # of the sync running now
        self.dialog: ProgressDialog | None = None  # over the clerk's sync, when one is shown
        self._step: Step | None = None  # the running sync's latest, shown once it has lasted a moment
        self._step_shown = False
        self._step_timer = QTimer(self)  # a sync done within this never flickers the label
        self._step_timer.setSingleShot(True)
        self._step_timer.setInterval(SHOW_AFTER_MS)
        self._step_timer.timeout.connect(self._reveal_step)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.request)
        watch(label, db, WATCHED_TABLES, self.refresh)

    def start(self) -> None:
        self.stopped = False
        self.refresh()
        self.request()

    def refresh(self) -> None:
        online, message = self.online, self.message
        self.runner.submit(lambda: read_view(self.db, online, message), self._show)

    def request(self) -> None:
        """Sync now in the background (or right after the one running): progress in the label only."""
        self._request(shown=False)

    def sync_now(self) -> None:
        """The clerk asked (F12, the first sync after joining): the same sync, with a progress window and
        取消. A sync already running gets the window at once instead of a second sync after it."""
        if self.running:
            self._show_dialog()
            return
        self._request(shown=True)

    def _request(self, shown: bool) -> None:
        if self.stopped:
            return
        if self.running:
            self.again = True
            self.again_shown |= shown
            return
        self.running = True
        self._step, self._step_shown = None, False
        self._step_timer.start()
        self.progress = self.runner.submit_with_progress(
            SYNC_TITLE, lambda progress: run_sync(self.db, progress), self._done, self._failed,
            on_cancelled=self._cancelled, on_step=self._stepped, dialog=False)
        if shown:
            self._show_dialog()

    def _show_dialog(self) -> None:
        if self.progress is None or self.dialog is not None:
            return
        self.dialog = ProgressDialog(SYNC_TITLE, self.progress, True, self.label.window())
        self.dialog.arm()

    def _stepped(self, step: Step) -> None:
        self._step = step
        if self.dialog is not None:
            self.dialog.show_step(step)
        if self._step_shown:
            self.label.setText(_step_text(step))

    def _reveal_step(self) -> None:
        if self.running:
            self._step_shown = True
            if self._step is not None:
                self.label.setText(_step_text(self._step))

    def _finished(self) -> None:
        self.running = False
        self.progress = None
        self._step, self._step_shown = None, False
        self._step_timer.stop()
        if self.dialog is not None:
            self.dialog.finish()
            self.dialog = None

    def _done(self, report: Any) -> None:
        self._finished()
        if report is None:  # not joined: nothing to do, check again later (an admin may join)
            self._schedule(INTERVAL_MS)
            self.refresh()
            return
        self.online, self.message = report.reached, report.message
        self.interval = INTERVAL_MS if report.reached else min(self.interval * 2, MAX_INTERVAL_MS)
        if report.calendar_changed:
            self.calendar_changed.emit()
        self._next()

    def _next(self) -> None:
        self.refresh()
        if self.again:
            shown, self.again, self.again_shown = self.again_shown, False, False
            self._request(shown)
        else:
            self._schedule(self.interval)

    def _schedule(self, msecs: int) -> None:
        if not self.stopped:
            self.timer.start(msecs)

    def _failed(self, exc: BaseException) -> bool:
        self._finished()
        self.online, self.message = False, f"同步出错：{exc}"
        self._schedule(self.interval)
        self.refresh()
        return True

    def _cancelled(self) -> None:
        """Stopped after a whole page: what arrived is kept, the next sync carries on from there."""
        self._finished()
        self.message = f"同步{CANCELLED_TEXT}：已接收的部分已保存，下次同步时继续"
        self.again = self.again_shown = False
        self._schedule(self.interval)
        self.refresh()

    def _show(self, view: SyncView) -> None:
        self.label.setText(_step_text(self._step) if self._step_shown and self._step else view.text())
        self.label.setToolTip(view.tooltip())
        color = "#2e7d32" if view.online else "#8d6e63"
        if view.issues or view.clock:
            color = "#c62828"
        self.label.setStyleSheet(f"color:{color};")
        self.changed.emit(view)

    def stop(self) -> None:
        """The window closes: no more syncs, and the running one stops after its current page."""
        self.stopped = True
        self.timer.stop()
        if self.progress is not None:
            self.progress.cancel()


def _step_text(step: Step) -> str:
    return f"同步中：{step.line()}"


class JoinDialog(QDialog):
    """Connect this workstation to the township centre with the address and a one-time code."""

    joined = Signal(str)

    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self.setWindowTitle("连接乡镇中心")
        self.setMinimumWidth(620)
        self.url = QLineEdit()
        self.url.setObjectName("centerUrl")
        self.url.setPlaceholderText("如 http://192.168.1.10:8765")
        self.code = QLineEdit()
        self.code.setObjectName("enrollCode")
        self.code.setPlaceholderText("如 220821100-01-ABCD-EFGH-JKLM-NPQR")
        form = QFormLayout()
        form.addRow("中心地址(&A)", self.url)
        form.addRow("注册码(&C)", self.code)
        note = QLabel("注册码由中心管理员发放，只能使用一次。本机已有的办件、告知书等数据会全部上传；"
                      "事项清单、人员账号、部门名录和节假日安排以中心为准。")
        note.setWordWrap(True)
        form.addRow(note)
        self.status = dialog_with_form(self, form, "连接(&J)", self.submit)

    def submit(self) -> None:
        from app.sync.join import join

        url, code = self.url.text(), self.code.text()
        self.status.setText("正在连接中心……")
        self.runner.submit(lambda: join(self.db, url, code), self._joined, self._failed)

    def _joined(self, result: Any) -> None:
        self.joined.emit(f"已连接 {result.center_name}（本机 {result.node_code} 号 {result.node_name}）")
        self.accept()

    def _failed(self, exc: BaseException) -> bool:
        from app.sync.transport import SyncError

        if isinstance(exc, SyncError):
            self.status.setText(str(exc))
            return True
        return False


class IssuesDialog(QDialog):
    """Changes the centre could not accept, with its reason: to be put right by a person."""

    def __init__(self, rows: list[list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("被中心退回（隔离）的记录")
        self.resize(900, 400)
        headers = list(ISSUE_COLUMNS)
        self.model: RecordTableModel[list[str]] = RecordTableModel(
            [(h, _column(i)) for i, h in enumerate(headers)])
        self.model.set_rows(rows)
        table = make_table(self.model, "syncIssues", 4)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("以下记录中心未能接收，已原样保存在中心，不会丢失。请按说明处理后告知中心管理员。"
                                if rows else "没有被中心退回的记录。"))
        layout.addWidget(table)


def _column(i: int) -> Any:
    return lambda row: row[i]

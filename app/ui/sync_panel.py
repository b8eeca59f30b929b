"""Replication in the desktop client: the status-bar indicator, background sync, joining a centre,
and the list of changes the centre quarantined.

Sync runs in the task pool, never on the GUI thread: on start, every minute, after each acceptance
and on demand (F12); when the centre cannot be reached the interval doubles up to a quarter hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.database import Database
from app.ui.forms import dialog_with_form
from app.ui.table_model import RecordTableModel, make_table
from app.ui.tasks import TaskRunner

INTERVAL_MS = 60_000
MAX_INTERVAL_MS = 15 * 60_000


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


def run_sync(db: Database) -> Any:
    """One sync in a worker thread; the report, or None when this workstation has not joined a centre."""
    from app.sync.client import NotJoined, SyncClient

    try:
        return SyncClient(db).run()
    except NotJoined:
        return None


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
        self.interval = INTERVAL_MS
        self.online = False
        self.message = ""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.request)

    def start(self) -> None:
        self.refresh()
        self.request()

    def refresh(self) -> None:
        online, message = self.online, self.message
        self.runner.submit(lambda: read_view(self.db, online, message), self._show)

    def request(self) -> None:
        """Sync now (or right after the one running)."""
        if self.running:
            self.again = True
            return
        self.running = True
        self.runner.submit(lambda: run_sync(self.db), self._done, self._failed)

    def _done(self, report: Any) -> None:
        self.running = False
        if report is None:  # not joined: nothing to do, check again later (an admin may join)
            self.timer.start(INTERVAL_MS)
            self.refresh()
            return
        self.online, self.message = report.reached, report.message
        self.interval = INTERVAL_MS if report.reached else min(self.interval * 2, MAX_INTERVAL_MS)
        if report.calendar_changed:
            self.calendar_changed.emit()
        self.refresh()
        if self.again:
            self.again = False
            self.request()
        else:
            self.timer.start(self.interval)

    def _failed(self, exc: BaseException) -> bool:
        self.running = False
        self.online, self.message = False, f"同步出错：{exc}"
        self.timer.start(self.interval)
        self.refresh()
        return True

    def _show(self, view: SyncView) -> None:
        self.label.setText(view.text())
        self.label.setToolTip(view.tooltip())
        color = "#2e7d32" if view.online else "#8d6e63"
        if view.issues or view.clock:
            color = "#c62828"
        self.label.setStyleSheet(f"color:{color};")
        self.changed.emit(view)

    def stop(self) -> None:
        self.timer.stop()


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
        headers = ["时间", "节点", "数据表", "记录", "中心说明"]
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


def load_issue_rows(db: Database) -> list[list[str]]:
    from sqlalchemy import select

    from app.models import SyncIssue
    from app.sync.tables import table_label

    with db.session() as s:
        issues = s.scalars(select(SyncIssue).order_by(SyncIssue.created_at.desc())).all()
    return [[i.created_at.astimezone().strftime("%Y-%m-%d %H:%M"), i.origin_node, table_label(i.table_name), i.row_id[:13],
             i.reason] for i in issues]

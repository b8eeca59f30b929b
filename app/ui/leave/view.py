"""请假值周 (Ctrl+Shift+Q): 我的请假 (my requests, 新请假 Ctrl+N, 撤销), 待我审批 (for those the core lets approve:
批准 / 不批 with a note, never their own), and 值周 (duty_tab). Lists page with true totals and reload
themselves when leave, duty or staff change (change_watch); a request's history shows under each list.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import changes
from app.actor import Actor
from app.database import Database
from app.services.people.leave import (
    MAX_NOTE,
    LeaveRecord,
    cancel,
    cancel_problem,
    decide,
    decision_problem,
    history,
    list_leave,
    pending_for,
)
from app.services.people.permissions import APPROVE_HALF_DAY_LEAVE, can
from app.services.people.staff import StaffRecord, list_staff
from app.ui.change_watch import watch
from app.ui.documents import DocumentOpener
from app.ui.key_binding import bind
from app.ui.leave.duty_tab import DutyTab
from app.ui.leave.leave_dialog import LeaveDialog
from app.ui.messages import show_user_error
from app.ui.table_model import PagedRecordModel, make_table
from app.ui.tasks import TaskRunner

SCREEN = "leave"
COLOURS = {"pending": "#fff4d6", "rejected": "#f3f3f3", "cancelled": "#f3f3f3"}


def hand_over_text(r: LeaveRecord) -> str:
    if not r.stand_in:
        return "—"
    state = "已交回" if r.handed_back else "代岗中" if r.handed_over else ""
    return f"{r.stand_in_name or r.stand_in}" + (f"（{state}）" if state else "")


def detail_html(r: LeaveRecord, events: list[tuple[datetime, str, str, str]]) -> str:
    rows = "".join(f"<tr><td>{at.astimezone():%Y-%m-%d %H:%M}</td><td>{escape(label)}</td><td>{escape(who)}</td>"
                   f"<td>{escape(text)}</td></tr>" for at, label, who, text in events)
    decided = f"<br>审批 {escape(r.approved_by)}" + (f"：{escape(r.note)}" if r.note else "") if r.approved_by else ""
    return (f"<h3>请假 {r.number}　{escape(r.state_text)}</h3>"
            f"<p>{escape(r.staff_name)}（{r.staff_no}）{escape(r.kind)}　{escape(r.period_text)}　共{r.days_text}"
            f"（{escape(r.approver_text)}）<br>代岗人 {escape(hand_over_text(r))}<br>事由 {escape(r.reason or '—')}"
            f"{decided}</p><h4>记录</h4><table border='1' cellspacing='0' cellpadding='3'>{rows}</table>")


def _columns(with_person: bool) -> list[tuple[str, object]]:
    columns: list[tuple[str, object]] = [("编号", lambda r: r.number)]
    if with_person:
        columns.append(("请假人", lambda r: f"{r.staff_name}（{r.staff_no}）"))
    columns += [("类别", lambda r: r.kind), ("时间", lambda r: r.period_text), ("天数", lambda r: r.days_text),
                ("代岗人", hand_over_text), ("状态", lambda r: r.state_text), ("审批", lambda r: r.approver_text)]
    return columns


class LeaveList(QWidget):
    """One list of requests with the selected one's detail beside it."""

    def __init__(self, db: Database, runner: TaskRunner, name: str, with_person: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.runner = db, runner
        self.model: PagedRecordModel[LeaveRecord] = PagedRecordModel(_columns(with_person), runner, self)  # type: ignore[arg-type]
        self.model.set_background(lambda r: COLOURS.get(r.status))
        self.model.loaded.connect(self._loaded)
        self.count = QLabel()
        self.model.total_changed.connect(lambda total: self.count.setText(f"共 {total} 项"))
        self.table = make_table(self.model, name, 3 if with_person else 2)  # the 时间 column
        self.detail = QTextBrowser()
        self.detail.setObjectName(f"{name}Detail")
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._show(cur.row()))
        self.splitter = QSplitter()
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 6)
        self.splitter.setStretchFactor(1, 4)

    def selected(self) -> LeaveRecord | None:
        return self.model.row_at(self.table.currentIndex().row())

    def refresh(self) -> None:
        row = self.selected()
        self.model.reload(keep=row.number if row else None)

    def _loaded(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(self.model.kept_row(lambda r: r.number))
        else:
            self.detail.setHtml("<p>没有请假申请。</p>")

    def _show(self, row: int) -> None:
        record = self.model.row_at(row)
        if record is None:
            return
        db, number = self.db, record.number
        self.runner.submit(lambda: history(db, number), lambda events: self._detail(record, events))

    def _detail(self, record: LeaveRecord, events: list[tuple[datetime, str, str, str]]) -> None:
        if self.selected() == record:
            self.detail.setHtml(detail_html(record, events))


class LeaveView(QWidget):
    message = Signal(str)  # a line for the status bar

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, opener: DocumentOpener,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner = db, actor, runner
        self.dialog: LeaveDialog | None = None
        self.tabs = QTabWidget()
        self.tabs.setObjectName("leaveTabs")
        self.mine = LeaveList(db, runner, "myLeave", False)
        self.new_button = QPushButton("新请假(&N)…")
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.new_leave)
        self.cancel_button = QPushButton("撤销(&C)")
        self.cancel_button.setToolTip("撤销所选的申请：待审批的，或已批准但尚未开始的")
        self.cancel_button.clicked.connect(self.cancel_selected)
        page = QWidget()
        top = QHBoxLayout()
        for widget in (self.new_button, self.cancel_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.mine.count)
        box = QVBoxLayout(page)
        box.addLayout(top)
        box.addWidget(self.mine.splitter, 1)
        self.tabs.addTab(page, "我的请假")
        self.pending: LeaveList | None = None
        self.note = QLineEdit()
        self.approve_button = QPushButton("批准(&A)")
        self.reject_button = QPushButton("不批(&J)")
        if can(actor, APPROVE_HALF_DAY_LEAVE):
            self.pending = LeaveList(db, runner, "pendingLeave", True)
            self.note.setObjectName("leaveNote")
            self.note.setMaxLength(MAX_NOTE)
            self.note.setPlaceholderText("可不填")
            self.approve_button.clicked.connect(lambda: self.decide_selected(True))
            self.reject_button.clicked.connect(lambda: self.decide_selected(False))
            self.pending.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._update_buttons())
            self.pending.model.loaded.connect(self._update_buttons)
            page = QWidget()
            top = QHBoxLayout()
            caption = QLabel("审批意见(&O)")
            caption.setBuddy(self.note)
            for item in (caption, self.note, self.approve_button, self.reject_button, self.pending.count):
                top.addWidget(item)
            box = QVBoxLayout(page)
            box.addLayout(top)
            box.addWidget(self.pending.splitter, 1)
            self.tabs.addTab(page, "待我审批")
        self.duty = DutyTab(db, actor, runner, opener)
        self.duty.message.connect(self.message)
        self.tabs.addTab(self.duty, "值周")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        bind(self, SCREEN, "new_leave", self.new_leave)
        bind(self, SCREEN, "new_inspection", self._inspect)
        bind(self, SCREEN, "print_duty", self._print)
        self.mine.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._update_buttons())
        self._update_buttons()
        self.setFocusProxy(self.mine.table)
        watch(self, db, changes.LEAVE | changes.DUTY | changes.STAFF, self.refresh)

    def load(self) -> None:
        db, me, actor = self.db, self.actor.staff_no, self.actor
        self.mine.model.load(lambda offset, limit: list_leave(db, staff_no=me, offset=offset, limit=limit))
        if self.pending is not None:
            self.pending.model.load(lambda offset, limit: pending_for(db, actor, offset, limit))
        self.duty.load()

    def refresh(self) -> None:
        self.mine.refresh()
        if self.pending is not None:
            self.pending.refresh()
        self.duty.load()

    def _update_buttons(self) -> None:
        mine = self.mine.selected()
        self.cancel_button.setEnabled(mine is not None and not cancel_problem(self.actor, mine, self.db.node_code))
        chosen = self.pending.selected() if self.pending is not None else None
        allowed = chosen is not None and not decision_problem(self.actor, chosen, self.db.node_code)
        self.approve_button.setEnabled(allowed)
        self.reject_button.setEnabled(allowed)

    def _inspect(self) -> None:
        self.tabs.setCurrentWidget(self.duty)
        self.duty.new_inspection()

    def _print(self) -> None:
        self.tabs.setCurrentWidget(self.duty)
        self.duty.print_summary()

    def new_leave(self) -> None:
        """Ctrl+N: the form, with the staff list for the stand-in picker read in the background."""
        db = self.db
        self.runner.submit(lambda: list_staff(db), self._open_dialog)

    def _open_dialog(self, staff: list[StaffRecord]) -> None:
        self.dialog = LeaveDialog(self.db, self.actor, self.runner, staff, self)
        self.dialog.submitted.connect(self._submitted)
        self.dialog.open()

    def _submitted(self, record: LeaveRecord) -> None:
        self.tabs.setCurrentIndex(0)
        self.message.emit(f"已提交请假申请 {record.number}（共{record.days_text}），须{record.approver_text}")

    def cancel_selected(self) -> None:
        record = self.mine.selected()
        if record is None:
            return
        db, actor = self.db, self.actor
        self.runner.submit(lambda: cancel(db, actor, record.number),
                           lambda r: self.message.emit(f"已撤销请假申请 {r.number}"), self._failed)

    def decide_selected(self, approve: bool) -> None:
        record = self.pending.selected() if self.pending is not None else None
        if record is None or not self.approve_button.isEnabled():
            return
        db, actor, note = self.db, self.actor, self.note.text()
        self.approve_button.setEnabled(False)
        self.reject_button.setEnabled(False)
        self.runner.submit(lambda: decide(db, actor, record.number, approve, note), self._decided, self._failed)

    def _decided(self, record: LeaveRecord) -> None:
        self.note.clear()
        moved = "；请假已开始，未办结办件已转给代岗人" if record.handed_over else ""
        self.message.emit(f"请假申请 {record.number}（{record.staff_name}）{record.state_text}{moved}")

    def _failed(self, exc: BaseException) -> bool:
        from app.services.errors import UserError

        self._update_buttons()
        if isinstance(exc, UserError):
            show_user_error(self, exc)
            return True
        return False

"""The window's call bar (叫号条): a strip above the working areas of the main window.

叫号 (Shift+F5) calls the next ticket of the categories this window serves, finishing the one being
served; 重呼, 过号, 转移 (to another category's queue) and 完成 act on the ticket on the bar. It shows that
ticket and how many wait for this window, and reads the waiting count again every little while. A called
appointment booked here is 到达 at once, and 预约到达 (Shift+F4) goes on to the acceptance or the 首问
pre-filled. Every call to the centre runs off the GUI thread; when the centre cannot be reached the bar
says so in red and everything else in the window goes on working (the clerk serves walk-ins without
tickets, and 完成 ends the ticket here, telling the centre when it is back).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QPushButton, QWidget

from app.actor import Actor
from app.clock import local_now
from app.database import Database
from app.services.appointments.booking import AppointmentRecord
from app.services.errors import UserError
from app.services.queue import arrivals, client
from app.services.queue.model import Category, QueueStatus, QueueUnavailable, Ticket
from app.ui.elided_label import ElidedLabel
from app.ui.key_binding import bind
from app.ui.shortcuts import shortcut
from app.ui.tasks import TaskRunner

REFRESH_MS = 15_000  # the waiting count, and noticing that the centre is back
OFFLINE_TEXT = "排队叫号暂不可用（无法连接中心），请先办理现场来人"
ACTIONS = (("queue_call", "叫号"), ("queue_recall", "重呼"), ("queue_skip", "过号"), ("queue_transfer", "转移…"),
           ("queue_finish", "完成"), ("queue_arrival", "预约受理"))


def waiting_for(categories: tuple[Category, ...], node_code: str) -> int:
    """Tickets waiting for this window: the categories it serves, or every category when the centre
    has named none for it (a small hall where every window calls every ticket)."""
    own = [c for c in categories if node_code in c.windows]
    return sum(c.waiting for c in (own or categories))


def describe(ticket: Ticket | None) -> str:
    if ticket is None or ticket.status not in ("called", "serving"):
        return "当前：无"
    flags = [ticket.status_label] + (["预约"] if ticket.priority else []) + (
        [f"重呼 {ticket.recalls} 次"] if ticket.recalls else [])
    return f"当前：{ticket.number} {ticket.category}（{'，'.join(flags)}）"


class CallBar(QWidget):
    """`message` carries a line for the main window's status bar; `arrived` the appointment (AppointmentRecord)
    of the ticket being served when the clerk asks for its acceptance (Shift+F4)."""

    message = Signal(str)
    arrived = Signal(object)

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, node_code: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#callBar { background: #e8f0fe; border-bottom: 1px solid #9fb6d8; }"
                           "QLabel#callCurrent { font-weight: bold; font-size: 15px; color: #0d47a1; }"
                           "QLabel#callState[offline=\"true\"] { color: #c62828; font-weight: bold; }")
        self.db = db
        self.actor = actor
        self.runner = runner
        self.node_code = node_code
        self.ticket: Ticket | None = None
        self.arrival: AppointmentRecord | None = None  # the called ticket's appointment, 到达 here
        self.categories: tuple[Category, ...] = ()
        self.busy = False
        self.offline = False
        self.answers = 0  # replies handled (tests wait for the next)
        title = QLabel("排队叫号")
        title.setStyleSheet("font-weight: bold;")
        self.current = QLabel("当前：无")
        self.current.setObjectName("callCurrent")
        self.waiting = QLabel("等候：—")
        self.waiting.setObjectName("callWaiting")
        self.last_count: tuple[int, str] | None = None  # the last count the centre gave, and when (HH:MM)
        self.state = ElidedLabel("")  # a long note is cut with "…" (whole in the tooltip), never widening the window
        self.state.setObjectName("callState")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 3, 8, 3)
        row.addWidget(title)
        row.addWidget(self.current)
        row.addWidget(self.waiting)
        self.buttons: dict[str, QPushButton] = {}
        slots: dict[str, Callable[[], None]] = {"queue_call": self.call_next, "queue_recall": self.recall,
                                                "queue_skip": self.skip, "queue_transfer": self.transfer,
                                                "queue_finish": self.finish, "queue_arrival": self.open_arrival}
        for action, label in ACTIONS:
            key = shortcut("global", action).shown
            button = QPushButton(f"{label} {key}")
            button.setObjectName(action)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the clerk's typing stays where it is
            button.setToolTip(shortcut("global", action).label)
            button.clicked.connect(slots[action])
            bind(self, "global", action, slots[action])
            row.addWidget(button)
            self.buttons[action] = button
        row.addWidget(self.state, 1)
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self.load)
        self.transfer_dialog: QInputDialog | None = None
        self._show()

    def start(self) -> None:
        """The ticket this window was serving (kept here, read without the centre), then the counts."""
        self.runner.submit(lambda: client.current(self.db), self._current_read)
        self.load()
        self._refresh.start()

    def stop(self) -> None:
        self._refresh.stop()

    def _current_read(self, ticket: Ticket | None) -> None:
        if not self.busy:
            self.ticket = ticket
            self._show()

    def load(self) -> None:
        self.runner.submit(lambda: client.window_status(self.db, self.actor), self._status, self._failed)

    def _status(self, queue: QueueStatus) -> None:
        self.categories = queue.categories
        count = waiting_for(queue.categories, self.node_code)
        self.last_count = (count, f"{local_now():%H:%M}")
        self.waiting.setText(f"等候：{count} 人")
        self.waiting.setToolTip("")
        self._online()

    def _count_unknown(self) -> None:
        """Offline, nobody here knows how many wait: an old figure shown as now would mislead the clerk."""
        self.waiting.setText("等候：不详")
        last = f"；上次读到 {self.last_count[0]} 人（{self.last_count[1]}）" if self.last_count else ""
        self.waiting.setToolTip(f"无法连接中心，等候人数暂不可知{last}")

    # -- the actions -------------------------------------------------------------------------------

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        if self.busy:
            return
        self.busy = True
        self._show()

        def finished(result: Any) -> None:
            self.busy = False
            self._online()  # first: a step done while offline (完成 here) says so itself
            done(result)
            self._show()
            self.load()  # the waiting count after this step

        def failed(exc: BaseException) -> bool:
            self.busy = False
            self._show()
            return self._failed(exc)

        self.runner.submit(work, finished, failed)

    def _needs_ticket(self) -> str | None:
        ticket = self.ticket
        if ticket is None or ticket.status not in ("called", "serving"):
            self._say(f"当前没有叫到的号，请先叫号（{shortcut('global', 'queue_call').shown}）")
            return None
        return ticket.number

    def call_next(self) -> None:
        self._run(lambda: arrivals.call(self.db, self.actor), self._called)

    def _called(self, called: arrivals.Called) -> None:
        ticket, self.ticket, self.arrival = called.ticket, called.ticket, called.arrival
        if ticket is None:
            self._say("没有等候的号")
        elif called.arrival is not None:
            record = called.arrival
            self._say(f"已叫号 {ticket.number}：预约 {record.number}（{record.citizen_name}，{record.slot}）已到达，"
                      f"按 {shortcut('global', 'queue_arrival').shown} 受理")
        else:
            self._say(f"已叫号 {ticket.number}（{ticket.category}）")

    def open_arrival(self) -> None:
        """Shift+F4: on from the called appointment to the acceptance (F6) or the 首问 (F3), pre-filled."""
        if self.arrival is None or self._needs_ticket() is None:
            if self.ticket is not None and self.ticket.status in ("called", "serving"):
                self._say("当前号不是本机登记的预约")
            return
        self.arrived.emit(self.arrival)

    def recall(self) -> None:
        number = self._needs_ticket()
        if number:
            self._run(lambda: client.recall(self.db, self.actor, number), self._acted("已重呼"))

    def skip(self) -> None:
        number = self._needs_ticket()
        if number:
            self._run(lambda: client.skip(self.db, self.actor, number), self._acted("已过号"))

    def finish(self) -> None:
        number = self._needs_ticket()
        if number:
            self._run(lambda: client.finish_serving(self.db, self.actor, number), self._finished)

    def _finished(self, done: client.Finished) -> None:
        self.ticket = done.ticket
        if not done.offline:
            self._say(f"已办结 {done.ticket.number}")
            return
        self.offline = True
        self._count_unknown()
        text = f"已在本机办结 {done.ticket.number}（办理时长已记录），中心恢复后自动告知中心"
        self._state(f"{OFFLINE_TEXT}　{text}", done.offline, offline=True)
        self.message.emit(f"排队叫号：{text}")

    def transfer(self) -> None:
        """转移: pick the category (arrows and Enter), then the ticket waits in that queue."""
        number = self._needs_ticket()
        if not number or self.busy:
            return
        assert self.ticket is not None
        names = [c.name for c in self.categories if c.name != self.ticket.category]
        if not names:
            self._say("没有可转移到的其他排队类别" if self.categories else "正在读取排队类别，请稍后再按")
            self.load()
            return
        dialog = QInputDialog(self.window())
        dialog.setObjectName("transferDialog")
        dialog.setWindowTitle("转移排队号")
        dialog.setLabelText(f"把 {number} 转移到哪个类别的队列：")
        dialog.setComboBoxItems(names)
        dialog.setComboBoxEditable(False)
        dialog.setOkButtonText("转移")
        dialog.setCancelButtonText("取消")
        dialog.textValueSelected.connect(
            lambda name: self._run(lambda: client.transfer(self.db, self.actor, number, name),
                                   self._acted(f"已转移到“{name}”")))
        self.transfer_dialog = dialog
        dialog.open()

    def _acted(self, verb: str) -> Callable[[Ticket], None]:
        def done(ticket: Ticket) -> None:
            self.ticket = ticket
            self._say(f"{verb} {ticket.number}")

        return done

    # -- showing -----------------------------------------------------------------------------------

    def _failed(self, exc: BaseException) -> bool:
        self.answers += 1
        if isinstance(exc, QueueUnavailable):
            self.offline = True
            self._count_unknown()
            if not self.state.text().startswith(OFFLINE_TEXT):  # a note said while offline stays with it
                self._state(OFFLINE_TEXT, exc.message, offline=True)
            return True
        if isinstance(exc, UserError):
            self._say(exc.message)
            return True
        return False

    def _online(self) -> None:
        self.answers += 1
        if self.offline:
            self.offline = False
            self._state("", "", offline=False)

    def _say(self, text: str) -> None:
        self._state(text, text, offline=False)
        self.message.emit(f"排队叫号：{text}")

    def _state(self, text: str, tip: str, offline: bool) -> None:
        if not offline and self.offline:  # a step's note never hides that the centre is unreachable
            text, offline = f"{OFFLINE_TEXT}　{text}", True
        self.state.setText(text)
        self.state.setToolTip(text if not tip or tip in text else f"{text}\n{tip}")
        self.state.setProperty("offline", offline)
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)

    def _show(self) -> None:
        self.current.setText(describe(self.ticket))
        active = self.ticket is not None and self.ticket.status in ("called", "serving")
        if not active:
            self.arrival = None
        for action, button in self.buttons.items():
            button.setEnabled(not self.busy and (action == "queue_call" or active))
        self.buttons["queue_arrival"].setVisible(self.arrival is not None)

"""The hall display (叫号大厅屏幕): a full-screen window for the hall's TV, or a workstation's second screen.

The newest call fills the left of the screen (number and window, highlighted), the calls before it are
listed under it, and the right side shows how many wait in each category. It asks the centre for the
queue's status every 1.5 s off the GUI thread (never a second request while one is out), and a call it
has not shown before — a new ticket called, or one called again — is announced once: the chime and the
Mandarin sentence, or the chime alone (app.services.queue.announce). The calls already on the board
when it opens are shown, not announced. When the centre cannot be reached the last board stays up with
a line saying since when it has not been updated.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.clock import local_now
from app.database import Database
from app.services.errors import UserError
from app.services.queue.announce import Announcer, announcement_text
from app.services.queue.client import status
from app.services.queue.model import QueueStatus, Ticket
from app.ui.key_binding import bind
from app.ui.tasks import TaskRunner

POLL_MS = 1500
EARLIER_CALLS = 6  # under the newest call
STYLE = """
QWidget#hallWindow {{ background: #102a43; }}
QLabel {{ color: #ffffff; font-size: {base}px; }}
QLabel#hallTitle {{ font-size: {title}px; font-weight: bold; }}
QLabel#hallClock {{ font-size: {title}px; color: #bcccdc; }}
QLabel#hallHeading {{ font-size: {heading}px; color: #ffd54f; font-weight: bold; }}
QWidget#newestCall {{ background: #b71c1c; border-radius: 18px; }}
QLabel#newestNumber {{ font-size: {huge}px; font-weight: bold; color: #ffffff; }}
QLabel#newestWindow {{ font-size: {large}px; font-weight: bold; color: #fff59d; }}
QLabel#hallState {{ font-size: {small}px; color: #ffab91; font-weight: bold; }}
QLabel#hallVoice {{ font-size: {small}px; color: #9fb3c8; }}
QTableWidget {{ background: #16395c; color: #ffffff; gridline-color: #334e68; font-size: {large}px;
               border: none; }}
QHeaderView::section {{ background: #243b53; color: #d9e2ec; font-size: {base}px; padding: 6px; border: none; }}
"""


def type_size(width: int) -> int:
    """Ordinary lines' pixels: 27 on a 1366-pixel screen, 38 on a 1920-pixel TV."""
    return max(16, min(48, width // 50))


def call_key(ticket: Ticket) -> tuple[str, str, int]:
    """One announcement: the same ticket called again (重呼) is a new call; the same call polled again is not."""
    return ticket.number, ticket.called_at.isoformat() if ticket.called_at else "", ticket.recalls


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.verticalHeader().setVisible(False)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def _label(name: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    return label


class HallWindow(QWidget):
    def __init__(self, db: Database, runner: TaskRunner, center_name: str, announcer: Announcer,
                 parent: QWidget | None = None, poll_ms: int = POLL_MS) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("hallWindow")
        self.setWindowTitle(f"叫号大厅屏幕 — {center_name}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.db = db
        self.runner = runner
        self.announcer = announcer
        self.queue: QueueStatus | None = None
        self.seen: set[tuple[str, str, int]] = set()
        self.primed = False  # the calls on the board when it opened are not announced
        self.pending = False  # one status request at a time
        self.loads = 0
        self.last_ok: datetime | None = None
        self.last_announcement = ""
        self._type = 0
        self.title = _label("hallTitle", f"{center_name}　叫号")
        self.clock = _label("hallClock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.newest = QWidget()
        self.newest.setObjectName("newestCall")
        self.newest.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.newest_number = _label("newestNumber", "—")
        self.newest_window = _label("newestWindow", "请留意叫号")
        for label in (self.newest_number, self.newest_window):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box = QVBoxLayout(self.newest)
        box.addWidget(self.newest_number)
        box.addWidget(self.newest_window)
        self.earlier = _table(["号码", "窗口"])
        self.earlier.setObjectName("earlierCalls")
        self.waiting = _table(["业务类别", "等候人数"])
        self.waiting.setObjectName("waitingCounts")
        self.state = _label("hallState")
        self.voice = _label("hallVoice", f"播报方式：{announcer.label}")
        for clipped in (self.title, self.state):  # long lines: clipped rather than widening the display
            clipped.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # how calls are heard is short and always shown whole, the offline line taking what is left
        self.voice.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.clock)
        left = QVBoxLayout()
        left.addWidget(_label("hallHeading", "正在叫号"))
        left.addWidget(self.newest, 3)
        left.addWidget(_label("hallHeading", "其他窗口正在叫号"))
        left.addWidget(self.earlier, 4)
        right = QVBoxLayout()
        right.addWidget(_label("hallHeading", "等候人数"))
        right.addWidget(self.waiting, 1)
        middle = QHBoxLayout()
        middle.setSpacing(32)
        middle.addLayout(left, 3)
        middle.addLayout(right, 2)
        bottom = QHBoxLayout()
        bottom.addWidget(self.state, 1)
        bottom.addWidget(self.voice)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 16)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addLayout(bottom)
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.load)
        bind(self, "hall", "full_screen", self.toggle_full_screen)
        bind(self, "hall", "replay", self.replay)
        bind(self, "hall", "close", self.close)
        self._scale(1920)

    def show_on(self, screen: QScreen | None) -> None:
        """Full screen on the hall's screen, polling from now on."""
        if screen is not None:
            if self.isFullScreen():
                self.showNormal()  # a full-screen window moves to another screen only as a normal one
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        self.load()
        self._poll.start()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def load(self) -> None:
        if self.pending:
            return
        self.pending = True
        self.runner.submit(lambda: status(self.db), self._loaded, self._failed)

    def _loaded(self, queue: QueueStatus) -> None:
        self.pending = False
        self.loads += 1
        self.queue = queue
        self.last_ok = local_now()
        self.state.setText("")
        self._announce_new(queue.called)
        self._draw(queue)

    def _failed(self, exc: BaseException) -> bool:
        self.pending = False
        if not isinstance(exc, UserError):
            return False
        self.loads += 1
        since = f"（{self.last_ok:%H:%M:%S} 以后）" if self.last_ok else ""
        self.state.setText(f"暂时无法连接中心，叫号信息暂停更新{since}。请留意窗口工作人员的招呼")
        self.clock.setText(f"{local_now():%H:%M}")
        return True

    def _announce_new(self, called: tuple[Ticket, ...]) -> None:
        fresh = [t for t in called if call_key(t) not in self.seen]
        self.seen |= {call_key(t) for t in called}
        if len(self.seen) > 500:  # a whole day's calls at most; keep only what the board still shows
            self.seen = {call_key(t) for t in called}
        if not self.primed:
            self.primed = True
            return
        for ticket in reversed(fresh):  # oldest first, as they were called
            self.last_announcement = announcement_text(ticket.number, ticket.window_name, ticket.window)
            self.announcer.announce(self.last_announcement)

    def replay(self) -> None:
        """F5: the newest call once more (a citizen who missed it asks the hall staff)."""
        if self.queue and self.queue.called:
            newest = self.queue.called[0]
            self.announcer.announce(announcement_text(newest.number, newest.window_name, newest.window))

    def _draw(self, queue: QueueStatus) -> None:
        self.clock.setText(f"{local_now():%H:%M}")
        calls = [t for t in queue.called if t.status in ("called", "serving")] or list(queue.called)
        if calls:
            newest = calls[0]
            self.newest_number.setText(newest.number)
            self.newest_window.setText(f"请到 {_place(newest)} 办理")
        else:
            self.newest_number.setText("—")
            self.newest_window.setText("请留意叫号")
        earlier = calls[1:1 + EARLIER_CALLS]
        self.earlier.setRowCount(len(earlier))
        for row, ticket in enumerate(earlier):
            for column, text in enumerate((ticket.number, _place(ticket))):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.earlier.setItem(row, column, item)
        self.waiting.setRowCount(len(queue.categories))
        for row, category in enumerate(queue.categories):
            for column, text in enumerate((category.name, f"{category.waiting} 人")):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.waiting.setItem(row, column, item)
        for table in (self.earlier, self.waiting):
            _fit_rows(table)

    def _scale(self, width: int) -> None:
        base = type_size(width)
        if base != self._type:
            self._type = base
            self.setStyleSheet(STYLE.format(base=base, small=base * 3 // 4, heading=base * 5 // 4,
                                            title=base * 5 // 4, large=base * 3 // 2, huge=base * 5))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._scale(event.size().width())
        for table in (self.earlier, self.waiting):
            _fit_rows(table)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self._poll.stop()
        super().closeEvent(event)


def _place(ticket: Ticket) -> str:
    """The window as the announcement names it (3号窗口)."""
    return announcement_text(ticket.number, ticket.window_name, ticket.window).split(" 号到 ", 1)[1].removesuffix(" 办理")


def _fit_rows(table: QTableWidget) -> None:
    """Rows as tall as the type needs, no taller than the table's share of the screen."""
    if not table.rowCount():
        return
    header = table.horizontalHeader().height()
    room = max(1, (table.height() - header) // max(1, EARLIER_CALLS))
    height = max(table.fontMetrics().height() + 12, min(room, table.fontMetrics().height() * 2))
    for row in range(table.rowCount()):
        table.setRowHeight(row, height)

"""The ticket kiosk (取号机, main.py --kiosk): full screen, touch first, the digit keys as well.

The start page lists the hall's categories as large buttons with how many wait (touch, or the digit
key shown on the button); 预约签到 (key 0) asks for the phone number or YY code given at booking, on an
on-screen digit pad or the keyboard, then for the category, and the centre gives a priority ticket.
The ticket is shown large and printed on the kiosk's paper and printer (app.services.queue.kiosk_settings),
and after a few seconds the kiosk is back at the start for the next citizen. When the centre cannot be
reached the kiosk says so in plain words and keeps trying; nothing the citizen does can crash it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QRegularExpressionValidator, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.database import Database
from app.printing.ticket_pdf import ticket_pdf
from app.services.errors import UserError
from app.services.queue.client import status, take
from app.services.queue.kiosk_settings import load_kiosk_settings, ticket_slip
from app.services.queue.model import Category, QueueStatus, QueueUnavailable, Ticket
from app.services.queue.rules import check_appointment
from app.ui.key_binding import bind
from app.ui.queue.ticket_printer import PrinterFactory, print_ticket, system_printer
from app.ui.tasks import TaskRunner

TICKET_SHOW_MS = 8000  # long enough to read the number and take the paper
IDLE_MS = 60_000  # a half-typed appointment code left behind goes away
REFRESH_MS = 10_000  # the waiting counts on the buttons, and a centre that comes back
MAX_BUTTONS = 9  # digit keys 1-9
CODE_MAX = 23  # YY + 21 digits; a phone number is 11
DIGIT_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}
STYLE = """
QWidget#kioskWindow {{ background: #0d3b66; }}
QLabel {{ color: #ffffff; font-size: {base}px; }}
QLabel#kioskTitle {{ font-size: {title}px; font-weight: bold; }}
QLabel#kioskMessage {{ color: #ffe082; font-size: {base}px; font-weight: bold; }}
QLabel#kioskError {{ color: #ffab91; font-size: {base}px; font-weight: bold; }}
QLabel#ticketNumber {{ font-size: {huge}px; font-weight: bold; color: #ffffff; }}
QLabel#ticketCategory {{ font-size: {title}px; }}
QLabel#ticketPriority {{ font-size: {title}px; color: #ffd54f; font-weight: bold; }}
QPushButton {{ background: #1976d2; color: #ffffff; border: none; border-radius: 14px; font-size: {button}px;
              font-weight: bold; padding: 12px; }}
QPushButton:pressed {{ background: #0b2545; }}
QPushButton:disabled {{ background: #51687f; color: #c5d0db; }}
QPushButton#appointmentButton {{ background: #2e7d32; }}
QPushButton#padKey {{ background: #ffffff; color: #0d3b66; font-size: {title}px; }}
QPushButton#backButton {{ background: #607d8b; }}
QLineEdit {{ font-size: {title}px; padding: 8px; border-radius: 8px; }}
"""


def type_size(width: int) -> int:
    """The ordinary lines' pixels for a screen this wide: 27 at 1366, 38 at 1920."""
    return max(16, min(44, width // 50))


@dataclass(frozen=True)
class TakenTicket:
    """What the kiosk shows after 取号: the ticket, its paper, and why it did not print (None: printed)."""

    ticket: Ticket
    pdf: bytes
    print_problem: str | None


def _label(name: str, text: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(wrap)
    return label


def _button(text: str, name: str = "") -> QPushButton:
    button = QPushButton(text)
    if name:
        button.setObjectName(name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the window, never to "the focused button"
    button.setAutoDefault(False)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return button


class KioskWindow(QWidget):
    """`ticket_taken` (TakenTicket) after each ticket, printed or not."""

    ticket_taken = Signal(object)

    def __init__(self, db: Database, runner: TaskRunner, center_name: str, *,
                 make_printer: PrinterFactory = system_printer, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("kioskWindow")
        self.setWindowTitle(f"取号机 — {center_name}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.db = db
        self.runner = runner
        self.center_name = center_name
        self.make_printer = make_printer
        self.categories: tuple[Category, ...] = ()
        self.appointment = ""  # a checked code waiting for its category
        self.taking = False  # one ticket at a time: a second touch while the centre answers does nothing
        self.last: TakenTicket | None = None
        self.loads = 0  # status answers received (tests wait for the next)
        self._type = 0
        self.pages = QStackedWidget()
        self._build_start()
        self._build_appointment()
        self._build_ticket()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 28, 40, 28)
        layout.addWidget(self.pages)
        self._back = QTimer(self)
        self._back.setSingleShot(True)
        self._back.timeout.connect(self.show_start)
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self.load)
        bind(self, "kiosk", "quit", self.close)
        self._scale(1366)

    # -- pages -------------------------------------------------------------------------------------

    def _build_start(self) -> None:
        page = QWidget()
        self.title = _label("kioskTitle", f"{self.center_name}　欢迎您")
        self.prompt = _label("kioskPrompt", "请触摸要办理的业务取号（也可按按钮上的数字键）")
        self.message = _label("kioskMessage", "正在连接中心……")
        self.grid = QGridLayout()
        self.grid.setSpacing(18)
        self.category_buttons: list[QPushButton] = []
        self.appointment_button = _button("预约签到\n（已预约的群众请按这里，数字键 0）", "appointmentButton")
        self.appointment_button.clicked.connect(self.show_appointment)
        self.cancel_appointment = _button("取消预约签到，返回首页", "backButton")
        self.cancel_appointment.clicked.connect(self.show_start)
        self.cancel_appointment.hide()
        column = QVBoxLayout(page)
        column.addWidget(self.title)
        column.addWidget(self.prompt)
        column.addWidget(self.message)
        column.addLayout(self.grid, 1)
        column.addWidget(self.appointment_button)
        column.addWidget(self.cancel_appointment)
        self.pages.addWidget(page)
        self.start_page = page

    def _build_appointment(self) -> None:
        page = QWidget()
        heading = _label("kioskTitle", "预约签到")
        hint = _label("kioskPrompt", "请输入预约时登记的 11 位手机号，或预约短信、告知书上 YY 开头的预约号")
        self.code = QLineEdit()
        self.code.setObjectName("appointmentCode")
        self.code.setMaxLength(CODE_MAX)
        self.code.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9Yy]{0,23}"), self.code))
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_error = _label("kioskError")
        self.code.textEdited.connect(self._typed)
        pad = QGridLayout()
        pad.setSpacing(12)
        self.pad_buttons: dict[str, QPushButton] = {}
        for index, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "YY", "0", "退格"]):
            button = _button(key, "padKey")
            button.clicked.connect(lambda _c=False, k=key: self.pad(k))
            pad.addWidget(button, index // 3, index % 3)
            self.pad_buttons[key] = button
        actions = QHBoxLayout()
        back = _button("返回", "backButton")
        back.clicked.connect(self.show_start)
        clear = _button("清除", "backButton")
        clear.clicked.connect(self._clear_code)
        self.confirm_button = _button("确定")
        self.confirm_button.clicked.connect(self.confirm_appointment)
        for button in (back, clear, self.confirm_button):
            actions.addWidget(button)
        column = QVBoxLayout(page)
        column.addWidget(heading)
        column.addWidget(hint)
        column.addWidget(self.code)
        column.addWidget(self.code_error)
        column.addLayout(pad, 1)
        column.addLayout(actions)
        self.pages.addWidget(page)
        self.appointment_page = page

    def _build_ticket(self) -> None:
        page = QWidget()
        self.ticket_heading = _label("kioskPrompt", "您的排队号")
        self.ticket_number = _label("ticketNumber", wrap=False)
        self.ticket_category = _label("ticketCategory")
        self.ticket_priority = _label("ticketPriority", "预约优先")
        self.ticket_waiting = _label("kioskPrompt")
        self.ticket_time = _label("kioskPrompt")
        self.print_state = _label("kioskMessage")
        done = _button("完成（回车），返回首页", "backButton")
        done.clicked.connect(self.show_start)
        column = QVBoxLayout(page)
        for widget in (self.ticket_heading, self.ticket_number, self.ticket_category, self.ticket_priority,
                       self.ticket_waiting, self.ticket_time, self.print_state):
            column.addWidget(widget)
        column.addStretch(1)
        column.addWidget(done)
        self.pages.addWidget(page)
        self.ticket_page = page

    # -- showing -----------------------------------------------------------------------------------

    def show_on(self, screen: QScreen | None) -> None:
        """Full screen (on `screen` when given), and start reading the categories."""
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.activateWindow()
        self.load()
        self._refresh.start()

    def load(self) -> None:
        self.runner.submit(lambda: status(self.db), self._loaded, self._load_failed)

    def _loaded(self, queue: QueueStatus) -> None:
        self.loads += 1
        self.categories = queue.categories[:MAX_BUTTONS]
        if not self.categories:
            self.message.setText("中心尚未设置排队类别，请到窗口直接办理")
        elif self.message.text() and not self.taking:
            self.message.setText("")
        self._fill_buttons()

    def _load_failed(self, exc: BaseException) -> bool:
        if not isinstance(exc, UserError):
            return False
        self.loads += 1
        self.categories = ()
        self._fill_buttons()
        self.message.setText(_offline_text(exc))
        return True

    def _fill_buttons(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.category_buttons = []
        columns = 3 if len(self.categories) > 4 else 2 if len(self.categories) > 1 else 1
        for index, category in enumerate(self.categories):
            button = _button(f"{index + 1}　{category.name}\n等候 {category.waiting} 人")
            button.setObjectName("categoryButton")
            button.setAccessibleName(category.name)
            button.clicked.connect(lambda _c=False, name=category.name: self.choose(name))
            self.grid.addWidget(button, index // columns, index % columns)
            self.category_buttons.append(button)
        self.appointment_button.setEnabled(bool(self.categories))

    def show_start(self) -> None:
        self._back.stop()
        self.appointment = ""
        self.code.clear()
        self.code_error.setText("")
        self.prompt.setText("请触摸要办理的业务取号（也可按按钮上的数字键）")
        self.appointment_button.show()
        self.cancel_appointment.hide()
        self.pages.setCurrentWidget(self.start_page)

    def show_appointment(self) -> None:
        if not self.categories or self.taking:
            return
        self.code.clear()
        self.code_error.setText("")
        self.pages.setCurrentWidget(self.appointment_page)
        self.code.setFocus()
        self._idle()

    def _typed(self, _text: str) -> None:
        self.code_error.setText("")
        self._idle()

    def _clear_code(self) -> None:
        self.code.clear()
        self.code_error.setText("")

    def _idle(self) -> None:
        self._back.start(IDLE_MS)

    def pad(self, key: str) -> None:
        """A touch on the digit pad: as if typed."""
        if key == "退格":
            self.code.backspace()
        else:
            self.code.insert(key)
        self.code_error.setText("")
        self._idle()

    def confirm_appointment(self) -> None:
        try:
            code = check_appointment(self.code.text())
        except UserError as exc:
            self.code_error.setText(exc.message)
            return
        if not code:
            self.code_error.setText("请先输入手机号或预约号")
            return
        self.appointment = code
        if len(self.categories) == 1:
            self.choose(self.categories[0].name)
            return
        self.prompt.setText("预约签到：请触摸您预约办理的业务")
        self.appointment_button.hide()
        self.cancel_appointment.show()
        self.pages.setCurrentWidget(self.start_page)
        self._idle()

    # -- taking a ticket ---------------------------------------------------------------------------

    def choose(self, category: str) -> None:
        if self.taking:
            return
        self.taking = True
        self._back.stop()
        appointment = self.appointment
        self.message.setText("正在取号，请稍候……")
        for button in self.category_buttons:
            button.setEnabled(False)
        self.runner.submit(lambda: self._take(category, appointment), self._taken, self._take_failed)

    def _take(self, category: str, appointment: str) -> tuple[Ticket, bytes, str]:
        """Off the GUI thread: the ticket from the centre, and its paper."""
        ticket = take(self.db, category, appointment)
        settings = load_kiosk_settings(self.db)
        return ticket, ticket_pdf(ticket_slip(self.db, ticket), settings.paper), settings.printer

    def _taken(self, result: tuple[Ticket, bytes, str]) -> None:
        ticket, pdf, printer = result
        self.taking = False
        self.message.setText("")
        problem = print_ticket(pdf, printer, self.make_printer)
        self.last = TakenTicket(ticket, pdf, problem)
        self.ticket_heading.setText("预约签到成功，您的排队号" if ticket.priority else "您的排队号")
        self.ticket_number.setText(ticket.number)
        self.ticket_category.setText(ticket.category)
        self.ticket_priority.setVisible(ticket.priority)
        self.ticket_waiting.setText(f"您前面还有 {ticket.ahead} 人等候" if ticket.ahead else "您前面没有人等候，请留意叫号")
        self.ticket_time.setText(f"取号时间 {ticket.taken_at.astimezone():%H:%M}　请留意大厅屏幕和语音叫号")
        self.print_state.setText("请取走小票" if problem is None else f"小票未能打印（{problem}），请记下您的排队号")
        self.pages.setCurrentWidget(self.ticket_page)
        self._back.start(TICKET_SHOW_MS)
        self._fill_buttons()
        self.ticket_taken.emit(self.last)
        self.load()  # the counts on the buttons now include this ticket

    def _take_failed(self, exc: BaseException) -> bool:
        self.taking = False
        self._fill_buttons()
        if not isinstance(exc, UserError):
            self.message.setText("取号失败，请到窗口直接办理")
            return False
        text = _offline_text(exc) if isinstance(exc, QueueUnavailable) else exc.message
        if self.appointment:  # back to the code, with the centre's reason (no such appointment today…)
            self.show_appointment()
            self.code_error.setText(text)
        else:
            self.message.setText(text)
        return True

    # -- keys and size -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        page = self.pages.currentWidget()
        if key == Qt.Key.Key_Escape:
            self.show_start()
        elif page is self.ticket_page and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.show_start()
        elif page is self.appointment_page and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm_appointment()
        elif page is self.start_page and key in DIGIT_KEYS:
            digit = DIGIT_KEYS[Qt.Key(key)]
            if digit == 0 and not self.appointment:
                self.show_appointment()
            elif 1 <= digit <= len(self.category_buttons) and self.category_buttons[digit - 1].isEnabled():
                self.choose(self.categories[digit - 1].name)
        else:
            super().keyPressEvent(event)

    def _scale(self, width: int) -> None:
        base = type_size(width)
        if base != self._type:
            self._type = base
            self.setStyleSheet(STYLE.format(base=base, title=base * 3 // 2, button=base * 5 // 4, huge=base * 6))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._scale(event.size().width())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self._refresh.stop()
        self._back.stop()
        super().closeEvent(event)


def _offline_text(exc: UserError) -> str:
    if isinstance(exc, QueueUnavailable):
        return "暂时无法连接中心取号。请直接到窗口办理，工作人员会为您服务"
    return exc.message

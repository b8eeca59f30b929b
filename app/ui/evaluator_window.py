"""The window's evaluator on screen (评价器), facing the citizen, and its place in F7.

With a second screen (the citizen's) it opens full screen there without taking the clerk's keyboard,
for touch; with one screen it is a dialog the clerk turns to the citizen, and it takes the keyboard so
the numeric keypad reaches it. Five large buttons (5 = 非常满意 … 1 = 非常不满意, the stored scale, each
showing its key), reasons for a bad level on the next page, a thank-you page, and a visible countdown:
60 s without input closes it and the case stays unrated. The rules are the Qt-free
app.services.ratings.evaluator.EvaluationSession's; this module only draws it and feeds it keys.
It is never modal: the clerk goes on with the next citizen meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.services.errors import UserError
from app.services.ratings.codes import LEVELS
from app.services.ratings.evaluator import (
    Choice,
    Done,
    EvaluationOutcome,
    EvaluationSession,
    EvaluatorPrompt,
    Failed,
    Stage,
    Writer,
    write_choice,
)
from app.ui.tasks import TaskRunner

S = TypeVar("S")
TICK_MS = 250  # the countdown's resolution
DIALOG_WIDTH = 1100  # the dialog on the clerk's screen, at most
THANKS_MS = 5000  # the thank-you page stays this long, then the window closes itself
LEVEL_COLOURS = {5: "#1b7f3b", 4: "#43a047", 3: "#c79100", 2: "#e65100", 1: "#c62828"}
DIGIT_KEYS = {getattr(Qt.Key, f"Key_{n}"): str(n) for n in range(10)}  # main row and keypad alike
KEY_HELP = "按键：5 = 非常满意　4 = 满意　3 = 基本满意　2 = 不满意　1 = 非常不满意（主键盘或数字小键盘）"


def type_size(width: int) -> int:
    """Pixels of the ordinary lines for a window this wide: 26 at 1366, so 非常不满意 fits its button."""
    return max(16, min(32, width // 52))


def citizen_screen(screens: Sequence[S], primary: S | None) -> S | None:
    """The screen facing the citizen: the first that is not the clerk's (primary); None with one screen."""
    if len(screens) < 2:
        return None
    return next((s for s in screens if s is not primary), None)


class _BigButton(QPushButton):
    """A touch-sized button with a large caption and, under it, the key that does the same."""

    def __init__(self, caption: str, key_hint: str, colour: str, size: int, checkable: bool = False) -> None:
        super().__init__()
        self.setCheckable(checkable)
        self.setAutoDefault(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the window, never "press the focused button"
        self.setAccessibleName(caption)
        self.caption = QLabel(caption)
        self.key_label = QLabel(key_hint)
        column = QVBoxLayout(self)
        for label, px in ((self.caption, size), (self.key_label, max(14, size * 2 // 3))):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setStyleSheet(f"color: white; font-size: {px}px; font-weight: bold; background: transparent;")
            column.addWidget(label)
        self.setMinimumHeight(size * 5)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)  # as large as the screen allows
        self.setStyleSheet(f"QPushButton {{ background: {colour}; color: white; border-radius: 12px; border: none; }}"
                           "QPushButton:checked { background: #0d47a1; border: 5px solid #ffd54f; }"
                           "QPushButton:pressed { background: #0d2340; }"
                           "QLabel { color: white; }")


class KeypadRelay(QObject):
    """On the citizen's own screen the window does not take the clerk's keyboard, so a numeric keypad
    would type into the clerk's field: while it is open, keys from the keypad (digits, Enter) go to the
    evaluator instead. The clerk's main keyboard is untouched."""

    def __init__(self, window: EvaluatorWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.modifiers() & Qt.KeyboardModifier.KeypadModifier
                and (event.key() in DIGIT_KEYS or event.key() in (Qt.Key.Key_Enter, Qt.Key.Key_Return))):
            self.window.keyPressEvent(event)
            return True
        return False


class EvaluatorWindow(QDialog):
    """One session on screen. `ended` (EvaluationOutcome) when the session ends; the window closes
    itself afterwards (at once when nobody rated, after the thank-you page otherwise)."""

    ended = Signal(object)

    def __init__(self, prompt: EvaluatorPrompt, write: Writer, full_screen: bool, parent: QWidget | None = None,
                 clock: Callable[[], datetime] = utc_now, size: int = 26) -> None:
        super().__init__(parent)
        self.session = EvaluationSession(prompt, write, on_end=self._session_ended, clock=clock)
        self._closed = False
        self.relay: KeypadRelay | None = None  # on the citizen's screen: the keypad's keys come here
        self.full_screen = full_screen
        self.setObjectName("evaluatorWindow")
        self.setWindowTitle("服务评价")
        self.setModal(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        if full_screen:  # the citizen's own screen: touch it, the clerk keeps typing on theirs
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
            self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self._size = size  # px of the ordinary lines; the level buttons' captions are half as large again
        self.setStyleSheet("QDialog#evaluatorWindow { background: #f4f7fb; } QLabel { color: #0d2340; }")
        self.title = self._label("请您对本次服务进行评价", 1.4)
        self.who = self._label(f"工作人员：{prompt.staff_name}（工号 {prompt.staff_no}）"
                               + (f"　窗口：{prompt.window}" if prompt.window else ""), 0.9)
        self.item = self._label(f"办理事项：{prompt.item_name}　编号 {prompt.target_number}", 0.8)
        self.pages = QStackedWidget()
        self.level_buttons: dict[int, _BigButton] = {}
        levels = QWidget()
        row = QHBoxLayout(levels)
        row.setSpacing(16)
        for level, text in LEVELS.items():  # 非常满意 on the left, as the national devices show it
            button = _BigButton(text, f"按 {level} 键", LEVEL_COLOURS[level], self._size * 3 // 2)
            button.setObjectName(f"level_{level}")
            button.clicked.connect(lambda _c=False, n=level: self._act(lambda: self.session.choose_level(n)))
            self.level_buttons[level] = button
            row.addWidget(button)
        level_page = QWidget()
        column = QVBoxLayout(level_page)
        column.addWidget(levels, 1)
        self.key_help = self._label(KEY_HELP, 0.6)
        column.addWidget(self.key_help)
        self.pages.addWidget(level_page)
        self.reason_page = QWidget()
        self.reason_title = self._label("", 1.0)
        self.reason_grid = QGridLayout()
        self.reason_grid.setSpacing(12)
        self.reason_buttons: dict[str, _BigButton] = {}
        self.reason_hint = self._label("", 0.8)
        self.reason_hint.setObjectName("reasonHint")
        self.reason_hint.setStyleSheet(f"color: #b00020; font-size: {int(self._size * 0.8)}px;")
        self.back_button = _BigButton("返回", "按 0 键", "#546e7a", self._size * 3 // 4)
        self.back_button.setObjectName("backButton")
        self.back_button.clicked.connect(lambda: self._act(self.session.back))
        self.confirm_button = _BigButton("提交评价", "按 回车 键", "#0d47a1", self._size * 3 // 4)
        self.confirm_button.setObjectName("confirmButton")
        self.confirm_button.clicked.connect(lambda: self._act(self.session.confirm))
        actions = QHBoxLayout()
        actions.addWidget(self.back_button)
        actions.addWidget(self.confirm_button)
        page = QVBoxLayout(self.reason_page)
        page.addWidget(self.reason_title)
        page.addLayout(self.reason_grid, 1)
        page.addWidget(self.reason_hint)
        page.addLayout(actions)
        self.pages.addWidget(self.reason_page)
        self.end_label = self._label("", 1.6)
        self.end_label.setObjectName("endText")
        self.pages.addWidget(self.end_label)
        self.countdown = self._label("", 0.7)
        self.countdown.setObjectName("countdown")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        for widget in (self.title, self.who, self.item):
            layout.addWidget(widget)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.countdown)
        self._shown_level: int | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.sync()

    def _label(self, text: str, scale: float) -> QLabel:
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setStyleSheet(f"font-size: {max(14, int(self._size * scale))}px; font-weight: bold;")
        return label

    def _act(self, step: Callable[[], object]) -> None:
        step()
        self.sync()

    def tick(self) -> None:
        self.session.tick()
        self.sync()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Digits of the main row and the keypad alike (the keypad sends the same key codes)."""
        key = event.key()
        stage = self.session.stage
        if self.session.ended:
            if stage in (Stage.RATED, Stage.REFUSED):
                self.close()
            return
        if key in DIGIT_KEYS:
            self.session.press(DIGIT_KEYS[key])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.session.press("enter")
        elif key == Qt.Key.Key_Backspace:
            self.session.press("back")
        elif key == Qt.Key.Key_Escape:
            if stage == Stage.REASONS:
                self.session.press("back")
            else:
                self.close()  # withdrawn: no rating
                return
        else:
            self.session.press("")  # someone is there: the countdown starts again
        self.sync()

    def sync(self) -> None:
        """Show the session's page, choices and countdown (the only place the screen follows it)."""
        s = self.session
        if s.stage == Stage.LEVEL:
            self.pages.setCurrentIndex(0)
        elif s.stage == Stage.REASONS:
            self._show_reasons()
            self.pages.setCurrentIndex(1)
        else:
            self._show_end()
            self.pages.setCurrentIndex(2)
        left = s.remaining()
        self.countdown.setText(f"剩余 {left} 秒：{int(s.timeout)} 秒无操作将自动关闭，不计评价"
                               if s.stage in (Stage.LEVEL, Stage.REASONS) else "")

    def _show_reasons(self) -> None:
        s = self.session
        if self._shown_level != s.level:  # the level's own eight reasons, keyed 1–8
            self._shown_level = s.level
            for button in self.reason_buttons.values():
                button.deleteLater()
            self.reason_buttons = {}
            for index, (code, text) in enumerate(s.reasons_offered()):
                button = _BigButton(text, f"按 {index + 1} 键", "#78909c", self._size * 3 // 4, checkable=True)
                button.setObjectName(f"reason_{code}")
                button.setMinimumHeight(self._size * 3)
                button.clicked.connect(lambda _c=False, c=code: self._act(lambda: self.session.toggle_reason(c)))
                self.reason_grid.addWidget(button, index // 2, index % 2)
                self.reason_buttons[code] = button
            self.reason_title.setText(f"您选择了“{LEVELS.get(s.level or 0, '')}”，请选择原因（可多选，至少一项）")
        offered = dict(s.reasons_offered())
        for code, button in self.reason_buttons.items():
            button.setChecked(code in s.chosen)
            button.caption.setText(("✔ " if code in s.chosen else "") + offered.get(code, ""))  # not by colour alone
        self.reason_hint.setText(s.hint)

    def _show_end(self) -> None:
        s = self.session
        texts = {Stage.SAVING: "正在保存您的评价……",
                 Stage.RATED: f"谢谢您的评价！\n您的评价：{LEVELS.get(s.level or 0, '')}",
                 Stage.REFUSED: "评价未能保存，请告知窗口工作人员。\n" + (s.outcome.message if s.outcome else ""),
                 Stage.WALKED_AWAY: "未评价", Stage.CANCELLED: "未评价"}
        self.end_label.setText(texts.get(s.stage, ""))

    def _session_ended(self, outcome: EvaluationOutcome) -> None:
        """Said once, however it ended; the window then closes (at once when nobody rated)."""
        if not shiboken6.isValid(self):  # its screen was closed while the rating was being saved
            return
        self.timer.stop()
        self.sync()
        self.ended.emit(outcome)
        if self._closed:
            self.deleteLater()  # closed while the rating was being saved
        elif outcome.stage in (Stage.RATED, Stage.REFUSED):
            QTimer.singleShot(THANKS_MS, self, self.close)
        else:
            QTimer.singleShot(0, self, self.close)  # walked away or withdrawn: nothing to read

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        app = QGuiApplication.instance()
        if self.relay is not None and app is not None:
            app.removeEventFilter(self.relay)
            self.relay = None
        self.timer.stop()
        self.session.cancel()  # closed before a choice: no rating (nothing happens once it ended)
        super().closeEvent(event)
        if self.session.ended:
            self.deleteLater()

    def reject(self) -> None:  # Esc reaches keyPressEvent first; this is the window manager's close
        self.close()

    def place(self, screen: QScreen | None) -> None:
        """Full screen on the citizen's screen, else a large dialog on the clerk's that takes the keys."""
        if screen is not None and self.full_screen:
            app = QGuiApplication.instance()
            if app is not None and self.relay is None:
                self.relay = KeypadRelay(self)
                app.installEventFilter(self.relay)
            self.setScreen(screen)
            self.setGeometry(screen.geometry())  # the whole screen even where no window manager enlarges it
            self.showFullScreen()
            return
        available = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        self.resize(min(DIALOG_WIDTH, available.width() * 9 // 10), min(720, available.height() * 9 // 10))
        self.move(available.center() - self.rect().center())
        self.show()
        self.raise_()
        self.activateWindow()
        self.setFocus()


class ScreenEvaluator(QObject):
    """The on-screen `Evaluator` (app.services.ratings.evaluator): one window at a time; the rating is
    written off the GUI thread. Screens are injectable so the second-screen choice is testable."""

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget,
                 screens: Callable[[], Sequence[QScreen]] = QGuiApplication.screens,
                 primary: Callable[[], QScreen | None] = QGuiApplication.primaryScreen,
                 clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.parent_widget = db, actor, runner, parent
        self._screens, self._primary, self._clock = screens, primary, clock
        self.window: EvaluatorWindow | None = None

    def has_citizen_screen(self) -> bool:
        return citizen_screen(list(self._screens()), self._primary()) is not None

    def show(self, prompt: EvaluatorPrompt, on_end: Callable[[EvaluationOutcome], None]) -> None:
        """A new request replaces one still open (that citizen left): the old one ends unrated."""
        self.cancel()
        screen = citizen_screen(list(self._screens()), self._primary())
        clerks = self.parent_widget.screen() or QGuiApplication.primaryScreen()
        width = screen.geometry().width() if screen is not None else min(DIALOG_WIDTH, clerks.availableGeometry().width())
        self.window = EvaluatorWindow(prompt, self._write, screen is not None, self.parent_widget, self._clock,
                                      type_size(width))
        self.window.ended.connect(on_end)
        self.window.place(screen)

    def cancel(self) -> None:
        """Withdraw the open request, if any: no rating (a rating already being saved is still saved)."""
        window, self.window = self.window, None
        if window is not None and shiboken6.isValid(window):
            window.close()

    def _write(self, prompt: EvaluatorPrompt, choice: Choice, done: Done, failed: Failed) -> None:
        db, actor = self.db, self.actor

        def refused(exc: BaseException) -> bool:
            if isinstance(exc, UserError):
                failed(exc)
                return True
            return False

        self.runner.submit(lambda: write_choice(db, actor, prompt, choice), done, refused)

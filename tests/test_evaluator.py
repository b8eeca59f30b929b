"""The window's evaluator: the Qt-free session (level → reasons → written; 60 s idle → nothing written),
the citizen's window (touch, keys 1–5 of the main row and the keypad, reasons page, countdown), the
second-screen choice, and F7's 请群众评价."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

import app.clock
from app.actor import Actor
from app.database import Database
from app.models.ratings import Rating
from app.services.cases.lifecycle import BY_ACTION
from app.services.cases.records import URGENT, accept_case
from app.services.errors import ValidationError
from app.services.ratings.evaluator import (
    TIMEOUT_SECONDS,
    EvaluationOutcome,
    EvaluationSession,
    Evaluator,
    EvaluatorPrompt,
    Stage,
    direct_writer,
    prompt_for,
)
from app.services.ratings.ratings import add_rating, ratings_of
from app.ui.evaluator_window import EvaluatorWindow, ScreenEvaluator, citizen_screen
from app.ui.fonts import install_app_font
from app.ui.tasks import TaskRunner
from tests.test_cases import form
from tests.test_ratings import CLERK, MONDAY, immediate_done
from tests.test_ui_lights import open_in_f7
from tests.ui_helpers import open_main_window, visible_message_boxes

pytestmark = pytest.mark.usefixtures("china_time")
SHOTS = Path("/tmp/shots")


class FakeClock:
    """Time the test moves by hand, as app.clock would give it."""

    def __init__(self, start: datetime = MONDAY) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def gone(widget: QWidget) -> bool:
    """Closed (the window deletes itself once its session has ended)."""
    return not shiboken6.isValid(widget) or not widget.isVisible()


def count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Rating)) or 0


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(app.clock, "_fixed", MONDAY)
    yield


def session_for(db: Database, admin: Actor, clock: FakeClock) -> tuple[EvaluationSession, list[EvaluationOutcome]]:
    number = immediate_done(db, admin)
    ended: list[EvaluationOutcome] = []
    return EvaluationSession(prompt_for(db, number), direct_writer(db, admin), ended.append, clock), ended


# --- the Qt-free session -------------------------------------------------------------------------------

def test_the_prompt_names_the_clerk_and_item_and_refuses_what_cannot_be_rated(db: Database, admin: Actor) -> None:
    open_case = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    with pytest.raises(ValidationError, match="尚未办结"):
        prompt_for(db, open_case)
    number = immediate_done(db, admin)
    prompt = prompt_for(db, number)
    assert (prompt.target_number, prompt.target_kind, prompt.staff_name) == (number, "case", admin.name)
    assert prompt.staff_no == admin.staff_no and prompt.item_name
    add_rating(db, admin, number, 5, now=MONDAY)
    with pytest.raises(ValidationError, match="已有评价"):
        prompt_for(db, number)  # the evaluator takes the first rating only
    with pytest.raises(ValidationError, match="未找到"):
        prompt_for(db, "12345")


def test_a_good_level_is_written_at_once_through_the_window_channel(db: Database, admin: Actor) -> None:
    clock = FakeClock()
    session, ended = session_for(db, admin, clock)
    assert session.stage == Stage.LEVEL and session.remaining() == TIMEOUT_SECONDS
    assert session.press("4")
    assert session.stage == Stage.RATED and len(ended) == 1 and ended[0].rating is not None
    [rating] = ratings_of(db, session.prompt.target_number)
    assert (rating.level, rating.channel, rating.provenance, rating.reasons) == (4, "window", "citizen", ())
    assert not session.press("1") and count(db) == 1  # a late key changes nothing


def test_a_bad_level_needs_a_reason_of_its_own_level(db: Database, admin: Actor) -> None:
    session, ended = session_for(db, admin, FakeClock())
    assert session.press("2") and session.stage == Stage.REASONS
    assert [code for code, _ in session.reasons_offered()] == ["207", "208", "209", "210", "211", "212", "213", "214"]
    assert not session.press("enter") and "至少选择一项" in session.hint and count(db) == 0
    assert not session.toggle_reason("115")  # a 非常不满意 reason is not one of 不满意's
    assert session.press("7") and session.chosen == ["213"]  # the 7th: 窗口人员业务不熟练
    assert session.press("1") and session.press("1") and session.chosen == ["213"]  # ticked and unticked
    assert session.press("0") and session.stage == Stage.LEVEL and session.chosen == []  # back: wrong level
    assert session.press("1") and session.stage == Stage.REASONS
    session.press("8")
    assert session.press("enter")
    assert session.stage == Stage.RATED and ended[0].rating is not None
    assert (ended[0].rating.level, ended[0].rating.reasons) == (1, ("115",))


def test_sixty_idle_seconds_end_it_unrated_and_never_invent_a_rating(db: Database, admin: Actor) -> None:
    clock = FakeClock()
    session, ended = session_for(db, admin, clock)
    clock.advance(50)
    assert session.press("2") and session.stage == Stage.REASONS  # an input restarts the countdown
    clock.advance(59)
    assert session.tick() == Stage.REASONS and session.remaining() == 1
    clock.advance(1)
    assert session.tick() == Stage.WALKED_AWAY and session.remaining() == 0
    assert [o.stage for o in ended] == [Stage.WALKED_AWAY] and ended[0].rating is None
    assert not session.press("5") and not session.give(5)  # the next citizen's key rates nothing
    assert count(db) == 0 and ratings_of(db, session.prompt.target_number) == []


def test_a_key_after_the_timeout_is_ignored_even_without_a_tick(db: Database, admin: Actor) -> None:
    clock = FakeClock()
    session, ended = session_for(db, admin, clock)
    clock.advance(TIMEOUT_SECONDS + 5)
    assert not session.press("5")
    assert session.stage == Stage.WALKED_AWAY and count(db) == 0 and len(ended) == 1


def test_a_terminal_hands_over_a_whole_choice_and_a_cancel_writes_nothing(db: Database, admin: Actor) -> None:
    session, ended = session_for(db, admin, FakeClock())
    assert not session.give(2, ["115"]) and session.stage == Stage.REASONS  # wrong level's code: refused
    assert session.give(2, ["209", "214"]) and session.stage == Stage.RATED
    assert ratings_of(db, session.prompt.target_number)[0].reasons == ("209", "214")
    other, others = session_for(db, admin, FakeClock())
    other.cancel()
    other.cancel()
    assert [o.stage for o in others] == [Stage.CANCELLED] and ratings_of(db, other.prompt.target_number) == []


def test_a_rating_given_meanwhile_is_not_doubled(db: Database, admin: Actor) -> None:
    session, ended = session_for(db, admin, FakeClock())
    number = session.prompt.target_number
    add_rating(db, CLERK, number, 5, channel="backfill", now=MONDAY)
    add_rating(db, CLERK, number, 4, channel="backfill", now=MONDAY)
    assert session.press("5") and session.stage == Stage.REFUSED
    assert "首评和追评" in ended[0].message and len(ratings_of(db, number)) == 2


# --- the citizen's window ------------------------------------------------------------------------------

def test_the_citizens_screen_is_the_one_that_is_not_the_clerks() -> None:
    assert citizen_screen(["clerk"], "clerk") is None
    assert citizen_screen([], None) is None
    assert citizen_screen(["clerk", "hall"], "clerk") == "hall"
    assert citizen_screen(["hall", "clerk"], "clerk") == "hall"


def open_evaluator(qtbot: QtBot, db: Database, admin: Actor, runner: object, second_screen: bool,
                   clock: FakeClock | None = None) -> tuple[ScreenEvaluator, list[EvaluationOutcome], str]:
    install_app_font(QApplication.instance())  # type: ignore[arg-type]  # Chinese in the screenshots
    number = immediate_done(db, admin)
    parent = QWidget()
    qtbot.addWidget(parent)
    real = QGuiApplication.primaryScreen()
    clerk = object()  # stands for the clerk's screen when the test pretends there are two
    evaluator = ScreenEvaluator(db, admin, runner, parent,  # type: ignore[arg-type]
                                screens=(lambda: [clerk, real]) if second_screen else (lambda: [real]),  # type: ignore[list-item]
                                primary=(lambda: clerk) if second_screen else (lambda: real),  # type: ignore[return-value]
                                clock=clock or FakeClock())
    ended: list[EvaluationOutcome] = []
    evaluator.show(prompt_for(db, number), ended.append)
    assert evaluator.window is not None
    qtbot.waitUntil(lambda: evaluator.window is not None and evaluator.window.isVisible())
    return evaluator, ended, number


def test_one_screen_a_dialog_that_takes_the_keys_1_to_5(qtbot: QtBot, db: Database, admin: Actor,
                                                        task_runner: object) -> None:
    evaluator, ended, number = open_evaluator(qtbot, db, admin, task_runner, second_screen=False)
    window = evaluator.window
    assert window is not None and not window.full_screen and not window.isFullScreen() and not window.isModal()
    texts = {level: (b.caption.text(), b.key_label.text()) for level, b in window.level_buttons.items()}
    assert texts[5] == ("非常满意", "按 5 键") and texts[1] == ("非常不满意", "按 1 键")
    assert "5 = 非常满意" in window.key_help.text() and "剩余 60 秒" in window.countdown.text()
    SHOTS.mkdir(exist_ok=True)
    window.resize(1366, 768)
    window.grab().save(str(SHOTS / "A-evaluator-levels.png"))
    qtbot.keyClick(window, Qt.Key.Key_4)  # main row
    qtbot.waitUntil(lambda: bool(ended))
    assert ended[0].stage == Stage.RATED and ratings_of(db, number)[0].level == 4
    assert "谢谢您的评价" in window.end_label.text() and window.countdown.text() == ""
    window.grab().save(str(SHOTS / "A-evaluator-thanks.png"))
    qtbot.keyClick(window, Qt.Key.Key_5)  # any key on the thank-you page closes it; nothing more written
    qtbot.waitUntil(lambda: gone(window))
    assert len(ratings_of(db, number)) == 1


def test_keypad_bad_rating_asks_reasons_on_the_next_page(qtbot: QtBot, db: Database, admin: Actor,
                                                         task_runner: object) -> None:
    evaluator, ended, number = open_evaluator(qtbot, db, admin, task_runner, second_screen=False)
    window = evaluator.window
    assert window is not None
    keypad = Qt.KeyboardModifier.KeypadModifier
    qtbot.keyClick(window, Qt.Key.Key_2, keypad)
    assert window.pages.currentWidget() is window.reason_page and len(window.reason_buttons) == 8
    assert window.reason_buttons["207"].key_label.text() == "按 1 键"
    qtbot.keyClick(window, Qt.Key.Key_Enter, keypad)  # no reason yet: refused, said on screen
    assert "至少选择一项" in window.reason_hint.text() and count(db) == 0
    qtbot.keyClick(window, Qt.Key.Key_7, keypad)
    qtbot.mouseClick(window.reason_buttons["214"], Qt.MouseButton.LeftButton)  # touch
    assert window.reason_buttons["213"].isChecked() and window.reason_buttons["214"].isChecked()
    window.resize(1366, 768)
    window.grab().save(str(SHOTS / "A-evaluator-reasons.png"))
    qtbot.keyClick(window, Qt.Key.Key_Enter, keypad)
    qtbot.waitUntil(lambda: bool(ended))
    [rating] = ratings_of(db, number)
    assert (rating.level, rating.reasons, rating.channel) == (2, ("213", "214"), "window")


def test_touch_and_the_back_key(qtbot: QtBot, db: Database, admin: Actor, task_runner: object) -> None:
    evaluator, ended, number = open_evaluator(qtbot, db, admin, task_runner, second_screen=False)
    window = evaluator.window
    assert window is not None
    qtbot.mouseClick(window.level_buttons[1], Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.reason_page
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # on the reasons page: back, not closed
    assert window.isVisible() and window.pages.currentIndex() == 0
    qtbot.mouseClick(window.level_buttons[5], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(ended))
    assert ratings_of(db, number)[0].level == 5


def test_second_screen_full_screen_without_taking_the_clerks_keyboard(qtbot: QtBot, db: Database, admin: Actor,
                                                                      task_runner: object) -> None:
    evaluator, ended, number = open_evaluator(qtbot, db, admin, task_runner, second_screen=True)
    window = evaluator.window
    assert window is not None and evaluator.has_citizen_screen()
    assert window.full_screen and window.isFullScreen()
    assert window.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    evaluator.cancel()  # the clerk withdraws it: no rating
    qtbot.waitUntil(lambda: bool(ended))
    assert ended[0].stage == Stage.CANCELLED and count(db) == 0


def test_the_window_closes_unrated_after_sixty_idle_seconds(qtbot: QtBot, db: Database, admin: Actor,
                                                            task_runner: object) -> None:
    clock = FakeClock()
    evaluator, ended, number = open_evaluator(qtbot, db, admin, task_runner, second_screen=False, clock=clock)
    window = evaluator.window
    assert window is not None
    clock.advance(45)
    window.tick()
    assert "剩余 15 秒" in window.countdown.text()
    clock.advance(15)
    qtbot.waitUntil(lambda: bool(ended))  # its own timer notices
    qtbot.waitUntil(lambda: gone(window))
    assert ended[0].stage == Stage.WALKED_AWAY and ratings_of(db, number) == [] and count(db) == 0


def test_a_new_request_ends_the_open_one_unrated(qtbot: QtBot, db: Database, admin: Actor,
                                                 task_runner: object) -> None:
    evaluator, ended, first = open_evaluator(qtbot, db, admin, task_runner, second_screen=False)
    old = evaluator.window
    second = immediate_done(db, admin)
    evaluator.show(prompt_for(db, second), ended.append)
    assert ended[0].stage == Stage.CANCELLED and ended[0].prompt.target_number == first
    assert evaluator.window is not old and evaluator.window is not None
    assert isinstance(evaluator.window, EvaluatorWindow) and second in evaluator.window.item.text()
    evaluator.cancel()


# --- F7 ------------------------------------------------------------------------------------------------

def test_f7_offers_the_evaluator_for_a_closed_unrated_case(qapp: QApplication, qtbot: QtBot, db: Database,
                                                           admin: Actor, fixed_now: None) -> None:
    number = immediate_done(db, admin)
    with open_main_window(qtbot, db, admin, lambda m: bool(m.due_label.text())) as window:  # F7 set on 预警 first
        view = open_in_f7(window, qtbot, number)
        qtbot.waitUntil(lambda: view.ratings.rateable == number)
        view.ratings.choose()
        assert view.ratings.menu is not None and view.ratings.menu.actions()[0].isEnabled()
        view.ratings.menu.close()
        qtbot.keyClick(view.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        evaluator = view.ratings.evaluator
        qtbot.waitUntil(lambda: evaluator.window is not None and evaluator.window.isVisible())
        assert evaluator.window is not None and admin.name in evaluator.window.who.text()
        qtbot.waitUntil(lambda: evaluator.window is not None and evaluator.window.isActiveWindow())
        qtbot.keyClick(QApplication.focusWidget() or evaluator.window, Qt.Key.Key_5, Qt.KeyboardModifier.KeypadModifier)
        qtbot.waitUntil(lambda: bool(ratings_of(db, number)))
        assert ratings_of(db, number)[0].level == 5
        qtbot.waitUntil(lambda: "群众已评价" in window.statusBar().currentMessage())
        qtbot.waitUntil(lambda: view.ratings.rateable == "")  # rated: the evaluator is no longer offered
        evaluator.cancel()
        view.ratings.evaluate()  # asked again anyway: the core says why not, nothing written
        qtbot.waitUntil(lambda: any("已有评价" in b.text() for b in visible_message_boxes()))
        assert len(ratings_of(db, number)) == 1


def test_f7_an_open_case_is_not_offered_and_delivery_points_to_the_key(qapp: QApplication, qtbot: QtBot,
                                                                       db: Database, admin: Actor,
                                                                       fixed_now: None) -> None:
    number = accept_case(db, admin, form(db, "SB-001", "immediate"))
    with open_main_window(qtbot, db, admin, lambda m: bool(m.due_label.text())) as window:  # F7 set on 预警 first
        view = open_in_f7(window, qtbot, number)
        qtbot.wait(50)
        assert view.ratings.rateable == ""
        view.ratings.choose()
        assert view.ratings.menu is not None and not view.ratings.menu.actions()[0].isEnabled()
        view.ratings.menu.close()
        view._open_step(number, BY_ACTION["completed_on_spot"])
        step = view.dialog
        step.edits["result"].setText("当场打印参保证明")
        step.submit()
        qtbot.waitUntil(lambda: "Ctrl+Shift+E 请群众评价" in window.statusBar().currentMessage())
        assert view.ratings.evaluator.window is None  # one screen: no window over the receipt's preview
        qtbot.waitUntil(lambda: view.ratings.rateable == number)
        notes: list[str] = []
        window.runner.notice.connect(notes.append)
        view.ratings.after_step(number, "delivered", "post")  # no citizen at the window: nothing offered
        view.ratings.after_step(number, "withdrawn")
        assert notes == []
        view.ratings.after_step(number, "delivered", "pickup")  # collected at the window
        assert len(notes) == 1 and "请群众评价" in notes[0]
        other = accept_case(db, admin, form(db, "SB-001", "immediate"))  # the next citizen's, still open
        view.status.setCurrentIndex(view.status.findData(URGENT))  # the 预警 list: a done case leaves it
        qtbot.waitUntil(lambda: view.model.total() == 1 and view.selected() is not None
                        and view.selected().number == other)
        view.ratings.evaluate()  # Ctrl+Shift+E as the status bar said: the case that just ended
        qtbot.waitUntil(lambda: view.ratings.evaluator.window is not None)
        assert view.ratings.evaluator.window.session.prompt.target_number == number
        view.ratings.evaluator.cancel()


def test_with_a_citizens_screen_the_evaluator_opens_there_as_the_case_ends(qapp: QApplication, qtbot: QtBot,
                                                                           db: Database, admin: Actor,
                                                                           fixed_now: None) -> None:
    number = accept_case(db, admin, form(db, "SB-001", "immediate"))
    with open_main_window(qtbot, db, admin, lambda m: bool(m.due_label.text())) as window:
        view = open_in_f7(window, qtbot, number)
        real, clerk = QGuiApplication.primaryScreen(), object()
        view.ratings.evaluator = ScreenEvaluator(db, admin, window.runner, view, screens=lambda: [clerk, real],  # type: ignore[list-item]
                                                 primary=lambda: clerk)  # type: ignore[arg-type,return-value]
        view._open_step(number, BY_ACTION["completed_on_spot"])
        step = view.dialog
        step.edits["result"].setText("当场打印参保证明")
        step.submit()
        evaluator = view.ratings.evaluator
        qtbot.waitUntil(lambda: evaluator.window is not None and evaluator.window.isVisible())
        assert evaluator.window is not None and evaluator.window.isFullScreen()
        assert "第二屏幕" in window.statusBar().currentMessage()
        qtbot.mouseClick(evaluator.window.level_buttons[3], Qt.MouseButton.LeftButton)  # touch
        qtbot.waitUntil(lambda: bool(ratings_of(db, number)))
        assert ratings_of(db, number)[0].level == 3
        evaluator.cancel()


class SerialKeypad:
    """A vendor's button keypad on a serial port, as an adapter would be written: it maps the device's
    key bytes to the session and nothing else (the rules stay in EvaluationSession)."""

    KEYS = {b"\x01": "1", b"\x02": "2", b"\x03": "3", b"\x04": "4", b"\x05": "5", b"\x0d": "enter", b"\x1b": "back"}

    def __init__(self, db: Database, actor: Actor, clock: FakeClock) -> None:
        self.db, self.actor, self.clock = db, actor, clock
        self.session: EvaluationSession | None = None
        self.sent: list[str] = []  # what went to the device's display

    def show(self, prompt: EvaluatorPrompt, on_end: Callable[[EvaluationOutcome], None]) -> None:
        self.sent.append(f"{prompt.staff_name} {prompt.staff_no}")
        self.session = EvaluationSession(prompt, direct_writer(self.db, self.actor), on_end, self.clock)

    def cancel(self) -> None:
        if self.session is not None:
            self.session.cancel()

    def received(self, data: bytes) -> None:
        if self.session is not None:
            self.session.press(self.KEYS.get(data, ""))


def test_a_vendor_device_only_maps_its_keys(db: Database, admin: Actor, qapp: QApplication, qtbot: QtBot) -> None:
    clock = FakeClock()
    device: Evaluator = SerialKeypad(db, admin, clock)
    parent = QWidget()
    qtbot.addWidget(parent)
    on_screen: Evaluator = ScreenEvaluator(db, admin, TaskRunner(print), parent)  # the same interface
    assert on_screen is not None
    ended: list[EvaluationOutcome] = []
    number = immediate_done(db, admin)
    device.show(prompt_for(db, number), ended.append)
    keypad = device if isinstance(device, SerialKeypad) else None
    assert keypad is not None and keypad.sent == [f"{admin.name} {admin.staff_no}"]
    for byte in (b"\x01", b"\x0d", b"\x1b", b"\x02"):  # 非常不满意, enter without reason, back, 不满意
        keypad.received(byte)
    assert keypad.session is not None and keypad.session.stage == Stage.REASONS and count(db) == 0
    clock.advance(TIMEOUT_SECONDS)
    keypad.received(b"\x03")  # too late: the citizen has gone
    assert [o.stage for o in ended] == [Stage.WALKED_AWAY] and count(db) == 0


def test_the_evaluators_keys_are_in_the_f1_list() -> None:
    from app.ui.shortcuts import help_lines, shortcut

    assert shortcut("evaluator", "level").keys == ("1", "2", "3", "4", "5")
    lines = "\n".join(help_lines(["evaluator"]))
    assert "群众评价器" in lines and "5 非常满意" in lines and "不计评价" in lines


def test_on_the_second_screen_the_keypad_rates_and_the_main_keyboard_stays_the_clerks(
        qtbot: QtBot, db: Database, admin: Actor, task_runner: object) -> None:
    from PySide6.QtWidgets import QLineEdit

    clerk_field = QLineEdit()
    qtbot.addWidget(clerk_field)
    clerk_field.show()
    evaluator, ended, number = open_evaluator(qtbot, db, admin, task_runner, second_screen=True)
    window = evaluator.window
    assert window is not None and window.relay is not None
    qtbot.keyClick(clerk_field, Qt.Key.Key_4)  # the clerk's main keyboard: typed into the clerk's field
    assert clerk_field.text() == "4" and not ended
    qtbot.keyClick(clerk_field, Qt.Key.Key_5, Qt.KeyboardModifier.KeypadModifier)  # the citizen's keypad
    qtbot.waitUntil(lambda: bool(ended))
    assert clerk_field.text() == "4"
    assert ended[0].stage == Stage.RATED and [r.level for r in ratings_of(db, number)] == [5]

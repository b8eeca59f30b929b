"""GUI: the 投诉 screen (Ctrl+Shift+T). Registering from the keyboard, the list's lights and filters,
each step through its dialog (offered only when the core allows it), confidential complainants masked
for a clerk but not the director, bad input kept in the dialog with nothing written, and screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

import app.clock
from app.actor import Actor
from app.database import Database
from app.services.complaints import handling
from app.services.complaints.complaints import MASK, ComplaintForm, register
from app.services.complaints.detail import STEPS, allowed_steps, complaint_detail, page_complaints
from app.services.errors import ValidationError
from app.services.people.staff import StaffForm, save_staff
from app.ui import shortcuts
from app.ui.complaints.handle_dialog import StepDialog
from app.ui.complaints.register_dialog import RegisterDialog
from app.ui.complaints.view import ComplaintView
from app.ui.documents import DocumentOpener
from app.ui.main_window import MainWindow
from app.ui.tasks import TaskRunner
from tests.ui_helpers import open_main_window, type_chinese

pytestmark = pytest.mark.usefixtures("china_time")
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC) + timedelta(hours=-8)  # 09:00 in China
DIRECTOR = Actor(staff_id=None, staff_no="8004", name="刘国庆", role="director")
CLERK = Actor(staff_id=None, staff_no="1002", name="王丽", role="clerk")
SHOTS = Path("/tmp/shots")
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", MONDAY)


@pytest.fixture
def clerk_1001(db: Database, admin: Actor) -> str:
    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", "1号窗口", "13904361001", password="pass1234"))
    return "1001"


def form(**extra: object) -> ComplaintForm:
    values: dict[str, object] = dict(category=1, channel="visit", content="窗口人员态度生硬，不解释政策",
                                     name="刘淑兰", phone="13904361234", staff_no="1001")
    values.update(extra)
    return ComplaintForm(**values)  # type: ignore[arg-type]


def make_view(qtbot: QtBot, db: Database, actor: Actor, runner: TaskRunner) -> ComplaintView:
    from app.ui.fonts import install_app_font

    install_app_font(QApplication.instance())  # type: ignore[arg-type]  # readable screenshots
    holder = QWidget()
    qtbot.addWidget(holder)
    view = ComplaintView(db, actor, runner, DocumentOpener(db, actor, runner, holder))
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    view.load()
    qtbot.waitUntil(lambda: view.model.total() == page_complaints(db, actor, "open").total and
                    (view.model.rowCount() == 0 or view.current is not None))
    return view


def wait_detail(qtbot: QtBot, view: ComplaintView, number: str, status: str) -> None:
    qtbot.waitUntil(lambda: view.current is not None and view.current.row.number == number
                    and view.current.row.status == status)


def _portable(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)


def live_keys(root: QWidget) -> tuple[set[str], list[str]]:
    keys = {_portable(s.key().toString()) for s in root.findChildren(QShortcut) if s.isEnabled()}
    mnemonics = []
    for widget in root.findChildren(QWidget):
        if widget.isVisibleTo(root) and (isinstance(widget, QAbstractButton) or
                                         (isinstance(widget, QLabel) and widget.buddy() is not None)):
            mnemonic = QKeySequence.mnemonic(widget.text()).toString(QKeySequence.SequenceFormat.PortableText)
            if mnemonic:
                mnemonics.append(mnemonic)
    return keys, mnemonics


# --- the core's "what is allowed now", against what the core accepts ---------------------------------

def _accepted(db: Database, admin: Actor, number: str, step: str) -> bool:
    """Try a step with acceptable input; False when the core refuses it in this state."""
    attempt = {
        "handle": lambda: handling.handle(db, admin, number, "self"),
        "reply": lambda: handling.reply(db, admin, number, "oral", "已向投诉人说明政策"),
        "satisfaction": lambda: handling.record_satisfaction(db, admin, number, False),
        "reopen": lambda: handling.reopen(db, admin, number, "投诉人不满意"),
        "close": lambda: handling.close(db, admin, number, "partly"),
    }[step]
    try:
        attempt()
    except ValidationError:
        return False
    return True


def test_the_steps_offered_are_exactly_those_the_core_accepts(db: Database, admin: Actor, clerk_1001: str) -> None:
    """At every state of a real-name and an anonymous complaint, each step not offered is refused by the
    core and the first one offered is accepted (which moves the complaint on)."""
    for complaint in (form(), form(anonymous=True, name="", phone="")):
        number = register(db, admin, complaint)
        walked = []
        for _ in range(12):
            detail = complaint_detail(db, admin, number)
            if not detail.steps:
                break
            for step in STEPS:
                if step not in detail.steps:
                    assert not _accepted(db, admin, number, step), (detail.row.status, step)
            order = ["satisfaction", "reopen"] if detail.row.satisfied is None and "satisfaction" in detail.steps \
                else ["reopen", "reply", "satisfaction", "close", "handle"]
            if "close" in detail.steps and "reopened" in [e.kind for e in detail.events]:
                order = ["close"]  # checked once again: closed now, the complainant told why
            step = next(s for s in order if s in detail.steps)
            assert _accepted(db, admin, number, step), (detail.row.status, step)
            walked.append(step)
        assert complaint_detail(db, admin, number).row.status == "closed"
        assert walked[-1] == "close"
    assert allowed_steps("replied", False, False, False) == ("satisfaction", "reopen")
    copy = register(db, admin, form())
    with db.session() as s:  # as if it came down from the centre, registered at node 07
        s.execute(text("UPDATE complaint SET origin_node = '07' WHERE number = :n"), {"n": copy})
    detail = complaint_detail(db, admin, copy)
    assert detail.steps == () and detail.elsewhere.startswith("07号节点")
    assert not _accepted(db, admin, copy, "handle")  # nothing offered, and the core agrees
    assert allowed_steps("replied", False, False, True) == ("satisfaction", "reopen", "close")


# --- registering -------------------------------------------------------------------------------------

@pytest.fixture
def window(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, clerk_1001: str) -> Iterator[MainWindow]:
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded() and QApplication.activeWindow() is m) as main:
        yield main


def test_register_from_the_keyboard_lists_it_lit_and_offers_the_receipt(
        window: MainWindow, qtbot: QtBot, db: Database, admin: Actor) -> None:
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_T, CTRL | Qt.KeyboardModifier.ShiftModifier)
    view = window.complaints
    assert window.tabs.currentWidget() is view
    assert window.tabs.tabText(window.tabs.currentIndex()) == "投诉"
    qtbot.keyClick(view.search, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: isinstance(view.dialog, RegisterDialog) and view.dialog.isVisible())
    dialog = view.dialog
    assert isinstance(dialog, RegisterDialog)
    assert dialog.category.hasFocus()
    qtbot.keyClicks(dialog.category, "7")  # typed digit picks the category
    assert dialog.category.currentData() == 7
    qtbot.keyClick(dialog.category, Qt.Key.Key_Tab)
    assert dialog.channel.hasFocus()
    qtbot.keyClick(dialog.channel, Qt.Key.Key_Down)  # 来信
    assert dialog.channel.currentData() == "letter"
    for _ in range(2):  # past 匿名
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.name.hasFocus()
    type_chinese(dialog.name, "刘淑兰")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.phone, "13904361234")
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Tab)
    assert dialog.confidential.hasFocus()
    qtbot.keyClick(dialog.confidential, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.confidential, Qt.Key.Key_Tab)
    assert dialog.staff.hasFocus()
    qtbot.keyClicks(dialog.staff, "1001")
    assert dialog.staff.currentData() == "1001"
    assert dialog.window_name.text() == "1号窗口"  # the staff member's window
    completer = dialog.item.completer()
    completer.setCompletionPrefix("最低生活")  # the catalogue's names, matched anywhere
    assert completer.currentCompletion() == "城乡居民最低生活保障申请"
    type_chinese(dialog.item, completer.currentCompletion())
    dialog.content.setFocus()
    type_chinese(dialog.content, "办理低保时窗口人员让我跑了三趟，每次只说缺一样材料。")
    qtbot.keyClick(dialog.content, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    page = page_complaints(db, admin, "all")
    assert page.total == 1
    row = page.rows[0]
    assert (row.category, row.channel, row.staff_no, row.confidential) == (7, "letter", "1001", True)
    assert complaint_detail(db, admin, row.number).item == "城乡居民最低生活保障申请"
    assert row.name == MASK  # the administrator is not the director
    qtbot.waitUntil(lambda: view.current is not None and view.current.row.number == row.number)
    assert view.model.row_at(0) is not None and view.model.row_at(0).light.colour == "green"  # type: ignore[union-attr]
    assert "来信" in view.detail.toPlainText() and "1号窗口" in view.detail.toPlainText()
    qtbot.waitUntil(lambda: view.question is not None and view.question.isVisible())
    assert view.question is not None and row.number in view.question.text()
    qtbot.keyClick(view.question, Qt.Key.Key_Return)  # 是, the default
    qtbot.waitUntil(lambda: window.opener.dialog is not None and window.opener.dialog.isVisible())
    assert window.opener.dialog is not None
    assert window.opener.dialog.windowTitle().startswith(f"投诉登记回执 {row.number}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.opener.dialog.resize(1000, 760)
    window.opener.dialog.grab().save(str(SHOTS / "D-receipt-preview.png"))


def test_bad_input_keeps_the_dialog_open_and_writes_nothing(
        qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, clerk_1001: str,
        task_runner: TaskRunner) -> None:
    view = make_view(qtbot, db, admin, task_runner)
    view.new_complaint()
    qtbot.waitUntil(lambda: isinstance(view.dialog, RegisterDialog) and view.dialog.isVisible())
    dialog = view.dialog
    assert isinstance(dialog, RegisterDialog)
    qtbot.keyClicks(dialog.phone, "12345")
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Return, CTRL)
    assert dialog.isVisible()
    assert "实名投诉请填写投诉人姓名" in dialog.status.text() and "请填写投诉内容" in dialog.status.text()
    dialog.anonymous.setChecked(True)  # anonymous: name and phone cleared and shut, secrecy with them
    assert dialog.phone.text() == "" and not dialog.name.isEnabled() and not dialog.confidential.isEnabled()
    type_chinese(dialog.content, "x" * 2001)
    qtbot.keyClick(dialog.content, Qt.Key.Key_Return, CTRL)
    assert dialog.isVisible() and "投诉内容不能超过2000个字" in dialog.status.text()
    task_runner.wait()
    assert page_complaints(db, admin, "all").total == 0
    qtbot.keyClick(dialog.content, Qt.Key.Key_Escape)  # typed: asks first, and keeping it is the default
    qtbot.waitUntil(lambda: dialog.discard_question is not None and dialog.discard_question.isVisible())
    box = dialog.discard_question
    assert box is not None
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not shiboken6.isValid(box) or not box.isVisible())
    assert dialog.isVisible() and len(dialog.content.toPlainText()) == 2001
    dialog.content.clear()
    qtbot.keyClick(dialog.content, Qt.Key.Key_Escape)  # nothing typed any more: closes at once
    assert not dialog.isVisible()


# --- the steps ----------------------------------------------------------------------------------------

def _open_step(qtbot: QtBot, view: ComplaintView, step: str) -> StepDialog:
    assert view.current is not None and step in view.current.steps
    previous = view.dialog
    view.choose_step()
    menu = view.steps_menu
    assert menu is not None
    labels = [a.text() for a in menu.actions()]
    assert any(STEPS[step] in text for text in labels), labels
    next(a for a in menu.actions() if STEPS[step] in a.text()).trigger()
    menu.close()
    qtbot.waitUntil(lambda: view.dialog is not previous and isinstance(view.dialog, StepDialog)
                    and view.dialog.isVisible())
    assert isinstance(view.dialog, StepDialog)
    return view.dialog


def test_refer_reply_satisfaction_and_close_through_the_dialogs(
        qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, clerk_1001: str,
        task_runner: TaskRunner, tmp_path: Path) -> None:
    number = register(db, admin, form(channel="letter"))
    view = make_view(qtbot, db, admin, task_runner)
    wait_detail(qtbot, view, number, "registered")
    assert view.current is not None and view.current.steps == ("handle", "reply")
    assert not view.reply_button.isEnabled()  # no written reply yet

    dialog = _open_step(qtbot, view, "handle")
    dialog.buttons["refer"].setFocus()
    qtbot.keyClick(dialog.buttons["refer"], Qt.Key.Key_Space)
    assert dialog.department.isEnabled()
    qtbot.keyClick(dialog.buttons["refer"], Qt.Key.Key_Return, CTRL)  # no department: refused, kept open
    qtbot.waitUntil(lambda: "转办或督办须写明承办部门" in dialog.status.text())
    assert dialog.isVisible() and complaint_detail(db, admin, number).row.status == "registered"
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "D-handle-refused.png"))
    dialog.department.setFocus()
    qtbot.keyClick(dialog.department, Qt.Key.Key_Down)
    department = dialog.department.currentText()
    assert department and dialog.department.currentData() == department
    qtbot.keyClick(dialog.department, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    wait_detail(qtbot, view, number, "handling")
    assert f"转办：{department}" in view.detail.toPlainText()

    dialog = _open_step(qtbot, view, "reply")
    assert not dialog.buttons["oral"].isEnabled()  # came by letter: answered in writing
    assert dialog.buttons["written"].isChecked()
    type_chinese(dialog.text, "经核实，窗口人员未一次性告知所需材料，已批评教育并当面致歉。")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    wait_detail(qtbot, view, number, "replied")
    opener = view.opener  # the written reply's paper opens at once, ready to print
    qtbot.waitUntil(lambda: opener.dialog is not None and opener.dialog.isVisible())
    assert opener.dialog is not None and opener.dialog.windowTitle().startswith(f"投诉答复书 {number}")
    opener.dialog.close()
    assert view.reply_button.isEnabled()
    assert "书面答复：经核实" in view.detail.toPlainText()
    assert view.current is not None and view.current.steps == ("satisfaction",)  # the complainant is asked first

    dialog = _open_step(qtbot, view, "satisfaction")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, CTRL)
    assert "请选择投诉人满意或不满意" in dialog.status.text()
    dialog.buttons["no"].setChecked(True)
    type_chinese(dialog.text, "认为处理太轻")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: view.current is not None and view.current.row.satisfied is False)
    assert view.current is not None and view.current.steps == ("satisfaction", "reopen")  # not closed while unhappy

    dialog = _open_step(qtbot, view, "reopen")
    type_chinese(dialog.text, "投诉人不满意，调取窗口录像重新核实")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    wait_detail(qtbot, view, number, "handling")
    handling.reply(db, admin, number, "written", "调取录像后确认属实，当事人已调离窗口。")
    wait_detail(qtbot, view, number, "replied")  # the screen follows a change made elsewhere
    handling.record_satisfaction(db, admin, number, True)
    qtbot.waitUntil(lambda: view.current is not None and view.current.row.satisfied is True)

    view.show_filter.setCurrentIndex(view.show_filter.findData("all"))  # a closed one leaves the open list
    qtbot.waitUntil(lambda: view.model.total() == 1 and view.current is not None)
    dialog = _open_step(qtbot, view, "close")
    qtbot.keyClick(dialog.finding, Qt.Key.Key_Return, CTRL)  # no finding chosen: refused
    qtbot.waitUntil(lambda: "核实结论应为" in dialog.status.text())
    assert dialog.isVisible() and complaint_detail(db, admin, number).row.status == "replied"
    dialog.finding.setFocus()
    qtbot.keyClick(dialog.finding, Qt.Key.Key_Down)
    assert dialog.finding.currentData() == "upheld"
    qtbot.keyClick(dialog.finding, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    wait_detail(qtbot, view, number, "closed")
    text = view.detail.toPlainText()
    assert "核实结论：属实" in text and "重新核实" in text and "不满意；认为处理太轻" in text
    assert not view.step_button.isEnabled()
    assert page_complaints(db, admin, "open").total == 0
    view.grab().save(str(SHOTS / "D-closed-history.png"))
    keys, mnemonics = live_keys(dialog)
    assert keys == {_portable(k) for k in shortcuts.bound_keys("complaint_step_dialog")}
    assert shortcuts.clashes("complaint_step_dialog", mnemonics) == []


# --- masking, lights, filters, the director's warning --------------------------------------------------

def test_a_confidential_complainant_is_masked_for_a_clerk_not_the_director(
        qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, clerk_1001: str,
        task_runner: TaskRunner) -> None:
    secret = register(db, admin, form(confidential=True, name="赵秘密", phone="13904360000"))
    register(db, admin, form(name="钱公开", category=2))
    register(db, admin, form(anonymous=True, name="", phone="", category=11))
    clerk = make_view(qtbot, db, CLERK, task_runner)
    assert clerk.count.text() == "共 3 件"
    assert [clerk.model.data(clerk.model.index(r, 3)) for r in range(3)] == [MASK, "钱公开", "匿名"]  # real-name first
    wait_detail(qtbot, clerk, secret, "registered")
    assert "赵秘密" not in clerk.detail.toPlainText() and "13904360000" not in clerk.detail.toPlainText()
    assert clerk.flagged is None  # the warning list is the director's
    clerk.search.setText("赵秘")
    qtbot.waitUntil(lambda: clerk.count.text() == "共 0 件")  # a name search cannot reveal who is hidden
    director = make_view(qtbot, db, DIRECTOR, task_runner)
    assert director.model.data(director.model.index(0, 3)) == "赵秘密"
    wait_detail(qtbot, director, secret, "registered")
    assert "13904360000" in director.detail.toPlainText()
    director.search.setText("赵秘")
    qtbot.waitUntil(lambda: director.count.text() == "共 1 件")
    director.search.setText(secret[-6:])  # part of the number
    qtbot.waitUntil(lambda: director.count.text() == "共 1 件")


def test_overdue_lights_red_the_filter_finds_it_and_two_upheld_flag_the_clerk(
        qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, clerk_1001: str,
        task_runner: TaskRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    late = register(db, admin, form(category=1))  # due Monday 7 December (5 working days)
    for _ in range(2):
        upheld = register(db, admin, form(category=10))
        handling.reply(db, admin, upheld, "oral", "已当面答复")
        handling.record_satisfaction(db, admin, upheld, True)
        handling.close(db, admin, upheld, "upheld")
    monkeypatch.setattr(app.clock, "_fixed", MONDAY + timedelta(days=8))  # Tuesday 8 December
    register(db, admin, form(category=10, name="孙按期"))  # registered today: due later
    view = make_view(qtbot, db, DIRECTOR, task_runner)
    assert view.count.text() == "共 2 件"  # open only
    colours = {view.model.data(view.model.index(r, 0)): view.model.data(view.model.index(r, 0),
                                                                          Qt.ItemDataRole.BackgroundRole)
               for r in range(view.model.rowCount())}
    assert colours[late] is not None and colours[late].name() == "#f8d7da"
    assert "超期1个工作日" in view.model.data(view.model.index(0, 6))
    view.show_filter.setCurrentIndex(view.show_filter.findData("overdue"))
    qtbot.waitUntil(lambda: view.count.text() == "共 1 件")
    assert view.model.data(view.model.index(0, 0)) == late
    view.show_filter.setCurrentIndex(view.show_filter.findData("all"))
    qtbot.waitUntil(lambda: view.count.text() == "共 4 件")
    assert view.flagged is not None
    qtbot.waitUntil(lambda: "李秀兰" in view.flagged.text() and "属实 2 次" in view.flagged.text())
    SHOTS.mkdir(parents=True, exist_ok=True)
    view.table.selectRow(view.model.rowCount() - 1)  # the red row shows its colour unselected
    qtbot.waitUntil(lambda: view.current is not None and view.current.row.number != late)
    view.resize(1366, 768)
    view.grab().save(str(SHOTS / "D-director-list.png"))


def test_keys_are_declared_and_the_screenshots(window: MainWindow, qtbot: QtBot, db: Database, admin: Actor) -> None:
    for screen in ("complaints", "complaint_register_dialog", "complaint_step_dialog"):
        assert shortcuts.clashes(screen) == [], screen
    number = register(db, admin, form(confidential=False))
    window.resize(1366, 768)
    window.show_area(window.complaints)
    view = window.complaints
    qtbot.waitUntil(lambda: view.current is not None and view.current.row.number == number)
    keys, mnemonics = live_keys(view)
    assert keys <= {_portable(k) for k in shortcuts.bound_keys("complaints")}
    assert shortcuts.clashes("complaints", mnemonics) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "D-complaints-tab.png"))
    qtbot.keyClick(view.table, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: isinstance(view.dialog, RegisterDialog) and view.dialog.isVisible())
    dialog = view.dialog
    assert isinstance(dialog, RegisterDialog)
    keys, mnemonics = live_keys(dialog)
    assert keys == {_portable(k) for k in shortcuts.bound_keys("complaint_register_dialog")}
    assert shortcuts.clashes("complaint_register_dialog", mnemonics) == []
    qtbot.keyClick(dialog.category, Qt.Key.Key_Return, CTRL)  # empty: every reason in red
    dialog.grab().save(str(SHOTS / "D-register-errors.png"))
    dialog.reject()


def test_supervision_is_offered_to_the_director_only(
        qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, clerk_1001: str,
        task_runner: TaskRunner) -> None:
    number = register(db, admin, form())
    detail = complaint_detail(db, admin, number)
    offered = {}
    for who in (CLERK, DIRECTOR):
        dialog = StepDialog(db, who, task_runner, detail, "handle", [], MONDAY.date())
        qtbot.addWidget(dialog)
        offered[who.role] = set(dialog.buttons)
    assert offered == {"clerk": {"self", "refer"}, "director": {"self", "refer", "supervise"}}


def test_the_window_follows_the_staff_member_picked_unless_typed(
        qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, task_runner: TaskRunner) -> None:
    from app.services.people.staff import list_staff

    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", "1号窗口", "13904361001", password="pass1234"))
    save_staff(db, admin, StaffForm("1003", "赵敏", "clerk", "社保窗口", "13904361003", password="pass1234"))
    dialog = RegisterDialog(db, admin, task_runner, list_staff(db))
    qtbot.addWidget(dialog)
    dialog.staff.setCurrentIndex(dialog.staff.findData("1001"))
    assert dialog.window_name.text() == "1号窗口"
    dialog.staff.setCurrentIndex(dialog.staff.findData("1003"))  # arrowing on: the window follows
    assert dialog.window_name.text() == "社保窗口"
    dialog.window_name.setText("2号窗口")  # typed by the clerk: kept
    dialog.staff.setCurrentIndex(dialog.staff.findData("1001"))
    assert dialog.window_name.text() == "2号窗口"


def test_f10_sets_the_complaint_and_rectification_deadlines(
        qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, task_runner: TaskRunner) -> None:
    from app.services.complaints.complaints import complaint_days
    from app.services.settings import load_settings
    from app.ui.department_view import DepartmentView

    view = DepartmentView(db, admin, task_runner)
    qtbot.addWidget(view)
    view.show()
    view.load()
    qtbot.waitUntil(lambda: view.complaint_days.text() == "1-9=5；10=10；11=5" and view.rectification_days.text() == "10")
    view.rectification_days.setText("99")
    view.save_settings()
    assert "差评整改时限应为1至60" in view.settings_form.error_text("rectification_days")
    assert load_settings(db).rectification_days == "10"  # refused: nothing saved
    view.rectification_days.setText("15")
    view.complaint_days.setText("1-9=5；10=10；11=3")
    view.save_settings()
    qtbot.waitUntil(lambda: load_settings(db).rectification_days == "15")
    assert complaint_days(db)[11] == 3 and load_settings(db).rectification_days_number == 15

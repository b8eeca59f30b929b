"""The hall's queue on screen against a real centre: the kiosk takes and prints tickets (an appointment
checks in for a priority one), the call bar calls, recalls, skips, transfers and finishes with keys only,
the hall display shows a new call and announces it once, and each says so when the centre is away."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

import app.clock
from app.center.queue_categories import CategorySpec, replace
from app.center.runtime import Center
from app.services.appointments.booking import AppointmentForm, book
from app.services.queue import client
from app.services.queue.announce import Announcer
from app.ui.queue.call_bar import CallBar
from app.ui.queue.hall_window import HallWindow
from app.ui.queue.kiosk_window import KioskWindow, TakenTicket
from app.ui.tasks import TaskRunner
from tests.pdf_helpers import barcodes, flat, pdf_text
from tests.sync_helpers import Cable, Station, enrol

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
CENTRE = "镇赉镇民生服务中心"


@dataclass
class Hall:
    center: Center
    window: Station  # 01: serves 社保医保; 民政救助 is window 02's
    kiosk: Station  # 05: the hall PC with the kiosk
    cable: Cable  # the kiosk's network cable


@pytest.fixture
def hall(center: Center, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hall]:
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 30, 9, 0, tzinfo=CN))  # a Monday
    window = enrol(center, tmp_path / "w1", "01", name="1号窗口")
    cable = Cable(center)
    kiosk = enrol(center, tmp_path / "k", "05", name="大厅取号机", transport=cable)
    for station in (window, kiosk):
        assert station.sync().ok
        client.use_transport(station.db, station.transport)
    with center.engine.begin() as conn:
        replace(conn, [CategorySpec("社保医保", "A", ("01",)), CategorySpec("民政救助", "B", ("02",))])
    yield Hall(center, window, kiosk, cable)
    for station in (window, kiosk):
        client.use_transport(station.db, None)
        station.db.dispose()


class PdfPrinter:
    """A Qt printer writing PDF files: what the kiosk sends to its printer, through the same Qt path."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: list[Path] = []

    def __call__(self, name: str) -> QPrinter | str:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.files.append(self.folder / f"printed-{len(self.files) + 1}.pdf")
        printer.setOutputFileName(str(self.files[-1]))
        return printer


def _kiosk(qtbot: QtBot, hall: Hall, runner: TaskRunner, printer: PdfPrinter) -> KioskWindow:
    kiosk = KioskWindow(hall.kiosk.db, runner, CENTRE, make_printer=printer)
    qtbot.addWidget(kiosk)
    kiosk.show_on(None)
    qtbot.waitUntil(lambda: kiosk.loads >= 1 and len(kiosk.category_buttons) == 2)
    return kiosk


def _take(qtbot: QtBot, kiosk: KioskWindow, key: Qt.Key) -> TakenTicket:
    with qtbot.waitSignal(kiosk.ticket_taken, timeout=10000) as taken:
        qtbot.keyClick(kiosk, key)
    result = taken.args[0]
    assert isinstance(result, TakenTicket)
    return result


def test_the_kiosk_takes_a_ticket_by_key_and_prints_it(qtbot: QtBot, hall: Hall, task_runner: TaskRunner,
                                                       tmp_path: Path) -> None:
    printer = PdfPrinter(tmp_path)
    kiosk = _kiosk(qtbot, hall, task_runner, printer)
    assert "社保医保" in kiosk.category_buttons[0].text() and "等候 0 人" in kiosk.category_buttons[0].text()
    first = _take(qtbot, kiosk, Qt.Key.Key_1)
    assert (first.ticket.number, first.ticket.category, first.ticket.ahead) == ("A001", "社保医保", 0)
    assert first.print_problem is None
    assert kiosk.pages.currentWidget() is kiosk.ticket_page and kiosk.ticket_number.text() == "A001"
    assert ("QRCode", "A001") in barcodes(first.pdf)  # no public address: the QR carries the number
    assert "您前面没有人等候" in flat(pdf_text(first.pdf))
    printed = printer.files[0].read_bytes()  # what Qt sent to "the printer": the same ticket, QR readable
    assert ("QRCode", "A001") in barcodes(printed, dpi=200)
    qtbot.keyClick(kiosk, Qt.Key.Key_Return)  # back to the start for the next citizen
    assert kiosk.pages.currentWidget() is kiosk.start_page
    qtbot.waitUntil(lambda: "等候 1 人" in kiosk.category_buttons[0].text())
    second = _take(qtbot, kiosk, Qt.Key.Key_1)
    assert (second.ticket.number, second.ticket.ahead) == ("A002", 1)
    assert "您前面还有1人等候" in flat(pdf_text(second.pdf))
    qtbot.keyClick(kiosk, Qt.Key.Key_9)  # no ninth category: nothing happens, nothing breaks
    assert kiosk.taking is False


def test_an_appointment_checks_in_at_the_kiosk_for_a_priority_ticket(qtbot: QtBot, hall: Hall,
                                                                     task_runner: TaskRunner, tmp_path: Path) -> None:
    actor = hall.window.actor()
    app.clock._fixed = datetime(2026, 11, 30, 8, 0, tzinfo=CN)  # booked before the slot (restored by monkeypatch)
    book(hall.window.db, actor, AppointmentForm("SHJZ-001", "张桂芳", "13904367788", date(2026, 11, 30),
                                                "08:30-09:30", window="1号窗口"))
    assert hall.window.sync().ok
    app.clock._fixed = datetime(2026, 11, 30, 9, 0, tzinfo=CN)
    kiosk = _kiosk(qtbot, hall, task_runner, PdfPrinter(tmp_path))
    walk_in = _take(qtbot, kiosk, Qt.Key.Key_1)
    assert walk_in.ticket.priority is False
    qtbot.keyClick(kiosk, Qt.Key.Key_Escape)
    qtbot.keyClick(kiosk, Qt.Key.Key_0)  # 预约签到
    assert kiosk.pages.currentWidget() is kiosk.appointment_page
    qtbot.keyClicks(kiosk.code, "1390436")
    for key in "7788":  # the on-screen pad types too
        kiosk.pad_buttons[key].click()
    qtbot.keyClicks(kiosk.code, "99999999999999999999999")  # bounded: the field stops at 23 characters
    assert len(kiosk.code.text()) == 23
    kiosk.code.setText("1390436778")  # ten digits: refused on the spot, nothing sent
    qtbot.keyClick(kiosk.code, Qt.Key.Key_Return)
    assert "11 位手机号" in kiosk.code_error.text() and kiosk.pages.currentWidget() is kiosk.appointment_page
    kiosk.pad_buttons["8"].click()
    qtbot.keyClick(kiosk.code, Qt.Key.Key_Return)
    assert kiosk.pages.currentWidget() is kiosk.start_page and "预约签到" in kiosk.prompt.text()
    checked_in = _take(qtbot, kiosk, Qt.Key.Key_1)
    assert checked_in.ticket.priority is True and checked_in.ticket.ahead == 0  # before the walk-in
    assert "预约优先" in flat(pdf_text(checked_in.pdf)) and kiosk.ticket_priority.isVisibleTo(kiosk)
    qtbot.keyClick(kiosk, Qt.Key.Key_Return)
    qtbot.keyClick(kiosk, Qt.Key.Key_0)
    qtbot.keyClicks(kiosk.code, "13800000000")  # nobody booked with this phone: the centre's reason, shown
    qtbot.keyClick(kiosk.code, Qt.Key.Key_Return)
    qtbot.keyClick(kiosk, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: "没有找到" in kiosk.code_error.text())
    assert kiosk.pages.currentWidget() is kiosk.appointment_page
    assert client.call_next(hall.window.db, actor).number == checked_in.ticket.number  # called first


def test_the_kiosk_says_plainly_when_the_centre_is_away(qtbot: QtBot, hall: Hall, task_runner: TaskRunner,
                                                        tmp_path: Path) -> None:
    kiosk = _kiosk(qtbot, hall, task_runner, PdfPrinter(tmp_path))
    hall.cable.on = False
    qtbot.keyClick(kiosk, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: "暂时无法连接中心取号" in kiosk.message.text())
    assert kiosk.taking is False and kiosk.pages.currentWidget() is kiosk.start_page
    kiosk.message.clear()
    kiosk.load()  # the next look at the categories: nothing to touch while the centre is away, and why
    qtbot.waitUntil(lambda: not kiosk.category_buttons and "暂时无法连接中心取号" in kiosk.message.text())
    hall.cable.on = True
    kiosk.load()
    qtbot.waitUntil(lambda: len(kiosk.category_buttons) == 2 and not kiosk.message.text())


def _bar(qtbot: QtBot, hall: Hall, runner: TaskRunner) -> CallBar:
    bar = CallBar(hall.window.db, hall.window.actor(), runner, "01")
    qtbot.addWidget(bar)
    bar.show()
    bar.activateWindow()
    bar.start()
    qtbot.waitUntil(lambda: bar.answers >= 1)
    return bar


def _key(qtbot: QtBot, bar: CallBar, key: Qt.Key) -> None:
    """Shift+key on the window, as the clerk presses it: the step goes to the centre, its answer comes back."""
    qtbot.waitUntil(lambda: QApplication.activeWindow() is bar)  # a closed dialog hands the keyboard back
    qtbot.keyClick(bar, key, Qt.KeyboardModifier.ShiftModifier)
    assert bar.busy  # the key reached the bar: its step is under way
    qtbot.waitUntil(lambda: not bar.busy)


def test_the_call_bar_calls_recalls_skips_transfers_and_finishes_with_keys(qtbot: QtBot, hall: Hall,
                                                                           task_runner: TaskRunner) -> None:
    for _ in range(3):
        client.take(hall.kiosk.db, "社保医保")
    bar = _bar(qtbot, hall, task_runner)
    qtbot.waitUntil(lambda: bar.waiting.text() == "等候：3 人")
    _key(qtbot, bar, Qt.Key.Key_F5)  # 叫号
    assert bar.ticket is not None and bar.ticket.number == "A001" and "A001" in bar.current.text()
    qtbot.waitUntil(lambda: bar.waiting.text() == "等候：2 人")
    _key(qtbot, bar, Qt.Key.Key_F6)  # 重呼
    assert bar.ticket.recalls == 1 and "重呼 1 次" in bar.current.text()
    _key(qtbot, bar, Qt.Key.Key_F7)  # 过号
    assert bar.ticket.status == "skipped" and bar.current.text() == "当前：无"
    answers = bar.answers
    qtbot.keyClick(bar, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)  # nothing called: said, nothing sent
    assert "请先叫号" in bar.state.text() and bar.answers == answers and not bar.busy
    _key(qtbot, bar, Qt.Key.Key_F5)
    assert bar.ticket.number == "A002"
    qtbot.keyClick(bar, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)  # 转移: the category by keys
    dialog = bar.transfer_dialog
    assert dialog is not None and dialog.comboBoxItems() == ["民政救助"]
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible() and not bar.busy and bar.ticket.status == "transferred")
    bar.activateWindow()
    assert bar.ticket.status == "transferred" and "已转移到“民政救助”" in bar.state.text()
    _key(qtbot, bar, Qt.Key.Key_F5)
    assert bar.ticket.number == "A003"
    _key(qtbot, bar, Qt.Key.Key_F9)  # 完成
    assert bar.ticket.status == "done" and bar.current.text() == "当前：无"
    qtbot.waitUntil(lambda: bar.waiting.text() == "等候：0 人")  # B… waits for another window
    status = client.status(hall.window.db)
    assert [(c.name, c.waiting) for c in status.categories] == [("社保医保", 0), ("民政救助", 1)]


def test_the_call_bar_says_when_the_centre_is_away_and_recovers(qtbot: QtBot, hall: Hall,
                                                                task_runner: TaskRunner) -> None:
    window = hall.window
    cable = Cable(hall.center)
    client.use_transport(window.db, cable)
    client.take(hall.kiosk.db, "社保医保")
    bar = _bar(qtbot, hall, task_runner)
    qtbot.waitUntil(lambda: bar.waiting.text() == "等候：1 人")
    cable.on = False
    _key(qtbot, bar, Qt.Key.Key_F5)
    assert bar.offline and "无法连接中心" in bar.state.text() and bar.ticket is None
    assert bar.waiting.text() == "等候：不详" and "上次读到 1 人（09:00）" in bar.waiting.toolTip()  # not the old count
    assert bar.buttons["queue_call"].isEnabled()  # the clerk may try again at any time
    cable.on = True
    _key(qtbot, bar, Qt.Key.Key_F5)
    assert not bar.offline and bar.ticket is not None and bar.ticket.number == "A001"
    assert "无法连接" not in bar.state.text()
    qtbot.waitUntil(lambda: bar.waiting.text() == "等候：0 人")


class RecordingAnnouncer(Announcer):
    def __init__(self) -> None:
        super().__init__("chime")
        self.said: list[str] = []

    def announce(self, text: str) -> None:
        self.said.append(text)


def test_the_hall_display_shows_a_new_call_and_announces_it_once(qtbot: QtBot, hall: Hall,
                                                                 task_runner: TaskRunner) -> None:
    actor = hall.window.actor()
    for _ in range(3):
        client.take(hall.kiosk.db, "社保医保")
    client.call_next(hall.window.db, actor)  # on the board before the display opens: shown, not announced
    voice = RecordingAnnouncer()
    display = HallWindow(hall.kiosk.db, task_runner, CENTRE, voice, poll_ms=100)
    qtbot.addWidget(display)
    display.show_on(None)
    qtbot.waitUntil(lambda: display.loads >= 1)
    assert display.newest_number.text() == "A001" and "1号窗口" in display.newest_window.text()
    assert voice.said == []
    assert [display.waiting.item(r, 1).text() for r in range(2)] == ["2 人", "0 人"]
    client.call_next(hall.window.db, actor)
    qtbot.waitUntil(lambda: display.newest_number.text() == "A002")
    loads = display.loads
    qtbot.waitUntil(lambda: display.loads >= loads + 3)  # polled again and again: still one announcement
    assert voice.said == ["请 A002 号到 1号窗口 办理"]
    assert display.earlier.item(0, 0) is None or display.earlier.item(0, 0).text() != "A002"
    client.recall(hall.window.db, actor, "A002")  # 重呼 is heard again
    qtbot.waitUntil(lambda: len(voice.said) == 2)
    assert voice.said[1] == "请 A002 号到 1号窗口 办理"
    hall.cable.on = False  # the display's link goes: the last board stays, a line says so
    qtbot.waitUntil(lambda: "暂时无法连接中心" in display.state.text())
    assert display.newest_number.text() == "A002"
    hall.cable.on = True
    qtbot.waitUntil(lambda: display.state.text() == "")
    assert len(voice.said) == 2
    display.close()


def test_finish_while_the_centre_is_away_is_kept_here_and_told_later(qtbot: QtBot, hall: Hall,
                                                                     task_runner: TaskRunner) -> None:
    window = hall.window
    cable = Cable(hall.center)
    client.use_transport(window.db, cable)
    client.take(hall.kiosk.db, "社保医保")
    client.take(hall.kiosk.db, "社保医保")
    bar = _bar(qtbot, hall, task_runner)
    _key(qtbot, bar, Qt.Key.Key_F5)
    assert bar.ticket is not None and bar.ticket.number == "A001"
    qtbot.waitUntil(lambda: bar.waiting.text() == "等候：1 人")  # the look after the call is back
    cable.on = False
    _key(qtbot, bar, Qt.Key.Key_F9)  # 完成 with the centre away
    assert bar.ticket.status == "done" and bar.current.text() == "当前：无"
    assert bar.offline and "已在本机办结 A001" in bar.state.text() and "无法连接中心" in bar.state.text()
    assert client.status(hall.kiosk.db).called[0].number == "A001"  # the centre has not heard yet
    cable.on = True
    answers = bar.answers
    bar.load()  # the bar's next look at the hall (every 15 s)
    qtbot.waitUntil(lambda: bar.answers > answers and not bar.offline)
    assert client.status(hall.kiosk.db).called == ()  # told: A001 is no longer called on the hall display
    _key(qtbot, bar, Qt.Key.Key_F5)
    assert bar.ticket.number == "A002"


def test_a_called_appointment_booked_here_is_arrived_and_goes_on_to_the_acceptance(
        qtbot: QtBot, hall: Hall, task_runner: TaskRunner) -> None:
    from app.services.appointments.booking import day_appointments

    actor = hall.window.actor()
    app.clock._fixed = datetime(2026, 11, 30, 8, 0, tzinfo=CN)
    booked = book(hall.window.db, actor, AppointmentForm("SHJZ-001", "张桂芳", "13904367788", date(2026, 11, 30),
                                                         "08:30-09:30", window="1号窗口"))
    assert hall.window.sync().ok
    app.clock._fixed = datetime(2026, 11, 30, 9, 0, tzinfo=CN)
    client.take(hall.kiosk.db, "社保医保")
    client.take(hall.kiosk.db, "社保医保", "13904367788")
    bar = _bar(qtbot, hall, task_runner)
    assert not bar.buttons["queue_arrival"].isVisibleTo(bar)
    _key(qtbot, bar, Qt.Key.Key_F5)
    assert bar.ticket is not None and bar.ticket.priority and bar.arrival is not None
    assert f"预约 {booked.number}（张桂芳" in bar.state.text() and "Shift+F4" in bar.state.text()
    assert bar.buttons["queue_arrival"].isVisibleTo(bar)
    shown = day_appointments(hall.window.db, date(2026, 11, 30))
    assert [(a.number, a.status) for a in shown] == [(booked.number, "arrived")]  # the 预约 screen's list
    with qtbot.waitSignal(bar.arrived) as arrived:
        qtbot.keyClick(bar, Qt.Key.Key_F4, Qt.KeyboardModifier.ShiftModifier)
    assert arrived.args[0].number == booked.number and arrived.args[0].notice_number
    _key(qtbot, bar, Qt.Key.Key_F5)  # the walk-in: no appointment, nothing to go on to
    assert bar.ticket.number == "A001" and bar.arrival is None
    assert not bar.buttons["queue_arrival"].isVisibleTo(bar)
    qtbot.keyClick(bar, Qt.Key.Key_F4, Qt.KeyboardModifier.ShiftModifier)
    assert "不是本机登记的预约" in bar.state.text()


def test_the_director_edits_the_categories_by_keys_and_the_centre_refusals_are_shown(
        qtbot: QtBot, hall: Hall, task_runner: TaskRunner, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialog

    from app.ui.queue.categories_dialog import CategoriesDialog
    from tests.ui_helpers import type_chinese

    enrol(hall.center, tmp_path / "w2", "02", name="2号窗口")  # the hall's second window
    client.take(hall.kiosk.db, "民政救助")  # one waits in 民政救助: it cannot go today
    dialog = CategoriesDialog(hall.window.db, hall.window.actor(), task_runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.loaded and dialog.model.rowCount() == 2)
    cell = dialog.model.index
    assert [dialog.model.data(cell(r, 3)) for r in range(2)] == ["01 1号窗口", "02 2号窗口"]
    assert dialog.model.data(cell(1, 4)) == "1 人"
    qtbot.keyClick(dialog.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # 新增
    editor = dialog.editor
    assert editor is not None and editor.isVisible()
    type_chinese(editor.name, "综合")
    qtbot.keyClicks(editor.prefix, "a")
    qtbot.keyClick(editor.prefix, Qt.Key.Key_Return)
    assert editor.isVisible() and "号头已由“社保医保”使用" in editor.form.error_text("prefix")
    editor.prefix.clear()
    qtbot.keyClicks(editor.prefix, "o")  # no O: read aloud it is 0
    qtbot.keyClick(editor.prefix, Qt.Key.Key_Return)
    assert "不用 I 和 O" in editor.status.text()
    editor.prefix.clear()
    qtbot.keyClicks(editor.prefix, "c")
    editor.windows.setFocus()
    qtbot.keyClick(editor.windows, Qt.Key.Key_Down)
    qtbot.keyClick(editor.windows, Qt.Key.Key_Space)  # ticks 02
    qtbot.keyClick(editor.prefix, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.result() == QDialog.DialogCode.Accepted)
    assert [(d.name, d.prefix, d.windows) for d in dialog.model.rows()][2] == ("综合", "C", ("02",))
    assert dialog.model.data(cell(2, 4)) == "新增"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)  # 综合 before 民政救助
    assert [d.name for d in dialog.model.rows()] == ["社保医保", "综合", "民政救助"]
    dialog.table.selectRow(2)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert "今天还有 1 人等候，中心将拒绝删除" in dialog.status.text()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # 保存到中心
    qtbot.waitUntil(lambda: not dialog.busy and "今天还有未办完的号" in dialog.status.text())
    assert [d.name for d in dialog.model.rows()] == ["社保医保", "综合"]  # as edited, nothing lost
    assert [c.name for c in client.status(hall.kiosk.db).categories] == ["社保医保", "民政救助"]  # all or nothing
    dialog.table.selectRow(0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter edits: 社保医保 goes to every window
    editor = dialog.editor
    assert editor is not None and editor.name.text() == "社保医保" and dialog.isVisible()  # Enter closes nothing
    assert editor.isVisible() and editor.result_draft is None  # … nor presses the row editor's 确定
    editor.windows.setFocus()
    qtbot.keyClick(editor.windows, Qt.Key.Key_Space)  # 01 unticked: none ticked is every window
    qtbot.keyClick(editor.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.result() == QDialog.DialogCode.Accepted)
    with hall.center.engine.begin() as conn:  # B001 waited for 02; the citizen left: today's B001 is over
        conn.execute(text("UPDATE queue_ticket SET status = 'skipped' WHERE number = 'B001'"))
    dialog.activateWindow()  # offscreen, a closed dialog does not hand the activation back by itself
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.busy and "已保存到中心，共 2 个" in dialog.status.text())
    shown = client.status(hall.kiosk.db)
    assert [(c.name, c.prefix, c.every_window) for c in shown.categories] == [("社保医保", "A", True),
                                                                              ("综合", "C", False)]
    assert dialog.model.data(cell(0, 3)) == "全部窗口"
    dialog.grab().save(str(tmp_path / "categories.png"))


def test_the_categories_cannot_be_saved_without_the_centre_proving_the_person(
        qtbot: QtBot, hall: Hall, task_runner: TaskRunner) -> None:
    from app.actor import Actor
    from app.ui.queue.categories_dialog import CategoriesDialog

    unproven = Actor(staff_id="nobody", staff_no="8001", name="王主任", role="director")
    dialog = CategoriesDialog(hall.window.db, unproven, task_runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.busy and "须由中心核验身份" in dialog.status.text())
    hall.cable.on = False
    offline = CategoriesDialog(hall.kiosk.db, unproven, task_runner)
    qtbot.addWidget(offline)
    qtbot.waitUntil(lambda: "只能在联网时修改" in offline.status.text())
    assert not offline.save_button.isEnabled() and not offline.buttons["add"].isEnabled()

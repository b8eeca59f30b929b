"""GUI: the 预约 screen (Ctrl+Shift+Y). Booking by keyboard only, Enter = 到达 opening the acceptance pre-filled
and the accepted case linked back, 未到 refused before the slot, the SMS copied, and screenshots."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import app.clock
from app.actor import Actor
from app.database import Database
from app.services.appointments.booking import AppointmentForm, book, day_appointments
from app.services.id_numbers import id_check_digit
from app.ui.appointments.dialogs import BookingDialog
from app.ui.main_window import MainWindow
from tests.ui_helpers import open_main_window, type_chinese

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MONDAY = date(2026, 11, 30)
SHOTS = Path("/tmp/shots")
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ID = "22082119850312" + "123"
ID += id_check_digit(ID)


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 30, 9, 0, tzinfo=CN))


def _open_area(qtbot: QtBot, main: MainWindow) -> None:
    qtbot.keyClick(main, Qt.Key.Key_Y, CTRL | SHIFT)
    assert main.tabs.currentWidget() is main.appointments
    qtbot.waitUntil(lambda: main.appointments.count.text() != "")


def test_book_by_keyboard_only(qtbot: QtBot, db: Database, admin: Actor) -> None:
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded()) as main:
        _open_area(qtbot, main)
        view = main.appointments
        qtbot.keyClick(view.table, Qt.Key.Key_N, CTRL)
        qtbot.waitUntil(lambda: isinstance(view.dialog, BookingDialog) and view.dialog.isVisible())
        dialog = view.dialog
        assert isinstance(dialog, BookingDialog)
        qtbot.waitUntil(lambda: dialog.slot.count() > 0)
        assert dialog.slot.currentData() == "08:30-09:30"  # 09:00: the slot under way is the first offered
        assert dialog.slot.currentText() == "08:30-09:30（余4）"
        qtbot.keyClick(dialog.kind, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # Alt+C: 预约方式
        assert dialog.channel.hasFocus()
        qtbot.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClicks(dialog.item, "SB-002")
        qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
        assert dialog.citizen_name.hasFocus()
        type_chinese(dialog.citizen_name, "张桂芳")
        qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClicks(dialog.phone, "1390436778")  # one digit short
        qtbot.keyClick(dialog, Qt.Key.Key_Return, CTRL)
        assert "格式不正确" in dialog.form.error_text("citizen_phone")
        assert day_appointments(db, MONDAY) == []  # refused in the dialog: nothing written
        qtbot.keyClicks(dialog.phone, "8")
        qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClick(dialog.slot, Qt.Key.Key_Down)  # 09:30-10:30
        qtbot.keyClick(dialog, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        booked = day_appointments(db, MONDAY)
        assert [(r.citizen_name, r.citizen_phone, r.slot, r.item_code, r.channel) for r in booked] == [
            ("张桂芳", "13904367788", "09:30-10:30", "SB-002", "phone")]
        qtbot.waitUntil(lambda: view.model.rowCount() == 1 and booked[0].number in view.sms.toPlainText())
        assert "共 1 个预约，待到达 1 个" == view.count.text()
        main.activateWindow()  # the booking dialog has closed: shortcuts act in the active window
        qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
        view.table.setFocus()
        qtbot.keyClick(view.table, Qt.Key.Key_C, CTRL)
        assert QApplication.clipboard().text() == view.sms.toPlainText()
        qtbot.keyClick(view.table, Qt.Key.Key_D, CTRL)  # 未到 before 09:30 is refused, and said why
        qtbot.waitUntil(lambda: "尚未开始" in view.status.text())
        assert day_appointments(db, MONDAY)[0].status == "booked"
        qtbot.keyClick(view.table, Qt.Key.Key_P, CTRL)  # the attached one-time notice, by the notice PDF path
        qtbot.waitUntil(lambda: main.opener.dialog is not None and main.opener.dialog.isVisible(), timeout=10000)
        assert booked[0].notice_number in main.opener.dialog.windowTitle()


def test_check_in_opens_acceptance_prefilled_and_links_the_case(qtbot: QtBot, db: Database, admin: Actor) -> None:
    record = book(db, admin, AppointmentForm("SB-002", "张桂芳", "13904367788", MONDAY, "08:30-09:30",
                                             window="1号窗口", citizen_id_number=ID))
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded()) as main:
        _open_area(qtbot, main)
        view = main.appointments
        qtbot.waitUntil(lambda: view.model.rowCount() == 1)
        view.table.setFocus()
        qtbot.keyClick(view.table, Qt.Key.Key_Return)  # 到达
        qtbot.waitUntil(lambda: main.tabs.currentWidget() is main.acceptance)
        acceptance = main.acceptance
        assert acceptance.current_item() is not None and acceptance.current_item().code == "SB-002"
        assert (acceptance.applicant_name.text(), acceptance.phone.text(), acceptance.id_number.text()) == (
            "张桂芳", "13904367788", ID)
        assert record.number in acceptance.status.text()
        assert day_appointments(db, MONDAY)[0].status == "arrived"
        for row in range(acceptance.checklist.rowCount()):
            acceptance.checklist.toggle(row)  # the citizen brought everything
        type_chinese(acceptance.address, "镇赉镇红旗村三组")
        qtbot.keyClick(acceptance, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: day_appointments(db, MONDAY)[0].status == "done", timeout=10000)
        linked = day_appointments(db, MONDAY)[0]
        assert linked.case_number and linked.case_number in main.statusBar().currentMessage() + linked.case_number
        _open_area(qtbot, main)
        qtbot.waitUntil(lambda: view.model.row_at(0) is not None and view.model.row_at(0).case_number != "")


def test_screenshots(qtbot: QtBot, db: Database, admin: Actor) -> None:
    book(db, admin, AppointmentForm("SB-002", "张桂芳", "13904367788", MONDAY, "09:30-10:30", window="1号窗口",
                                    citizen_id_number=ID))
    book(db, admin, AppointmentForm("SB-002", "李建国", "13904361234", MONDAY, "10:30-11:30", channel="online",
                                    window="1号窗口"))
    book(db, admin, AppointmentForm("SB-002", "王淑珍", "13904365678", MONDAY, "14:00-15:00", kind="home",
                                    address="红旗村三组12号", reason="elderly", visitor_no="admin", window="1号窗口"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded()) as main:
        main.resize(1366, 720)
        _open_area(qtbot, main)
        view = main.appointments
        qtbot.waitUntil(lambda: view.model.rowCount() == 3 and view.sms.toPlainText() != "")
        main.grab().save(str(SHOTS / "appointments_area.png"))
        qtbot.keyClick(view.table, Qt.Key.Key_N, CTRL)
        qtbot.waitUntil(lambda: isinstance(view.dialog, BookingDialog) and view.dialog.isVisible())
        dialog = view.dialog
        assert isinstance(dialog, BookingDialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData("home"))
        qtbot.waitUntil(lambda: dialog.slot.count() > 0)
        dialog.grab().save(str(SHOTS / "appointments_booking_dialog.png"))
        dialog.reject()


def test_a_case_accepted_at_home_is_marked_in_the_case_header(db: Database, admin: Actor) -> None:
    from app.services.appointments.checkin import home_visit_of, record_home_outcome
    from app.services.cases.records import accept_case, get_case
    from app.ui.case_view import case_html
    from tests.test_cases import form as case_form

    visit = book(db, admin, AppointmentForm("SB-002", "王淑珍", "13904365678", MONDAY, "14:00-15:00", kind="home",
                                            address="红旗村三组12号", reason="disabled", visitor_no="admin"))
    at_home = accept_case(db, admin, case_form(db, "SB-002", applicant_name="王淑珍"))
    at_window = accept_case(db, admin, case_form(db, "SB-002"))
    record_home_outcome(db, admin, visit.number, "上门受理，材料齐全", at_home)
    home_case, window_case = get_case(db, at_home), get_case(db, at_window)
    assert home_case is not None and window_case is not None
    assert "【上门受理】" in case_html(home_case, (), home_visit_of(db, at_home))
    assert "上门受理" not in case_html(window_case, (), home_visit_of(db, at_window))


def test_an_inquiry_appointment_opens_the_first_inquiry_dialog_prefilled(qtbot: QtBot, db: Database,
                                                                         admin: Actor) -> None:
    book(db, admin, AppointmentForm("SB-002", "李建国", "13904361234", MONDAY, "08:30-09:30", purpose="inquiry",
                                    window="1号窗口"))
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded()) as main:
        _open_area(qtbot, main)
        view = main.appointments
        qtbot.waitUntil(lambda: view.model.rowCount() == 1)
        view.table.setFocus()
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: main.inquiry_dialog is not None and main.inquiry_dialog.isVisible())
        dialog = main.inquiry_dialog
        assert dialog is not None
        assert (dialog.citizen_name.text(), dialog.citizen_phone.text(), dialog.item.item_code()) == (
            "李建国", "13904361234", "SB-002")
        assert day_appointments(db, MONDAY)[0].status == "arrived"
        assert main.tabs.currentWidget() is main.appointments  # the list stays; the dialog is on top
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        qtbot.keyClick(dialog, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
        type_chinese(dialog.question, "养老待遇领取要带什么材料")
        qtbot.keyClick(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        type_chinese(dialog.answer, "已当场解答，带身份证和户口本")
        qtbot.keyClick(dialog, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: day_appointments(db, MONDAY)[0].status == "done")
        assert day_appointments(db, MONDAY)[0].outcome.startswith("首问登记 SW")


def test_after_hours_service_recorded_and_counted(qtbot: QtBot, db: Database, admin: Actor) -> None:
    from PySide6.QtCore import QDate, QDateTime, QTime

    from app.ui.appointments.dialogs import AfterHoursDialog

    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded()) as main:
        _open_area(qtbot, main)
        view = main.appointments
        qtbot.keyClick(view.table, Qt.Key.Key_T, CTRL)
        qtbot.waitUntil(lambda: isinstance(view.dialog, AfterHoursDialog) and view.dialog.isVisible())
        dialog = view.dialog
        assert isinstance(dialog, AfterHoursDialog)
        dialog.started.setDateTime(QDateTime(QDate(2026, 11, 27), QTime(10, 0)))  # a Friday, office hours
        dialog.ended.setDateTime(QDateTime(QDate(2026, 11, 27), QTime(11, 0)))
        qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
        type_chinese(dialog.purpose, "周末为外出务工人员办理社保")
        qtbot.keyClick(dialog, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: "重叠" in dialog.status.text())
        assert dialog.isVisible()
        dialog.started.setDateTime(QDateTime(QDate(2026, 11, 29), QTime(10, 0)))  # Sunday
        dialog.ended.setDateTime(QDateTime(QDate(2026, 11, 29), QTime(11, 30)))
        qtbot.keyClick(dialog, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        view.tabs.setCurrentIndex(1)
        qtbot.waitUntil(lambda: view.ah_model.rowCount() == 1 and view.ah_count.text() == "共 1 次，合计 1 小时 30 分钟")
        record = view.ah_model.row_at(0)
        assert record is not None and record.purpose == "周末为外出务工人员办理社保" and record.minutes == 90
        SHOTS.mkdir(parents=True, exist_ok=True)
        main.grab().save(str(SHOTS / "appointments_after_hours.png"))


def test_the_date_field_takes_a_typed_date_and_steps_by_day(qtbot: QtBot) -> None:
    from PySide6.QtCore import QDate

    from app.ui.appointments.date_field import DateField

    field = DateField(QDate(2026, 11, 30))
    qtbot.addWidget(field)
    changes: list[QDate] = []
    field.dateChanged.connect(changes.append)
    field.selectAll()
    qtbot.keyClicks(field, "20261215")  # eight digits take effect at once
    assert field.date() == QDate(2026, 12, 15) and field.text() == "2026-12-15"
    qtbot.keyClick(field, Qt.Key.Key_PageDown)
    assert field.date() == QDate(2026, 12, 16)
    qtbot.keyClick(field, Qt.Key.Key_Minus)  # the shown date untouched: - is a day back
    qtbot.keyClick(field, Qt.Key.Key_PageUp)
    assert field.date() == QDate(2026, 12, 14)
    field.selectAll()
    qtbot.keyClicks(field, "2027-1-5")  # separators: "-" is typed, not a step, while editing
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.date() == QDate(2027, 1, 5)
    field.selectAll()
    qtbot.keyClicks(field, "2027-02-30")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.date() == QDate(2027, 1, 5) and field.text() == "2027-01-05" and "不是有效日期" in field.toolTip()
    assert changes == [QDate(2026, 12, 15), QDate(2026, 12, 16), QDate(2026, 12, 15), QDate(2026, 12, 14),
                       QDate(2027, 1, 5)]
    field.end(False)
    for key in (Qt.Key.Key_Backspace, Qt.Key.Key_U, Qt.Key.Key_K):  # a line edit's own "delete word/line" keys
        qtbot.keyClick(field, key, CTRL)  # (X11: Ctrl+U, Ctrl+K) are the screen's shortcuts, never a blanked date
        assert field.text() == "2027-01-05" and field.date() == QDate(2027, 1, 5)


def test_the_details_mask_the_id_number(db: Database, admin: Actor) -> None:
    from app.services.masking import mask_id
    from app.ui.appointments.view import detail_text

    record = book(db, admin, AppointmentForm("SB-002", "张桂芳", "13904367788", MONDAY, "10:30-11:30",
                                             window="1号窗口", citizen_id_number=ID))
    assert ID not in detail_text(record) and mask_id(ID) in detail_text(record)


def test_bookings_from_the_command_line_show_on_ctrl_r_and_when_shown_again(
        qtbot: QtBot, db: Database, admin: Actor, data_dir: Path, tmp_path: Path) -> None:
    import json

    from app.cli import main as cli_main

    path = tmp_path / "a.json"
    path.write_text(json.dumps({"item_code": "SB-002", "name": "张桂芳", "phone": "13904367788",
                                "date": "2026-11-30", "slot": "13:00-14:00"}, ensure_ascii=False), encoding="utf-8")
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded()) as main:
        _open_area(qtbot, main)
        view = main.appointments
        assert view.model.rowCount() == 0
        assert cli_main(["--data-dir", str(data_dir), "appointments", "add", "--json", str(path)]) == 0
        qtbot.wait(300)
        assert view.model.rowCount() == 0  # another program's write: this window's change bus never hears it
        view.table.setFocus()
        qtbot.keyClick(view.table, Qt.Key.Key_R, CTRL)
        qtbot.waitUntil(lambda: view.model.rowCount() == 1)
        assert cli_main(["--data-dir", str(data_dir), "appointments", "add", "--json", str(path)]) == 0
        qtbot.keyClick(main, Qt.Key.Key_F2)
        _open_area(qtbot, main)
        qtbot.waitUntil(lambda: view.model.rowCount() == 2)


def test_ctrl_u_accepts_a_home_visit_prefilled_and_links_it(qtbot: QtBot, db: Database, admin: Actor) -> None:
    from app.services.appointments.checkin import home_visit_of

    visit = book(db, admin, AppointmentForm("SB-002", "王淑珍", "13904365678", MONDAY, "14:00-15:00", kind="home",
                                            address="红旗村三组12号", reason="disabled", visitor_no="admin",
                                            citizen_id_number=ID))
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded()) as main:
        _open_area(qtbot, main)
        view = main.appointments
        qtbot.waitUntil(lambda: view.model.rowCount() == 1)
        view.table.setFocus()
        qtbot.keyClick(view.table, Qt.Key.Key_U, CTRL)
        qtbot.waitUntil(lambda: main.tabs.currentWidget() is main.acceptance)
        acceptance = main.acceptance
        assert (acceptance.applicant_name.text(), acceptance.id_number.text(), acceptance.address.text()) == (
            "王淑珍", ID, "红旗村三组12号")
        assert "上门受理" in acceptance.status.text() and visit.number in acceptance.status.text()
        for row in range(acceptance.checklist.rowCount()):
            acceptance.checklist.toggle(row)
        qtbot.keyClick(acceptance, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: day_appointments(db, MONDAY)[0].status == "done", timeout=10000)
        done = day_appointments(db, MONDAY)[0]
        assert done.case_number and home_visit_of(db, done.case_number) is not None


def test_ctrl_u_refuses_a_home_visit_of_another_day_up_front(qtbot: QtBot, db: Database, admin: Actor) -> None:
    visit = book(db, admin, AppointmentForm("SB-002", "王淑珍", "13904365678", MONDAY + timedelta(days=1),
                                            "14:00-15:00", kind="home", address="红旗村三组12号", reason="disabled",
                                            visitor_no="admin"))
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded()) as main:
        _open_area(qtbot, main)
        view = main.appointments
        view.show_day(visit.day)
        qtbot.waitUntil(lambda: view.model.rowCount() == 1)
        view.table.setFocus()
        qtbot.keyClick(view.table, Qt.Key.Key_U, CTRL)
        qtbot.waitUntil(lambda: "须在上门服务当天（2026-12-01）受理" in view.status.text())
        assert "今天是 2026-11-30" in view.status.text()
        assert main.tabs.currentWidget() is view  # the acceptance was not opened
        assert day_appointments(db, visit.day)[0].status == "booked"


def test_the_date_box_keeps_its_date_and_tabs_to_the_list(qtbot: QtBot, db: Database, admin: Actor) -> None:
    from PySide6.QtCore import QDate

    book(db, admin, AppointmentForm("SB-002", "王淑珍", "13904365678", MONDAY + timedelta(days=1), "14:00-15:00",
                                    kind="home", address="红旗村三组12号", reason="disabled", visitor_no="admin"))
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded()) as main:
        _open_area(qtbot, main)
        view = main.appointments
        qtbot.keyClick(view.table, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
        assert view.day.hasFocus()
        qtbot.keyClick(view.day, Qt.Key.Key_Down)
        assert view.day.date() == QDate(2026, 12, 1) and view.day.text() == "2026-12-01"
        qtbot.waitUntil(lambda: view.model.rowCount() == 1)
        qtbot.keyClick(view.day, Qt.Key.Key_U, CTRL)  # X11's "delete the line" of a line edit: the screen's 上门受理
        qtbot.waitUntil(lambda: "不能上门受理" in view.status.text())
        assert view.day.text() == "2026-12-01" and view.day.date() == QDate(2026, 12, 1)
        qtbot.keyClick(view.day, Qt.Key.Key_K, CTRL)  # delete-to-end elsewhere: not here either
        assert view.day.text() == "2026-12-01"
        qtbot.keyClick(view.day, Qt.Key.Key_Up)
        assert view.day.date() == QDate(2026, 11, 30)
        qtbot.keyClick(view.day, Qt.Key.Key_Tab)
        assert view.table.hasFocus()  # the list it filters comes next, the buttons after


def test_enter_on_a_done_home_visit_says_why_at_once(qtbot: QtBot, db: Database, admin: Actor) -> None:
    from app.services.appointments.checkin import link_accepted_case
    from app.services.cases.records import accept_case
    from app.ui.appointments.dialogs import HomeOutcomeDialog
    from tests.test_cases import form as case_form

    visit = book(db, admin, AppointmentForm("SB-002", "王淑珍", "13904365678", MONDAY, "14:00-15:00", kind="home",
                                            address="红旗村三组12号", reason="disabled", visitor_no="admin"))
    number = accept_case(db, admin, case_form(db, "SB-002", applicant_name="王淑珍",
                                              notice_number=visit.notice_number))
    assert link_accepted_case(db, admin, number) == visit.number
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded()) as main:
        _open_area(qtbot, main)
        view = main.appointments
        qtbot.waitUntil(lambda: view.model.rowCount() == 1)
        view.table.setFocus()
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "不能再登记上门结果" in view.status.text())
        assert number in view.status.text() and "F7" in view.status.text()
        assert not isinstance(view.dialog, HomeOutcomeDialog)
        qtbot.keyClick(view.table, Qt.Key.Key_O, CTRL)
        qtbot.wait(200)
        assert not isinstance(view.dialog, HomeOutcomeDialog)


def test_home_visit_details_name_the_visitor_and_the_case_once(db: Database, admin: Actor) -> None:
    from app.services.appointments.checkin import link_accepted_case
    from app.services.cases.records import accept_case
    from app.ui.appointments.view import detail_text
    from tests.test_cases import form as case_form

    visit = book(db, admin, AppointmentForm("SB-002", "王淑珍", "13904365678", MONDAY, "14:00-15:00", kind="home",
                                            address="红旗村三组12号", reason="disabled", visitor_no="admin"))
    number = accept_case(db, admin, case_form(db, "SB-002", applicant_name="王淑珍",
                                              notice_number=visit.notice_number))
    link_accepted_case(db, admin, number)
    done = day_appointments(db, MONDAY)[0]
    text = detail_text(done)
    assert f"上门人员 {admin.name}（admin）" in text and text.count(number) == 1


def test_a_result_for_another_day_or_citizen_is_dropped(qtbot: QtBot, db: Database, admin: Actor) -> None:
    """Results come back in any order: a list for a day no longer chosen, or an SMS for a citizen no longer
    shown (which Ctrl+C would copy), changes nothing on screen."""
    book(db, admin, AppointmentForm("SB-002", "张桂芳", "13904367788", MONDAY, "09:30-10:30", window="1号窗口"))
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded()) as main:
        _open_area(qtbot, main)
        view = main.appointments
        qtbot.waitUntil(lambda: view.model.rowCount() == 1 and "张桂芳" in view.sms.toPlainText())
        sms = view.sms.toPlainText()
        view._loaded((MONDAY + timedelta(days=1), []))  # the next day's (empty) list, arriving late
        view._sms_loaded(("YY0000", "另一位群众的短信"))
        assert view.model.rowCount() == 1 and view.sms.toPlainText() == sms

"""GUI: accepting a case from the keyboard, its documents, and finding it again by scanning."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.services.cases.form import CaseForm, as_catalogued
from app.services.cases.records import accept_case, get_case, list_cases
from app.services.id_numbers import id_check_digit
from app.services.inquiries.notices import NoticeForm, create_notice
from app.ui.main_window import MainWindow
from tests.ui_helpers import open_main_window, type_chinese, visible_message_boxes

ID = "22082119850312123"
ID += id_check_digit(ID)


@pytest.fixture
def window(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor) -> Iterator[MainWindow]:
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded() and QApplication.activeWindow() is m) as main:
        yield main


def pick(window: MainWindow, qtbot: QtBot, code: str) -> None:
    view = window.acceptance
    window.show_area(view)
    view.picker.search_box.clear()
    qtbot.keyClicks(view.picker.search_box, code)
    qtbot.keyClick(view.picker.search_box, Qt.Key.Key_Return)  # Enter: on to the applicant
    assert view.current_item() is not None and view.current_item().code == code


def test_accept_from_the_keyboard_prints_receipt_then_slip(window: MainWindow, qtbot: QtBot, db: Database) -> None:
    view = window.acceptance
    pick(window, qtbot, "SB-002")
    assert view.applicant_name.hasFocus()
    assert not view.accept_button.isEnabled()
    type_chinese(view.applicant_name, "何桂兰")
    qtbot.keyClicks(view.id_number, ID[:-1] + ("0" if ID[-1] != "0" else "1"))
    assert "校验位" in view.form.error_text("applicant_id_number")
    view.id_number.clear()
    qtbot.keyClicks(view.id_number, ID)
    assert view.form.error_text("applicant_id_number") == ""
    qtbot.keyClicks(view.phone, "13604362288")
    type_chinese(view.address, "镇赉镇红旗村")
    assert not view.accept_button.isEnabled()  # no material ticked yet
    view.table.setFocus()
    view.table.selectRow(0)
    for _ in range(view.checklist.rowCount()):
        qtbot.keyClick(view.table, Qt.Key.Key_Space)
        qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.accept_button.isEnabled()
    assert "承诺办结日期" in view.due_label.text()
    # the citizen brought three copies of the ID card, not one: recorded as received
    copies = view.checklist.index(0, 5)
    assert view.checklist.data(copies) == "1份"
    assert view.checklist.setData(copies, 3)
    assert not view.checklist.setData(copies, 500)  # out of range: refused, unchanged
    assert view.checklist.data(copies) == "3份"
    previous = window.opener.dialog
    qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.opener.dialog is not previous and window.opener.dialog is not None)
    assert "受理回执" in window.opener.dialog.windowTitle()
    number = window.opener.dialog.windowTitle().split()[1]
    case = get_case(db, number)
    assert case is not None and case.applicant_name == "何桂兰" and case.case_class == "promised"
    assert case.received[0]["copies"] == 3
    receipt = window.opener.dialog
    receipt.close()  # the class notice follows
    qtbot.waitUntil(lambda: window.opener.dialog is not receipt and "办件通知书" in window.opener.dialog.windowTitle())
    assert view.applicant_name.text() == ""  # ready for the next citizen


def test_bad_input_keeps_accept_disabled_and_saves_nothing(window: MainWindow, qtbot: QtBot, db: Database) -> None:
    view = window.acceptance
    pick(window, qtbot, "SHJZ-001")
    type_chinese(view.applicant_name, "陈志强")
    qtbot.keyClicks(view.phone, "1390")
    assert "格式不正确" in view.form_right.error_text("applicant_phone")
    view.case_class.setCurrentIndex(view.case_class.findData("rejected"))
    assert "不予受理" in view.case_form.error_text("rejection_reason")
    view.submit()
    assert list_cases(db) == []
    assert not view.accept_button.isEnabled()


@pytest.fixture
def december_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stop the clock on 1 December 2026: 2026's schedule is bundled, 2027's is not, whatever today is."""
    from datetime import datetime, timedelta, timezone

    from app import clock

    monkeypatch.setattr(clock, "_fixed", datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=8))))


def test_provisional_deadline_is_warned(december_2026: None, window: MainWindow, qtbot: QtBot) -> None:
    view = window.acceptance
    pick(window, qtbot, "SB-004")  # 30 working days: reaches into 2027, whose schedule is not loaded
    assert "暂定" in view.due_label.text()


@pytest.mark.parametrize("with_qr", [False, True])
def test_scanning_a_receipt_opens_the_case(window: MainWindow, qtbot: QtBot, db: Database, admin: Actor,
                                           with_qr: bool) -> None:
    from app.services.catalog import items as catalog

    item = catalog.load_item(db, "SB-003")
    assert item is not None
    number = accept_case(db, admin, CaseForm("SB-003", "immediate", applicant_name="徐长江", applicant_id_number=ID,
                                             applicant_phone="13304367711", applicant_address="镇赉镇",
                                             received=as_catalogued(item, [1, 2])))
    case = get_case(db, number)
    assert case is not None
    window.show_area(window.catalog)
    window.catalog.search_box.setFocus()
    qtbot.keyClicks(window.catalog.search_box, f"{number}#{case.query_code}" if with_qr else number)
    qtbot.keyClick(window.catalog.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.cases)
    qtbot.waitUntil(lambda: number in window.cases.detail.toPlainText())
    assert window.cases.selected().number == number
    assert case.query_code in window.cases.detail.toPlainText()
    assert window.catalog.search_box.text() == ""


def test_reopened_notice_goes_straight_to_acceptance(window: MainWindow, qtbot: QtBot, db: Database,
                                                     admin: Actor) -> None:
    number = create_notice(db, admin, NoticeForm("SB-002", "孙立国", [1, 2, 3, 4], "13604361234"))
    window.reopen_notice(number)
    editor = window.notices.editor
    qtbot.waitUntil(lambda: editor.checklist.ticked() == [1, 2, 3, 4])
    qtbot.mouseClick(editor.accept_button, Qt.MouseButton.LeftButton)
    view = window.acceptance
    assert window.tabs.currentWidget() is view
    assert view.applicant_name.text() == "孙立国" and view.phone.text() == "13604361234"
    assert view.checklist.ticked() == [1, 2, 3, 4] and number in view.status.text()
    assert view.case_form_data().notice_number == number


def test_director_imports_next_years_schedule(december_2026: None, window: MainWindow, qtbot: QtBot, db: Database,
                                               admin: Actor, tmp_path: Path) -> None:
    from datetime import date

    from app.services.catalog import items as catalog

    item = catalog.load_item(db, "SB-004")
    assert item is not None
    number = accept_case(db, admin, CaseForm("SB-004", "promised", applicant_name="徐长江", applicant_id_number=ID,
                                             applicant_phone="13304367711", applicant_address="镇赉镇",
                                             received=as_catalogued(item, [1, 2, 3])))
    before = get_case(db, number)
    assert before is not None and before.provisional
    view = window.calendar
    assert view is not None
    window.show_area(view)
    view.year.setValue(2027)
    qtbot.waitUntil(lambda: "尚未导入" in view.coverage.text())
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n2027-01-01,休,元旦\n2027-02-06,班,春节\n", encoding="utf-8")
    view.import_file(path)
    qtbot.waitUntil(lambda: "已导入" in view.coverage.text() and view.model.rowCount() == 2)
    qtbot.waitUntil(lambda: any("重新计算" in b.text() for b in visible_message_boxes()))
    after = get_case(db, number)
    assert after is not None and not after.provisional
    for box in visible_message_boxes():
        box.close()
    view.day.setDate(QDate(2027, 1, 4))
    view.kind.setCurrentIndex(view.kind.findData("holiday"))
    view.save_day()
    qtbot.waitUntil(lambda: view.model.rowCount() == 3)
    assert date(2027, 1, 4) in [r[0] for r in view.model.rows()]


def test_special_procedure_and_extension_from_the_case_list(window: MainWindow, qtbot: QtBot, db: Database,
                                                            admin: Actor) -> None:
    from app.services.catalog import items as catalog

    item = catalog.load_item(db, "SB-002")
    assert item is not None
    number = accept_case(db, admin, CaseForm("SB-002", "promised", applicant_name="何桂兰", applicant_id_number=ID,
                                             applicant_phone="13604362288", applicant_address="镇赉镇",
                                             received=as_catalogued(item, [1, 2, 3, 4])))
    view = window.cases
    window.show_area(view)
    view.load()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    view.table.selectRow(0)
    view.toggle_procedure()
    qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.isVisible() and view.dialog.mode == "pause")
    view.dialog.procedure.setCurrentText("鉴定")
    view.dialog.submit()
    qtbot.waitUntil(lambda: not view.dialog.isVisible())
    view.toggle_procedure()
    qtbot.waitUntil(lambda: view.dialog.isVisible() and view.dialog.mode == "resume")
    view.dialog.submit()
    qtbot.waitUntil(lambda: not view.dialog.isVisible())
    from app.services.people.staff import StaffForm, save_staff

    save_staff(db, admin, StaffForm("0001", "刘国庆", "director", password="zhuren123"))
    view._time_limit("extend")
    qtbot.waitUntil(lambda: view.dialog.isVisible() and view.dialog.mode == "extend")
    dialog = view.dialog
    dialog.submit()  # no reason, no password
    assert "中心主任输入密码" in dialog.status.text()
    type_chinese(dialog.reason, "需上级复核")
    dialog.password.setText("zhuren123")
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    case = get_case(db, number)
    assert case is not None
    assert [e[1] for e in case.events if e[1] != "deadline_recomputed"] == ["accepted", "paused", "resumed", "extended"]


def test_scan_goes_through_an_open_preview(window: MainWindow, qtbot: QtBot, db: Database, admin: Actor) -> None:
    from app.services.catalog import items as catalog

    item = catalog.load_item(db, "SB-003")
    assert item is not None
    number = accept_case(db, admin, CaseForm("SB-003", "immediate", applicant_name="徐长江", applicant_id_number=ID,
                                             applicant_phone="13304367711", applicant_address="镇赉镇",
                                             received=as_catalogued(item, [1, 2])))
    window.opener.open("receipt", number)
    qtbot.waitUntil(lambda: window.opener.dialog is not None and window.opener.dialog.isVisible())
    preview = window.opener.dialog
    preview.activateWindow()
    preview.print_button.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is preview)
    qtbot.keyClicks(preview.print_button, number)  # the scanner types into the preview...
    qtbot.keyClick(preview.print_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not preview.isVisible())  # ...which steps aside
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.cases and number in window.cases.detail.toPlainText())
    assert not any("打印机" in b.text() for b in visible_message_boxes())  # Enter did not press Print

"""GUI: first-inquiry entry, the notice checklist, printing, and reopening a notice by scanning."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.services.inquiries.departments import SEED_DEPARTMENTS, DepartmentForm, list_departments, save_department
from app.services.inquiries.notices import NoticeForm, create_notice, get_notice, print_count
from app.services.inquiries.register import list_inquiries
from app.services.node import load_identity
from app.ui.fonts import install_app_font
from app.ui.main_window import MainWindow
from app.ui.tasks import TaskRunner
from tests.pdf_helpers import barcodes
from tests.ui_helpers import open_main_window, type_chinese, visible_message_boxes


@pytest.fixture
def window(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor) -> Iterator[MainWindow]:
    install_app_font(qapp)
    seeded = {d.name: d.id for d in list_departments(db)}  # set-up seeds it: the admin puts in the real line
    save_department(db, admin, DepartmentForm("县不动产登记中心", "县政务服务中心一楼", "0436-7221101", "周一至周五",
                                              "不动产登记"), seeded["县不动产登记中心"])
    with open_main_window(qtbot, db, admin, lambda m: m.catalog.model.rowCount() > 0 and m.notices.editor.picker.model.rowCount() > 0) as main:
        yield main


def open_entry(window: MainWindow, qtbot: QtBot):  # type: ignore[no-untyped-def]
    previous = window.inquiry_dialog
    qtbot.keyClick(window.catalog.search_box, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: window.inquiry_dialog is not previous and window.inquiry_dialog.isVisible())
    dialog = window.inquiry_dialog
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_inquiry_answered_in_scope(window: MainWindow, qtbot: QtBot, db: Database) -> None:
    dialog = open_entry(window, qtbot)
    type_chinese(dialog.citizen_name, "王秀英")
    qtbot.keyClicks(dialog.citizen_phone, "13844365566")
    dialog.channel.setCurrentIndex(dialog.channel.findData("phone"))
    type_chinese(dialog.question, "低保每年什么时候复核？")
    type_chinese(dialog.answer, "每年复核一次，民政办提前通知。")
    qtbot.keyClick(dialog.answer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    records = list_inquiries(db)
    assert [(r.citizen_name, r.channel, r.outcome, r.responder_no) for r in records] == [
        ("王秀英", "phone", "answered", "admin")
    ]
    assert records[0].number in window.statusBar().currentMessage()


def test_referral_requires_a_department_then_prints_the_slip(window: MainWindow, qtbot: QtBot, db: Database) -> None:
    dialog = open_entry(window, qtbot)
    type_chinese(dialog.citizen_name, "刘淑珍")
    qtbot.keyClicks(dialog.citizen_phone, "0436-6123456")
    type_chinese(dialog.question, "房屋过户在哪里办？")
    qtbot.keyClick(dialog, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert dialog.outcome() == "referred" and dialog.department.isEnabled()
    dialog.submit()
    assert "转介部门" in dialog.form.error_text("department_id")
    assert "原因" in dialog.form.error_text("answer")
    assert list_inquiries(db) == []
    dialog.department.setCurrentIndex(dialog.department.findText("县不动产登记中心"))
    assert "0436-7221101" in dialog.department_info.text()
    type_chinese(dialog.answer, "过户属不动产登记。")
    previous = window.opener.dialog
    dialog.submit()
    qtbot.waitUntil(lambda: window.opener.dialog is not previous and window.opener.dialog is not None)
    record = list_inquiries(db)[0]
    assert record.outcome == "referred" and record.department_name == "县不动产登记中心"
    assert record.number in window.opener.dialog.windowTitle() and "转介告知单" in window.opener.dialog.windowTitle()


def test_inquiry_leads_to_checklist_and_notice(window: MainWindow, qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    dialog = open_entry(window, qtbot)
    type_chinese(dialog.citizen_name, "马国富")
    qtbot.keyClicks(dialog.citizen_phone, "13104363344")
    type_chinese(dialog.question, "盖新房要什么手续？")
    qtbot.keyClicks(dialog.item, "zjd")  # 宅基地, by pinyin initials
    dialog.item.setText(dialog.item.completer().completionModel().index(0, 0).data())
    assert dialog.item.item_code() == "NY-002"
    qtbot.keyClick(dialog, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    dialog.submit()
    editor = window.notices.editor
    qtbot.waitUntil(lambda: editor.banner.isVisible() and editor.checklist.rowCount() == 6)
    assert window.tabs.currentWidget() is window.notices
    assert editor.citizen_name.text() == "马国富" and "首问登记" in editor.banner.text()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    # tick 1, 2, 3 and 5 with the keyboard: Down moves, Space ticks
    editor.table.setFocus()
    editor.table.selectRow(0)
    for row in range(6):
        if row in (0, 1, 2, 4):
            qtbot.keyClick(editor.table, Qt.Key.Key_Space)
        qtbot.keyClick(editor.table, Qt.Key.Key_Down)
    assert editor.checklist.ticked() == [1, 2, 3, 5]
    assert "尚缺必要材料 2 项" in editor.summary.text()
    previous = window.opener.dialog
    qtbot.keyClick(editor.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.opener.dialog is not previous and window.opener.dialog is not None)
    number = window.opener.dialog.windowTitle().split()[1]
    record = get_notice(db, number)
    assert record is not None and sorted(record.present) == [1, 2, 3, 5]
    assert [m.name for _, m in record.missing] == ["农村宅基地使用承诺书", "建房设计图或通用图"]
    assert list_inquiries(db)[0].notice_numbers == (number,)
    # save as PDF, then print on a (PDF-backed) printer: both logged, the second marked 补打
    document = window.opener.dialog
    assert document.save_to(tmp_path / "notice.pdf")
    qtbot.waitUntil(lambda: print_count(db, "notice", number) == 1)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert document.send_to(printer)
    qtbot.waitUntil(lambda: print_count(db, "notice", number) == 2)
    assert ("Code128", number) in barcodes((tmp_path / "printed.pdf").read_bytes(), dpi=200)
    assert ("Code128", number) in barcodes((tmp_path / "notice.pdf").read_bytes(), dpi=200)


def test_scan_reopens_the_checklist_prefilled(window: MainWindow, qtbot: QtBot, db: Database, admin: Actor) -> None:
    number = create_notice(db, admin, NoticeForm("HJ-001", "张桂芳", [1, 2, 5], "13904367788"))
    window.show_area(window.catalog)
    window.catalog.search_box.setFocus()
    type_chinese(window.catalog.search_box, "出生")  # the clerk was typing something
    qtbot.keyClicks(window.catalog.search_box, number)  # the scanner types the number...
    qtbot.keyClick(window.catalog.search_box, Qt.Key.Key_Return)  # ...and Enter
    editor = window.notices.editor
    qtbot.waitUntil(lambda: "再次来访" in editor.banner.text())
    assert window.tabs.currentWidget() is window.notices
    assert window.catalog.search_box.text() == "出生"  # the scanned characters were taken back out
    assert editor.citizen_name.text() == "张桂芳"
    assert editor.picker.current().code == "HJ-001"
    assert editor.checklist.ticked() == [1, 2, 5]
    assert "居民户口簿" in editor.banner.text() and "新生儿一寸照片" in editor.banner.text()
    # the citizen brought the rest: tick 3 and 6, nothing is missing any more
    editor.checklist.toggle(2)
    editor.checklist.toggle(5)
    assert "必要材料已齐全" in editor.summary.text()


def test_unknown_scan_is_explained(window: MainWindow, qtbot: QtBot) -> None:
    window.catalog.search_box.setFocus()
    qtbot.keyClicks(window.catalog.search_box, "GZ220821100012601010099")
    qtbot.keyClick(window.catalog.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "没有找到告知书" in window.notices.editor.status.text())


def test_notice_editor_refuses_incomplete_input(window: MainWindow, qtbot: QtBot, db: Database) -> None:
    window.show_area(window.notices)
    editor = window.notices.editor
    editor.citizen_phone.setText("123")
    editor.submit()
    assert "请填写" in editor.form.error_text("citizen_name")
    assert "格式不正确" in editor.form.error_text("citizen_phone")
    from app.services.inquiries.notices import list_notices

    assert list_notices(db) == []


def test_register_lists_filters_and_exports(window: MainWindow, qtbot: QtBot, db: Database, admin: Actor,
                                             tmp_path: Path) -> None:
    from app.services.demo_data import fill_demo_data

    fill_demo_data(db, admin)
    view = window.register
    window.show_area(view)
    view.load()
    qtbot.waitUntil(lambda: view.model.rowCount() >= 10)
    view.outcome.setCurrentIndex(view.outcome.findData("referred"))
    qtbot.waitUntil(lambda: {r.outcome for r in view.model.rows()} == {"referred"})
    view.export_to(tmp_path / "register.xlsx")
    qtbot.waitUntil(lambda: any("已导出" in b.text() for b in visible_message_boxes()))
    assert (tmp_path / "register.xlsx").exists()
    for box in visible_message_boxes():
        box.close()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    previous = window.opener.dialog
    qtbot.keyClick(view.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.opener.dialog is not previous and window.opener.dialog is not None)
    assert "首问登记簿" in window.opener.dialog.windowTitle()
    # Enter on a referral reprints its slip
    view.table.selectRow(0)
    previous = window.opener.dialog
    view.open_selected()
    qtbot.waitUntil(lambda: window.opener.dialog is not previous and "转介告知单" in window.opener.dialog.windowTitle())


def test_no_printer_is_explained(window: MainWindow, qtbot: QtBot, db: Database, admin: Actor,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui import document_dialog

    number = create_notice(db, admin, NoticeForm("SB-003", "张三", []))
    window.opener.open("notice", number)
    qtbot.waitUntil(lambda: window.opener.dialog is not None)
    monkeypatch.setattr(document_dialog.QPrinterInfo, "availablePrinters", staticmethod(lambda: []))
    window.opener.dialog.print_document()
    assert any("没有可用的打印机" in b.text() for b in visible_message_boxes())
    assert print_count(db, "notice", number) == 0


def test_offline_printer_is_explained(window: MainWindow, qtbot: QtBot, db: Database, admin: Actor,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui import document_dialog

    number = create_notice(db, admin, NoticeForm("SB-003", "张三", []))
    window.opener.open("notice", number)
    qtbot.waitUntil(lambda: window.opener.dialog is not None)
    monkeypatch.setattr(document_dialog, "paint_to_printer", lambda _printer, _data: False)
    assert not window.opener.dialog.send_to(QPrinter())
    assert any("打印失败" in b.text() for b in visible_message_boxes())
    assert print_count(db, "notice", number) == 0


def test_admin_keeps_directory_and_centre_settings(window: MainWindow, qtbot: QtBot, db: Database) -> None:
    from app.services.settings import load_settings

    view = window.departments
    assert view is not None
    window.show_area(view)
    qtbot.waitUntil(lambda: view.model.rowCount() == len(SEED_DEPARTMENTS))
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()
    type_chinese(dialog.name, "县住房公积金管理中心")
    type_chinese(dialog.address, "县政务服务中心三楼")
    qtbot.keyClicks(dialog.phone, "12")
    dialog.submit()
    assert "联系电话格式不正确" in dialog.form.error_text("phone")
    dialog.phone.setText("0436-7221105")
    dialog.submit()
    qtbot.waitUntil(lambda: view.model.rowCount() == len(SEED_DEPARTMENTS) + 1)
    assert "县住房公积金管理中心" in [d.name for d in list_departments(db)]
    view.supervise_phone.setText("123")
    view.save_settings()
    assert "格式不正确" in view.settings_form.error_text("supervise_phone")
    view.supervise_phone.setText("0436-7310000")
    view.office_hours.setText("上午九点到下午五点")
    view.save_settings()
    assert "格式应为" in view.settings_form.error_text("office_hours")
    view.office_hours.setText("09:00-12:00,13:30-17:00")
    view.save_settings()
    qtbot.waitUntil(lambda: load_settings(db).supervise_phone == "0436-7310000")
    assert load_settings(db).office_hours == "09:00-12:00,13:30-17:00"
    from dataclasses import replace

    from app.services.settings import save_settings

    # A setting this screen does not show (the complaints' deadlines) survives a save from it.
    save_settings(db, window.actor, replace(load_settings(db), complaint_days="1-11=7"))
    qtbot.waitUntil(lambda: view._settings.complaint_days == "1-11=7")
    view.center_phone.setText("0436-7312011")
    view.save_settings()
    qtbot.waitUntil(lambda: load_settings(db).center_phone == "0436-7312011")
    assert load_settings(db).complaint_days == "1-11=7"


def test_clerks_see_no_admin_areas(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor) -> None:
    from app.services.people.auth import login
    from app.services.people.staff import StaffForm, save_staff

    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", password="pass1234"))
    clerk = login(db, "1001", "pass1234")
    identity = load_identity(db)
    assert identity is not None
    runner = TaskRunner(lambda exc: None)
    main = MainWindow(db, identity, clerk, runner, db.path.parent / "state.ini")
    qtbot.addWidget(main)
    assert main.staff is None and main.departments is None
    assert [main.tabs.tabText(i) for i in range(main.tabs.count())] == [
        "事项目录（F2）", "一次性告知（F4）", "首问登记簿（F5）", "受理（F6）", "办件（F7）", "投诉", "好差评", "统计", "督办",
        "考勤", "预约", "请假值周"
    ]
    assert main.tabs.tabToolTip(5) == "投诉：Ctrl+Shift+T"  # a chord is shown on hovering, to keep the tabs on screen
    runner.wait()
    main.close()

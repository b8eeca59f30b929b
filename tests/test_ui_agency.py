"""Issue 11 on screen: the agency point's 代办台账 (F11) and village list, the catalogue's 可代办 checkbox,
and AB岗转办 (Ctrl+B), all from the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.actor import Actor
from app.database import Database
from app.models import Case
from app.services.cases.records import accept_case
from app.services.catalog import items as catalog
from app.services.people.auth import login
from app.services.people.staff import StaffForm, list_staff, save_staff
from app.ui import shortcuts
from app.ui.main_window import MainWindow
from tests.conftest import ADMIN_PASSWORD
from tests.test_agency_items import WINDOW_ONLY, agency_point
from tests.test_agency_ledger import hand_over
from tests.test_cases import form
from tests.test_ui_keyboard import _live_keys, _portable
from tests.ui_helpers import open_main_window, type_chinese

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=CN)


@pytest.fixture
def agency_db(tmp_path: Path) -> Iterator[Database]:
    yield from agency_point(tmp_path / "agency")


@pytest.fixture
def agency_window(qapp: QApplication, qtbot: QtBot, agency_db: Database) -> Iterator[MainWindow]:
    admin = login(agency_db, "admin", ADMIN_PASSWORD)
    save_staff(agency_db, admin, StaffForm("1101", "王村官", "agent", "红旗村代办点", "13904361101", password="pass1234"))
    agent = login(agency_db, "1101", "pass1234")
    numbers = [accept_case(agency_db, agent, form(agency_db, "SB-002"), now=MONDAY + timedelta(minutes=i))
               for i in range(3)]
    hand_over(agency_db, agent, numbers[1], "transfer_offered", MONDAY + timedelta(hours=1))
    hand_over(agency_db, agent, numbers[2], "transfer_offered", MONDAY + timedelta(hours=1))
    hand_over(agency_db, agent, numbers[2], "transfer_offered", MONDAY + timedelta(days=2), returning=True)
    with open_main_window(qtbot, agency_db, agent, lambda m: m.acceptance.is_loaded()) as main:
        main.numbers = numbers  # type: ignore[attr-defined]
        yield main


def test_an_agency_point_has_its_ledger_on_f11(agency_window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    ledger = agency_window.agency_ledger
    assert ledger is not None
    qtbot.keyClick(agency_window, Qt.Key.Key_F11)
    assert agency_window.tabs.currentWidget() is ledger
    qtbot.waitUntil(lambda: ledger.model.rowCount() == 3 and ledger.counts.text() != "")
    numbers = agency_window.numbers  # type: ignore[attr-defined]
    assert [ledger.model.row_at(r).stage_label for r in range(3)] == ["反馈", "代办", "受理"]  # newest first
    assert ledger.counts.text() == "受理 1　代办 1　反馈 1　归档 0" and ledger.total.text() == "共 3 件"
    ledger.stage.setCurrentIndex(ledger.stage.findData("handed_over"))
    qtbot.waitUntil(lambda: ledger.model.rowCount() == 1 and ledger.total.text() == "共 1 件")
    assert ledger.model.row_at(0).number == numbers[1]
    ledger.export_to(tmp_path / "台账")
    qtbot.waitUntil(lambda: (tmp_path / "台账.xlsx").exists())
    book = load_workbook(tmp_path / "台账.xlsx", read_only=True)
    rows = list(book["代办台账"].iter_rows(values_only=True))
    book.close()
    assert len(rows) == 2 and rows[1][0] == numbers[1]  # the filter's lines, every one of them
    agency_window.show_area(ledger)
    ledger.stage.setCurrentIndex(0)
    qtbot.waitUntil(lambda: ledger.model.rowCount() == 3)
    agency_window.grab().save(str(tmp_path / "ledger.png"))
    ledger.table.setFocus()
    ledger.table.selectRow(1)
    qtbot.keyClick(ledger.table, Qt.Key.Key_Return)  # Enter: the case in F7
    assert agency_window.tabs.currentWidget() is agency_window.cases
    assert agency_window.cases.search.text() == numbers[1]


def test_an_agency_point_offers_only_the_village_list(agency_window: MainWindow, qtbot: QtBot,
                                                       agency_db: Database) -> None:
    offered = {i.code for i in catalog.load_summaries(agency_db) if i.agent_allowed}
    picker = agency_window.acceptance.picker
    assert {picker.model.row_at(r).code for r in range(picker.model.rowCount())} == offered
    qtbot.waitUntil(lambda: agency_window.catalog.model.rowCount() == len(offered))
    agency_window.show_area(agency_window.acceptance)
    type_chinese(picker.search_box, "户籍证明")
    assert not WINDOW_ONLY & {picker.model.row_at(r).code for r in range(picker.model.rowCount())}
    assert agency_window.catalog.agency_box is None  # an agent does not edit the catalogue


def test_agency_screens_declare_their_keys(agency_window: MainWindow) -> None:
    ledger = agency_window.agency_ledger
    assert ledger is not None
    agency_window.show_area(ledger)
    keys, mnemonics = _live_keys(ledger, agency_window)
    assert set(keys) <= {_portable(k) for k in shortcuts.bound_keys("agency_ledger")}
    assert shortcuts.clashes("agency_ledger", mnemonics) == []
    assert "agency_ledger" in [screen for _w, _l, screen in agency_window._areas]


def test_a_window_has_no_ledger_and_an_editor_ticks_the_village_list(qapp: QApplication, qtbot: QtBot, db: Database,
                                                                     admin: Actor) -> None:
    with open_main_window(qtbot, db, admin, lambda m: m.catalog.model.rowCount() == 34) as main:
        assert main.agency_ledger is None
        view, box = main.catalog, main.catalog.agency_box
        assert box is not None
        main.show_area(view)
        qtbot.keyClicks(view.search_box, "HJ-002")
        assert view.picker.current().code == "HJ-002" and not box.isChecked()
        qtbot.keyClick(view.search_box, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # the checkbox's mnemonic
        qtbot.waitUntil(lambda: view.picker.current() is not None and view.picker.current().agent_allowed)
        assert box.isChecked() and "已将“户籍证明开具”列入村级代办事项清单" in view.status.text()
        assert "可由村代办员代办" in view.guide.toPlainText()
        assert catalog.load_item(db, "HJ-002").agent_allowed  # type: ignore[union-attr]
        _keys, mnemonics = _live_keys(view, main)
        assert shortcuts.clashes("catalog", mnemonics) == []


def test_ctrl_b_reassigns_an_absent_clerks_cases(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
                                                 tmp_path: Path) -> None:
    save_staff(db, admin, StaffForm("1002", "张伟", "clerk", "1号综合受理窗口", "13904361002", password="pass1234"))
    b = next(m for m in list_staff(db) if m.staff_no == "1002")
    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", "1号综合受理窗口", "13904361001", backup_id=b.id,
                                    password="pass1234"))
    save_staff(db, admin, StaffForm("8004", "刘国庆", "director", "镇民生服务中心", "13904361004", password="pass1234"))
    a = login(db, "1001", "pass1234")
    numbers = [accept_case(db, a, form(db, code), now=MONDAY) for code in ("SB-002", "SHJZ-001")]
    director = login(db, "8004", "pass1234")
    with open_main_window(qtbot, db, director, lambda m: m.catalog.model.rowCount() == 34) as main:
        assert main.staff is None  # a director has no staff screen: Ctrl+B from anywhere
        qtbot.keyClick(main, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: main.reassign_dialog is not None and main.reassign_dialog.isVisible())
        dialog = main.reassign_dialog
        assert dialog is not None
        keys, mnemonics = _live_keys(dialog, dialog)
        assert set(keys) == {_portable(k) for k in shortcuts.bound_keys("reassign_dialog")}
        assert shortcuts.clashes("reassign_dialog", mnemonics) == []
        dialog.absent.setCurrentIndex(dialog.absent.findData("1001"))
        assert dialog.backup_no() == "1002" and "本人设定的B岗" in dialog.backup.currentText()  # A's named B岗 first
        qtbot.waitUntil(lambda: "2 件未办结办件转给 张伟（1002）" in dialog.count.text())
        assert "代1001李秀兰岗" in dialog.count.text()
        dialog.reason.setFocus()
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: "请填写转办原因" in dialog.status.text())  # refused, nothing moved
        type_chinese(dialog.reason, "休产假")
        dialog.grab().save(str(tmp_path / "reassign.png"))
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        assert "已将 1001李秀兰 的 2 件未办结办件转给 1002张伟" in main.statusBar().currentMessage()
    with db.session() as s:
        assert set(s.scalars(select(Case.staff_no).where(Case.number.in_(numbers)))) == {"1002"}


def test_the_staff_screen_offers_reassignment_for_the_selected_colleague(qapp: QApplication, qtbot: QtBot,
                                                                         db: Database, admin: Actor) -> None:
    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", "1号综合受理窗口", "13904361001", password="pass1234"))
    with open_main_window(qtbot, db, admin, lambda m: m.catalog.model.rowCount() == 34) as main:
        staff = main.staff
        assert staff is not None
        qtbot.keyClick(main, Qt.Key.Key_F9)
        qtbot.waitUntil(lambda: staff.model.rowCount() == 2)
        staff.table.selectRow([r.staff_no for r in staff.model.rows()].index("1001"))
        _keys, mnemonics = _live_keys(staff, main)
        assert "Alt+B" in mnemonics and shortcuts.clashes("staff", mnemonics) == []
        qtbot.keyClick(staff.table, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: staff.reassign_dialog is not None and staff.reassign_dialog.isVisible())
        dialog = staff.reassign_dialog
        assert dialog is not None and dialog.absent_no() == "1001"
        qtbot.waitUntil(lambda: "在本机没有未办结的办件" in dialog.count.text())
        assert not dialog.confirm.isEnabled()
        dialog.reject()

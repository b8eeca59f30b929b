"""Hand-overs on screen (issue 11): F7's 移交(&J) opens the batch dialog with the selected case, more
cases are scanned in, Ctrl+Enter hands them over and shows the 移交清单; the receiving clerk scans
case after case and each gets its line of feedback; keyboard only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.actor import Actor
from app.database import Database
from app.models import Case, CaseEvent
from app.services.cases.records import accept_case, get_case
from app.services.cases.transfers import offer_transfer
from app.services.people.auth import login
from app.services.setup import perform_setup
from app.startup import open_workstation
from app.sync.apply import apply_page
from app.sync.client import remember_nodes
from app.sync.tables import columns, encode_row, table
from app.ui import shortcuts
from app.ui.main_window import MainWindow
from app.ui.tasks import TaskRunner
from app.ui.transfer_dialog import ReceiveDialog, TransferDialog
from tests.conftest import ADMIN_PASSWORD, setup_request
from tests.test_cases import form
from tests.test_ui_keyboard import _live_keys, _portable
from tests.test_ui_lights import open_in_f7
from tests.ui_helpers import open_main_window

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=CN)


@pytest.fixture
def window(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor) -> Iterator[MainWindow]:
    with db.engine.begin() as conn:  # the township's nodes as the last sync listed them
        remember_nodes(conn, [["01", "1号综合受理窗口", "window"], ["02", "2号窗口", "window"],
                               ["11", "红旗村代办点", "agency"]])
    with open_main_window(qtbot, db, admin) as main:
        yield main


def _scan(qtbot: QtBot, box: QWidget, text: str) -> None:
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def _declared(dialog: QWidget, screen: str) -> None:
    keys, mnemonics = _live_keys(dialog, dialog)
    assert set(keys) <= {_portable(k) for k in shortcuts.bound_keys(screen)}, keys
    assert shortcuts.clashes(screen, mnemonics) == []


def test_f7_hands_the_selected_case_and_scanned_ones_over_and_shows_the_list(
        window: MainWindow, qtbot: QtBot, db: Database, admin: Actor) -> None:
    first, second = (accept_case(db, admin, form(db, "SHJZ-001"), MORNING + timedelta(minutes=n)) for n in (1, 2))
    view = open_in_f7(window, qtbot, second)
    assert QKeySequence.mnemonic(view.transfers.button.text()).toString() == "Alt+J"
    view.transfers.offer()
    qtbot.waitUntil(lambda: isinstance(view.transfers.dialog, TransferDialog) and view.transfers.dialog.isVisible())
    dialog = view.transfers.dialog
    assert isinstance(dialog, TransferDialog)
    _declared(dialog, "transfer_dialog")
    assert dialog.numbers() == [second] and dialog.scan.hasFocus()
    assert [dialog.target.itemData(i) for i in range(dialog.target.count())] == ["02", "11"]  # not itself
    _scan(qtbot, dialog.scan, f"{first}#QUERY")  # the QR code's text: the number only is kept
    _scan(qtbot, dialog.scan, first)
    assert dialog.numbers() == [second, first] and "已在本批中" in dialog.status.text()
    assert dialog.isVisible()  # Enter in the scan box never hands the batch over
    dialog.target.setCurrentIndex(dialog.target.findData("11"))
    qtbot.keyClick(dialog.scan, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.opener.dialog is not None and window.opener.dialog.isVisible(), timeout=10000)
    assert window.opener.dialog is not None and window.opener.dialog.windowTitle().startswith("移交清单 YJ")
    for number in (first, second):
        record = get_case(db, number)
        assert record is not None and [k for _a, k, _s, _d in record.events][-1] == "transfer_offered"
        assert record.offered_to.startswith("11号节点（批次 YJ")
    qtbot.waitUntil(lambda: "待对方接收" in view.detail.toHtml())  # the selected case says it is on its way


def test_a_refused_batch_says_why_in_the_dialog_and_hands_nothing_over(window: MainWindow, qtbot: QtBot, db: Database,
                                                                     admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SHJZ-001"), MORNING)
    view = open_in_f7(window, qtbot, number)
    view.transfers.offer()
    qtbot.waitUntil(lambda: isinstance(view.transfers.dialog, TransferDialog) and view.transfers.dialog.isVisible())
    dialog = view.transfers.dialog
    assert isinstance(dialog, TransferDialog)
    _scan(qtbot, dialog.scan, "220821100012611230999")
    dialog.target.setEditText("01")  # typed: itself
    qtbot.keyClick(dialog.scan, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "不能移交给本机" in dialog.status.text())
    dialog.target.setCurrentIndex(dialog.target.findData("02"))
    qtbot.keyClick(dialog.scan, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "本机没有办件 220821100012611230999" in dialog.status.text())
    dialog.cases.setCurrentRow(1)
    qtbot.keyClick(dialog.cases, Qt.Key.Key_Delete)  # take the wrong scan out of the batch
    assert dialog.numbers() == [number]
    with db.session() as s:
        assert s.scalar(select(CaseEvent.id).where(CaseEvent.kind == "transfer_offered")) is None
    dialog.reject()


@pytest.fixture
def agency(tmp_path: Path) -> Iterator[Database]:
    db, _ = open_workstation(tmp_path / "agency")
    perform_setup(db, setup_request(node_code="11", node_name="红旗村代办点", node_kind="agency"))
    yield db
    db.dispose()


def _hand_down(source: Database, target: Database) -> None:
    """What the centre's feed would bring the receiver: the offered cases with their events."""
    groups = []
    with source.engine.connect() as conn:
        for name in ("case_file", "case_event"):
            cols = columns(name)
            groups.append({"t": name, "c": cols, "r": [encode_row(name, r, cols) for r in conn.execute(select(table(name)))]})
    apply_page(target, {"groups": groups, "cursor": [1, 1], "more": False}, full=False)


def test_the_receiving_clerk_scans_case_after_case(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
                                                   agency: Database) -> None:
    agent = login(agency, "admin", ADMIN_PASSWORD)
    numbers = [accept_case(agency, agent, form(agency, "SHJZ-001"), MORNING + timedelta(minutes=n)) for n in range(2)]
    offer_transfer(agency, agent, numbers, "01", MORNING + timedelta(hours=1))
    _hand_down(agency, db)
    runner = TaskRunner(lambda exc: (_ for _ in ()).throw(exc))
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = ReceiveDialog(db, admin, runner, parent)  # closed with its parent
    dialog.show()
    _declared(dialog, "receive_dialog")
    for typed in (numbers[0], numbers[0], "220821100112611230999", f"{numbers[1]}#Q7K2"):
        _scan(qtbot, dialog.scan, typed)
        runner.wait()
    qtbot.waitUntil(lambda: dialog.log.count() == 4)
    lines = [dialog.log.item(i).text() for i in reversed(range(dialog.log.count()))]  # oldest first
    assert lines[0].startswith(f"✓ 已接收 {numbers[0]}") and "移交，批次 YJ" in lines[0]
    assert "无需再接收" in lines[1] and lines[1].startswith("✗ 未接收")
    assert "先同步" in lines[2]
    assert lines[3].startswith(f"✓ 已接收 {numbers[1]}")
    assert dialog.count.text() == "本次已接收 2 件" and dialog.scan.hasFocus()
    with db.session() as s:
        assert set(s.scalars(select(Case.owner_node).where(Case.number.in_(numbers)))) == {"01"}
    dialog.accept()

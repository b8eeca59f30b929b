"""The workstation's view of replication: status bar, sync on demand and after acceptance, offline,
joining from the menu, and quarantined changes shown to the clerk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.center.runtime import Center
from app.services.node import load_identity
from app.ui.fonts import install_app_font
from app.ui.main_window import MainWindow
from app.ui.tasks import TaskRunner
from tests.sync_helpers import LiveServer, Station, accept, enrol, make_center
from tests.ui_helpers import visible_message_boxes


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Center, LiveServer]]:
    center = make_center(tmp_path / "centre")
    server = LiveServer(center)
    yield center, server
    server.stop()
    center.close()


def open_window(qtbot: QtBot, station: Station, actor: object = None) -> MainWindow:
    install_app_font(QApplication.instance())  # type: ignore[arg-type]
    runner = TaskRunner(lambda exc: (_ for _ in ()).throw(exc))
    identity = load_identity(station.db)
    assert identity is not None
    main = MainWindow(station.db, identity, actor or station.actor(), runner,  # type: ignore[arg-type]
                      station.db.path.parent / "window-state.ini")
    qtbot.addWidget(main)
    main.show()
    return main


def test_status_bar_sync_on_demand_and_offline(qapp: QApplication, qtbot: QtBot, live, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    center, server = live
    station = enrol(center, tmp_path / "w1", "01")
    assert station.sync().ok
    with station.db.engine.begin() as conn:  # from now on the workstation talks HTTP to the live centre
        conn.execute(text("UPDATE sync_state SET center_url = :u"), {"u": server.url})
    main = open_window(qtbot, station)
    qtbot.waitUntil(lambda: "● 在线" in main.sync_label.text() and "待上传 0 条" in main.sync_label.text(),
                    timeout=15000)
    number = accept(station, station.actor(), 1)
    main.sync.refresh()
    qtbot.waitUntil(lambda: "待上传 1 条" in main.sync_label.text(), timeout=5000)
    main.acceptance.accepted_case.emit(number, "immediate")  # as after Ctrl+Enter: receipt, then a sync
    qtbot.waitUntil(lambda: "待上传 0 条" in main.sync_label.text(), timeout=15000)
    qtbot.waitUntil(lambda: main.sync.timer.isActive())
    assert main.sync.timer.interval() == 60_000  # and again in a minute
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT number FROM case_file")).scalar_one() == number

    server.stop()  # the network goes down
    accept(station, station.actor(), 2)
    main.sync.request()
    qtbot.waitUntil(lambda: "○ 离线" in main.sync_label.text() and "待上传 1 条" in main.sync_label.text(),
                    timeout=20000)
    assert main.sync.interval > 60_000  # backing off
    main.runner.wait()
    main.close()
    for box in visible_message_boxes():
        box.close()
    if main.opener.dialog is not None:
        main.opener.dialog.close()


def test_quarantined_change_is_shown_with_the_reason(qapp: QApplication, qtbot: QtBot, live, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    center, server = live
    station = enrol(center, tmp_path / "w1", "01")
    with station.db.engine.begin() as conn:
        conn.execute(text("UPDATE sync_state SET center_url = :u"), {"u": server.url})
    assert station.sync().ok
    with center.engine.begin() as conn:  # someone at the centre took the case number already
        conn.execute(text("INSERT INTO quarantine (id, origin_node, table_name, row_id, outbox_seq, reason, payload, "
                          "created_at, _owner) VALUES ('q1', '01', 'case_file', 'abc', 1, '与中心已有记录重复', '{}', "
                          "now(), '01')"))
    main = open_window(qtbot, station)
    qtbot.waitUntil(lambda: "1 条被中心退回" in main.sync_label.text(), timeout=15000)
    main.show_sync_issues()
    qtbot.waitUntil(lambda: any(w.objectName() == "syncIssues" and w.isVisible()
                                for w in QApplication.allWidgets()), timeout=5000)
    table = next(w for w in QApplication.allWidgets() if w.objectName() == "syncIssues")
    assert table.model().index(0, 4).data() == "与中心已有记录重复"
    main.runner.wait()
    main.close()
    for box in visible_message_boxes():
        box.close()


def test_admin_joins_a_centre_from_the_menu(qapp: QApplication, qtbot: QtBot, live, tmp_path: Path, db, admin) -> None:  # type: ignore[no-untyped-def]
    from app.center.nodes import make_enroll_code
    from app.ui.sync_panel import JoinDialog

    center, server = live
    runner = TaskRunner(lambda exc: (_ for _ in ()).throw(exc))
    dialog = JoinDialog(db, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.url.setText(server.url)
    dialog.code.setText(make_enroll_code(center.engine, "02", "2号窗口", "window"))
    dialog.submit()
    qtbot.waitUntil(lambda: "01 号" in dialog.status.text(), timeout=10000)  # our db is node 01: refused
    assert "为 02 号节点签发" in dialog.status.text()
    dialog.code.setText(make_enroll_code(center.engine, "01", "1号窗口", "window"))
    with qtbot.waitSignal(dialog.joined, timeout=10000) as joined:
        dialog.submit()
    assert "镇赉镇民生服务中心" in joined.args[0]
    runner.wait()


def test_a_new_workstation_joins_from_the_setup_dialog(qapp: QApplication, qtbot: QtBot, live, blank_db) -> None:  # type: ignore[no-untyped-def]
    from app.center.nodes import make_enroll_code
    from app.services.people.auth import login
    from app.ui.setup_dialog import SetupDialog
    from app.ui.sync_panel import JoinDialog
    from tests.sync_helpers import CENTER_ADMIN_PASSWORD

    center, server = live
    runner = TaskRunner(lambda exc: (_ for _ in ()).throw(exc))
    dialog = SetupDialog(lambda: blank_db, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.join_button.click()
    join = next(w for w in dialog.findChildren(JoinDialog))
    join.url.setText(server.url)
    join.code.setText(make_enroll_code(center.engine, "07", "7号窗口", "window"))
    with qtbot.waitSignal(dialog.completed, timeout=20000):
        join.submit()
    identity = load_identity(blank_db)
    assert identity is not None and identity.node_code == "07" and identity.node_name == "7号窗口"
    assert login(blank_db, "8000", CENTER_ADMIN_PASSWORD).role == "admin"  # the centre's account works here
    runner.wait()


def test_status_bar_shows_centre_data_edits_waiting_for_a_proof(qapp: QApplication, qtbot: QtBot, live,  # type: ignore[no-untyped-def]
                                                                tmp_path: Path) -> None:
    from app.services.inquiries.departments import DepartmentForm, save_department
    from app.services.people.auth import login
    from tests.sync_helpers import CENTER_ADMIN_PASSWORD

    center, server = live
    station = enrol(center, tmp_path / "w1", "01")
    assert station.sync().ok
    with station.db.engine.begin() as conn:
        conn.execute(text("UPDATE sync_state SET center_url = :u"), {"u": server.url})
    admin = login(station.db, "8000", CENTER_ADMIN_PASSWORD)  # logged in while the centre was away: no proof
    save_department(station.db, admin, DepartmentForm("镇林业站", "镇政府院内", "04366221234", "工作日"))
    main = open_window(qtbot, station, admin)
    qtbot.waitUntil(lambda: "1 条中心数据修改待核验身份" in main.sync_label.text(), timeout=15000)
    assert "待上传 0 条" in main.sync_label.text()
    assert "登录一次" in main.sync_label.toolTip()


def test_status_bar_symbols_are_in_the_shipped_font() -> None:
    """A symbol the font lacks shows as a box on a machine without other fonts (⚠ and ⏸ did)."""
    from reportlab.pdfbase.ttfonts import TTFont

    from app.paths import FONT_FACE_INDEX, FONT_FILE
    from app.ui.sync_panel import SyncView

    face = TTFont("status-check", str(FONT_FILE), subfontIndex=FONT_FACE_INDEX).face
    text = SyncView(True, True, "11-30 09:00", 3, 2, "", "时钟", 1).text()
    missing = {ch for ch in text if ord(ch) > 0x7F and ord(ch) not in face.charToGlyph}
    assert not missing, missing

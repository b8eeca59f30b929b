"""GUI: the 高拍仪 in F6 and at 补正, by keys only, with the fake camera (frames from images on disk)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select, text

from app.actor import Actor
from app.database import Database
from app.models import CaseEvent
from app.services.attachments.pages import case_pages, page_counts
from app.services.cases.records import accept_case, get_case
from app.ui.capture.camera import FAKE_ENV
from app.ui.main_window import MainWindow
from app.ui.supplement_dialog import SupplementDialog
from tests.attachment_helpers import page_image
from tests.test_cases import form
from tests.test_ui_cases import ID, pick
from tests.ui_helpers import open_main_window, type_chinese

SHOTS = Path("/tmp/minsheng-shots")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def camera_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "camera"
    folder.mkdir()
    for n in range(4):
        (folder / f"page{n}.jpg").write_bytes(page_image(1600, 1200, label=f"P{n}"))
    monkeypatch.setenv(FAKE_ENV, str(folder))
    return folder


def _window(qtbot: QtBot, db: Database, admin: Actor) -> Iterator[MainWindow]:
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded()
                          and QApplication.activeWindow() is m) as main:
        main.resize(1366, 768)
        yield main


@pytest.fixture
def window(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, camera_folder: Path) -> Iterator[MainWindow]:
    yield from _window(qtbot, db, admin)


def _keys(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    focus = QApplication.focusWidget() or window
    qtbot.keyClick(focus, key, CTRL_SHIFT)


def test_capture_pages_by_keys_and_accept(window: MainWindow, qtbot: QtBot, db: Database) -> None:
    view, panel = window.acceptance, window.acceptance.capture
    pick(window, qtbot, "SB-002")
    qtbot.waitUntil(lambda: panel.camera is not None and panel.preview.pixmap() is not None
                    and not panel.preview.pixmap().isNull())  # live preview from the chosen camera
    assert panel.camera_box.currentText() == "模拟高拍仪"  # the only camera: used without asking
    type_chinese(view.applicant_name, "何桂兰")
    qtbot.keyClicks(view.id_number, ID)
    qtbot.keyClicks(view.phone, "13604362288")
    type_chinese(view.address, "镇赉镇红旗村")
    view.table.setFocus()
    view.table.selectRow(0)
    for _ in range(view.checklist.rowCount()):
        qtbot.keyClick(view.table, Qt.Key.Key_Space)
        qtbot.keyClick(view.table, Qt.Key.Key_Down)
    view.table.selectRow(0)
    for _ in range(3):
        _keys(qtbot, window, Qt.Key.Key_C)
        qtbot.waitUntil(lambda n=len(panel.pages()): len(panel.pages()) == n + 1)
    assert panel.counts() == {1: 3} and "已拍 3 页" in panel.material.text()
    panel.list.setFocus()
    panel.list.setCurrentRow(2)
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)  # the third page was blurred: dropped before acceptance
    assert panel.counts() == {1: 2} and panel.list.count() == 2
    view.table.setFocus()
    _keys(qtbot, window, Qt.Key.Key_N)  # next material
    assert view.table.currentIndex().row() == 1 and "当前材料：2." in panel.material.text()
    _keys(qtbot, window, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: panel.counts() == {1: 2, 2: 1})
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / "f6_capture_1366x768.png"))
    assert view.accept_button.isEnabled()
    previous = window.opener.dialog
    qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.opener.dialog is not previous and window.opener.dialog is not None)
    number = window.opener.dialog.windowTitle().split()[1]
    case = get_case(db, number)
    assert case is not None and page_counts(db, case.id) == {1: 2, 2: 1}
    assert len({p.sha256 for p in case_pages(db, case.id)}) == 3  # three different papers (the 4th taken was dropped)
    assert panel.pages() == () and panel.list.count() == 0  # ready for the next citizen
    window.opener.dialog.close()
    window.show_area(window.cases)  # F7 lists them on the case, per material
    window.cases.show_number(number)
    qtbot.waitUntil(lambda: "电子件（共 3 页）" in window.cases.detail.toPlainText())
    card = window.cases.detail.toPlainText()
    assert "申请人居民身份证" in card and "2 页" in card and "图像在本机" in card and "电子件：1号2页、2号1页" in card
    window.grab().save(str(SHOTS / "f7_pages.png"))


def test_without_a_camera_scanned_files_still_work(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
                                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FAKE_ENV, raising=False)
    monkeypatch.setattr("app.ui.capture.panel.devices", lambda: [])  # this machine may have a camera of its own
    scan = tmp_path / "scan.png"
    scan.write_bytes(page_image(fmt="PNG"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(scan), ""))
    for window in _window(qtbot, db, admin):
        panel = window.acceptance.capture
        pick(window, qtbot, "SB-002")
        assert panel.camera is None and "未检测到高拍仪" in panel.preview.text()
        _keys(qtbot, window, Qt.Key.Key_C)
        assert "添加扫描件" in panel.status.text()
        _keys(qtbot, window, Qt.Key.Key_O)  # the scanned file instead
        qtbot.waitUntil(lambda p=panel: p.counts() == {1: 1})
        window.grab().save(str(SHOTS / "f6_no_camera.png"))


def test_capture_at_supplement(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, camera_folder: Path,
                               task_runner: object) -> None:
    number = accept_case(db, admin, form(db, "LL-001", "supplement", seqs=[1, 2]))
    case = get_case(db, number)
    assert case is not None
    dialog = SupplementDialog(db, admin, task_runner, case)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    panel = dialog.capture
    qtbot.waitUntil(lambda: panel.camera is not None and QApplication.activeWindow() is dialog)
    missing = dialog.table.currentIndex().row()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.table, Qt.Key.Key_C, CTRL_SHIFT)
    qtbot.waitUntil(lambda: panel.counts() == {missing + 1: 1})
    dialog.grab().save(str(SHOTS / "supplement_capture.png"))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.result() != 0)
    assert page_counts(db, case.id) == {missing + 1: 1}
    assert case_pages(db, case.id)[0].step == "supplement"
    with db.session() as s:
        kinds = [json.loads(e.details).get("pages") for e in s.scalars(select(CaseEvent).where(
            CaseEvent.case_id == case.id).order_by(CaseEvent.at))]
        assert kinds[-1] == {str(missing + 1): 1}
        assert s.scalar(text("SELECT count(*) FROM blob_outbox")) == 1


def test_capturing_a_page_ticks_its_material_and_shows_the_count(window: MainWindow, qtbot: QtBot,
                                                                  db: Database) -> None:
    """The trial: 1–4 ticked with Space/Down leaves the cursor on material 5; the pages taken there tick it,
    its 电子件 column counts them, and the receipt lists it with its pages."""
    from app.services.documents import build_document
    from app.ui.checklist_model import ELECTRONIC_COLUMN
    from tests.pdf_helpers import flat, pdf_text

    view, panel = window.acceptance, window.acceptance.capture
    pick(window, qtbot, "LL-001")
    qtbot.waitUntil(lambda: panel.camera is not None and panel.preview.pixmap() is not None
                    and not panel.preview.pixmap().isNull())
    type_chinese(view.applicant_name, "李桂兰")
    qtbot.keyClicks(view.id_number, ID)
    qtbot.keyClicks(view.phone, "13904361234")
    type_chinese(view.address, "镇赉镇主街18号")
    view.table.setFocus()
    view.table.selectRow(0)
    for _ in range(4):
        qtbot.keyClick(view.table, Qt.Key.Key_Space)
        qtbot.keyClick(view.table, Qt.Key.Key_Down)
    model = view.checklist
    assert model.ticked() == [1, 2, 3, 4] and view.table.currentIndex().row() == 4
    cell = model.index(4, ELECTRONIC_COLUMN)
    assert model.data(cell) == "—"
    for n in (1, 2):
        _keys(qtbot, window, Qt.Key.Key_C)
        qtbot.waitUntil(lambda n=n: panel.counts() == {5: n})
    assert model.ticked() == [1, 2, 3, 4, 5]  # the paper under the camera was handed over
    assert panel.note.text() == "已添加 1 页到材料 5"  # ticked by the first page, said then
    assert model.data(cell) == "2页" and model.data(cell, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    window.grab().save(str(SHOTS / "f6_capture_ticks_1366x768.png"))
    previous = window.opener.dialog
    qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.opener.dialog is not previous and window.opener.dialog is not None)
    number = window.opener.dialog.windowTitle().split()[1]
    case = get_case(db, number)
    assert case is not None and page_counts(db, case.id) == {5: 2}
    printed = flat(pdf_text(build_document(db, "receipt", number).pdf))
    assert "代办人居民身份证及委托书" in printed and "2页" in printed
    window.opener.dialog.close()
    assert model.data(cell) == "—"  # the next citizen's form starts without the last one's pages


def test_pages_of_a_material_unticked_afterwards_are_refused_by_name(window: MainWindow, qtbot: QtBot) -> None:
    view, panel = window.acceptance, window.acceptance.capture
    pick(window, qtbot, "LL-001")
    qtbot.waitUntil(lambda: panel.camera is not None)
    type_chinese(view.applicant_name, "李桂兰")
    qtbot.keyClicks(view.id_number, ID)
    qtbot.keyClicks(view.phone, "13904361234")
    type_chinese(view.address, "镇赉镇主街18号")
    view.table.setFocus()
    view.table.selectRow(0)
    for _ in range(4):
        qtbot.keyClick(view.table, Qt.Key.Key_Space)
        qtbot.keyClick(view.table, Qt.Key.Key_Down)
    _keys(qtbot, window, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: panel.counts() == {5: 1})
    qtbot.keyClick(view.table, Qt.Key.Key_Space)  # the clerk unticks it again, the page still held
    assert view.checklist.ticked() == [1, 2, 3, 4]
    qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "未勾选为已收" in view.status.text())
    assert "代办人居民身份证及委托书" in view.status.text() and view.accept_button.isEnabled()


def test_every_camera_overrides_the_base_hooks() -> None:
    """Camera's start, stop and grab raise NotImplementedError as abstract hooks: each real camera has its own."""
    from app.ui.capture.camera import Camera, FakeCamera, QtCamera

    assert {FakeCamera, QtCamera} <= set(Camera.__subclasses__())
    for camera in Camera.__subclasses__():
        for hook in ("start", "stop", "grab"):
            assert getattr(camera, hook) is not getattr(Camera, hook), (camera.__name__, hook)

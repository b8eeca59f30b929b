"""The simulated reader end to end in the main window: a card fills F6 (applicant, or the agent when the cursor
is in the agent section) and F3; another citizen's data is replaced only after asking; the photo shows for
comparison and is found nowhere in the data folder or the database; without a reader nothing polls."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.services.idcard.config import ReaderConfig, save_config
from app.services.idcard.reader import ReaderSession
from app.ui.main_window import MainWindow
from tests.idcard_helpers import AGENT_ID, APPLICANT_ID, OTHER_ID, tiny_bmp, write_card_file
from tests.test_ui_cases import pick
from tests.ui_helpers import open_main_window, type_chinese

PHOTO = tiny_bmp(colour=b"\x11\x99\xee")


@pytest.fixture
def reader_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "reader"
    folder.mkdir()
    (folder / "zp.bmp").write_bytes(PHOTO)
    return folder


@pytest.fixture
def window(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, reader_dir: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    monkeypatch.setattr(ReaderSession, "REPEAT_SECONDS", 0.1)  # a card taken away and placed again at once
    save_config(db.path.parent, ReaderConfig("simulated", file=str(reader_dir / "card.json")))
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded() and QApplication.activeWindow() is m) as main:
        main.card_reader.watcher._core.interval = 0.05  # type: ignore[union-attr]
        yield main


def place(reader_dir: Path, **overrides: str) -> None:
    write_card_file(reader_dir / "card.tmp", photo=reader_dir / "zp.bmp", **overrides).replace(reader_dir / "card.json")


def take_away(reader_dir: Path, qtbot: QtBot, window: MainWindow) -> None:
    (reader_dir / "card.json").unlink()
    qtbot.wait(400)  # the watcher sees the card gone


def test_a_card_fills_the_applicant_in_f6_and_shows_the_photo(window: MainWindow, qtbot: QtBot, reader_dir: Path,
                                                               db: Database) -> None:
    view = window.acceptance
    pick(window, qtbot, "SB-002")
    assert view.card_panel.isVisible() and "光标在代理人栏时读入代理人" in view.card_panel.caption.text()
    view.id_type.setCurrentIndex(view.id_type.findData("passport"))
    place(reader_dir)
    qtbot.waitUntil(lambda: view.id_number.text() == APPLICANT_ID, timeout=3000)
    assert view.applicant_name.text() == "张三" and view.address.text() == "吉林省白城市镇赉县镇赉镇民主街1号"
    assert view.id_type.currentData() == "resident"
    assert view.card_panel.has_photo() and "已读入申请人" in view.card_panel.caption.text()
    assert view.phone.hasFocus()  # what the card cannot give comes next
    assert "applicant_id_number" not in view.revalidate()  # the form's own checks pass the card
    view.grab().save(str(Path(db.path.parent) / "f6-card.png"))
    # the photo is nowhere on disk or in the database
    for path in Path(db.path.parent).rglob("*"):
        if path.is_file() and path.suffix != ".png":
            assert PHOTO not in path.read_bytes(), path
    with sqlite3.connect(db.path) as conn:
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                assert not any(isinstance(v, bytes) and PHOTO in v for v in row), table
    view.reset()
    assert not view.card_panel.has_photo()


def test_another_citizen_is_replaced_only_after_asking(window: MainWindow, qtbot: QtBot, reader_dir: Path) -> None:
    view = window.acceptance
    pick(window, qtbot, "SB-002")
    type_chinese(view.applicant_name, "李四")
    view.id_number.setText(OTHER_ID)
    place(reader_dir)
    qtbot.waitUntil(lambda: window.card_reader.question is not None and window.card_reader.question.isVisible(),
                    timeout=3000)
    box = window.card_reader.question
    assert box is not None and "李四" in box.text() and "张三" in box.text()
    assert view.id_number.text() == OTHER_ID  # nothing replaced while asking
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc: 不替换
    assert view.applicant_name.text() == "李四" and view.id_number.text() == OTHER_ID
    take_away(reader_dir, qtbot, window)
    place(reader_dir)
    qtbot.waitUntil(lambda: window.card_reader.question is not box and window.card_reader.question is not None,
                    timeout=3000)
    second = window.card_reader.question
    assert second is not None
    qtbot.keyClick(second, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # 替换(&R)
    qtbot.waitUntil(lambda: view.id_number.text() == APPLICANT_ID)
    assert view.applicant_name.text() == "张三"


def test_the_agent_is_filled_when_the_cursor_is_in_the_agent_section(window: MainWindow, qtbot: QtBot,
                                                                    reader_dir: Path) -> None:
    view = window.acceptance
    pick(window, qtbot, "SB-002")
    place(reader_dir)
    qtbot.waitUntil(lambda: view.id_number.text() == APPLICANT_ID, timeout=3000)
    take_away(reader_dir, qtbot, window)
    view.toggle_agent()  # Alt+G: the cursor goes to the agent's name
    place(reader_dir, name="王五", id_number=AGENT_ID, birth="19650815", sex="2")
    qtbot.waitUntil(lambda: view.agent_id_number.text() == AGENT_ID, timeout=3000)
    assert view.agent_name.text() == "王五" and view.applicant_name.text() == "张三"  # the applicant stays
    assert window.card_reader.question is None or not window.card_reader.question.isVisible()
    assert "已读入代理人" in view.card_panel.caption.text()


def test_a_card_with_a_bad_check_digit_fills_nothing(window: MainWindow, qtbot: QtBot, reader_dir: Path) -> None:
    view = window.acceptance
    pick(window, qtbot, "SB-002")
    place(reader_dir, id_number=APPLICANT_ID[:-1] + "5")
    qtbot.waitUntil(lambda: "校验位不正确" in view.status.text(), timeout=3000)
    assert view.applicant_name.text() == "" and view.id_number.text() == ""
    assert "未填入任何内容" in window.statusBar().currentMessage()


def test_a_card_fills_the_inquiry_dialog(window: MainWindow, qtbot: QtBot, reader_dir: Path) -> None:
    window.new_inquiry()
    qtbot.waitUntil(lambda: window.inquiry_dialog is not None and window.inquiry_dialog.isVisible())
    dialog = window.inquiry_dialog
    assert dialog is not None and dialog.card_panel.isVisible()
    type_chinese(dialog.citizen_name, "李四")
    place(reader_dir)
    qtbot.waitUntil(lambda: window.card_reader.question is not None and window.card_reader.question.isVisible(),
                    timeout=3000)
    box = window.card_reader.question
    assert box is not None
    replace = next(b for b in box.buttons() if b.text().startswith("替换"))
    replace.click()
    assert dialog.citizen_name.text() == "张三" and dialog.card_panel.has_photo()
    assert window.acceptance.applicant_name.text() == ""  # F3 open: the card went there only
    dialog.grab().save(str(Path(window.db.path.parent) / "f3-card.png"))
    dialog.citizen_name.clear()
    dialog.reject()


def test_without_a_reader_nothing_polls_and_nothing_shows(qapp: QApplication, qtbot: QtBot, db: Database,
                                                         admin: Actor) -> None:
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded()) as main:
        assert not main.card_reader.watcher.active
        assert not main.acceptance.card_panel.isVisibleTo(main)
        assert any(a.text().startswith("身份证阅读器设置") for a in main.system_menu.actions())


def test_the_setting_is_chosen_in_its_dialog(window: MainWindow, qtbot: QtBot, reader_dir: Path, db: Database) -> None:
    window.card_reader.open_settings()
    dialog = window.card_reader.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("sdtapi"))
    dialog.port.setCurrentIndex(dialog.port.findData(1002))
    assert dialog.file.isVisibleTo(dialog) is False
    qtbot.keyClick(dialog.port, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    from app.services.idcard.config import load_config

    assert load_config(db.path.parent) == ReaderConfig("sdtapi", 1002)
    qtbot.waitUntil(lambda: "sdtapi.dll" in window.statusBar().currentMessage()
                    or "Windows" in window.statusBar().currentMessage(), timeout=3000)
    assert not [b for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox) and b.isVisible()]


def test_the_settings_dialog_is_filled_by_keys_alone(qtbot: QtBot, tmp_path: Path) -> None:
    """Alt+K, Alt+P and Alt+F reach their fields; the simulator's file is typed after Alt+F."""
    from app.ui.idcard.settings_dialog import ReaderSettingsDialog

    dialog = ReaderSettingsDialog(ReaderConfig("simulated", file=""))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.file.isVisible()
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.file
    card = tmp_path / "card.json"
    qtbot.keyClicks(dialog.file, str(card))
    saved: list[ReaderConfig] = []
    dialog.saved.connect(saved.append)
    qtbot.keyClick(dialog.file, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert saved == [ReaderConfig("simulated", file=str(card))]

"""Keyboard: every shortcut is declared once (app.ui.shortcuts), F1 lists them, none clashes on a screen,
and the keys that used to go astray (Alt+G, F2 and Ctrl+F in F6, Ctrl+F in F4) reach their own screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.services.id_numbers import id_check_digit
from app.ui import shortcuts
from app.ui.main_window import MainWindow
from app.ui.tasks import TaskRunner
from tests.test_ui_cases import ID, pick
from tests.ui_helpers import open_main_window, type_chinese

AGENT_ID = "22082119890521351"
AGENT_ID += id_check_digit(AGENT_ID)


@pytest.fixture
def window(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor) -> Iterator[MainWindow]:
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded() and QApplication.activeWindow() is m) as main:
        yield main


def _portable(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)


def _live_keys(root: QWidget, top: QWidget) -> tuple[list[str], list[str]]:
    """(QShortcut keys, mnemonics) of the widgets under `root` that the clerk can reach now."""
    keys = [_portable(s.key().toString()) for s in root.findChildren(QShortcut) if s.isEnabled()]
    mnemonics: list[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(top):
            continue
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy() is not None):
            mnemonic = QKeySequence.mnemonic(widget.text()).toString(QKeySequence.SequenceFormat.PortableText)
            if mnemonic:
                mnemonics.append(mnemonic)
    return keys, mnemonics


def test_the_declaration_has_no_clash_on_any_screen() -> None:
    for screen in shortcuts.SCREENS:
        assert shortcuts.clashes(screen) == [], screen
    assert shortcuts.clashes("acceptance", ["Alt+X"]) == ["Alt+X"]  # a mnemonic on the 系统 menu's key


def test_every_live_shortcut_is_declared_and_none_clashes(window: MainWindow, qtbot: QtBot) -> None:
    global_keys = {_portable(k) for s in shortcuts.GLOBAL.shortcuts if not s.hint for k in s.keys}
    bar = window.menuBar()
    menu_keys = [QKeySequence.mnemonic(a.text()).toString(QKeySequence.SequenceFormat.PortableText)
                 for a in bar.actions()]
    action_keys = [a.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
                   for menu in bar.actions() for a in menu.menu().actions() if not a.shortcut().isEmpty()]
    assert set(menu_keys) | set(action_keys) <= global_keys  # the menus use the declared keys
    assert len(action_keys) == len(set(action_keys))
    checked = []
    for widget, _label, screen in window._areas:
        window.show_area(widget)
        pages: list[int | None] = [0, 1] if widget is window.notices else [None]  # its two tabs
        for page in pages:
            if page is not None:
                window.notices.tabs.setCurrentIndex(page)
            keys, mnemonics = _live_keys(widget, window)
            declared = {_portable(k) for k in shortcuts.bound_keys(screen)}
            assert set(keys) <= declared, (screen, set(keys) - declared)
            assert shortcuts.clashes(screen, mnemonics) == [], (screen, mnemonics)
            checked.append(screen)
    assert {"acceptance", "notices", "cases", "register", "calendar", "staff", "departments"} <= set(checked)


def test_dialog_shortcuts_are_declared_and_none_clashes(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: window.inquiry_dialog is not None and window.inquiry_dialog.isVisible())
    dialog = window.inquiry_dialog
    assert dialog is not None
    keys, mnemonics = _live_keys(dialog, dialog)
    declared = {_portable(k) for k in shortcuts.bound_keys("inquiry_dialog")}
    assert set(keys) == declared
    assert shortcuts.clashes("inquiry_dialog", mnemonics) == []
    dialog.done(0)


def test_f1_lists_every_shortcut_from_the_declaration(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.shortcuts_dialog is not None and window.shortcuts_dialog.isVisible())
    assert window.shortcuts_dialog is not None
    text = window.shortcuts_dialog.text.toPlainText()
    for key in ("Ctrl+R", "Ctrl+E", "Ctrl+I", "Ctrl+S", "Alt+G", "Ctrl+Shift+N", "Ctrl+N", "Ctrl+U", "F12"):
        assert key in text, key
    for screen in ("acceptance", "cases", "notices", "register", "inquiry_dialog", "document"):
        for entry in shortcuts.SCREENS[screen].shortcuts:
            assert entry.label in text
    window.shortcuts_dialog.grab().save(str(tmp_path / "f1.png"))
    window.shortcuts_dialog.close()


def test_alt_g_in_acceptance_reaches_the_agent_box_not_the_menu(window: MainWindow, qtbot: QtBot) -> None:
    view = window.acceptance
    pick(window, qtbot, "SB-002")
    assert view.applicant_name.hasFocus()
    qtbot.keyClick(view.applicant_name, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert QApplication.activePopupWidget() is None  # no 功能 menu dropped down
    assert view.agent_box.isChecked()
    assert view.agent_name.hasFocus()


def test_f2_in_the_materials_table_edits_the_count(window: MainWindow, qtbot: QtBot) -> None:
    view = window.acceptance
    pick(window, qtbot, "SB-002")
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    assert window.tabs.currentWidget() is view  # not off to the catalogue
    assert view.table.state() == QAbstractItemView.State.EditingState
    assert view.table.currentIndex().column() == 3  # 原件收取


@pytest.mark.parametrize("area", ["acceptance", "notices", "cases", "register"])
def test_ctrl_f_searches_the_screen_the_clerk_is_on(window: MainWindow, qtbot: QtBot, area: str) -> None:
    view = getattr(window, area)
    window.show_area(view)
    if area == "notices":
        window.notices.tabs.setCurrentWidget(window.notices.list)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is view
    own = {"acceptance": view.picker.search_box if area == "acceptance" else None,
           "notices": window.notices.editor.picker.search_box, "cases": window.cases.search,
           "register": window.register.text}[area]
    assert own is not None and own.hasFocus()


def test_ctrl_f_elsewhere_goes_to_the_catalogue(window: MainWindow, qtbot: QtBot) -> None:
    assert window.staff is not None
    window.show_area(window.staff)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.catalog and window.catalog.search_box.hasFocus()


def test_ctrl_enter_shows_every_blocking_reason_at_its_field(window: MainWindow, qtbot: QtBot,
                                                             tmp_path: object) -> None:
    view = window.acceptance
    pick(window, qtbot, "SB-002")
    type_chinese(view.applicant_name, "何桂兰")
    qtbot.keyClicks(view.id_number, ID)
    qtbot.keyClicks(view.phone, "13604362288")
    view.table.setFocus()
    view.table.selectRow(0)
    for _ in range(view.checklist.rowCount()):
        qtbot.keyClick(view.table, Qt.Key.Key_Space)
        qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert not view.accept_button.isEnabled()  # only the address is missing
    assert view.form_right.error_text("applicant_address") == ""  # not red before the clerk tries
    qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "标红" in view.status.text()
    error = view.findChild(QLabel, "error_applicant_address")
    assert error is not None and error.isVisibleTo(view) and error.text()
    assert view.address.hasFocus()
    window.resize(1366, 768)
    window.grab().save(str(tmp_path) + "/f6-empty-address.png")  # type: ignore[operator]


def test_next_citizen_does_not_inherit_the_agent_relation(window: MainWindow, qtbot: QtBot, db: Database) -> None:
    view = window.acceptance
    pick(window, qtbot, "SB-002")
    type_chinese(view.applicant_name, "何桂兰")
    qtbot.keyClicks(view.id_number, ID)
    qtbot.keyClicks(view.phone, "13604362288")
    type_chinese(view.address, "镇赉镇红旗村")
    view.agent_box.setChecked(True)
    type_chinese(view.agent_name, "何志刚")
    view.agent_relation.setCurrentText("儿子")
    qtbot.keyClicks(view.agent_id_number, AGENT_ID)
    qtbot.keyClicks(view.agent_phone, "13604362299")
    view.table.setFocus()
    view.table.selectRow(0)
    for _ in range(view.checklist.rowCount()):
        qtbot.keyClick(view.table, Qt.Key.Key_Space)
        qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.accept_button.isEnabled(), view.revalidate()
    previous = window.opener.dialog
    view.submit()
    qtbot.waitUntil(lambda: window.opener.dialog is not previous and window.opener.dialog is not None)
    assert view.applicant_name.text() == ""
    assert view.agent_relation.currentText() == ""
    assert not view.agent_box.isChecked()
    window.opener.dialog.close()


def test_esc_in_f3_asks_before_throwing_away_a_typed_inquiry(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: window.inquiry_dialog is not None and window.inquiry_dialog.isVisible())
    dialog = window.inquiry_dialog
    assert dialog is not None
    type_chinese(dialog.question, "低保每年什么时候复核？")
    qtbot.keyClick(dialog.citizen_name, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    box = dialog.discard_question
    assert box is not None and box.isVisible() and box.text() == "放弃已填写的内容？"
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # 继续填写: nothing lost
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible() and dialog.question.toPlainText() == "低保每年什么时候复核？"
    qtbot.keyClick(dialog.citizen_name, Qt.Key.Key_Escape)
    box = dialog.discard_question
    assert box is not None and box.isVisible()
    discard = next(b for b in box.buttons() if "放弃" in b.text())
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_esc_in_an_empty_f3_closes_without_asking(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: window.inquiry_dialog is not None and window.inquiry_dialog.isVisible())
    dialog = window.inquiry_dialog
    assert dialog is not None
    qtbot.keyClick(dialog.citizen_name, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.discard_question is None


def test_setup_errors_clear_once_fixed(qapp: QApplication, qtbot: QtBot, blank_db: Database) -> None:
    from app.ui.setup_dialog import SetupDialog

    runner = TaskRunner(lambda exc: (_ for _ in ()).throw(exc))
    dialog = SetupDialog(lambda: blank_db, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.center_code, "2208")
    dialog.submit()
    assert dialog.form.error_text("center_code") and "标红" in dialog.status.text()
    qtbot.keyClicks(dialog.center_code, "21100")  # now nine digits
    assert dialog.form.error_text("center_code") == ""
    assert dialog.form.error_text("center_name")  # still wrong: still red
    assert not dialog.findChild(QLabel, "error_center_code").isVisibleTo(dialog)
    runner.wait()


def test_qt_itself_speaks_chinese(qapp: QApplication) -> None:
    from PySide6.QtWidgets import QLineEdit, QMessageBox

    from app.ui.translations import install_qt_translations

    translator = install_qt_translations(qapp)
    assert translator is not None, "PySide6 ships no qtbase_zh_CN.qm"
    try:
        box = QMessageBox(QMessageBox.Icon.Information, "提示", "已保存", QMessageBox.StandardButton.Ok)
        ok = box.button(QMessageBox.StandardButton.Ok)
        assert ok is not None and ok.text().replace("&", "") == "确定"
        edit = QLineEdit()
        menu = edit.createStandardContextMenu()
        assert menu is not None
        texts = " ".join(a.text() for a in menu.actions())
        assert "撤消" in texts and "粘贴" in texts and "Undo" not in texts
        menu.deleteLater()
        box.deleteLater()
    finally:
        qapp.removeTranslator(translator)


def test_save_as_pdf_opens_in_documents_then_where_last_saved(qapp: QApplication, qtbot: QtBot, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QSettings, QStandardPaths
    from PySide6.QtWidgets import QFileDialog

    from app.ui import pdf_folder
    from app.ui.document_dialog import DocumentDialog

    data = _tiny_pdf()
    settings = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    pdf_folder.use_settings(settings)
    asked: list[str] = []
    target = tmp_path / "归档"
    target.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _parent, _title, start, _filter: (asked.append(start), (str(target / "回执.pdf"), ""))[1])
    try:
        dialog = DocumentDialog("受理回执", data, "回执.pdf", lambda _t: None)
        qtbot.addWidget(dialog)
        dialog.save_pdf()
        documents = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
        first = documents if documents.is_dir() else Path.home()  # no Documents folder here: home
        assert asked[0] == str(first / "回执.pdf")  # not the program folder
        assert (target / "回执.pdf").read_bytes() == data
        dialog.save_pdf()
        assert asked[1] == str(target / "回执.pdf")
        settings.sync()
        pdf_folder.use_settings(QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat))
        assert pdf_folder.start_path("x.pdf") == str(target / "x.pdf")  # remembered across sessions
    finally:
        pdf_folder.use_settings(None)


def _tiny_pdf() -> bytes:
    from io import BytesIO

    from reportlab.pdfgen.canvas import Canvas

    out = BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, "receipt")
    canvas.showPage()
    canvas.save()
    return out.getvalue()

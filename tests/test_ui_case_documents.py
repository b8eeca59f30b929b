"""F7: a step that hands the citizen a paper opens its preview at once, ready to print from the keyboard;
the 文书 menu lists every paper of the case, the kept ones reprinted as issued."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.actor import Actor
from app.database import Database
from app.models import IssuedDocument
from app.services.cases.actions import parse_items
from app.services.cases.lifecycle import BY_ACTION
from app.services.cases.records import accept_case
from app.services.errors import ValidationError
from app.ui.case_step_dialog import parse_day
from tests.pdf_helpers import pdf_text
from tests.test_cases import form
from tests.test_ui_lights import open_in_f7
from tests.ui_helpers import open_main_window


def kept(db: Database) -> list[tuple[str, str]]:
    with db.session() as s:
        return [(r.doc_type, r.title) for r in s.scalars(select(IssuedDocument))]


def test_a_refusal_opens_its_decision_ready_to_print_and_the_menu_reprints_it(
        qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path) -> None:
    number = accept_case(db, admin, form(db, "SB-002", "promised"))
    with open_main_window(qtbot, db, admin) as window:
        view = open_in_f7(window, qtbot, number)
        receipt = window.opener.dialog
        view._open_step(number, BY_ACTION["denied"])
        step = view.dialog
        step.edits["reason"].setText("不符合条件")
        step.edits["basis"].setText("《城乡居民基本养老保险办法》第十条")
        qtbot.keyClick(step.edits["basis"], Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.opener.dialog is not receipt and window.opener.dialog is not None)
        preview = window.opener.dialog
        assert "不予许可决定告知书" in preview.windowTitle() and number in preview.windowTitle()
        qtbot.waitUntil(lambda: preview.isActiveWindow())
        assert preview.focusWidget() is preview.print_button and preview.print_button.isDefault()  # Enter prints
        assert "补打" not in pdf_text(preview.data)
        assert kept(db) == []  # shown, not yet handed over
        assert preview.save_to(tmp_path / "decision.pdf")
        qtbot.waitUntil(lambda: "补打" in pdf_text(preview.data))  # the next copy is the kept one, marked
        assert kept(db) == [("decision", "不予许可决定告知书")]
        preview.close()

        view.choose_document()
        qtbot.waitUntil(lambda: view.papers_menu is not None and view.papers_menu.isVisible())
        labels = [a.text() for a in view.papers_menu.actions()]
        assert any("不予许可决定告知书" in label and "已出具" in label for label in labels), labels
        assert any("受理回执" in label and "未出具" in label for label in labels), labels
        decision = next(a for a in view.papers_menu.actions() if "不予许可决定告知书" in a.text())
        view.papers_menu.close()
        decision.trigger()
        qtbot.waitUntil(lambda: window.opener.dialog is not preview and window.opener.dialog is not None)
        assert "（补打）" in window.opener.dialog.windowTitle()


def test_the_delivery_step_asks_by_method_and_reads_the_list_of_items(
        qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor) -> None:
    from app.services.cases.actions import Decision, decide, notify

    number = accept_case(db, admin, form(db, "SB-002", "promised"))
    decide(db, admin, number, Decision(True, result="准予领取"))
    notify(db, admin, number, "post")
    with open_main_window(qtbot, db, admin) as window:
        view = open_in_f7(window, qtbot, number)
        view._open_step(number, BY_ACTION["delivered"])
        step = view.dialog
        step.method.setCurrentIndex(step.method.findData("post"))
        assert step.edits["tracking"].isVisibleTo(step) and not step.edits["receiver_id"].isVisibleTo(step)
        step.edits["carrier"].setText("中国邮政EMS")
        step.edits["tracking"].setText("1180123456789")
        step.edits["address"].setText("镇赉镇红旗村三组18号")
        step.edits["items"].setText("准予许可决定告知书1份；待遇核定表 2份")
        previous = window.opener.dialog
        step.submit()
        qtbot.waitUntil(lambda: window.opener.dialog is not previous and window.opener.dialog is not None)
        text = "".join(pdf_text(window.opener.dialog.data).split())
        assert "送达回证" in text and "中国邮政EMS" in text and "待遇核定表" in text and "2份" in text


def test_typed_lists_and_dates_are_read_or_refused() -> None:
    assert parse_items("决定告知书1份；核定表 2份、证件×3，身份证") == [
        ("决定告知书", 1), ("核定表", 2), ("证件", 3), ("身份证", 1)]
    assert parse_items("") == []
    with pytest.raises(ValidationError, match="至多20项"):
        parse_items("；".join(f"材料{i}" for i in range(21)))
    assert parse_day("", "有效期") is None and str(parse_day("2027-12-31", "有效期")) == "2027-12-31"
    with pytest.raises(ValidationError, match="年-月-日"):
        parse_day("2027年12月", "有效期")

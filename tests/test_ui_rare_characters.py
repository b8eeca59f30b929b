"""GUI: 𠮷 shows on screen through the fallback face, and the preview warns about what cannot print."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.services.cases.records import accept_case
from app.ui.documents import DocumentOpener
from app.ui.fonts import install_app_font
from app.ui.tasks import TaskRunner
from tests.test_cases import at, form

pytestmark = pytest.mark.usefixtures("china_time")


def glyph_runs(family: str, text: str) -> list[tuple[str, list[int]]]:
    """(family, glyph indexes) of each run Qt lays out: Qt picks a fallback face per character."""
    layout = QTextLayout(text, QFont(family, 12))
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return [(run.rawFont().familyName(), list(run.glyphIndexes())) for run in layout.glyphRuns()]


def test_screen_draws_rare_characters_with_the_fallback_face(qapp: QApplication) -> None:
    family = install_app_font(qapp)
    runs = glyph_runs(family, "𠮷野家")
    assert ("Minsheng Rare CJK" in [f for f, _ in runs]), runs
    assert all(0 not in glyphs for _, glyphs in runs), runs  # glyph 0 is the empty box (.notdef)


@pytest.fixture
def opener(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor) -> Iterator[DocumentOpener]:
    install_app_font(qapp)
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = TaskRunner(lambda exc: (_ for _ in ()).throw(exc))
    yield DocumentOpener(db, admin, runner, parent)
    runner.wait()


def _preview(opener: DocumentOpener, qtbot: QtBot, number: str) -> str:
    opener.open("receipt", number)
    qtbot.waitUntil(lambda: opener.dialog is not None and opener.dialog.isVisible())
    assert opener.dialog is not None
    warning = opener.dialog.warning
    text = warning.text() if warning.isVisible() else ""
    opener.dialog.close()
    return text


def test_preview_warns_about_characters_no_font_has(opener: DocumentOpener, qtbot: QtBot, db: Database,
                                                    admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-002", applicant_name="王𰻞𰻞"), now=at("2026-11-18T10:00"))
    text = _preview(opener, qtbot, number)
    assert "以下字符无法打印：𰻞（U+30EDE）" in text and "手写补正" in text


def test_preview_of_a_rare_but_printable_name_has_no_such_warning(opener: DocumentOpener, qtbot: QtBot,
                                                                  db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-002", applicant_name="𠮷野家"), now=at("2026-11-18T10:00"))
    assert "无法打印" not in _preview(opener, qtbot, number)

"""Staff enter a rating given by phone (电话回访) or on paper (补录): the level's own reasons, required for a
bad level; the core's refusals shown in Chinese with nothing written; reachable from F7 by its key."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import app.clock
from app.actor import Actor
from app.database import Database
from app.services.inquiries.register import InquiryForm, register_inquiry
from app.services.ratings.codes import MAX_TEXT
from app.services.ratings.ratings import add_rating, ratings_of
from app.ui.fonts import install_app_font
from app.ui.rating_dialog import RatingDialog
from app.ui.tasks import TaskRunner
from tests.test_evaluator import count
from tests.test_ratings import MONDAY, immediate_done
from tests.test_ui_lights import open_in_f7
from tests.ui_helpers import open_main_window, type_chinese

pytestmark = pytest.mark.usefixtures("china_time")
SHOTS = Path("/tmp/shots")


@pytest.fixture
def on_tuesday(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(app.clock, "_fixed", MONDAY + timedelta(days=1))
    yield


def dialog_for(qtbot: QtBot, db: Database, admin: Actor, runner: TaskRunner, number: str) -> RatingDialog:
    install_app_font(QApplication.instance())  # type: ignore[arg-type]
    dialog = RatingDialog(db, admin, runner, number)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def pick_level(dialog: RatingDialog, level: int) -> None:
    dialog.level.setCurrentIndex(dialog.level.findData(level))


def listed(dialog: RatingDialog) -> list[str]:
    return [str(dialog.reasons.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(dialog.reasons.count())]


def test_a_phone_rating_with_the_levels_reasons_ticked_by_keyboard(qtbot: QtBot, db: Database, admin: Actor,
                                                                   task_runner: TaskRunner, on_tuesday: None) -> None:
    number = immediate_done(db, admin)
    dialog = dialog_for(qtbot, db, admin, task_runner, number)
    qtbot.waitUntil(lambda: "尚无评价" in dialog.existing.text())
    assert dialog.channel.currentData() == "phone" and listed(dialog) == []
    pick_level(dialog, 5)
    assert listed(dialog) == ["510", "511", "512", "513", "514", "515", "516", "517"]
    pick_level(dialog, 2)
    assert listed(dialog)[0] == "207" and len(listed(dialog)) == 8  # only the level's own
    dialog.submit()  # a bad level without a reason: said at the field, nothing sent
    assert "至少一项原因" in dialog.form.error_text("reasons") and count(db) == 0
    dialog.reasons.setFocus()
    for _ in range(6):
        qtbot.keyClick(dialog.reasons, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.reasons, Qt.Key.Key_Space)  # 213 窗口人员业务不熟练
    assert dialog.checked_reasons() == ["213"]
    type_chinese(dialog.text, "办事员不会操作系统")
    dialog.private.setChecked(True)
    dialog.resize(700, 560)
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "A-rating-dialog.png"))
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    [rating] = ratings_of(db, number)
    assert (rating.level, rating.reasons, rating.text, rating.private) == (2, ("213",), "办事员不会操作系统", True)
    assert (rating.channel, rating.provenance) == ("phone", "citizen")


def test_a_level_change_clears_the_ticks(qtbot: QtBot, db: Database, admin: Actor, task_runner: TaskRunner,
                                          on_tuesday: None) -> None:
    dialog = dialog_for(qtbot, db, admin, task_runner, immediate_done(db, admin))
    pick_level(dialog, 1)
    dialog.reasons.item(0).setCheckState(Qt.CheckState.Checked)
    assert dialog.checked_reasons() == ["108"]
    pick_level(dialog, 2)
    assert dialog.checked_reasons() == [] and "108" not in listed(dialog)
    assert dialog.text.maxLength() == MAX_TEXT and dialog.number.maxLength() == 24


def test_a_paper_rating_is_backfilled_and_a_follow_up_is_announced(qtbot: QtBot, db: Database, admin: Actor,
                                                                   task_runner: TaskRunner, on_tuesday: None) -> None:
    number = immediate_done(db, admin)
    add_rating(db, admin, number, 3, channel="window")
    dialog = dialog_for(qtbot, db, admin, task_runner, number)
    qtbot.waitUntil(lambda: "本次为追评" in dialog.existing.text())
    dialog.channel.setCurrentIndex(dialog.channel.findData("backfill"))
    pick_level(dialog, 4)
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    first, second = ratings_of(db, number)
    assert (second.level, second.channel, second.provenance, second.which) == (4, "backfill", "backfill", "追评")
    again = dialog_for(qtbot, db, admin, task_runner, number)
    qtbot.waitUntil(lambda: "不能再评价" in again.existing.text())
    pick_level(again, 5)
    again.submit()
    qtbot.waitUntil(lambda: "首评和追评" in again.status.text())  # the core's refusal, as it says it
    assert again.isVisible() and len(ratings_of(db, number)) == 2


def test_a_late_phone_rating_is_refused_in_chinese_and_nothing_is_written(qtbot: QtBot, db: Database, admin: Actor,
                                                                          task_runner: TaskRunner,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    number = immediate_done(db, admin)
    monkeypatch.setattr(app.clock, "_fixed", MONDAY + timedelta(days=20))
    dialog = dialog_for(qtbot, db, admin, task_runner, number)
    pick_level(dialog, 4)
    dialog.submit()
    qtbot.waitUntil(lambda: "评价期限已过" in dialog.status.text())
    assert dialog.isVisible() and count(db) == 0
    dialog.channel.setCurrentIndex(dialog.channel.findData("backfill"))  # a paper form from the day: untimed
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert ratings_of(db, number)[0].channel == "backfill"


def test_an_inquiry_is_rated_by_its_number_and_a_missing_number_is_said(qtbot: QtBot, db: Database, admin: Actor,
                                                                        task_runner: TaskRunner,
                                                                        on_tuesday: None) -> None:
    inquiry = register_inquiry(db, admin, InquiryForm(citizen_name="张桂芳", citizen_phone="13904367788",
                                                      channel="onsite", question="低保怎么申请？", outcome="answered",
                                                      answer="请带户口簿。"), now=MONDAY)
    dialog = dialog_for(qtbot, db, admin, task_runner, "")
    pick_level(dialog, 5)
    dialog.submit()
    assert "请填写" in dialog.form.error_text("number") and count(db) == 0
    qtbot.keyClicks(dialog.number, "99999")
    dialog.submit()
    qtbot.waitUntil(lambda: "未找到" in dialog.status.text())
    dialog.number.setText(inquiry.number)
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert ratings_of(db, inquiry.number)[0].target_kind == "inquiry"


def test_f7_opens_it_for_the_selected_case_by_its_key(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor,
                                                      on_tuesday: None) -> None:
    number = immediate_done(db, admin)
    with open_main_window(qtbot, db, admin, lambda m: bool(m.due_label.text())) as window:
        view = open_in_f7(window, qtbot, number)
        window.resize(1366, 768)
        window.grab().save(str(SHOTS / "A-f7-rating-button.png"))
        qtbot.keyClick(view.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(lambda: view.ratings.dialog is not None and view.ratings.dialog.isVisible())
        dialog = view.ratings.dialog
        assert dialog is not None and dialog.number.text() == number
        pick_level(dialog, 3)
        dialog.submit()
        qtbot.waitUntil(lambda: not dialog.isVisible())
        assert ratings_of(db, number)[0].level == 3
        qtbot.waitUntil(lambda: "已录入评价" in window.statusBar().currentMessage())


def test_a_default_rating_leaves_the_citizen_a_first_rating(db: Database, admin: Actor) -> None:
    from datetime import datetime

    from app.services.ratings.defaults import apply_default_ratings
    from app.services.ratings.ratings import ratings_of
    from app.ui.rating_dialog import ratings_text
    from tests.test_ratings import CN, immediate_done

    number = immediate_done(db, admin)
    assert apply_default_ratings(db, now=datetime(2026, 11, 10, 8, 0, tzinfo=CN)) == 1
    text = ratings_text(ratings_of(db, number))
    assert text.startswith("已有评价：默认评价 基本满意（系统默认") and text.endswith("；本次为首评")

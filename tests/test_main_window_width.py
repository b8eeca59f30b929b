"""The main window fits a 1366×768 screen whatever the call bar, the camera panel or the card panel say:
a long call message is cut with "…" (whole in its tooltip) instead of widening the window."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.services.appointments.booking import AppointmentRecord
from app.services.idcard.card import CardFill
from app.services.queue.arrivals import Called
from app.services.queue.model import Ticket
from app.ui.capture.camera import FAKE_ENV
from app.ui.main_window import MainWindow
from tests.attachment_helpers import page_image
from tests.ui_helpers import open_main_window

SHOTS = Path("/tmp/minsheng-shots")
SCREEN = 1366
CN = timezone(timedelta(hours=8))
NAME = "阿卜杜热合曼·买买提艾力"  # a long name as a card gives it


def _called() -> Called:
    at = datetime(2026, 11, 30, 9, 5, tzinfo=CN)
    ticket = Ticket("A002", "综合", at, 1, True, "YY2208211000126113000001", "called", "01", "1号综合受理窗口",
                    at, 0, None)
    record = AppointmentRecord(
        "r1", "YY2208211000126113000001", "acceptance", "window", "", "LL-001", "高龄津贴申领", NAME,
        "13904361234", "220821196503124026", date(2026, 11, 30), "09:00-09:30", "01", "arrived", "", "", "",
        "", "", "", "s1", "中心管理员", at)
    return Called(ticket, record)


def _fits(window: MainWindow) -> None:
    QApplication.processEvents()
    assert window.minimumSizeHint().width() <= SCREEN
    assert window.minimumWidth() <= SCREEN and window.width() <= SCREEN


@pytest.fixture
def camera_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "camera"
    folder.mkdir()
    (folder / "page0.jpg").write_bytes(page_image(1600, 1200, label="P0"))
    monkeypatch.setenv(FAKE_ENV, str(folder))
    return folder


def test_a_long_call_message_is_elided_and_never_widens_the_window(qtbot: QtBot, db: Database, admin: Actor,
                                                                     camera_folder: Path) -> None:
    with open_main_window(qtbot, db, admin, lambda m: m.acceptance.is_loaded()) as main:
        main.resize(SCREEN, 768)
        bar = main.queue.call_bar
        assert bar is not None
        qtbot.waitUntil(lambda: bar.offline)  # not joined to a centre
        bar.offline = False
        bar._called(_called())
        bar._show()  # as after every step: the current ticket and 预约受理 Shift+F4 on the bar
        whole = bar.state.text()
        assert NAME in whole and whole in bar.state.toolTip()
        _fits(main)
        shown = bar.state.shown_text()
        assert shown.endswith("…") and len(shown) < len(whole)  # cut where the screen ends, whole on hover
        main.tabs.setCurrentWidget(main.acceptance)  # F6: the camera panel and the card panel beside the form
        main.acceptance.card_panel.show_card(CardFill(
            NAME, "resident", "220821196503124026", "吉林省白城市镇赉县镇赉镇主街18号" * 2, date(1965, 3, 12), "女", "汉",
            "镇赉县公安局", "2016.06.01-2036.06.01", False), "申请人")
        panel = main.acceptance.capture
        qtbot.waitUntil(lambda: panel.camera is not None)
        _fits(main)
        assert panel.file_button.isVisible()
        right = panel.file_button.mapTo(main, panel.file_button.rect().topRight()).x()
        assert right <= main.width()  # 添加扫描件 is on the screen, not cut off at its right
        SHOTS.mkdir(exist_ok=True)
        main.grab().save(str(SHOTS / "fix15_f6_after_call_1366.png"))

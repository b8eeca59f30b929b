"""The kiosk and the hall display started on their own (main.py --kiosk, --hall, or both): no login.

They use this workstation's database only for its identity, its link to the centre and the kiosk's
paper; every ticket and call is the centre's. The kiosk takes the main screen; the hall display takes
the other screen when there are two (the TV), else the main one. Closing the last of them quits.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from app.database import Database
from app.services.queue.announce import choose_announcer
from app.ui.queue.hall_window import HallWindow
from app.ui.queue.kiosk_window import KioskWindow
from app.ui.tasks import TaskRunner

NOT_SET_UP = "本机尚未设置。请先正常启动工作站，完成设置并连接乡镇中心，再以 --kiosk（取号机）或 --hall（大厅屏幕）启动。"


def open_queue_screens(app: QApplication, db: Database, runner: TaskRunner, center_name: str, kiosk: bool,
                       hall: bool) -> list[QWidget]:
    """Show what was asked for, full screen; the windows are returned for the caller to keep."""
    app.setQuitOnLastWindowClosed(True)
    primary = QGuiApplication.primaryScreen()
    others = [s for s in QGuiApplication.screens() if s is not primary]
    windows: list[QWidget] = []
    if kiosk:
        kiosk_window = KioskWindow(db, runner, center_name)
        kiosk_window.show_on(primary)
        windows.append(kiosk_window)
    if hall:
        hall_window = HallWindow(db, runner, center_name, choose_announcer(beep=QApplication.beep))
        hall_window.show_on(others[0] if others else primary)
        windows.append(hall_window)
    return windows

"""The queue in the main window: the call bar above the working areas, and its entries in the 功能 menu.

The main window calls `mount_queue` once; everything the queue adds to it (the call bar of a service
window, the hall display, this machine's kiosk settings, the director's categories) is built and kept
here, so the main window stays about its areas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QToolBar

from app.actor import Actor
from app.services.catalog.agency import AGENCY
from app.services.people.permissions import EDIT_SETTINGS, can
from app.ui.key_binding import key_of
from app.ui.queue.call_bar import CallBar

if TYPE_CHECKING:
    from app.services.appointments.booking import AppointmentRecord
    from app.ui.main_window import MainWindow
    from app.ui.queue.categories_dialog import CategoriesDialog
    from app.ui.queue.hall_window import HallWindow



def screens(actor: Actor) -> list[str]:
    """The queue's own screens in this user's F1 list."""
    return ["hall", "kiosk"] + (["queue_categories_dialog"] if can(actor, EDIT_SETTINGS) else [])


class QueueMount:
    """What the queue added to one main window."""

    def __init__(self, main: MainWindow) -> None:
        self.main = main
        self.call_bar: CallBar | None = None  # 排队叫号: a service window's strip above the areas
        self.hall_window: HallWindow | None = None
        self.categories_dialog: CategoriesDialog | None = None

    def mount_call_bar(self) -> None:
        main = self.main
        bar = CallBar(main.db, main.actor, main.runner, main.identity.node_code, main)
        bar.message.connect(lambda text: main.statusBar().showMessage(text, 8000))
        bar.arrived.connect(self._appointment_arrived)
        strip = QToolBar("排队叫号", main)
        strip.setObjectName("callStrip")
        strip.setMovable(False)
        strip.setFloatable(False)
        strip.toggleViewAction().setVisible(False)
        strip.addWidget(bar)
        main.addToolBar(Qt.ToolBarArea.TopToolBarArea, strip)
        main.logout_requested.connect(bar.stop)
        main.quit_requested.connect(bar.stop)
        self.call_bar = bar
        bar.start()

    def add_actions(self, menu: QMenu) -> None:
        main = self.main
        hall = QAction("叫号大厅屏幕…", main, shortcut=key_of("global", "hall"))
        hall.triggered.connect(self.open_hall)
        menu.addAction(hall)
        if can(main.actor, EDIT_SETTINGS):
            categories = QAction("排队类别…", main, shortcut=key_of("global", "queue_categories"))
            categories.triggered.connect(self.open_categories)
            menu.addAction(categories)
            kiosk = QAction("取号机设置（本机）…", main)
            kiosk.triggered.connect(self.open_kiosk_settings)
            menu.addAction(kiosk)

    def open_hall(self) -> None:
        """Ctrl+Shift+G: the hall display full screen, on the screen chosen when there are two."""
        from app.services.queue.announce import choose_announcer
        from app.ui.board_window import choose_screen
        from app.ui.queue.hall_window import HallWindow

        main = self.main
        screen = choose_screen(main)
        if screen is None:
            return
        if self.hall_window is None:
            announcer = choose_announcer(beep=QApplication.beep)
            self.hall_window = HallWindow(main.db, main.runner, main.identity.center_name, announcer, main)
        self.hall_window.show_on(screen)

    def open_kiosk_settings(self) -> None:
        from app.ui.queue.kiosk_settings_dialog import KioskSettingsDialog

        KioskSettingsDialog(self.main.db, self.main.actor, self.main.runner, self.main).open()

    def open_categories(self) -> None:
        """Ctrl+Shift+U: the hall's 排队类别, read from the centre and replaced there as a whole."""
        from app.ui.queue.categories_dialog import CategoriesDialog

        main = self.main
        self.categories_dialog = CategoriesDialog(main.db, main.actor, main.runner, main)
        self.categories_dialog.saved.connect(lambda text: main.statusBar().showMessage(text, 8000))
        self.categories_dialog.open()

    def _appointment_arrived(self, record: AppointmentRecord) -> None:
        """The priority ticket just called is an appointment booked here, now 到达: on as the 预约 screen's
        到达 goes (the acceptance or the 首问, pre-filled)."""
        from app.ui.appointments.arrival import continue_arrival

        continue_arrival(self.main, record)


def mount_queue(main: MainWindow, menu: QMenu) -> QueueMount:
    """Add the queue to `main`: the call bar at a service window (not at a village agency point, which has
    no hall), and the queue's entries in `menu`."""
    mount = QueueMount(main)
    if main.identity.node_kind != AGENCY:
        mount.mount_call_bar()
    mount.add_actions(menu)
    return mount

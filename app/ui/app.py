"""Starting the desktop client and moving between set-up, login and the main window.

The login window is shown as soon as the schema check and the node identity (sqlite3 only) are
done; once it is on screen, SQLAlchemy, the services, the main window's modules, the rules every
acceptance reads and the PDF font load in the background while the clerk types (_warm_up), so
Enter costs the password check and the window itself. The set-up dialog is imported only when needed.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.actor import Actor
from app.instance_lock import AlreadyRunningError, InstanceLock
from app.logs import quiet_qt_logging
from app.migrations import SchemaTooNewError
from app.node_identity import NodeIdentity, read_identity
from app.paths import DataLayout
from app.ui.crash import CrashReporter
from app.ui.fonts import install_app_font
from app.ui.lazy_db import LazyDatabase
from app.ui.login_dialog import LoginDialog
from app.ui.messages import show_message
from app.ui.tasks import TaskRunner
from app.ui.translations import install_qt_translations

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
    from app.ui.setup_dialog import SetupDialog

BENCH_ENV = "MINSHENG_BENCH_STARTUP"
log = logging.getLogger(__name__)


def training_hint() -> str:
    from app.services.training import DEMO_ACCOUNTS, TRAINING_PASSWORD

    accounts = "、".join(f"{a.staff_no} {a.name}" for a in DEMO_ACCOUNTS)
    return f"演示账号：{accounts}、8000 培训管理员，密码均为 {TRAINING_PASSWORD}。"


class Controller(QObject):
    """Owns the windows; each step opens the next when it finishes."""

    def __init__(self, app: QApplication, data_dir: Path, training: bool, kiosk: bool = False,
                 hall: bool = False) -> None:
        super().__init__()
        self.kiosk, self.hall = kiosk, hall  # --kiosk / --hall: the queue's screens instead of the login
        self.queue_windows: list[QWidget] = []
        self.app = app
        self.data_dir = data_dir
        self.training = training
        self.crash = CrashReporter(DataLayout(data_dir).logs)
        self.runner = TaskRunner(self.crash.report, self)
        self.lazy_db: LazyDatabase | None = None
        self.identity: NodeIdentity | None = None
        self.setup_dialog: SetupDialog | None = None
        self.login_dialog: LoginDialog | None = None
        self.main_window: MainWindow | None = None
        self.fatal_box: QMessageBox | None = None
        self.instance_lock: InstanceLock | None = None

    @property
    def db(self):  # type: ignore[no-untyped-def]
        """The database if it has been built (tests and shutdown use this)."""
        return self.lazy_db.get() if self.lazy_db is not None else None

    def start(self) -> None:
        self.crash.install()
        self.open_database(self.training)

    def open_database(self, training: bool) -> None:
        if not self._take_lock(training):
            return
        self.training = training
        if self.lazy_db is not None:
            self.lazy_db.dispose()
            self.lazy_db = None

        def work() -> tuple[LazyDatabase, NodeIdentity | None]:
            from app.startup import open_workstation, prepare_workstation

            if training:  # the training database may need filling: that needs the full stack
                db, _report = open_workstation(self.data_dir, training=True)
                lazy = LazyDatabase(db.path)
                db.dispose()
            else:
                layout, _report = prepare_workstation(self.data_dir)
                lazy = LazyDatabase(layout.database)
            return lazy, read_identity(lazy.path)

        self.runner.submit(work, self._opened, self._open_failed)

    def _take_lock(self, training: bool) -> bool:
        """One program per database: a second start (or a switch into a mode another copy is
        using) says so and quits before it touches the database."""
        if self.instance_lock is not None and self.instance_lock.layout.training == training:
            return True
        lock = InstanceLock(DataLayout(self.data_dir, training))
        try:
            lock.acquire()
        except AlreadyRunningError as exc:
            self._fatal(exc.message, "程序已在运行", QMessageBox.Icon.Warning)
            return False
        except OSError as exc:
            from app.db_errors import friendly_error

            self._fatal(friendly_error(exc, self.data_dir) or f"无法打开数据文件夹：{exc}", "无法打开数据库",
                        QMessageBox.Icon.Critical)
            return False
        self.release_lock()
        self.instance_lock = lock
        return True

    def release_lock(self) -> None:
        if self.instance_lock is not None:
            self.instance_lock.release()
            self.instance_lock = None

    def _fatal(self, text: str, title: str, icon: QMessageBox.Icon) -> None:
        """The message on stderr too (for whoever started it from a console or script), then quit."""
        try:
            print(text, file=sys.stderr, flush=True)
        except (OSError, ValueError, AttributeError):  # no console (pythonw): the box is enough
            pass
        self.fatal_box = show_message(None, text, title, icon)
        self.fatal_box.finished.connect(self.app.quit)

    def _opened(self, result: tuple[LazyDatabase, NodeIdentity | None]) -> None:
        self.lazy_db, self.identity = result
        lazy, set_up = self.lazy_db, self.identity is not None
        if self.kiosk or self.hall:
            self.show_queue_screens()
            return

        def warm_up() -> None:
            self.runner.submit(lambda: _warm_up(lazy, set_up), lambda _r: None)

        if self.identity is None:
            self.show_setup()
            warm_up()
        else:
            self.show_login()
            assert self.login_dialog is not None
            self.login_dialog.shown.connect(warm_up, Qt.ConnectionType.SingleShotConnection)  # window first

    def _open_failed(self, exc: BaseException) -> bool:
        from app.db_errors import friendly_error

        text = str(exc) if isinstance(exc, SchemaTooNewError) else friendly_error(exc, self.data_dir)
        if text is None:
            return False
        self._fatal(text, "无法打开数据库", QMessageBox.Icon.Critical)
        return True

    def show_queue_screens(self) -> None:
        from app.ui.queue.standalone import NOT_SET_UP, open_queue_screens

        if self.identity is None or self.lazy_db is None:
            self._fatal(NOT_SET_UP, "无法启动", QMessageBox.Icon.Warning)
            return
        self.queue_windows = open_queue_screens(self.app, self.lazy_db.get(), self.runner, self.identity.center_name,
                                                self.kiosk, self.hall)

    def show_setup(self) -> None:
        from app.ui.setup_dialog import SetupDialog

        assert self.lazy_db is not None
        self.setup_dialog = SetupDialog(self.lazy_db.get, self.runner)
        self.setup_dialog.completed.connect(lambda: self.open_database(False))
        self.setup_dialog.training_requested.connect(self._switch_to_training)
        self.setup_dialog.rejected.connect(self.app.quit)
        self.setup_dialog.show()

    def _switch_to_training(self) -> None:
        if self.setup_dialog is not None:
            self.setup_dialog.rejected.disconnect()
            self.setup_dialog.close()
        self.open_database(True)

    def show_login(self) -> None:
        assert self.lazy_db is not None and self.identity is not None
        hint = training_hint() if self.identity.training else ""
        self.login_dialog = LoginDialog(self.lazy_db.get, self.identity, self.runner, hint)
        self.login_dialog.logged_in.connect(self.show_main)
        self.login_dialog.rejected.connect(self.app.quit)
        if os.environ.get(BENCH_ENV):
            self.login_dialog.shown.connect(self._bench_exit)
        self.login_dialog.show()

    def _bench_exit(self) -> None:
        print("LOGIN_SHOWN", flush=True)
        self.app.quit()

    def show_main(self, actor: Actor) -> None:
        from app.ui.main_window import MainWindow

        assert self.lazy_db is not None and self.identity is not None
        layout = DataLayout(self.data_dir, self.training)
        self.main_window = MainWindow(self.lazy_db.get(), self.identity, actor, self.runner, layout.window_state)
        self.main_window.logout_requested.connect(lambda: self._logout(actor))
        self.main_window.quit_requested.connect(self.app.quit)
        self.main_window.show()
        from app.ui.attendance.offer import offer_sign_in

        offer_sign_in(self.main_window, self.lazy_db.get(), actor, self.runner)  # 考勤: the day's first login

    def _logout(self, actor: Actor) -> None:
        from app.services.people.auth import logout

        lazy = self.lazy_db
        if lazy is not None:
            self.runner.submit(lambda: logout(lazy.get(), actor), lambda _r: None)
        self.main_window = None
        self.show_login()


def _warm_up(lazy: LazyDatabase, set_up: bool) -> None:
    """While the clerk types: build the database and load, off the GUI thread, what the main window
    and the first printed page need, so that pressing Enter costs only the password check and the
    window itself (issue 10: login to a usable window under 500 ms; the first receipt on screen under
    300 ms). In this order, so a quick clerk waits for as little as possible: the login itself; the
    main window's modules (a fifth of a second, formerly imported on the GUI thread after Enter); the
    rules every acceptance reads; the PDF font (parsed once per process) and PDFium."""
    db = lazy.get()
    import app.services.people.auth  # noqa: F401
    import app.ui.main_window  # noqa: F401  (every screen's module, the services they use, reportlab)

    try:  # only a head start: whatever fails here fails again where it is needed, and is reported there
        if set_up:  # before set-up there is nothing to read (and the calendar is seeded only after it)
            from app.services.calendar.holidays import load_calendar
            from app.services.settings import load_settings

            load_calendar(db)  # kept per database until a commit changes them (app.services.db_cache)
            load_settings(db)
        from app.printing.fonts import register_pdf_font
        from app.ui import pdf_render  # noqa: F401  (PDFium)

        register_pdf_font()
    except Exception:
        log.warning("warming up the first acceptance and print failed", exc_info=True)


def prepare_application(app: QApplication) -> None:
    """Name, fonts and Qt's Chinese translations: everything the first window needs (the bench's GUI
    probe starts the client through this too, so it times what a clerk gets)."""
    app.setApplicationName("民生服务工作站")
    app.setQuitOnLastWindowClosed(False)
    install_app_font(app)
    install_qt_translations(app)


def run_gui(data_dir: Path, training: bool, kiosk: bool = False, hall: bool = False) -> int:
    quiet_qt_logging()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    prepare_application(app)
    controller = Controller(app, data_dir, training, kiosk, hall)
    QTimer.singleShot(0, controller.start)
    try:
        code = app.exec()
        controller.runner.wait()
        if controller.lazy_db is not None:
            controller.lazy_db.dispose()
    finally:
        controller.release_lock()
    return 1 if controller.fatal_box is not None and code == 0 else code

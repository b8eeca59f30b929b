"""Unhandled errors: logged, written to a crash log, and shown in a dialog on the GUI thread.

Errors from the machine's environment (disk full, read-only, locked, no permission), wherever they
happen (accepting a case, printing, a background task), are not crashes: the operation's transaction
has rolled back, and the clerk gets a plain Chinese explanation instead of the crash dialog, with
no crash log (which could not be written on a full disk anyway). Errors a user caused get their
own message.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from app.db_errors import friendly_error
from app.logs import write_crash_log
from app.services.errors import UserError
from app.ui.messages import show_message, show_user_error

log = logging.getLogger(__name__)


class CrashReporter(QObject):
    """Owns the hooks; `_deliver` is a queued hop to the GUI thread for errors raised elsewhere."""

    _deliver = Signal(object, object, object)

    def __init__(self, log_dir: Path) -> None:
        super().__init__()
        self.log_dir = log_dir
        self.data_dir = log_dir.parent  # where a full disk would show
        self.last_crash_log: Path | None = None
        self._deliver.connect(self._show)

    def install(self) -> None:
        sys.excepthook = self._hook
        threading.excepthook = lambda args: self._hook(args.exc_type, args.exc_value, args.exc_traceback)

    def report(self, exc: BaseException) -> None:
        """Entry for errors already caught (background tasks); safe from any thread."""
        self._hook(type(exc), exc, exc.__traceback__)

    def _hook(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            return
        if not isinstance(exc, UserError) and friendly_error(exc, self.data_dir) is None:
            log.error("unhandled error", exc_info=(exc_type, exc, tb))
            try:
                self.last_crash_log = write_crash_log(self.log_dir, exc_type, exc, tb)
            except OSError:
                log.exception("could not write crash log")
        else:
            log.warning("environment or user error: %s", exc)
        if threading.current_thread() is threading.main_thread():
            self._show(exc_type, exc, tb)
        else:
            self._deliver.emit(exc_type, exc, tb)

    def _show(self, _exc_type: object, exc: BaseException, _tb: object) -> None:
        if QApplication.instance() is None:
            return
        parent = QApplication.activeWindow()
        if isinstance(exc, UserError):
            show_user_error(parent, exc)
            return
        friendly = friendly_error(exc, self.data_dir)
        if friendly is not None:
            show_message(parent, friendly, "无法完成操作", QMessageBox.Icon.Warning)
            return
        where = f"\n错误记录已保存到：{self.last_crash_log}" if self.last_crash_log else ""
        show_message(
            parent,
            "程序遇到意外错误，当前操作未完成。已保存的数据不受影响。",
            "程序错误",
            QMessageBox.Icon.Critical,
            [f"{type(exc).__name__}: {exc}{where}", "请将错误记录文件发给系统管理员。"],
        )

"""Running database work off the GUI thread and delivering results back on it.

Each task gets a signal carrier created on the GUI thread; the worker emits from the pool thread and
Qt queues the call, so callbacks always run on the GUI thread and may touch widgets.

Long work is submitted with progress (`submit_with_progress`): it is handed an app.progress.Progress,
its steps travel by the same carrier to a ProgressDialog (shown only when the work lasts) or to the
caller's own label, and a cancelled task ends in `on_cancelled`, never as an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from app.progress import CANCELLED_TEXT, Cancelled, Progress, Step
from app.ui.progress_dialog import ProgressDialog


class _Carrier(QObject):
    done = Signal(object)
    failed = Signal(object)
    stepped = Signal(object)  # app.progress.Step, from the worker


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], carrier: _Carrier) -> None:
        super().__init__()
        self._fn = fn
        self._carrier = carrier

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # delivered to the GUI thread, which decides how to show it
            self._carrier.failed.emit(exc)
        else:
            self._carrier.done.emit(result)


def _receiver_gone(callback: Callable[..., Any]) -> bool:
    """A view closed while its work ran: its bound method must not touch deleted widgets."""
    owner = getattr(callback, "__self__", None)
    return isinstance(owner, QObject) and not shiboken6.isValid(owner)


class TaskRunner(QObject):
    """One per window tree; `busy_changed` lets views disable buttons while work runs."""

    busy_changed = Signal(bool)
    notice = Signal(str)  # a line for the status bar, such as "导出首问登记簿：已取消"

    def __init__(self, on_unhandled: Callable[[BaseException], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._carriers: set[_Carrier] = set()
        self._on_unhandled = on_unhandled

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], bool] | None = None,
    ) -> None:
        """Run fn in the pool; on_error returns True when it handled the error itself."""
        self._start(fn, on_done, on_error, _Carrier())

    def submit_with_progress(
        self,
        title: str,
        fn: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], bool] | None = None,
        *,
        cancellable: bool = True,
        parent: QWidget | None = None,
        on_cancelled: Callable[[], None] | None = None,
        on_step: Callable[[Step], None] | None = None,
        dialog: bool = True,
    ) -> Progress:
        """Run fn(progress) in the pool with a ProgressDialog titled `title` over `parent` (or only
        `on_step`, for work that must not pop a window). `cancellable` offers 取消; the work decides where
        it may stop (Progress.check) and raises Cancelled there, which ends in `on_cancelled` and the
        runner's `notice`. Returns the progress, so the caller may cancel too."""
        carrier = _Carrier()
        progress = Progress(carrier.stepped.emit)
        box: ProgressDialog | None = None
        if dialog:
            box = ProgressDialog(title, progress, cancellable, parent)
            carrier.stepped.connect(box.show_step)
            box.arm()
        if on_step is not None:
            carrier.stepped.connect(lambda step: None if _receiver_gone(on_step) else on_step(step))

        def close_box() -> None:
            if box is not None and shiboken6.isValid(box):
                box.finish()

        def done(result: Any) -> None:
            close_box()
            if not _receiver_gone(on_done):
                on_done(result)

        def failed(exc: BaseException) -> bool:
            close_box()
            if isinstance(exc, Cancelled):
                self.notice.emit(f"{title}：{CANCELLED_TEXT}")
                if on_cancelled is not None and not _receiver_gone(on_cancelled):
                    on_cancelled()
                return True
            if on_error is None:
                return False
            return _receiver_gone(on_error) or on_error(exc)

        self._start(lambda: fn(progress), done, failed, carrier)
        return progress

    def _start(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], bool] | None,
        carrier: _Carrier,
    ) -> None:
        self._carriers.add(carrier)

        def finish() -> None:
            self._carriers.discard(carrier)
            if not self._carriers:
                self.busy_changed.emit(False)

        def done(result: Any) -> None:
            finish()
            if not _receiver_gone(on_done):
                on_done(result)

        def failed(exc: BaseException) -> None:
            finish()
            if on_error is not None and _receiver_gone(on_error):
                return
            if on_error is None or not on_error(exc):
                self._on_unhandled(exc)

        carrier.done.connect(done)
        carrier.failed.connect(failed)
        if len(self._carriers) == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Task(fn, carrier))

    @property
    def busy(self) -> bool:
        return bool(self._carriers)

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)

"""Running database work off the GUI thread and delivering results back on it.

Each task gets a signal carrier created on the GUI thread; the worker emits from the pool thread and
Qt queues the call, so callbacks always run on the GUI thread and may touch widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Carrier(QObject):
    done = Signal(object)
    failed = Signal(object)


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
        carrier = _Carrier()
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

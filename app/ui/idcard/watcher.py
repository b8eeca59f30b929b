"""The reader's watcher for the screens: the core CardWatcher's thread posts each tick here, and a timer on the
GUI thread notices a driver call that hangs. No reader configured: nothing runs at all."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.services.idcard.config import ReaderConfig, make_reader
from app.services.idcard.watcher import INTERVAL_SECONDS, TIMEOUT_SECONDS, CardWatcher


class ReaderWatcher(QObject):
    ticked = Signal(object)  # app.services.idcard.reader.Tick, delivered on the GUI thread
    hung = Signal(str)

    def __init__(self, parent: QObject | None = None, interval: float = INTERVAL_SECONDS,
                 timeout: float = TIMEOUT_SECONDS) -> None:
        super().__init__(parent)
        self.interval = interval
        self.timeout = timeout
        self.config = ReaderConfig()
        self._core: CardWatcher | None = None
        self._hung_shown = False
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._check_hung)

    @property
    def active(self) -> bool:
        return self._core is not None

    def start(self, config: ReaderConfig) -> None:
        """Poll the reader the setting names (stopping any earlier one); `none` polls nothing."""
        self.stop()
        self.config = config
        reader = make_reader(config)
        if reader is None:
            return
        self._core = CardWatcher(reader, self.ticked.emit, self.interval, self.timeout)
        self._core.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._core is not None:
            core, self._core = self._core, None
            core.stop()

    def _check_hung(self) -> None:
        message = self._core.hung() if self._core is not None else ""
        if message and not self._hung_shown:
            self.hung.emit(message)
        self._hung_shown = bool(message)

"""Polling a reader on a thread of its own, Qt-free: every `interval` seconds one ReaderSession tick, whose
result goes to a callback (the screen posts it to its own thread).

A thread of its own, not the shared task pool: a vendor driver that hangs inside a call would otherwise hold
a worker that database work needs. A hung call cannot be interrupted from Python; `hung()` tells the screen
that the current call has run longer than `timeout`, so the clerk is told the reader does not answer
while typing goes on as before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from app.services.idcard.reader import CardReader, ReaderSession, Tick

INTERVAL_SECONDS = 0.3
TIMEOUT_SECONDS = 5.0
HUNG_MESSAGE = "读卡器无响应（超过{seconds:g}秒）：请检查读卡器连接，或在“系统—身份证阅读器设置”中改选“无”"


class CardWatcher:
    def __init__(self, reader: CardReader, on_tick: Callable[[Tick], None], interval: float = INTERVAL_SECONDS,
                 timeout: float = TIMEOUT_SECONDS) -> None:
        self.session = ReaderSession(reader)
        self._on_tick = on_tick
        self.interval = interval
        self.timeout = timeout
        self._stop = threading.Event()
        self._started_call: float | None = None
        self._thread = threading.Thread(target=self._run, name="idcard-reader", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, wait: float = 1.0) -> None:
        """Stop polling; the reader is closed by the thread once its current call returns."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(wait)

    def hung(self) -> str:
        """The message to show when the current call has run too long, else ""."""
        started = self._started_call
        if started is None or time.monotonic() - started < self.timeout:
            return ""
        return HUNG_MESSAGE.format(seconds=self.timeout)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self._started_call = time.monotonic()
                tick = self.session.tick()
                self._started_call = None
                if self._stop.is_set():
                    break
                if tick != Tick():
                    self._on_tick(tick)
                self._stop.wait(self.interval)
        finally:
            self.session.close()

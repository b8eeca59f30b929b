"""Progress of a long command on the terminal: one line on stderr, rewritten in place, and Ctrl+C to stop.

Only a terminal sees the line ("\\r正在下载中心的全部数据 12,000 / 100,000 12%"); piped or redirected
output stays exactly as before, so scripts and logs never receive carriage returns. The line is wiped
before the command prints its result. Ctrl+C asks the work to stop at its next safe point
(app.progress): the command then says 已取消 and exits 130, having changed nothing beyond whole sync
pages. Work past its point of no return (an import writing its items) is let finish; a second Ctrl+C
interrupts at once, which the database's transactions also survive.
"""

from __future__ import annotations

import signal
import sys
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TextIO

from app.progress import Progress, Step

EXIT_CANCELLED = 130  # the shell's code for a command stopped by Ctrl+C
CANCELLING = "正在取消：完成当前这一步后停止（再按 Ctrl+C 立即中断）"
NOT_NOW = "正在写入，不能中途取消，请稍候（再按 Ctrl+C 立即中断）"


def _columns(text: str) -> int:
    """Terminal columns: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class TerminalLine:
    """The one status line on a terminal's stderr; does nothing when stderr is not a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        try:
            self.live = stream.isatty()
        except (AttributeError, ValueError):  # a closed or unusual stream: behave as piped
            self.live = False
        self._width = 0
        self._lock = threading.Lock()

    def show(self, text: str) -> None:
        if not self.live:
            return
        with self._lock:
            pad = max(0, self._width - _columns(text))
            self.stream.write("\r" + text + " " * pad)
            self.stream.flush()
            self._width = _columns(text)

    def clear(self) -> None:
        if not self.live or not self._width:
            return
        with self._lock:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0


@contextmanager
def terminal_progress(stream: TextIO | None = None) -> Iterator[Progress]:
    """A Progress drawn on the terminal, with Ctrl+C as 取消 for the duration of the block."""
    line = TerminalLine(stream or sys.stderr)

    def draw(step: Step) -> None:
        line.show(CANCELLING if progress.cancelled else step.line())

    progress = Progress(draw)
    presses = 0

    def on_interrupt(_signum: int, _frame: FrameType | None) -> None:
        nonlocal presses
        presses += 1
        if presses > 1:
            raise KeyboardInterrupt
        line.show(CANCELLING if progress.cancel() else NOT_NOW)

    # Signal handlers belong to the main thread; elsewhere (tests, embedding) only the line is drawn.
    previous = signal.getsignal(signal.SIGINT)
    installed = threading.current_thread() is threading.main_thread()
    if installed:
        signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield progress
    finally:
        if installed and previous is not None:
            signal.signal(signal.SIGINT, previous)
        line.clear()

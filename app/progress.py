"""How far long work has got, and a way to ask it to stop: handed down to syncs, imports, exports, ledgers.

The work reports `step(done, total, what)` and calls `check()` where stopping is safe (between committed
sync pages, before an import's write transaction, between exported rows). The person's side (a dialog,
the status bar, a terminal line) only reads steps and may call `cancel()`. Work that reaches a point
after which stopping would leave a half-done change calls `point_of_no_return()`: from then on cancel
is refused, and the screen greys its 取消 button.

Reporting is throttled here, so a loop may call `step` for every row: it costs a clock read, and the
sink hears at most a few steps a second (always the first step of each stage and the last of the work).
Everything is safe across threads: work runs on a worker, `cancel` comes from the GUI thread or a signal.
This module imports no Qt.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

CANCELLED_TEXT = "已取消"
DEFAULT_INTERVAL_S = 0.1  # ten refreshes a second are smooth to the eye and free for the work


class Cancelled(Exception):
    """The person asked the work to stop, and it stopped at a safe point (nothing half done)."""

    def __init__(self, message: str = CANCELLED_TEXT) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class Step:
    """One report: `what` names the stage in Chinese ("正在下载中心的数据"); total 0 means unknown."""

    done: int
    total: int
    what: str
    cancellable: bool = True

    @property
    def fraction(self) -> float | None:
        """Between 0 and 1, or None when the total is not known (a busy bar)."""
        if self.total <= 0:
            return None
        return min(1.0, max(0.0, self.done / self.total))

    def counts(self) -> str:
        """"12,000 / 100,000", "12,000" when the total is unknown, "" before anything is counted."""
        if self.total > 0:
            return f"{self.done:,} / {self.total:,}"
        return f"{self.done:,}" if self.done else ""

    def line(self) -> str:
        """The stage with its counts and percentage, as one line for a label or a terminal."""
        parts = [self.what]
        counts = self.counts()
        if counts:
            parts.append(counts)
        fraction = self.fraction
        if fraction is not None:
            parts.append(f"{fraction:.0%}")
        return " ".join(p for p in parts if p)


Sink = Callable[[Step], None]


class Progress:
    """Reports of one piece of work to one sink, and its cancellation; shared by worker and GUI threads."""

    def __init__(self, sink: Sink | None = None, interval: float = DEFAULT_INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._sink = sink
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._cancellable = True
        self._last_emit = float("-inf")
        self._what = ""
        self._latest: Step | None = None

    # The work's side -------------------------------------------------------------------------------

    def step(self, done: int, total: int, what: str = "") -> None:
        """How far the work is; `what` empty keeps the current stage's name. Throttled: cheap in loops."""
        now = self._clock()
        stage_changed = bool(what) and what != self._what
        finished = total > 0 and done >= total
        if not stage_changed and not finished and now - self._last_emit < self._interval:
            return
        with self._lock:
            if what:
                self._what = what
            step = Step(done, total, self._what, self._cancellable)
            self._latest = step
            self._last_emit = now
        if self._sink is not None:
            self._sink(step)

    def busy(self, what: str) -> None:
        """A stage whose length is not known (a busy bar)."""
        self.step(0, 0, what)

    def check(self) -> None:
        """Raise Cancelled when the person asked to stop; call only where stopping is safe."""
        if self._cancel.is_set():
            raise Cancelled()

    def point_of_no_return(self, what: str) -> None:
        """Last chance to stop (raises Cancelled if asked); after it cancel is refused and the work ends."""
        with self._lock:
            if self._cancel.is_set():
                raise Cancelled()
            self._cancellable = False
        self.step(0, 0, what)

    # The person's side ------------------------------------------------------------------------------

    def cancel(self) -> bool:
        """Ask the work to stop at its next safe point; False when it is past the point of no return."""
        with self._lock:
            if not self._cancellable:
                return False
            self._cancel.set()
            return True

    @property
    def cancelled(self) -> bool:
        """Whether a stop was asked for (the work may still be finishing its current page)."""
        return self._cancel.is_set()

    @property
    def cancellable(self) -> bool:
        with self._lock:
            return self._cancellable

    @property
    def latest(self) -> Step | None:
        """The last step reported to the sink (for a screen that starts watching late)."""
        with self._lock:
            return self._latest


class _Silent(Progress):
    """The default for callers that pass no progress: reports nothing and is never cancelled."""

    def step(self, done: int, total: int, what: str = "") -> None:
        return None

    def cancel(self) -> bool:
        return False  # shared by every caller: nobody may stop someone else's work through it


NO_PROGRESS: Progress = _Silent()

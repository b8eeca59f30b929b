"""One interface for every reader (open / poll / read / close), and the session that turns polling into
"a card was placed": a card is reported once, and again only after it has left the reader.

Polling every few hundred milliseconds would otherwise report the same card over and over (several readers
find a card that stays on them on every poll), refilling a form the clerk is correcting. Any trouble with
the device ends as a ReaderError whose message is Chinese and says what to do; the session reports each
distinct trouble once, so a status line does not flicker, and tries to open the reader again later.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from app.services.errors import ValidationError
from app.services.idcard.card import CardFill, IdCard, check_card


class ReaderError(ValidationError):
    """The reader is absent, refused a call or answered nonsense; the message is for the clerk."""


class CardReader(Protocol):
    """A device (or the simulator). `poll` says whether a card is on it; `read` reads that card."""

    label: str

    def open(self) -> None: ...

    def poll(self) -> bool: ...

    def read(self) -> IdCard: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Tick:
    """What one poll found: a checked card, a refused card (`refused`: the reasons), a reader problem
    (`problem`), the card leaving, or nothing new (all empty)."""

    fill: CardFill | None = None
    refused: tuple[str, ...] = ()
    problem: str = ""
    removed: bool = False
    ready: bool = False  # the reader has just been opened (or reopened after a problem)


class ReaderSession:
    """Drives one reader from a worker thread: call `tick()` every few hundred milliseconds.

    Some readers find a card that stays on them on every poll, others only every other poll (the chip
    sleeps after a read): a card is therefore reported once while it stays, and the same card again only
    after it was away for REPEAT_SECONDS."""

    REPEAT_SECONDS = 1.0

    def __init__(self, reader: CardReader, clock: Callable[[], float] = time.monotonic) -> None:
        self.reader = reader
        self._clock = clock
        self._open = False
        self._present = False  # a card was read and has not left since
        self._last_number = ""
        self._last_seen = float("-inf")
        self._last_problem = ""

    def tick(self) -> Tick:
        try:
            ready = False
            if not self._open:
                self.reader.open()
                self._open, ready = True, True
            found = self.reader.poll()
            self._last_problem = ""  # the reader answers again: a new trouble is worth reporting
            if not found:
                removed, self._present = self._present, False
                return Tick(removed=removed, ready=ready)
            if self._present:
                self._last_seen = self._clock()
                return Tick(ready=ready)
            self._present = True
            card = self.reader.read()
        except ValidationError as exc:  # the reader answered, with something that is not a card
            if isinstance(exc, ReaderError):
                return self._trouble(exc.message)
            return Tick(refused=(exc.message, *exc.errors), ready=ready)
        except ReaderError as exc:
            return self._trouble(exc.message)
        except Exception as exc:  # a driver raising anything else must not stop the watcher
            return self._trouble(f"读卡器出错（{exc.__class__.__name__}），请检查读卡器连接后重新放卡")
        now = self._clock()
        again = card.id_number == self._last_number and now - self._last_seen < self.REPEAT_SECONDS
        self._last_number, self._last_seen = card.id_number, now
        if again:
            return Tick(ready=ready)
        try:
            return Tick(fill=check_card(card), ready=ready)
        except ValidationError as exc:
            return Tick(refused=(exc.message, *exc.errors), ready=ready)

    def _trouble(self, message: str) -> Tick:
        """Close, so the next tick opens the reader afresh (it may have been unplugged and plugged back)."""
        self.close()
        self._present = False
        if message == self._last_problem:
            return Tick()
        self._last_problem = message
        return Tick(problem=message)

    def close(self) -> None:
        if self._open:
            self._open = False
            try:
                self.reader.close()
            except Exception:  # closing a device that is gone: nothing left to do
                pass

"""The numbers floor: per document kind and day, a sequence no number above has been handed out
(the highest reserved, or one the centre says was printed), in a file beside the database.

Kept apart from app.services.numbering so that backups at start-up (which run before SQLAlchemy is
imported) can read it with nothing but json. Keys are "kind:YYYY-MM-DD", e.g. "case:2026-11-29".
Numbering raises a key a block of numbers ahead, not for every number (app.services.numbering), so a
value may stand above the last number used; everything that reads it only needs it never to be below.

Beside it, LastNumbers notes the last number handed out, for every number but never synced: what
lets a copy of the database file put back by hand within a block go on above the numbers printed
since the copy was taken (the floor alone knows only the block).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from datetime import date, timedelta
from pathlib import Path

log = logging.getLogger(__name__)
KEEP_DAYS = 62  # two months is plenty to outlast a restore; the database keeps every day for good


def floor_key(kind: str, day: date) -> str:
    return f"{kind}:{day.isoformat()}"


def parse_key(key: str) -> tuple[str, date] | None:
    """(kind, day) of a floor key, or None for anything else (a hand-edited or foreign file)."""
    kind, _, day = key.partition(":")
    try:
        return (kind, date.fromisoformat(day)) if kind else None
    except ValueError:
        return None


def _day_of(key: str) -> date:
    parsed = parse_key(key)
    return parsed[1] if parsed else date.min


def _read_values(path: Path) -> dict[str, int]:
    """The well-formed keys of a floor-like file; nothing at all for a missing or damaged one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    values: dict[str, int] = {}
    for key, value in data.items():
        if parse_key(str(key)) is not None and isinstance(value, int) and not isinstance(value, bool):
            values[str(key)] = value
    return values


def _recent(values: dict[str, int]) -> dict[str, int]:
    if not values:
        return values
    days = {k: _day_of(k) for k in values}
    cutoff = max(days.values()) - timedelta(days=KEEP_DAYS)
    return {k: v for k, v in values.items() if days[k] >= cutoff}


class NumberFloor:
    """The highest sequence reserved per kind and day, kept in a small file beside the database.

    It is written (and synced) before the transaction of the document that needs it commits, so a
    crash leaves at worst a gap, and restoring an older backup of the database can never hand out a
    number already printed. Writers hold the database's write lock while they read and raise it, so
    processes never interleave.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.last_numbers = LastNumbers(path.with_name(f"{path.stem}.last.json"))

    def read(self) -> dict[str, int]:
        return _read_values(self.path)

    def raise_to(self, kind: str, day: date, seq: int) -> None:
        self.raise_many({floor_key(kind, day): seq})

    def raise_many(self, values: dict[str, int]) -> None:
        """Raise several keys at once (never lowers one); writes only when something went up."""
        floors = self.read()
        changed = {k: v for k, v in values.items() if parse_key(k) is not None and floors.get(k, 0) < v}
        if not changed:
            return
        floors.update(changed)
        self._write(_recent(floors))

    def _write(self, floors: dict[str, int]) -> None:
        """Atomic replace through a temporary file of this writer's own (two processes never share one)."""
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as handle:
                json.dump(floors, handle, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_directory(self.path.parent)


class LastNumbers:
    """The last number handed out per kind and day: a witness kept up for every number, cheaply.

    Rewritten in place and never synced (microseconds, where the floor's synced write costs
    milliseconds on a hard disk), so a power cut or a crash mid-write may leave it behind or
    unreadable: then it counts for nothing and the floor's block still stands. Nothing depends on it
    but numbering, and it only ever moves numbers up. Written under the database's write lock, by
    the transaction that hands the number out (a rollback leaves a gap of one, as the floor always did).
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict[str, int]:
        return _read_values(self.path)

    def write(self, values: dict[str, int]) -> None:
        """Replace the contents; a failure is logged and passed over (the floor still holds)."""
        data = json.dumps(_recent(values), sort_keys=True).encode("utf-8")
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
            try:
                os.write(fd, data)
                os.ftruncate(fd, len(data))
            finally:
                os.close(fd)
        except OSError:
            log.warning("could not note the last number handed out in %s", self.path, exc_info=True)


def fsync_directory(folder: Path) -> None:
    """Make a rename durable where the platform allows it (POSIX); Windows has no directory handles."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def floor_for(db_path: Path) -> NumberFloor:
    return NumberFloor(db_path.with_name(db_path.stem + "-numbers.json"))

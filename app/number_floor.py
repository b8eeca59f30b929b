"""The numbers floor: the highest sequence used per document kind and day, in a file beside the database.

Kept apart from app.services.numbering so that backups at start-up (which run before SQLAlchemy is
imported) can read it with nothing but json. Keys are "kind:YYYY-MM-DD", e.g. "case:2026-11-29".
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import date, timedelta
from pathlib import Path

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


class NumberFloor:
    """The highest sequence used per kind and day, kept in a small file beside the database.

    It is written (and synced) before the document's transaction commits, so a crash leaves at worst a
    gap, and restoring an older copy of the database can never hand out a number already printed.
    Writers hold the database's write lock while they read and raise it, so processes never interleave.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict[str, int]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        floors: dict[str, int] = {}
        for key, value in data.items():
            if parse_key(str(key)) is not None and isinstance(value, int) and not isinstance(value, bool):
                floors[str(key)] = value
        return floors

    def raise_to(self, kind: str, day: date, seq: int) -> None:
        self.raise_many({floor_key(kind, day): seq})

    def raise_many(self, values: dict[str, int]) -> None:
        """Raise several keys at once (never lowers one); writes only when something went up."""
        floors = self.read()
        changed = {k: v for k, v in values.items() if parse_key(k) is not None and floors.get(k, 0) < v}
        if not changed:
            return
        floors.update(changed)
        days = {k: _day_of(k) for k in floors}
        cutoff = max(days.values()) - timedelta(days=KEEP_DAYS)
        self._write({k: v for k, v in floors.items() if days[k] >= cutoff})

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

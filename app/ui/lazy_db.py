"""The database handle, created on first use so the first window need not wait for SQLAlchemy."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.database import Database


class LazyDatabase:
    """Thread-safe: the first caller (normally a background task) builds it, the rest share it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: Database | None = None
        self._lock = threading.Lock()

    def get(self) -> Database:
        with self._lock:
            if self._db is None:
                from app.database import Database

                self._db = Database(self.path)
            return self._db

    def dispose(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.dispose()
                self._db = None

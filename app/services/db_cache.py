"""Values read from a few tables of one database, kept until a committed transaction writes one of them.

Every acceptance used to read the holiday calendar and the centre settings again: a session and a
query or two each, for data that changes a few times a year. A copy kept here is dropped through the
database's change bus (app.changes) whenever a commit writes one of the tables it was read from,
whoever wrote it: a service, an import, a page from the centre, plain SQL through the engine. So no
service has to remember to invalidate anything, and no reader gets a copy older than the last commit
it could have seen.

A load that runs while such a commit lands is returned to its caller but not kept (a generation
count per value), so a copy read just before a change can never outlive it. Writes by another
process (the command line beside a running client) are not announced here: as before, a process
sees its own writes at once and another's when it starts.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from app.changes import Changes
from app.database import Database

T = TypeVar("T")


class TableCache:
    """The cached values of one database, by name, each with the tables it was read from."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, Any] = {}
        self._tables: dict[str, frozenset[str]] = {}
        self._generation: dict[str, int] = {}

    def get(self, name: str, tables: Iterable[str], load: Callable[[], T]) -> T:
        with self._lock:
            if name in self._values:
                return cast(T, self._values[name])
            self._tables.setdefault(name, frozenset(tables))  # watched from before the read starts
            generation = self._generation.get(name, 0)
        value = load()
        with self._lock:
            if self._generation.get(name, 0) == generation:  # nothing it was read from changed meanwhile
                self._values[name] = value
        return value

    def forget(self, name: str) -> None:
        with self._lock:
            self._drop(name)

    def changed(self, changes: Changes) -> None:
        """Listener on the database's change bus: drop every value read from a table just written."""
        with self._lock:
            for name, tables in self._tables.items():
                if changes.touches(tables):
                    self._drop(name)

    def _drop(self, name: str) -> None:
        self._values.pop(name, None)
        self._generation[name] = self._generation.get(name, 0) + 1


_caches: weakref.WeakKeyDictionary[Database, TableCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_of(db: Database) -> TableCache:
    """The database's cache, subscribed to its change bus on first use (one per Database object)."""
    with _caches_lock:
        cache = _caches.get(db)
        if cache is None:
            cache = _caches[db] = TableCache()
            db.changes.subscribe(cache.changed)  # the bus holds the cache, never the database
        return cache


def cached(db: Database, name: str, tables: Iterable[str], load: Callable[[], T]) -> T:
    """`load()`'s value, read once and kept until a commit writes one of `tables`.

    The value is shared by every caller (and thread): treat it as read-only."""
    return cache_of(db).get(name, tables, load)

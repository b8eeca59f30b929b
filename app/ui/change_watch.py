"""Views refresh themselves from what the database says it changed (app.changes), on the GUI thread.

A view names the tables it shows and how to reload; nothing else calls its reload. Changes that arrive
in a burst (a sync page, an import) are gathered into one reload, and a view that is not on screen
only notes that it is stale and reloads when it is shown again, so a hidden tab costs no queries.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.changes import Changes
from app.database import Database

GATHER_MS = 120  # changes within this long become one reload


class ChangeRelay(QObject):
    """Re-emits a database's changes as a Qt signal: emitted on a worker thread, received on the GUI's."""

    changed = Signal(object)

    def __init__(self, db: Database) -> None:
        super().__init__()
        self._unsubscribe = db.changes.subscribe(self.changed.emit)

    def close(self) -> None:
        self._unsubscribe()


_relays: weakref.WeakKeyDictionary[Database, ChangeRelay] = weakref.WeakKeyDictionary()


def relay_for(db: Database) -> ChangeRelay:
    """One relay per database, made on the GUI thread by the first view that watches it."""
    relay = _relays.get(db)
    if relay is None:
        relay = _relays[db] = ChangeRelay(db)
    return relay


class Watch(QObject):
    """Calls `reload` when any of `tables` changed: at once if the view is shown, else when it is."""

    def __init__(self, view: QWidget, db: Database, tables: Iterable[str], reload: Callable[[], None]) -> None:
        super().__init__(view)
        self._view = view
        self._tables = frozenset(tables)
        self._reload = reload
        self.stale = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(GATHER_MS)
        self._timer.timeout.connect(self._fire)
        relay_for(db).changed.connect(self._on_changed)
        view.installEventFilter(self)

    def _on_changed(self, changes: Changes) -> None:
        if not changes.touches(self._tables):
            return
        self.stale = True
        if self._view.isVisible():
            self._timer.start()

    def _fire(self) -> None:
        if self.stale and self._view.isVisible():
            self.stale = False
            self._reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Show and self.stale:
            self._timer.start()
        return False


def watch(view: QWidget, db: Database, tables: Iterable[str], reload: Callable[[], None]) -> Watch:
    """Keep `view` current: it reloads itself whenever a committed transaction wrote one of `tables`."""
    return Watch(view, db, tables, reload)

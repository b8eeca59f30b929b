"""What a committed transaction changed, told to whoever shows or caches that data.

Every write reaches SQLite through one engine, so the engine itself notes which tables each statement
wrote and announces them once the transaction is committed and its connection handed back (so a
listener that reads at once sees the new rows). No service can forget to say what it changed, and no
screen needs a reload call placed by hand: a view watches the tables it shows, a cache the tables it
copies. A rolled-back transaction announces nothing; a rolled-back savepoint may announce a table that
did not change in the end, which costs one needless refresh and never a stale screen.

Listeners run on the thread that committed (often a worker): the Qt side re-emits on the GUI thread.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

_WRITTEN = "changes.written"  # tables written in the open transaction of a pooled connection
_COMMITTED = "changes.committed"  # tables of committed transactions, announced at check-in
# The table a statement writes: the name after INSERT/UPDATE/DELETE/REPLACE (SQLite's spellings).
_TEXT_DML = re.compile(r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
                       r"\s+[\"`\[]?(\w+)", re.IGNORECASE)


# What each kind of screen or cache shows, by table (a test checks every name is a real table).
CATALOG = frozenset({"service_item", "item_material"})
CALENDAR = frozenset({"calendar_day", "calendar_year"})
SETTINGS = frozenset({"center_setting"})
CASES = frozenset({"case_file", "case_event"})
PAGES = frozenset({"case_page"})  # 电子件 (app.services.attachments)
INQUIRIES = frozenset({"inquiry"})
NOTICES = frozenset({"notice"})
STAFF = frozenset({"staff", "login_state"})
DEPARTMENTS = frozenset({"department"})
RATINGS = frozenset({"rating", "rectification", "rectification_event"})
COMPLAINTS = frozenset({"complaint", "complaint_event"})
SUPERVISION = frozenset({"supervision", "supervision_answer"})
ATTENDANCE = frozenset({"attendance"})
APPOINTMENTS = frozenset({"appointment", "after_hours_service"})
LEAVE = frozenset({"leave_request", "leave_event"})
DUTY = frozenset({"duty_roster", "duty_inspection"})
SYNC = frozenset({"sync_state", "sync_issue", "outbox", "held_change"})


@dataclass(frozen=True)
class Changes:
    """Tables written by one or more committed transactions."""

    tables: frozenset[str]

    def touches(self, tables: Iterable[str]) -> bool:
        return not self.tables.isdisjoint(tables)


Listener = Callable[[Changes], None]


class ChangeBus:
    """Subscribers per database; `subscribe` returns the call that ends the subscription."""

    def __init__(self) -> None:
        self._listeners: dict[int, Listener] = {}
        self._next = 0
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            key = self._next
            self._next += 1
            self._listeners[key] = listener

        def unsubscribe() -> None:
            with self._lock:
                self._listeners.pop(key, None)

        return unsubscribe

    def publish(self, tables: Iterable[str]) -> None:
        changes = Changes(frozenset(tables))
        if not changes.tables:
            return
        with self._lock:
            listeners = list(self._listeners.values())
        for listener in listeners:
            try:
                listener(changes)
            except Exception:  # one broken listener must not stop the others or the committing service
                log.exception("a change listener failed")


def _written_table(sql: str) -> str | None:
    match = _TEXT_DML.match(sql)
    return match.group(1) if match else None


def capture_changes(engine: Engine, bus: ChangeBus) -> None:
    """Note every table this engine writes and publish them on `bus` after each commit."""

    def after_cursor_execute(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # The SQL as sent, so compiled DML, text() and exec_driver_sql are seen alike.
        name = _written_table(statement)
        if name is not None:
            conn.info.setdefault(_WRITTEN, set()).add(name)

    def on_commit(conn: Any) -> None:
        written = conn.info.pop(_WRITTEN, None)
        if written:
            conn.info.setdefault(_COMMITTED, set()).update(written)

    def on_rollback(conn: Any) -> None:
        conn.info.pop(_WRITTEN, None)

    def on_checkin(_dbapi: Any, record: Any) -> None:
        if record is None:
            return
        committed = record.info.pop(_COMMITTED, None)
        record.info.pop(_WRITTEN, None)
        if committed:
            bus.publish(committed)

    event.listen(engine, "after_cursor_execute", after_cursor_execute)
    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", on_rollback)
    event.listen(engine.pool, "checkin", on_checkin)

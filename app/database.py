"""The local SQLite database: engine settings and one short session per operation.

WAL lets the UI read while a write is in progress; synchronous=FULL makes a committed acceptance
survive power loss, which matters more here than write speed (see platform-notes: ~0.18 ms/write).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import sessionmaker

from app.actor import SYSTEM_ACTOR, Actor
from app.changes import ChangeBus, capture_changes
from app.models.node import NodeInfo
from app.models.tracking import TrackedSession


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 5})
    event.listen(engine, "connect", _on_connect)
    return engine


class Database:
    """Handle to one workstation database; cheap to share between threads (sessions are not)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.engine = make_engine(self.path)
        self.changes = ChangeBus()  # what each committed transaction wrote: views and caches watch it
        capture_changes(self.engine, self.changes)
        self._factory = sessionmaker(self.engine, class_=TrackedSession, expire_on_commit=False)
        self._node_code: str | None = None

    @property
    def node_code(self) -> str:
        """This node's 2-digit code, or "00" before set-up (stamped on every row it creates)."""
        if self._node_code is None:
            with self._factory() as s:
                node = s.scalar(select(NodeInfo))
            if node is None:
                return "00"
            self._node_code = node.node_code
        return self._node_code

    def forget_node(self) -> None:
        self._node_code = None

    @contextmanager
    def session(self, actor: Actor | None = None) -> Iterator[TrackedSession]:
        """A session in one transaction: committed on success, rolled back on any exception."""
        with self._factory() as s:
            s.info["actor"] = actor or SYSTEM_ACTOR
            s.info["node_code"] = self.node_code
            with s.begin():
                yield s

    def dispose(self) -> None:
        self.engine.dispose()

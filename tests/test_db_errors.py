"""Environmental database failures become plain Chinese advice, not crash dialogs."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from app.database import Database
from app.db_errors import friendly_db_error


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("database or disk is full", "磁盘空间已满"),
        ("attempt to write a readonly database", "只读"),
        ("database is locked", "被其他程序占用"),
        ("unable to open database file", "无法打开数据库"),
        ("file is not a database", "已损坏"),
    ],
)
def test_messages(message: str, expected: str) -> None:
    wrapped = OperationalError("INSERT ...", {}, sqlite3.OperationalError(message))
    text = friendly_db_error(wrapped)
    assert text is not None and expected in text


def test_programming_errors_are_not_disguised() -> None:
    assert friendly_db_error(ValueError("bad value")) is None
    assert friendly_db_error(KeyError("x")) is None


def test_real_read_only_database(db: Database) -> None:
    conn = sqlite3.connect(f"file:{db.path}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as info:
            conn.execute("INSERT INTO app_meta(key, value) VALUES ('k', 'v')")
    finally:
        conn.close()
    text = friendly_db_error(info.value)
    assert text is not None and "只读" in text


def test_real_locked_database(db: Database) -> None:
    holder = sqlite3.connect(db.path, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        fast = Database(db.path)
        fast.engine.pool.dispose()
        from sqlalchemy import event, text

        event.listen(fast.engine, "connect", lambda c, _r: c.execute("PRAGMA busy_timeout=50"))
        with pytest.raises(OperationalError) as info:
            with fast.session() as s:
                s.execute(text("INSERT INTO app_meta(key, value) VALUES ('k', 'v')"))
        assert "被其他程序占用" in (friendly_db_error(info.value) or "")
        fast.dispose()
    finally:
        holder.rollback()
        holder.close()

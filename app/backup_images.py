"""电子件 images in a workstation backup: inside the SQLite copy itself (table backup_blob), so the one file
that leaves the machine is the whole workstation, and a restore on a new PC shows every page again.

Only images this database's pages name are carried, each checked against its hash when it is put
back; the table is dropped from the restored database, and this node's images are queued for the centre
again (it ignores those it has), since the backup may be older than some uploads. Only sqlite3 here.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from app.services.attachments.store import put_checked, read_blob

log = logging.getLogger(__name__)
TABLE = "backup_blob"


def _has(conn: sqlite3.Connection, table: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() is not None


def carry_images(conn: sqlite3.Connection, folder: Path) -> int:
    """Copy every named image this workstation holds into the backup; returns how many."""
    if not _has(conn, "case_page"):
        return 0
    hashes = [r[0] for r in conn.execute("SELECT DISTINCT sha256 FROM case_page ORDER BY sha256")]
    carried = 0
    with conn:
        conn.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL)")
        for sha in hashes:
            data = read_blob(folder, sha)
            if data is None:  # a director's workstation holds only the images it opened
                continue
            conn.execute(f"INSERT OR IGNORE INTO {TABLE} (sha256, data) VALUES (?, ?)", (sha, data))
            carried += 1
    return carried


def unpack_images(conn: sqlite3.Connection, folder: Path) -> int:
    """Put the backup's images into this data folder's store and drop their table; returns how many."""
    if not _has(conn, TABLE):
        return 0
    restored = 0
    for sha, data in conn.execute(f"SELECT sha256, data FROM {TABLE}"):
        if put_checked(folder, str(sha), bytes(data)):
            restored += 1
        else:
            log.warning("restore: image %s in the backup does not match its hash; left out", sha)
    with conn:
        conn.execute(f"DROP TABLE {TABLE}")
    conn.execute("VACUUM")  # the restored database does not keep the images' pages
    return restored


def requeue_images(conn: sqlite3.Connection) -> None:
    """This node's images go to the centre again (inside the restore's transaction)."""
    if not (_has(conn, "case_page") and _has(conn, "blob_outbox")):
        return
    conn.execute("INSERT OR IGNORE INTO blob_outbox (sha256, queued_at, attempts, next_try_at, last_error)"
                 " SELECT DISTINCT sha256, strftime('%Y-%m-%d %H:%M:%f', 'now'), 0, NULL, '' FROM case_page"
                 " WHERE origin_node = (SELECT node_code FROM node_info LIMIT 1)")

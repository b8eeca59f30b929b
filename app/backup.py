"""Backups as commands: a checked, self-contained copy of the workstation database, and its restore.

A backup is made with SQLite's online backup API (safe while the desktop is working), carries the
numbers floor inside the copy (its doc_sequence rows are raised to the floor file's values, so the
file alone is enough on a replacement PC), is checked before it gets its final name (a failed copy
leaves nothing that looks like a backup), and, when it may leave the machine, holds no device token.

A restore refuses anything that is not such a backup, is damaged, or belongs to another centre or
node than the data folder; it keeps the folder's own device token and floor, and marks the database
as restored so that a workstation joined to a centre issues no number before the centre has told it
which numbers it already used (app.services.numbering). Only sqlite3 here: start-up backups use it
before SQLAlchemy is loaded.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.backup_images import carry_images, requeue_images, unpack_images
from app.clock import utc_now
from app.number_floor import floor_for, fsync_directory, parse_key
from app.safe_write import fsync_file
from app.services.attachments.store import attachments_dir
from app.services.errors import UserError

log = logging.getLogger(__name__)
BACKUP_AT_KEY = "backup_at"  # app_meta: present only in backup files; what makes a file a backup
RESTORED_AT_KEY = "restored_at"  # same keys as app.services.numbering (kept free of SQLAlchemy here)
NUMBERS_VERIFIED_KEY = "numbers_verified"
SQLITE_HEADER = b"SQLite format 3\x00"
STALE_PART_SECONDS = 3600


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file says about itself."""

    center_code: str
    center_name: str
    node_code: str
    node_name: str
    training: bool
    backup_at: str
    joined: bool  # the node had joined a centre when the backup was made
    has_token: bool  # a local (start-up) backup keeps the device token; `backup -o` never does


@dataclass(frozen=True)
class RestoreReport:
    info: BackupInfo
    replaced: bool  # an existing workstation database was replaced (its copy is in backups/)
    safety_copy: Path | None
    must_rejoin: bool  # joined node restored without a device token: enrol it again


class BackupError(UserError):
    """A backup or restore that cannot be done; nothing was changed."""


def write_backup(db_path: Path, target: Path, *, keep_token: bool, full_check: bool = True) -> Path:
    """A consistent, self-contained copy of the database at `target`, floor included.

    Written under a temporary name beside the target and renamed only after the check passed, so a
    full disk or a crash never leaves a partial file under a backup's name. `keep_token` is for the
    start-up backups that stay in this data folder; copies made to be carried away leave it out.
    """
    if not db_path.is_file():
        raise BackupError(f"数据文件夹中没有工作站数据库（{db_path}），没有可备份的内容")
    target = Path(target)
    if _same_file(target, db_path) or (target.name.startswith(db_path.name)
                                       and _same_file(target.parent, db_path.parent)):
        raise BackupError("备份文件不能写在工作站数据库本身的位置，请另选文件名")
    if target.exists() and not _is_backup_file(target):
        raise BackupError(f"{target} 已存在且不是工作站备份，未覆盖；请另选文件名")
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    try:
        os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # owner-only from the start
        with closing(sqlite3.connect(db_path, timeout=30)) as src, closing(sqlite3.connect(part)) as dst:
            src.backup(dst)
            src.close()
            _seal(dst, floor_for(db_path).read(), keep_token)
            if not keep_token:  # a copy that leaves the machine carries the 电子件 images inside it
                carry_images(dst, attachments_dir(db_path))
            _check(dst, full_check)
        fsync_file(part)
        os.replace(part, target)
        fsync_directory(target.parent)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return target


def _seal(conn: sqlite3.Connection, floors: dict[str, int], keep_token: bool) -> None:
    """Make the copy stand alone: one file (no WAL), the floor in its sequences, the stamp, no token."""
    conn.execute("PRAGMA journal_mode=DELETE")
    tables = _tables(conn)
    with conn:
        if "doc_sequence" in tables:
            _raise_sequences(conn, floors)
        if not keep_token:  # secrets stay on this machine; secure_delete leaves no copy in free pages
            conn.execute("PRAGMA secure_delete=ON")
            if "sync_state" in tables:
                conn.execute("UPDATE sync_state SET device_token = ''")
            if "authority_proof" in tables:  # the centre's proofs of who a director or admin is
                conn.execute("DELETE FROM authority_proof")
        if "app_meta" in tables:  # a pre-schema file saved before its first upgrade has none
            conn.execute("INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)",
                         (BACKUP_AT_KEY, utc_now().isoformat(timespec="seconds")))


def _raise_sequences(conn: sqlite3.Connection, floors: dict[str, int]) -> None:
    for key, last in floors.items():
        parsed = parse_key(key)
        if parsed is None:
            continue
        conn.execute(
            "INSERT INTO doc_sequence (kind, day, last) VALUES (?, ?, ?) "
            "ON CONFLICT (kind, day) DO UPDATE SET last = max(last, excluded.last)",
            (parsed[0], parsed[1].isoformat(), last),
        )


def _check(conn: sqlite3.Connection, full: bool) -> None:
    rows = conn.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        raise BackupError("备份副本未通过完整性检查，已放弃；请检查磁盘后重试")


def read_backup(path: Path) -> BackupInfo:
    """What the file holds, after checking that it is an intact workstation backup this program can use."""
    from app.migrations import SCHEMA_MAJOR

    path = Path(path)
    not_backup = f"{path.name} 不是工作站备份文件（请选择用 backup 命令生成的文件）"
    try:
        with open(path, "rb") as handle:
            if handle.read(16) != SQLITE_HEADER:
                raise BackupError(not_backup)
    except FileNotFoundError:
        raise BackupError(f"找不到备份文件：{path}") from None
    except IsADirectoryError:
        raise BackupError(not_backup) from None
    try:
        with _read_only(path) as conn:
            tables = _tables(conn)
            if not {"app_meta", "node_info", "doc_sequence"} <= tables:
                raise BackupError(not_backup)
            meta = dict(conn.execute("SELECT key, value FROM app_meta").fetchall())
            if BACKUP_AT_KEY not in meta or "schema_major" not in meta:
                raise BackupError(not_backup)
            if [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()] != ["ok"]:
                raise BackupError(f"备份文件 {path.name} 已损坏（完整性检查未通过），不能恢复")
            if not str(meta["schema_major"]).isdigit():
                raise BackupError(not_backup)
            if int(meta["schema_major"]) > SCHEMA_MAJOR:
                raise BackupError("此备份由更新版本的工作站程序生成，请先升级本机程序再恢复")
            node = conn.execute("SELECT center_code, center_name, node_code, node_name, training "
                                "FROM node_info LIMIT 1").fetchone()
            if node is None:
                raise BackupError(f"{path.name} 是尚未设置的工作站的备份，没有可恢复的内容")
            token = conn.execute("SELECT device_token FROM sync_state LIMIT 1").fetchone() \
                if "sync_state" in tables else None
    except sqlite3.DatabaseError:
        raise BackupError(not_backup) from None
    return BackupInfo(center_code=node[0], center_name=node[1], node_code=node[2], node_name=node[3],
                      training=bool(node[4]), backup_at=meta[BACKUP_AT_KEY], joined=token is not None,
                      has_token=bool(token and token[0]))


@dataclass(frozen=True)
class _Existing:
    center_code: str
    node_code: str
    node_name: str
    token: str
    sequences: dict[str, int]


def _existing(db_path: Path) -> _Existing | None:
    """The data folder's current workstation, or None when there is none (or none set up yet)."""
    if not db_path.exists():
        return None
    with closing(sqlite3.connect(db_path, timeout=30)) as conn:
        tables = _tables(conn)
        node = conn.execute("SELECT center_code, node_code, node_name FROM node_info LIMIT 1").fetchone() \
            if "node_info" in tables else None
        if node is None:
            return None
        token = conn.execute("SELECT device_token FROM sync_state LIMIT 1").fetchone() \
            if "sync_state" in tables else None
        sequences = {f"{kind}:{day}": int(last) for kind, day, last in
                     conn.execute("SELECT kind, day, last FROM doc_sequence")} if "doc_sequence" in tables else {}
    return _Existing(node[0], node[1], node[2], token[0] if token else "", sequences)


def restore(backup: Path, db_path: Path, backups_dir: Path, *, training: bool = False) -> RestoreReport:
    """Put the backup in place of the data folder's database (or into an empty folder).

    The database it replaces is kept in backups/ first. The restored copy keeps the numbers of both
    (the highest of the backup's, the folder's floor file and the replaced database's) and this
    machine's device token, and is marked so that a joined workstation checks with its centre before
    it issues any number.
    """
    info = read_backup(backup)
    if info.training != training:
        raise BackupError("培训数据库的备份只能恢复到培训模式（--training）" if info.training
                          else "正式数据库的备份不能恢复到培训模式")
    try:
        existing = _existing(db_path)
        unreadable = False
    except sqlite3.DatabaseError:
        existing, unreadable = None, True  # a damaged database is a reason to restore, not to refuse
    if existing is not None and (existing.center_code, existing.node_code) != (info.center_code, info.node_code):
        raise BackupError(
            f"此备份属于中心 {info.center_code} 的 {info.node_code} 号节点（{info.node_name}），"
            f"本数据文件夹是中心 {existing.center_code} 的 {existing.node_code} 号节点（{existing.node_name}），未恢复")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    floor = floor_for(db_path)
    carried = dict(floor.read())
    for key, last in (existing.sequences if existing else {}).items():
        carried[key] = max(carried.get(key, 0), last)
    token = existing.token if existing else ""
    part = db_path.with_name(f".{db_path.name}.restore-{os.getpid()}-{secrets.token_hex(4)}.part")
    safety: Path | None = None
    try:
        os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        with _read_only(backup) as src, closing(sqlite3.connect(part)) as dst:
            src.backup(dst)
            images = unpack_images(dst, attachments_dir(db_path))  # before the database names them
            _mark_restored(dst, carried, token)
            _check(dst, full=False)  # the backup itself passed integrity_check in read_backup
        if images:
            log.info("restore: %d 电子件 images put back", images)
        if db_path.exists() and not unreadable:
            from app.migrations import backup_database

            safety = backup_database(db_path, backups_dir, "before-restore")
        _install(part, db_path, unreadable)
    finally:
        part.unlink(missing_ok=True)
    with closing(sqlite3.connect(db_path, timeout=30)) as conn:
        restored = dict(conn.execute("SELECT kind || ':' || day, last FROM doc_sequence").fetchall())
    floor.raise_many({k: int(v) for k, v in restored.items()})
    return RestoreReport(info, replaced=existing is not None or unreadable,
                         safety_copy=safety, must_rejoin=info.joined and not token and not info.has_token)


def _mark_restored(conn: sqlite3.Connection, carried: dict[str, int], token: str) -> None:
    with conn:
        _raise_sequences(conn, carried)
        conn.execute("DELETE FROM app_meta WHERE key = ?", (BACKUP_AT_KEY,))
        conn.executemany("INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)",
                         [(RESTORED_AT_KEY, utc_now().isoformat(timespec="seconds")), (NUMBERS_VERIFIED_KEY, "0")])
        if token and "sync_state" in _tables(conn):
            conn.execute("UPDATE sync_state SET device_token = ?", (token,))
        requeue_images(conn)


def _install(part: Path, db_path: Path, damaged: bool) -> None:
    """Copy into the live database through SQLite (other connections see one atomic change); a damaged
    or absent file is replaced outright, with its stale journal files."""
    if db_path.exists() and not damaged:
        try:
            with closing(sqlite3.connect(part)) as src, closing(sqlite3.connect(db_path, timeout=30)) as dst:
                src.backup(dst)
            return
        except sqlite3.DatabaseError:  # the live file cannot take the copy: it is replaced outright below
            log.warning("restore: copying into %s failed, replacing the file", db_path)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    fsync_file(part)
    os.replace(part, db_path)
    fsync_directory(db_path.parent)


def clear_stale_parts(folder: Path) -> None:
    """Temporary files of backups interrupted long ago (a kill or a power cut during the copy)."""
    cutoff = time.time() - STALE_PART_SECONDS
    for part in folder.glob(".*.part"):
        with contextlib.suppress(OSError):  # gone meanwhile or not ours: the next start tries again
            if part.stat().st_mtime < cutoff:
                part.unlink()


def _is_backup_file(path: Path) -> bool:
    try:
        with _read_only(path) as conn:
            return conn.execute("SELECT 1 FROM app_meta WHERE key = ?", (BACKUP_AT_KEY,)).fetchone() is not None
    except (sqlite3.DatabaseError, OSError):
        return False


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        yield conn
    finally:
        conn.close()


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and os.path.samefile(a, b)
    except OSError:
        return False


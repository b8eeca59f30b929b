"""Schema migrations and the start-up routine that backs up, checks and upgrades the database.

The current head and the schema's major version are constants so that a normal start (database
already current) needs only the sqlite3 module: Alembic is imported only when there is work to do.
A newer *minor* schema (an unknown revision with the same major) is opened as it is, because minor
migrations only add; a newer *major* schema is refused.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.clock import local_now

SCHEMA_HEAD = "0026"
SCHEMA_MAJOR = 1
MIGRATIONS_DIR = Path(__file__).resolve().parent
BACKUPS_KEPT = 10


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer major version of the workstation."""


@dataclass(frozen=True)
class StartupReport:
    created: bool
    upgraded_from: str | None
    backup: Path | None


def read_schema_state(db_path: Path) -> tuple[str | None, int | None]:
    """(alembic revision, schema major) of an existing database, read without SQLAlchemy."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        major = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        if "app_meta" in tables:
            row = conn.execute("SELECT value FROM app_meta WHERE key='schema_major'").fetchone()
            major = int(row[0]) if row else None
        return revision, major
    finally:
        conn.close()


def backup_database(db_path: Path, backup_dir: Path, label: str) -> Path:
    """Consistent copy through SQLite's online backup (safe with WAL), carrying the numbers floor and
    checked before it gets its name (app.backup); keeps the newest few. A failed copy leaves no file
    that counts as the day's backup."""
    from app.backup import clear_stale_parts, write_backup

    backup_dir.mkdir(parents=True, exist_ok=True)
    clear_stale_parts(backup_dir)
    stamp = local_now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"{db_path.stem}-{stamp}-{label}.sqlite3"
    write_backup(db_path, target, keep_token=True, full_check=False)  # stays on this machine
    backups = sorted(backup_dir.glob(f"{db_path.stem}-*.sqlite3"))
    for old in backups[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return target


def _backed_up_today(db_path: Path, backup_dir: Path) -> bool:
    """A usable backup of today exists (an empty file left by an older version does not count)."""
    today = local_now().strftime("%Y%m%d")
    for path in backup_dir.glob(f"{db_path.stem}-{today}-*.sqlite3"):
        try:
            if path.stat().st_size > 0:
                return True
        except OSError:
            continue
    return False


def _migration_engine(db_path: Path):  # type: ignore[no-untyped-def]
    """Like the app's engine, but with foreign keys off: SQLite batch migrations rebuild tables
    (copy, drop, rename), which referencing tables would otherwise forbid. Checked afterwards."""
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{db_path}", connect_args={"timeout": 5})

    def on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.close()

    event.listen(engine, "connect", on_connect)
    return engine


def migrate(db_path: Path, revision: str, direction: str = "upgrade") -> None:
    """Run Alembic migrations on the database file, then insist that every foreign key still holds."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = _migration_engine(db_path)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            getattr(command, direction)(cfg, revision)
            broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if broken:
                raise RuntimeError(f"数据库迁移后外键不一致：{broken[:5]}")
    finally:
        engine.dispose()


def upgrade(db_path: Path, revision: str = "head") -> None:
    migrate(db_path, revision, "upgrade")


def known_revisions() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}


def prepare(db_path: Path, backup_dir: Path) -> StartupReport:
    """Create, or back up and upgrade, the database at start; refuse a newer major schema."""
    if not db_path.exists():
        db_path.parent.mkdir(parents=True, exist_ok=True)
        upgrade(db_path)
        return StartupReport(created=True, upgraded_from=None, backup=None)
    revision, major = read_schema_state(db_path)
    if major is not None and major > SCHEMA_MAJOR:
        raise SchemaTooNewError(
            f"数据库结构版本（{major}）高于本程序支持的版本（{SCHEMA_MAJOR}），"
            "请先升级工作站程序，再打开此数据库。"
        )
    if revision == SCHEMA_HEAD:
        backup = None
        if not _backed_up_today(db_path, backup_dir):
            backup = backup_database(db_path, backup_dir, "daily")
        return StartupReport(created=False, upgraded_from=None, backup=backup)
    if revision is not None and revision not in known_revisions():
        # Same major, newer minor revision: additive changes only, so this version can use it.
        return StartupReport(created=False, upgraded_from=None, backup=None)
    backup = backup_database(db_path, backup_dir, f"before-upgrade-{revision or 'none'}")
    upgrade(db_path)
    return StartupReport(created=False, upgraded_from=revision or "base", backup=backup)

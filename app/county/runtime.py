"""A county on one machine: its own PostgreSQL (embedded with pgserver under <data>/county, or any
PostgreSQL 16+ given by --db), with its tables made or widened at every start (app.county.schema)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert

from app.center.db import embedded_url, engine_for
from app.center.publication import open_to_server
from app.county.errors import CountyError
from app.county.schema import county_info, ensure_schema
from app.county.serverlog import LOG_LINE_PREFIX
from app.paths import make_private_dir

NAME_KEY = "county_name"
MAX_NAME = 40


def _log_codes(engine: Engine) -> None:
    """The embedded server logs each error's SQLSTATE, which tells a dropped connection from a conflict."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if conn.exec_driver_sql("SHOW log_line_prefix").scalar() != LOG_LINE_PREFIX:
            raw: Any = conn.connection.driver_connection  # its own text: the prefix's % are no placeholders
            raw.execute(f"ALTER SYSTEM SET log_line_prefix = '{LOG_LINE_PREFIX}'")
            raw.execute("SELECT pg_reload_conf()")


class County:
    def __init__(self, folder: Path, db_url: str | None = None) -> None:
        self.folder = Path(folder)
        self.db_url = db_url
        self.server: Any = None
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            make_private_dir(self.folder)
            url = self.db_url
            if url is None:
                url, self.server = embedded_url(self.folder / "pgdata")
                open_to_server(self.server)  # run as root, the server's own user must reach its folder
            engine = engine_for(url)
            try:
                ensure_schema(engine)
                if self.server is not None:
                    _log_codes(engine)
            except Exception as exc:
                engine.dispose()
                first = str(exc).splitlines()[0] if str(exc) else ""
                raise CountyError(f"无法连接或准备县级数据库：{exc.__class__.__name__}: {first}"[:300]) from exc
            self._engine = engine
        return self._engine

    @property
    def log_path(self) -> Path | None:
        """The embedded server's log, where the subscriptions' errors are written (None for --db)."""
        _ = self.engine  # starts the embedded server, which names its log
        return Path(self.server.log) if self.server is not None else None

    def served_elsewhere(self) -> bool | None:
        """Whether another process (`county serve`) keeps the embedded server running: pgserver stops it
        with its last process, and the subscriptions with it. None for an external server."""
        if self.db_url is not None:
            return None
        _ = self.engine
        from app.center.publication import other_users

        return bool(other_users(self.server))

    def name(self) -> str:
        with self.engine.connect() as conn:
            return str(conn.scalar(select(county_info.c.value).where(county_info.c.key == NAME_KEY)) or "")

    def set_name(self, name: str) -> str:
        """The county's name as its reports print it (镇赉县)."""
        name = (name or "").strip()
        if not name or len(name) > MAX_NAME or any(ord(ch) < 32 for ch in name):
            raise CountyError(f"县级名称应为1–{MAX_NAME}个字符")
        with self.engine.begin() as conn:
            stmt = insert(county_info).values(key=NAME_KEY, value=name)
            conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": name}))
        return name

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

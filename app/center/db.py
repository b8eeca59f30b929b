"""Connecting to the centre's PostgreSQL (given, or embedded with pgserver) and migrating it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine

from app.center.errors import CenterError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
CENTER_SCHEMA_HEAD = "c0018"


class CenterDbError(CenterError):
    """The centre's database cannot be reached or prepared; the message is for people."""


def engine_for(url: str) -> Engine:
    """SQLAlchemy engine on psycopg 3 for a postgresql:// URL."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    elif url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    return create_engine(url, pool_size=4, max_overflow=4, pool_pre_ping=True)


def embedded_url(pgdata: Path) -> tuple[str, Any]:
    """Start (or reuse) an embedded PostgreSQL in pgdata; returns its URL and the server handle."""
    if not os.environ.get("XDG_RUNTIME_DIR"):  # pgserver asks platformdirs for one; a private folder
        runtime = pgdata.parent / "run"
        runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    try:
        import pgserver
    except ImportError as exc:  # pragma: no cover - pinned dependency
        raise CenterDbError("缺少内置 PostgreSQL（pgserver），请重新安装") from exc
    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    return server.get_uri(), server


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the centre's schema to the revision (the centre upgrades before its workstations)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)

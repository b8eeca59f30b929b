"""Opening a workstation: folders, logging, backup and upgrade of the database, training data.

prepare_workstation() needs only sqlite3 when the schema is current, so the desktop client can show
its first window before SQLAlchemy is imported; open_workstation() also builds the Database.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from app.logs import setup_logging
from app.migrations import StartupReport, prepare
from app.paths import DataLayout

if TYPE_CHECKING:
    from app.database import Database

log = logging.getLogger(__name__)


def prepare_workstation(data_dir: Path, training: bool = False) -> tuple[DataLayout, StartupReport]:
    """Folders, logging, backup and migrations; raises SchemaTooNewError for a newer major schema."""
    layout = DataLayout(data_dir, training)
    layout.ensure()  # OSError on a read-only or missing data folder: callers turn it into advice
    setup_logging(layout.logs)  # never raises: falls back to the console without tracebacks
    report = prepare(layout.database, layout.backups)
    layout.tighten_files()  # the database (and so its -wal/-shm) and backups readable by the owner only
    if report.upgraded_from is not None:
        log.info("database upgraded from %s, backup at %s", report.upgraded_from, report.backup)
    return layout, report


def open_workstation(data_dir: Path, training: bool = False) -> tuple[Database, StartupReport]:
    """The ready database (the training one filled with demo data on first use)."""
    from app.database import Database

    layout, report = prepare_workstation(data_dir, training)
    db = Database(layout.database)
    if training:
        from app.services.training import ensure_training_database

        if ensure_training_database(db):
            log.info("training database filled with demo data")
    return db, report

"""Schema migrations at start: creation, upgrade of an old file with backup, refusal of newer majors."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from app.database import Database
from app.migrations import SCHEMA_HEAD, SchemaTooNewError, known_revisions, prepare, read_schema_state
from app.models import Base, ServiceItem, Staff
from app.paths import DataLayout
from app.startup import open_workstation

FIXTURE = Path(__file__).parent / "fixtures" / "schema_v1_0001.sqlite3"


def test_head_constant_matches_the_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from app.migrations import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(cfg).get_current_head() == SCHEMA_HEAD
    assert SCHEMA_HEAD in known_revisions()


def test_migrated_schema_matches_the_models(blank_db: Database) -> None:
    def not_fts(name: str | None, kind: str, _parent: object) -> bool:
        return not (kind == "table" and name is not None and name.startswith("case_search"))

    with blank_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": not_fts})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_first_schema_database_upgrades_to_current(data_dir: Path) -> None:
    layout = DataLayout(data_dir)
    layout.ensure()
    shutil.copy(FIXTURE, layout.database)
    db, report = open_workstation(data_dir)
    try:
        assert read_schema_state(layout.database) == (SCHEMA_HEAD, 1)
        with db.session() as s:
            assert len(s.scalars(select(ServiceItem)).all()) == 34
            assert s.scalars(select(Staff.staff_no)).all() == ["admin"]
        assert db.node_code == "03"
        assert report.upgraded_from == "0001"
        assert report.backup is not None and "before-upgrade-0001" in report.backup.name
        assert read_schema_state(report.backup) == ("0001", 1)
    finally:
        db.dispose()


def test_existing_unmigrated_file_is_backed_up_then_upgraded(data_dir: Path) -> None:
    layout = DataLayout(data_dir)
    layout.ensure()
    conn = sqlite3.connect(layout.database)
    conn.execute("CREATE TABLE leftover (x INTEGER)")
    conn.execute("INSERT INTO leftover VALUES (42)")
    conn.commit()
    conn.close()
    report = prepare(layout.database, layout.backups)
    assert report.upgraded_from == "base" and not report.created
    assert report.backup is not None and "before-upgrade-none" in report.backup.name
    backup = sqlite3.connect(report.backup)
    assert backup.execute("SELECT x FROM leftover").fetchone() == (42,)
    backup.close()
    assert read_schema_state(layout.database) == (SCHEMA_HEAD, 1)


def test_newer_major_schema_is_refused(data_dir: Path) -> None:
    layout = DataLayout(data_dir)
    layout.ensure()
    shutil.copy(FIXTURE, layout.database)
    conn = sqlite3.connect(layout.database)
    conn.execute("UPDATE app_meta SET value='2' WHERE key='schema_major'")
    conn.execute("UPDATE alembic_version SET version_num='9001'")
    conn.commit()
    conn.close()
    original = layout.database.read_bytes()
    with pytest.raises(SchemaTooNewError, match="请先升级工作站程序"):
        prepare(layout.database, layout.backups)
    assert layout.database.read_bytes() == original


def test_newer_minor_schema_is_opened_as_is(data_dir: Path) -> None:
    layout = DataLayout(data_dir)
    layout.ensure()
    shutil.copy(FIXTURE, layout.database)
    conn = sqlite3.connect(layout.database)
    conn.execute("UPDATE alembic_version SET version_num='0099'")
    conn.commit()
    conn.close()
    report = prepare(layout.database, layout.backups)
    assert report.upgraded_from is None
    assert read_schema_state(layout.database) == ("0099", 1)


def test_daily_backup_once_per_day(db: Database) -> None:
    layout = DataLayout(db.path.parent)
    first = prepare(layout.database, layout.backups)
    second = prepare(layout.database, layout.backups)
    assert first.backup is not None and first.backup.exists()
    assert second.backup is None
    copy = sqlite3.connect(first.backup)
    assert copy.execute("SELECT count(*) FROM service_item").fetchone()[0] == 34
    copy.close()


def test_0009_keeps_the_days_numbered_before_it(tmp_path: Path) -> None:
    """Days numbered before 0009 keep their count; reserved starts at 0, so their next number reads
    the floor file as before (app.services.numbering); a downgrade drops only the new column."""
    from app.migrations import migrate, upgrade

    path = tmp_path / "w.sqlite3"
    upgrade(path, "0008")
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO doc_sequence (kind, day, last) VALUES ('case', '2026-11-20', 17)")
    conn.close()
    upgrade(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT kind, day, last, reserved FROM doc_sequence").fetchall() == [
            ("case", "2026-11-20", 17, 0)]
        conn.execute("INSERT INTO doc_sequence (kind, day, last) VALUES ('notice', '2026-11-20', 1)")  # as backups do
    conn.close()
    migrate(path, "0008", "downgrade")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT * FROM doc_sequence ORDER BY kind").fetchall() == [
            ("case", "2026-11-20", 17), ("notice", "2026-11-20", 1)]
    conn.close()
    assert read_schema_state(path) == ("0008", 1)


@pytest.mark.usefixtures("china_time")
def test_0010_gives_paused_cases_their_state_and_tells_the_centre(db: Database) -> None:
    from datetime import date, datetime, timedelta, timezone

    from app.migrations import migrate, upgrade
    from app.services.cases.deadlines import pause_case
    from app.services.cases.records import accept_case
    from app.services.people.auth import login
    from tests.conftest import ADMIN_PASSWORD
    from tests.test_cases import form

    admin = login(db, "admin", ADMIN_PASSWORD)
    monday = datetime(2026, 11, 2, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    paused = accept_case(db, admin, form(db, "YB-003"), now=monday)
    running = accept_case(db, admin, form(db, "YB-003"), now=monday)
    pause_case(db, admin, paused, "专家评审", date(2026, 11, 4), 3, now=monday + timedelta(days=2))
    path = db.path
    db.dispose()
    migrate(path, "0009", "downgrade")  # as an older version left it: paused, yet "accepted"
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT status FROM case_file WHERE number = ?", (paused,)).fetchone() == ("accepted",)
        outbox_before = conn.execute("SELECT count(*) FROM outbox WHERE table_name = 'case_file'").fetchone()[0]
    conn.close()
    upgrade(path, "0010")
    with sqlite3.connect(path) as conn:
        states = dict(conn.execute("SELECT number, status FROM case_file").fetchall())
        pointers = conn.execute("SELECT count(*) FROM outbox WHERE table_name = 'case_file'").fetchone()[0]
    conn.close()
    assert states == {paused: "suspended", running: "accepted"}
    assert pointers == outbox_before + 1  # the new state goes up to the centre


@pytest.mark.usefixtures("china_time")
def test_0011_caches_owner_and_trips_and_keeps_events_append_only(db: Database) -> None:
    """Existing cases get their owner and trip count from their events; a recorded event can no longer
    be changed or deleted, yet an identical re-apply (as the sync does) passes."""
    from datetime import datetime, timedelta, timezone

    from app.migrations import migrate, upgrade
    from app.services.cases.records import accept_case, complete_materials, get_case
    from app.services.people.auth import login
    from tests.conftest import ADMIN_PASSWORD
    from tests.test_cases import form

    admin = login(db, "admin", ADMIN_PASSWORD)
    monday = datetime(2026, 11, 2, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    plain = accept_case(db, admin, form(db, "YB-003"), now=monday)
    twice = accept_case(db, admin, form(db, "YB-003", "supplement", seqs=[1]), now=monday)
    materials = next(c for c in [get_case(db, twice)] if c is not None).item.materials
    complete_materials(db, admin, twice, list(range(1, len(materials) + 1)), now=monday + timedelta(days=1))
    path = db.path
    db.dispose()
    migrate(path, "0010", "downgrade")
    upgrade(path, "0011")
    with sqlite3.connect(path) as conn:
        rows = dict((n, (o, t)) for n, o, t in conn.execute("SELECT number, owner_node, trips FROM case_file"))
        node = conn.execute("SELECT node_code FROM node_info").fetchone()[0]
        assert rows == {plain: (node, 1), twice: (node, 2)}
        event = conn.execute("SELECT id, kind FROM case_event LIMIT 1").fetchone()
        conn.execute("UPDATE case_event SET kind = kind WHERE id = ?", (event[0],))  # identical: passes
        with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
            conn.execute("UPDATE case_event SET kind = 'withdrawn' WHERE id = ?", (event[0],))
        with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
            conn.execute("DELETE FROM case_event WHERE id = ?", (event[0],))
    conn.close()

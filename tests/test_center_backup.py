"""Centre backups: `center backup` is a checked pg_dump, and `center restore` of an older backup, as a new
generation, brings every workstation's acknowledged cases back, exactly once, with a working feed."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from app.center.backup import CenterBackupError, restore_center, write_center_backup
from app.center.db import CENTER_SCHEMA_HEAD, MIGRATIONS_DIR
from app.center.nodes import revoke
from app.center.runtime import Center
from app.models import Case
from app.sync.transport import LocalTransport
from tests.sync_helpers import Station, accept, enrol, make_center

pytestmark = pytest.mark.usefixtures("china_time")


def _held(station: Station) -> set[str]:
    with station.db.session() as s:
        return set(s.scalars(select(Case.number)))


def _acknowledged(station: Station) -> set[str]:
    """The cases a workstation holds when the centre has acknowledged everything it wrote."""
    from app.sync.client import load_state
    from app.sync.outbox import pending_count

    state = load_state(station.db)
    assert state is not None
    with station.db.engine.connect() as conn:
        assert pending_count(conn, state.acked_seq) == 0
    return _held(station)


def _synced(*stations: Station) -> None:
    for station in stations:
        report = station.sync()
        assert report.ok and not report.rejected, report


def _centre_cases(center: Center) -> list[tuple[str, str]]:
    with center.engine.connect() as conn:
        return [(r[0], r[1]) for r in conn.execute(text("SELECT _owner, number FROM case_file"))]


def _state(center: Center) -> tuple[Any, ...]:
    """What a refused restore must leave as it was."""
    with center.engine.connect() as conn:
        generation = conn.execute(text("SELECT value FROM center_info WHERE key = 'generation'")).scalar_one()
        cases = sorted(conn.execute(text("SELECT number FROM case_file")).scalars())
        nodes = sorted(conn.execute(text("SELECT node_code, token_hash, acked_seq FROM center_node")).all())
    center.engine.dispose()  # the restore must see no other connection
    return generation, cases, nodes


def _accept(station: Station, start: int, count: int) -> list[str]:
    actor = station.actor()
    return [accept(station, actor, n) for n in range(start, start + count)]


def test_restoring_an_older_backup_brings_every_acknowledged_case_back(center: Center, tmp_path: Path) -> None:
    director = enrol(center, tmp_path / "d", "09", kind="director", name="主任")
    w1, w2 = enrol(center, tmp_path / "w1", "01"), enrol(center, tmp_path / "w2", "02")
    w4 = enrol(center, tmp_path / "w4", "04")
    _synced(director, w1, w2, w4)
    _accept(w1, 0, 3)
    _accept(w2, 10, 3)
    _synced(w1, w2)
    backup = write_center_backup(center, tmp_path / "centre.dump")
    assert backup.size > 1024 and backup.archive.revision == CENTER_SCHEMA_HEAD
    assert oct(backup.path.stat().st_mode & 0o777) == "0o600"

    _accept(w1, 3, 3)
    _accept(w2, 13, 3)
    w3 = enrol(center, tmp_path / "w3", "03")  # enrolled after the backup: the backup has no such device
    _synced(w3)
    _accept(w3, 20, 2)
    _synced(w1, w2, w3)
    assert revoke(center.engine, "04")  # a laptop lost after the backup: the backup still trusts it
    acknowledged = {s.code: _acknowledged(s) for s in (w1, w2, w3)}
    assert [len(v) for v in acknowledged.values()] == [6, 6, 2]

    center.engine.dispose()  # the service is stopped for a restore: no connection of ours may remain
    report = restore_center(center, backup.path)
    assert report.cases == 6 and report.revision == CENTER_SCHEMA_HEAD and report.rebased == 0
    assert center.info()["generation"] == report.generation != backup.archive.generation  # workstations re-download
    assert report.plan.kept == ["03"] and report.plan.still_revoked == ["04"]

    _synced(w1, w2, w3)  # each sees the new generation and pushes again what the centre lacks
    rows = _centre_cases(center)
    numbers = [n for _owner, n in rows]
    assert len(numbers) == len(set(numbers)) == 14  # every case exactly once
    for code, held in acknowledged.items():
        assert {n for owner, n in rows if owner == code} == held
    assert not w4.sync().ok  # revoked since the backup: still revoked
    _synced(director)  # downloads afresh: the restored and the pushed-again cases
    assert _held(director) == set(numbers)
    newest = _accept(w1, 6, 1)[0]
    _synced(w1)
    pulled = director.sync()
    assert pulled.ok and pulled.pulled > 0 and newest in _held(director)
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM quarantine")).scalar_one() == 0


def test_a_device_replaced_since_the_backup_pushes_all_it_keeps(center: Center, tmp_path: Path) -> None:
    """The backup's acknowledged mark for 02 belongs to the PC that died: its replacement, enrolled after
    the backup, has its own outbox and must push all of it again."""
    old_pc = enrol(center, tmp_path / "old-pc", "02")
    _synced(old_pc)
    before = set(_accept(old_pc, 0, 2))
    _synced(old_pc)
    backup = write_center_backup(center, tmp_path / "centre.dump")
    assert revoke(center.engine, "02")
    new_pc = enrol(center, tmp_path / "new-pc", "02")
    _synced(new_pc)
    _accept(new_pc, 2, 5)
    _synced(new_pc)
    held = _acknowledged(new_pc)

    center.engine.dispose()
    report = restore_center(center, backup.path)
    assert report.plan.kept == ["02"]
    _synced(new_pc)
    rows = _centre_cases(center)
    assert len(rows) == len({n for _o, n in rows})
    assert {n for owner, n in rows if owner == "02"} == before | held
    assert not old_pc.sync().ok  # the dead PC's credential stays replaced


def _burn_xids(url: str, count: int) -> None:
    """Transaction ids used up, as a centre that has worked for months has."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("SET synchronous_commit = off"))
        conn.execute(text(f"DO $$ BEGIN FOR i IN 1..{count} LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$"))
    engine.dispose()


def test_a_backup_restored_on_a_new_machine_feeds_every_row(center: Center, tmp_path: Path) -> None:
    """The embedded server of a new centre folder counts transactions from the start: rows restored with
    the old server's ids would lie ahead of it and the feed would hide them."""
    assert center.db_url is not None
    _burn_xids(center.db_url, 6000)
    w1 = enrol(center, tmp_path / "w1", "01")
    _synced(w1)
    restored = set(_accept(w1, 0, 3))
    _synced(w1)
    backup = write_center_backup(center, tmp_path / "centre.dump")
    with center.engine.connect() as conn:
        old_xid = conn.execute(text("SELECT max(_xid) FROM case_file")).scalar_one()

    new = Center(tmp_path / "new-machine" / "center")  # no --db: the embedded server, created by the restore
    try:
        report = restore_center(new, backup.path)
        assert report.rebased > 0
        with new.engine.connect() as conn:
            assert conn.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar_one() < old_xid
        w1 = Station(w1.db, LocalTransport(new.api.handle), "01")
        _synced(w1)
        director = enrol(new, tmp_path / "d", "09", kind="director", name="主任")
        _synced(director)
        assert _held(director) == restored  # the restored rows are in the feed
        newest = _accept(w1, 3, 1)[0]
        _synced(w1)
        _synced(director)
        assert _held(director) == restored | {newest}
    finally:
        new.close()
        if new.server is not None:  # run as root, the server runs as the user pgserver: let it reach pgdata to stop
            new.folder.chmod(0o711)
            new.server.cleanup()


def _tools() -> Any:
    from app.center.pg_archive import find_tools

    return find_tools(16)


def test_what_is_not_a_centre_backup_is_refused_and_nothing_changes(center: Center, tmp_path: Path) -> None:
    w1 = enrol(center, tmp_path / "w1", "01")
    _synced(w1)
    _accept(w1, 0, 2)
    _synced(w1)
    good = write_center_backup(center, tmp_path / "good.dump").path
    _accept(w1, 2, 2)  # the centre moves on: a restore that went half way would show
    _synced(w1)
    tools = _tools()
    assert center.db_url is not None
    address = center.db_url.replace(":@", "@")
    partial = tmp_path / "one-table.dump"
    subprocess.run([tools.path("pg_dump"), "-Fc", "-t", "center_info", "-f", str(partial), "-d", address], check=True)
    plain = tmp_path / "plain.sql"
    subprocess.run([tools.path("pg_dump"), "-Fp", "-f", str(plain), "-d", address], check=True)
    noise = tmp_path / "noise.dump"
    noise.write_bytes(b"PGDMP" + os.urandom(4000))
    small = tmp_path / "small.dump"
    small.write_bytes(b"PGDMP\x01\x0f")
    damaged = tmp_path / "damaged.dump"  # a copy cut short: its table of contents still reads
    damaged.write_bytes(good.read_bytes()[:-40])
    before = _state(center)

    cases = [(tmp_path / "missing.dump", "找不到"), (tmp_path, "找不到"), (small, "大小"), (noise, "已损坏"),
             (plain, "不是 center backup"), (partial, "缺少表 alembic_version、center_node、case_file"),
             (damaged, "已损坏或不完整")]
    for path, says in cases:
        with pytest.raises(CenterBackupError) as refused:
            restore_center(center, path)
        assert says in refused.value.message, refused.value.message
        assert "未作任何改动" in refused.value.message or "未改动" in refused.value.message
        assert _state(center) == before, path.name
    nowhere = Center(tmp_path / "new-machine" / "center")  # a wrong file does not even create the embedded server
    with pytest.raises(CenterBackupError, match="未作任何改动"):
        restore_center(nowhere, noise)
    assert not (tmp_path / "new-machine").exists()
    report = restore_center(center, good)  # the same centre, untouched, still takes a good backup
    assert report.cases == 2


def test_a_restore_is_refused_while_another_program_uses_the_database(center: Center, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.center.backup.SESSION_GRACE_S", 0.2)
    backup = write_center_backup(center, tmp_path / "centre.dump")
    before = _state(center)
    with center.engine.connect() as service:  # as `center serve` holds its pool
        service.execute(text("SELECT 1"))
        with pytest.raises(CenterBackupError) as refused:
            restore_center(center, backup.path)
    assert "其他连接" in refused.value.message and "center serve" in refused.value.message
    assert _state(center) == before


def test_a_backup_never_overwrites_and_a_failed_dump_leaves_no_file(center: Center, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "centre.dump"
    target.parent.mkdir()
    target.write_bytes(b"last week's backup")
    with pytest.raises(CenterBackupError, match="已存在"):
        write_center_backup(center, target)
    assert target.read_bytes() == b"last week's backup"
    assert write_center_backup(center, target, force=True).size > 1024

    fresh = tmp_path / "out" / "fresh.dump"
    monkeypatch.setattr("app.center.backup.LOCK_WAIT", "200ms")
    with center.engine.connect() as migration:  # a schema change holds the table: pg_dump gives up
        migration.execute(text("LOCK TABLE case_file IN ACCESS EXCLUSIVE MODE"))
        with pytest.raises(CenterBackupError, match="备份失败"):
            write_center_backup(center, fresh)
    assert sorted(p.name for p in target.parent.iterdir()) == ["centre.dump"]  # no part file, no half backup

    monkeypatch.setattr("app.center.backup._server_major", lambda conn: 99)
    with pytest.raises(CenterBackupError) as newer:
        write_center_backup(center, fresh)
    assert "PostgreSQL 99" in newer.value.message and "postgresql-client-99" in newer.value.message
    assert not fresh.exists()


def _downgrade(engine: Any, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def test_an_older_schema_backup_is_upgraded_after_the_restore(center: Center, tmp_path: Path) -> None:
    """A backup made by an older version lacks tables a later migration added: the restore must not
    trip over the present ones, and the upgrade follows."""
    old = make_center(tmp_path / "old")
    try:
        w1 = enrol(old, tmp_path / "w1", "01")
        _synced(w1)
        cases = set(_accept(w1, 0, 2))
        _synced(w1)
        _downgrade(old.engine, "c0012")  # before the cases' facts (c0014) and rating_outweighed (c0015)
        backup = write_center_backup(old, tmp_path / "old.dump")
    finally:
        old.close()
    assert backup.archive.revision == "c0012"
    center.engine.dispose()
    report = restore_center(center, backup.path)
    assert report.revision == CENTER_SCHEMA_HEAD and report.cases == 2
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT to_regclass('rating_outweighed')")).scalar() is not None
    w1 = Station(w1.db, LocalTransport(center.api.handle), "01")
    _synced(w1)
    cases.add(_accept(w1, 2, 1)[0])
    _synced(w1)
    assert {n for _owner, n in _centre_cases(center)} == cases


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Spy:
    """Every child process's command line and environment (the password must be only in the latter)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[list[str], dict[str, str]]] = []
        real = subprocess.Popen

        def spy(argv: Any, *args: Any, **kwargs: Any) -> Any:
            self.calls.append(([str(a) for a in argv], dict(kwargs.get("env") or os.environ)))
            return real(argv, *args, **kwargs)

        monkeypatch.setattr(subprocess, "Popen", spy)

    def tools(self) -> list[tuple[list[str], dict[str, str]]]:
        return [c for c in self.calls if Path(c[0][0]).name in ("pg_dump", "pg_restore", "psql")
                and "--version" not in c[0]]


def test_the_command_line_backs_up_and_restores(center: Center, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    assert center.db_url is not None
    url = center.db_url.replace("postgres:@", "postgres:s3cret-pw@")  # the test server trusts; the password is kept
    base = ["--data-dir", str(tmp_path / "cli"), "center", "--db", url]
    file = tmp_path / "backups" / "centre.dump"
    spy = _Spy(monkeypatch)
    assert main([*base, "backup", "-o", str(file)]) == 0
    out = capsys.readouterr().out
    assert f"已备份中心数据库到 {file}" in out and f"结构版本 {CENTER_SCHEMA_HEAD}" in out and "数据代号" in out
    assert main([*base, "backup", "-o", str(file)]) == 1
    assert "已存在" in capsys.readouterr().err

    before = _state(center)
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))  # not a terminal: --yes is required
    assert main([*base, "restore", str(file)]) == 1
    assert "--yes" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert main([*base, "restore", str(file)]) == 1
    assert "已取消" in capsys.readouterr().out
    assert _state(center) == before

    with center.engine.begin() as conn:  # the county's feed (logical replication) loses its tables with the schema
        conn.execute(text("CREATE PUBLICATION county FOR TABLE case_file"))
    center.engine.dispose()
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    assert main([*base, "restore", str(file)]) == 0
    out, err = capsys.readouterr()
    assert "替换数据库" in out and "已恢复中心数据库" in out and "中心数据代号已更新为" in out
    assert "逻辑复制发布（county）" in err
    assert _state(center)[0] != before[0]
    used = {Path(argv[0]).name for argv, _env in spy.tools()}
    assert used == {"pg_dump", "pg_restore", "psql"}
    connecting = [(argv, env) for argv, env in spy.tools() if any(a.startswith("--dbname=") for a in argv)]
    assert {Path(argv[0]).name for argv, _env in connecting} == {"pg_dump", "psql"}
    for argv, _env in spy.tools():
        assert not any("s3cret-pw" in a for a in argv), argv  # `ps` shows a command line to every user
    for argv, env in connecting:
        assert env.get("PGPASSWORD") == "s3cret-pw", argv

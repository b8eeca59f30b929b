"""The centre's backups: its PostgreSQL database as a pg_dump archive, and putting one back.

pg_dump reads one consistent snapshot while the service keeps running, and its custom format can be
checked (pg_restore --list) before the file gets its name. Neither command migrates first: a backup
taken before an upgrade must hold the database as it was.

A restore is one transaction driven through psql: BEGIN, keep the present device credentials aside,
drop and recreate the public schema, replay the archive, put the credentials back, new generation,
and COMMIT only once pg_restore finished without error; a damaged archive, a refused statement or
Ctrl+C leaves the centre as it was. The schema is dropped rather than restored with --clean because
--clean drops only what the archive names: tables and indexes a later migration added would stay, and
upgrading an older backup would then fail on them. The generation changes inside that transaction
(as nodes.new_generation would), so no moment exists where the restored data carries its old one.

Device credentials are the present's, not the backup's: devices enrolled or re-enrolled since keep
working and push again what the restored centre lacks, and a laptop revoked since stays revoked.
Rows carry the xid of the transaction that wrote them and the feed reads only below the oldest running
xid: restored into another server (a replacement machine) they may lie ahead of its xid counter and
stay hidden, so such rows move to xid 1; after the new generation every workstation reads from the start.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from app.center.db import MIGRATIONS_DIR, engine_for, migrate
from app.center.pg_archive import (
    LIST_CAP,
    ArchiveInfo,
    CenterBackupError,
    PgTools,
    bounded,
    find_tools,
    first_line,
    libpq_target,
    read_archive,
    reason,
)
from app.number_floor import fsync_directory
from app.paths import make_private_dir
from app.safe_write import fsync_file

LOCK_WAIT = "60s"  # pg_dump gives up rather than wait behind a migration for ever
MARKER = "minsheng-restore-rebased="
SESSION_GRACE_S = 2.0

__all__ = ["CenterBackupError", "write_center_backup", "plan_restore", "restore_center"]


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    archive: ArchiveInfo
    seconds: float


@dataclass(frozen=True)
class RestorePlan:
    """What a restore would do, checked; shown to the person before they confirm."""

    archive: ArchiveInfo
    target: str  # the database, for people
    kept: list[str]  # nodes enrolled or re-enrolled since the backup: their present credentials stay
    still_revoked: list[str]  # nodes revoked since the backup: they stay revoked
    publications: list[str]  # logical replication (the county feed): they lose their tables with the schema
    url: str = field(repr=False)
    tools: PgTools = field(repr=False)
    keep: tuple[str, ...] = field(repr=False)  # credential tables the database holds now, to carry over


@dataclass(frozen=True)
class RestoreReport:
    plan: RestorePlan
    revision: str  # the schema revision after the upgrade
    generation: str
    cases: int
    rebased: int  # rows moved to the start of the feed (restored into another server)
    seconds: float


def database_url(center: Any, *, create: bool) -> str:
    """The centre's database address; the embedded server is started (and, for a restore onto a new
    machine, created) but nothing is migrated."""
    if center.db_url:
        return str(center.db_url)
    pgdata = Path(center.folder) / "pgdata"
    if not create and not (pgdata / "PG_VERSION").is_file():
        raise CenterBackupError(f"{center.folder} 中没有中心的内置数据库，没有可备份的内容；中心使用外部数据库时请加 --db")
    if center.server is None:  # started once a process: pgserver, run as root, opens the folder to its user
        from app.center.db import embedded_url

        make_private_dir(Path(center.folder))
        _url, center.server = embedded_url(pgdata)
    return str(center.server.get_uri())


def describe(center: Any) -> str:
    if not center.db_url:
        return f"本机内置数据库（{Path(center.folder) / 'pgdata'}）"
    parsed = make_url(str(center.db_url))
    return f"数据库 {parsed.host or parsed.query.get('host') or '本机'}/{parsed.database}"


def write_center_backup(center: Any, target: Path, *, force: bool = False) -> BackupReport:
    """A pg_dump archive of the centre's database at `target`, checked as a restore checks it before
    it gets its name: a failed dump leaves nothing that looks like a backup."""
    target = bounded(target)
    if target.is_dir():
        raise CenterBackupError(f"{target} 是文件夹，请给出备份文件的名字")
    if target.exists() and not force:
        raise CenterBackupError(f"{target} 已存在，未覆盖；请换一个文件名，或加 --force 覆盖")
    started = time.monotonic()
    url = database_url(center, create=False)
    with _connection(url) as conn:
        major = _server_major(conn)
        if not _centre_info(conn).get("center_code"):
            raise CenterBackupError("此数据库中还没有建立中心（先运行 center serve），没有可备份的内容")
    tools = find_tools(major)
    address, env = libpq_target(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    try:
        os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # owner-only from the start
        with tempfile.TemporaryFile() as err:
            argv = [tools.path("pg_dump"), "--format=custom", "--no-password", f"--lock-wait-timeout={LOCK_WAIT}",
                    f"--file={part}", f"--dbname={address}"]
            if subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=err).returncode != 0:
                raise CenterBackupError(f"备份失败，未生成备份文件：{reason(err)}")
        try:
            archive = read_archive(part, tools)
        except CenterBackupError as exc:
            raise CenterBackupError(f"备份文件自检未通过，未生成备份文件：{exc.message}") from exc
        fsync_file(part)
        os.replace(part, target)
        fsync_directory(target.parent)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return BackupReport(target, target.stat().st_size, replace(archive, path=target), time.monotonic() - started)


def plan_restore(center: Any, path: Path) -> RestorePlan:
    """Every check a restore makes before it changes anything."""
    try:  # the file first: a wrong one must not even start (or create) the embedded server
        archive = read_archive(path, find_tools())
    except CenterBackupError as exc:
        raise CenterBackupError(f"{exc.message}；未作任何改动") from exc
    url = database_url(center, create=True)
    with _connection(url) as conn:
        major = _server_major(conn)
        others = _other_sessions(conn)
        current = _centre_info(conn)
        publications = [str(p) for p in conn.execute(text("SELECT pubname FROM pg_publication ORDER BY 1")).scalars()]
        keep, nodes = _credentials(conn)
    try:
        tools = find_tools(max(major, archive.dumped_by))
    except CenterBackupError as exc:
        raise CenterBackupError(f"{exc.message}；未作任何改动") from exc
    if not _known_revision(archive.revision):
        raise CenterBackupError(f"备份的数据库结构版本 {archive.revision} 比本程序新，请先升级本程序再恢复；未作任何改动")
    code = current.get("center_code", "")
    if code and code != archive.center_code:
        raise CenterBackupError(f"此备份属于中心 {archive.center_code}（{archive.center_name}），这个数据库是中心 {code}"
                                f"（{current.get('center_name', '')}）；未作任何改动")
    if others[0]:
        names = f"（{others[1]}）" if others[1] else ""
        raise CenterBackupError(f"中心数据库上还有 {others[0]} 个其他连接{names}，中心同步服务（center serve）可能正在运行；"
                                "请先停止它和其他使用这个数据库的程序，再恢复；未作任何改动")
    kept = sorted(n for n, (token, _gone) in nodes.items()
                  if n != "00" and token and archive.nodes.get(n, ("", False))[0] != token)
    revoked = sorted(n for n, (_t, gone) in nodes.items() if gone and n in archive.nodes and not archive.nodes[n][1])
    return RestorePlan(archive, describe(center), kept, revoked, publications, url, tools, keep)


def restore_center(center: Any, path: Path) -> RestoreReport:
    """Replace the centre's database with the backup, upgrade it to this program's schema and start a
    new generation, so every workstation pushes again what the centre lacks and downloads afresh."""
    started = time.monotonic()
    plan = plan_restore(center, path)
    generation = uuid.uuid4().hex
    rebased = _replay(plan, generation)
    engine = engine_for(plan.url)
    try:
        try:
            migrate(engine)
        except Exception as exc:
            raise CenterBackupError(f"备份已恢复（新的数据代号已生效），但升级数据库结构失败：{first_line(str(exc))}；"
                                    "排除原因后启动中心服务（center serve）会再次升级") from exc
        with engine.connect() as conn:
            revision = str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
            cases = int(conn.execute(text("SELECT count(*) FROM case_file")).scalar_one())
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))  # a restore leaves no statistics, and every workstation downloads next
    finally:
        engine.dispose()
    return RestoreReport(plan, revision, generation, cases, rebased, time.monotonic() - started)


# Kept aside before the schema is dropped (temporary tables live outside it), put back after the replay.
_KEEP = {
    "center_node": "node_code, node_name, kind, token_hash, enrolled_at, revoked_at, acked_seq",
    "enroll_code": "code_hash, node_code, node_name, kind, created_at, expires_at, used_at",
    "person_proof": "token_hash, staff_id, node_code, issued_at, expires_at",
}
_CLEAR = "DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\nGRANT USAGE ON SCHEMA public TO PUBLIC;\n"
# A device whose token changed since the backup pushes everything it keeps (acknowledged mark 0): the
# backup's mark belongs to the device it replaced.
_PUT_BACK_NODES = """
UPDATE public.center_node n SET node_name = k.node_name, kind = k.kind, token_hash = k.token_hash,
    enrolled_at = k.enrolled_at, revoked_at = k.revoked_at,
    acked_seq = CASE WHEN n.token_hash IS NOT DISTINCT FROM k.token_hash THEN LEAST(n.acked_seq, k.acked_seq) ELSE 0 END
    FROM pg_temp.keep_center_node k WHERE n.node_code = k.node_code;
INSERT INTO public.center_node (node_code, node_name, kind, token_hash, enrolled_at, revoked_at, acked_seq)
    SELECT node_code, node_name, kind, token_hash, enrolled_at, revoked_at, 0 FROM pg_temp.keep_center_node k
    WHERE NOT EXISTS (SELECT 1 FROM public.center_node n WHERE n.node_code = k.node_code);
"""
_PUT_BACK_TABLE = """
DO $$ BEGIN
    IF pg_catalog.to_regclass('public.{table}') IS NOT NULL THEN
        DELETE FROM public.{table};
        INSERT INTO public.{table} ({columns}) SELECT {columns} FROM pg_temp.keep_{table};
    END IF;
END $$;
"""
_REBASE = """
CREATE TEMP TABLE restore_note (rebased bigint NOT NULL) ON COMMIT DROP;
INSERT INTO pg_temp.restore_note VALUES (0);
DO $$
DECLARE t name; n bigint; now_xid bigint := pg_catalog.pg_current_xact_id()::text::bigint;
BEGIN
    FOR t IN SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attname = '_xid'
                   AND NOT a.attisdropped LOOP
        EXECUTE format('SELECT count(*) FROM public.%I WHERE _xid >= $1', t) INTO n USING now_xid;
        CONTINUE WHEN n = 0;
        EXECUTE format('ALTER TABLE public.%I DISABLE TRIGGER USER', t);
        EXECUTE format('UPDATE public.%I SET _xid = 1 WHERE _xid >= $1', t) USING now_xid;
        EXECUTE format('ALTER TABLE public.%I ENABLE TRIGGER USER', t);
        UPDATE pg_temp.restore_note SET rebased = rebased + n;
    END LOOP;
    IF (SELECT rebased FROM pg_temp.restore_note) > 0 THEN  -- every workstation starts again from (0, 0)
        DELETE FROM public.center_info WHERE key IN ('horizon_xid', 'horizon_seq');
    END IF;
END $$;
"""


def restore_script(keep: tuple[str, ...], generation: str) -> tuple[str, str]:
    """The SQL psql runs before pg_restore's script and after it (COMMIT last)."""
    prelude = "BEGIN;\n" + "".join(f"CREATE TEMP TABLE keep_{t} ON COMMIT DROP AS SELECT {_KEEP[t]} FROM public.{t};\n"
                                    for t in keep) + _CLEAR
    put_back = "".join(_PUT_BACK_NODES if t == "center_node" else _PUT_BACK_TABLE.format(table=t, columns=_KEEP[t])
                       for t in keep)
    assert re.fullmatch(r"[0-9a-f]{32}", generation)
    epilogue = (f"{put_back}UPDATE public.center_info SET value = '{generation}' WHERE key = 'generation';\n"
                f"{_REBASE}SELECT '{MARKER}' || rebased FROM pg_temp.restore_note;\nCOMMIT;\n")
    return prelude, epilogue


def _replay(plan: RestorePlan, generation: str) -> int:
    """pg_restore's script into psql inside one transaction, committed only after pg_restore succeeded.
    Returns the rows moved to the start of the feed."""
    address, env = libpq_target(plan.url)
    prelude, epilogue = restore_script(plan.keep, generation)
    restore_argv = [plan.tools.path("pg_restore"), "--no-owner", "--no-acl", "--no-publications", "--no-subscriptions",
                    "--file=-", str(plan.archive.path)]
    psql_argv = [plan.tools.path("psql"), "--no-psqlrc", "--quiet", "--no-align", "--tuples-only", "--no-password",
                 "--set=ON_ERROR_STOP=1", "--file=-", f"--dbname={address}"]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as sql_err, tempfile.TemporaryFile() as dump_err:
        with _processes() as procs:
            psql = subprocess.Popen(psql_argv, stdin=subprocess.PIPE, stdout=out, stderr=sql_err, env=env)
            procs.append(psql)
            dump_failed = False
            assert psql.stdin is not None
            try:
                psql.stdin.write(prelude.encode())
                dump = subprocess.Popen(restore_argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=dump_err, env=env)
                procs.append(dump)
                assert dump.stdout is not None
                shutil.copyfileobj(dump.stdout, psql.stdin, 1024 * 1024)
                dump_failed = dump.wait() != 0
                if dump_failed:
                    psql.kill()  # no COMMIT: the connection drops and the server rolls everything back
                else:
                    psql.stdin.write(epilogue.encode())
                psql.stdin.close()
            except BrokenPipeError:  # psql stopped at an error: its transaction is rolled back
                pass
            code = psql.wait()
        if dump_failed:
            raise CenterBackupError(f"备份文件已损坏或不完整（{reason(dump_err)}），中心数据未改动")
        if code != 0:
            raise CenterBackupError(f"恢复失败，中心数据未改动：{reason(sql_err)}")
        out.seek(0)
        found = re.search(rf"^{MARKER}(\d+)$", out.read(LIST_CAP).decode("utf-8", "replace"), re.MULTILINE)
    if found is None:  # pragma: no cover - psql exited 0 without running the last statements
        raise CenterBackupError("无法确认恢复结果，请用 center status 检查中心数据")
    return int(found.group(1))


@contextlib.contextmanager
def _processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Children that are stopped and reaped whatever happens (Ctrl+C included), their pipes closed."""
    procs: list[subprocess.Popen[bytes]] = []
    try:
        yield procs
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()


@contextlib.contextmanager
def _connection(url: str) -> Iterator[Connection]:
    """One connection for the checks, closed after: a pooled one left open would count as another user."""
    engine = engine_for(url)
    try:
        try:
            conn = engine.connect()
        except SQLAlchemyError as exc:
            raise CenterBackupError(f"无法连接中心数据库：{first_line(str(getattr(exc, 'orig', None) or exc))}") from exc
        with conn:
            yield conn
    finally:
        engine.dispose()


def _other_sessions(conn: Connection) -> tuple[int, str]:
    """Other client sessions on this database (the service's pool among them), and their names. A client
    that just disconnected stays listed for a moment while its server process exits: asked again briefly."""
    deadline = time.monotonic() + SESSION_GRACE_S
    while True:
        count, names = conn.execute(text(
            "SELECT count(*), string_agg(DISTINCT NULLIF(application_name, ''), '、') FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'")).one()
        conn.rollback()  # a fresh snapshot of the statistics next time
        if not count or time.monotonic() > deadline:
            return int(count), str(names or "")
        time.sleep(0.1)


def _server_major(conn: Connection) -> int:
    return int(conn.execute(text("SELECT current_setting('server_version_num')::int / 10000")).scalar_one())


def _centre_info(conn: Connection) -> dict[str, str]:
    if conn.execute(text("SELECT to_regclass('public.center_info')")).scalar() is None:
        return {}
    return {str(k): str(v) for k, v in conn.execute(text("SELECT key, value FROM public.center_info"))}


def _credentials(conn: Connection) -> tuple[tuple[str, ...], dict[str, tuple[str, bool]]]:
    """The credential tables the database holds now and its devices; a damaged one keeps nothing."""
    present = tuple(t for t in _KEEP if conn.execute(text(f"SELECT to_regclass('public.{t}')")).scalar() is not None)
    if "center_node" not in present:
        return (), {}
    try:
        for t in present:  # each table has the columns carried over
            conn.execute(text(f"SELECT {_KEEP[t]} FROM public.{t} LIMIT 0"))
        rows = conn.execute(text("SELECT node_code, token_hash, revoked_at IS NOT NULL FROM public.center_node")).all()
    except SQLAlchemyError:
        return (), {}
    return present, {str(r[0]): (str(r[1] or ""), bool(r[2])) for r in rows}


def _known_revision(revision: str) -> bool:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        return ScriptDirectory.from_config(cfg).get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown id
        return False


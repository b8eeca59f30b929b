"""`center publish`: the township centre's PostgreSQL feeds a county by logical replication.

The county subscribes to one publication of whole tables (no row filter: a filter on a column that
changes, such as a case's holder, would turn the township's own updates into deletes upstream) and
tells townships apart by the division code in every record's number. Only records the figures read go
up; staff, calendar, catalogue and settings stay, as their keys repeat from one township to the next.
TRUNCATE is not published: one township's truncate would empty every township's rows at the county.

What this sets, and why each part is idempotent (a second run changes nothing and says the same):
- wal_level = logical (needs a restart) and max_slot_wal_keep_size, by ALTER SYSTEM, only when they
  differ: a county that stays away cannot fill the township's disk, its slot is lost instead.
- a login role with REPLICATION and SELECT on the published tables (and center_info, where the county
  reads the township's code and name); its password is generated, hashed here (SCRAM) before it is
  sent, shown once, and changed only on request.
- for the embedded server: listening where the county reaches it (pgserver starts it on a Unix socket
  only, so it is restarted with pg_ctl and the same socket) and a pg_hba.conf whose TCP lines are only
  ours: initdb's `host … trust` lines would give every local user the superuser once TCP is on.
  An external server is told what to set, in plain words; nothing there is restarted for the user.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from app.center.errors import CenterError

if TYPE_CHECKING:  # the runtime imports the driver: the window bundle builds `center publish --help` without it
    from app.center.runtime import Center

PUBLICATION = "minsheng_county"
READER_ROLE = "county_reader"
# What the figures read (app.services.stats) and the supervision records: the county's copy of each.
PUBLISHED_TABLES = ("case_file", "case_event", "rating", "rectification", "rectification_event", "complaint",
                    "complaint_event", "supervision", "supervision_answer", "inquiry", "notice")
READABLE = (*PUBLISHED_TABLES, "center_info")
PUBLISHED_ACTIONS = "insert, update, delete"
DEFAULT_SLOT_KEEP = "10GB"
SETTINGS_FILE = "county-publication.json"  # in the centre's folder: how the embedded server listens
HBA_BEGIN = "# minsheng: county subscription (center publish) begin"
HBA_END = "# minsheng: county subscription end"
_HOST_PART = re.compile(r"^(\*|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|[0-9A-Fa-f:.]{2,45})$")
_SIZE = re.compile(r"^(\d{1,7})\s*(MB|GB|TB)$", re.IGNORECASE)
_UNIT_MB = {"MB": 1, "GB": 1024, "TB": 1024 * 1024}


class PublishError(CenterError):
    """The publication could not be set up; the message says what to do."""


@dataclass(frozen=True)
class PublishOptions:
    listen: str = "*"  # the embedded server's listen_addresses
    allow: str = "samenet"  # pg_hba address of the county: a CIDR, samenet or samehost
    host: str | None = None  # the address the county reaches this machine at (printed in the URL)
    slot_keep: str = DEFAULT_SLOT_KEEP
    new_password: bool = False


@dataclass
class PublishFacts:
    center_code: str
    center_name: str
    url: str  # what `county subscribe --township` takes: no password in it
    wal_level: str
    slot_keep: str
    listen: str
    hba_line: str
    password: str | None = None  # only when the role was made or its password changed
    changed: list[str] = field(default_factory=list)
    to_do: list[str] = field(default_factory=list)  # what a person must still do (an external server)
    slots: list[str] = field(default_factory=list)  # the counties' replication slots here, as text


def check_options(options: PublishOptions) -> int:
    """Refuse bad options before anything is touched; returns the slot cap in MB."""
    listen = options.listen.strip()
    if not listen or len(listen) > 200 or not all(_HOST_PART.match(p) for p in listen.split(",")):
        raise PublishError("--listen 应为本机地址（如 0.0.0.0、10.2.3.4 或 *，多个用逗号分隔），不超过200字符")
    if options.host is not None and (len(options.host) > 253 or not _HOST_PART.match(options.host)
                                     or options.host == "*"):
        raise PublishError("--host 应为县级访问本机所用的地址（主机名或 IP）")
    allow = options.allow.strip()
    if allow not in ("samenet", "samehost"):
        try:
            ipaddress.ip_network(allow, strict=False)
        except ValueError:
            raise PublishError("--allow 应为县级所在网段（如 10.20.0.0/16），或 samenet（本机所在网段）、samehost") from None
        if len(allow) > 64 or "/" not in allow:
            raise PublishError("--allow 应写成网段，如 10.20.0.0/16（单个地址写 10.20.3.4/32）")
    size = _SIZE.match(options.slot_keep.strip())
    mb = int(size.group(1)) * _UNIT_MB[size.group(2).upper()] if size else 0
    if not 1024 <= mb <= 100 * 1024 * 1024:
        raise PublishError("--slot-keep 应在 1GB 到 100TB 之间，如 10GB：县级长期不取数时最多为它保留这么多日志")
    return mb


def _q(conn: Connection) -> Any:
    """The psycopg connection under SQLAlchemy's, for statements with literals (no binds in DDL)."""
    return conn.connection.driver_connection


def _scalar(conn: Connection, sql: str) -> Any:
    return conn.exec_driver_sql(sql).scalar()


def _settings(conn: Connection, keep_mb: int, options: PublishOptions, facts: PublishFacts) -> bool:
    """wal_level and the slot cap; True when the server must restart for them."""
    from psycopg import sql

    superuser = bool(_scalar(conn, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
    wal, pending = conn.exec_driver_sql("SELECT setting, pending_restart FROM pg_settings WHERE name = 'wal_level'").one()
    keep = int(_scalar(conn, "SELECT setting FROM pg_settings WHERE name = 'max_slot_wal_keep_size'"))
    if wal != "logical" and not pending:  # pending: set by an earlier run, the restart is still due
        if superuser:
            conn.exec_driver_sql("ALTER SYSTEM SET wal_level = logical")
            facts.changed.append("wal_level 设为 logical（需重启数据库）")
        else:
            facts.to_do.append("请数据库管理员设置 wal_level = logical 并重启 PostgreSQL")
    if keep != keep_mb and superuser:
        _q(conn).execute(sql.SQL("ALTER SYSTEM SET max_slot_wal_keep_size = {}").format(sql.Literal(f"{keep_mb}MB")))
        conn.exec_driver_sql("SELECT pg_reload_conf()")
        facts.changed.append(f"max_slot_wal_keep_size 设为 {options.slot_keep}")
    elif keep != keep_mb:
        facts.to_do.append(f"请数据库管理员设置 max_slot_wal_keep_size = '{options.slot_keep}' 并重新加载配置")
    return wal != "logical"


def _role(conn: Connection, new_password: bool, facts: PublishFacts) -> None:
    """The county's login: made once with a generated password (hashed here, so the clear text never
    reaches the server or its log), changed only when asked; its rights are set every time."""
    from psycopg import sql

    exists = _scalar(conn, f"SELECT count(*) FROM pg_roles WHERE rolname = '{READER_ROLE}'")
    raw = _q(conn)
    if not exists or new_password:
        from app.center.runtime import generated_password

        password = generated_password(20)
        verifier = raw.pgconn.encrypt_password(password.encode(), READER_ROLE.encode(), b"scram-sha-256").decode()
        verb = "CREATE" if not exists else "ALTER"
        raw.execute(sql.SQL(verb + " ROLE {} LOGIN REPLICATION PASSWORD {}")
                    .format(sql.Identifier(READER_ROLE), sql.Literal(verifier)))
        facts.password = password
        facts.changed.append("建立县级订阅账号" if not exists else "更换县级订阅账号密码")
    attrs = conn.exec_driver_sql(
        "SELECT rolcanlogin, rolreplication, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles"
        f" WHERE rolname = '{READER_ROLE}'").one()
    if tuple(attrs) != (True, True, False, False, False):
        raw.execute(sql.SQL("ALTER ROLE {} LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE")
                    .format(sql.Identifier(READER_ROLE)))
        facts.changed.append("县级订阅账号权限已更正")
    missing = [t for t in READABLE if not _scalar(
        conn, f"SELECT has_table_privilege('{READER_ROLE}', 'public.{t}', 'SELECT')")]
    if missing:
        raw.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(sql.Identifier(READER_ROLE)))
        raw.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(
            sql.SQL(", ").join(sql.Identifier(t) for t in missing), sql.Identifier(READER_ROLE)))
        facts.changed.append(f"授权读取 {len(missing)} 张表")


def _publication(conn: Connection, facts: PublishFacts) -> None:
    from psycopg import sql

    row = conn.exec_driver_sql(f"SELECT pubinsert, pubupdate, pubdelete, pubtruncate, puballtables FROM"
                               f" pg_publication WHERE pubname = '{PUBLICATION}'").first()
    tables = sql.SQL(", ").join(sql.Identifier(t) for t in PUBLISHED_TABLES)
    raw = _q(conn)
    if row is None:
        raw.execute(sql.SQL("CREATE PUBLICATION {} FOR TABLE {} WITH (publish = {})").format(
            sql.Identifier(PUBLICATION), tables, sql.Literal(PUBLISHED_ACTIONS)))
        facts.changed.append(f"建立发布 {PUBLICATION}")
        return
    if row.puballtables:
        raise PublishError(f"已有同名发布 {PUBLICATION} 且发布了所有表；请先删除它（DROP PUBLICATION {PUBLICATION}）再运行")
    held = {r[0] for r in conn.exec_driver_sql(
        f"SELECT tablename FROM pg_publication_tables WHERE pubname = '{PUBLICATION}' AND schemaname = 'public'")}
    filtered = _scalar(conn, "SELECT count(*) FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid"
                             f" WHERE p.pubname = '{PUBLICATION}' AND (r.prqual IS NOT NULL OR r.prattrs IS NOT NULL)")
    if held != set(PUBLISHED_TABLES) or filtered:
        raw.execute(sql.SQL("ALTER PUBLICATION {} SET TABLE {}").format(sql.Identifier(PUBLICATION), tables))
        facts.changed.append("发布的表已更正为整表")
    if tuple(row[:4]) != (True, True, True, False):
        raw.execute(sql.SQL("ALTER PUBLICATION {} SET (publish = {})").format(
            sql.Identifier(PUBLICATION), sql.Literal(PUBLISHED_ACTIONS)))
        facts.changed.append("发布的操作已更正（不发布 TRUNCATE）")


def hba_line(database: str, allow: str) -> str:
    return f"host    {database}    {READER_ROLE}    {allow}    scram-sha-256"


def _hba_text(current: str, line: str) -> str:
    """pg_hba.conf with every TCP line but ours taken out (initdb's trust lines) and ours at the end."""
    kept, inside = [], False
    for text in current.splitlines():
        if text.strip() in (HBA_BEGIN, HBA_END):
            inside = text.strip() == HBA_BEGIN
            continue
        words = text.split("#", 1)[0].split()
        if inside or (words and words[0] in ("host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc")):
            continue
        kept.append(text)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join([*kept, "", HBA_BEGIN, line, HBA_END, ""])


def _write_hba(conn: Connection, pgdata: Path, line: str, facts: PublishFacts) -> None:
    """Write pg_hba.conf when it differs, keeping its owner (the server's user) and mode; a file the
    server cannot parse is put back before anything reloads it."""
    path = pgdata / "pg_hba.conf"
    old = path.read_text(encoding="utf-8")
    new = _hba_text(old, line)
    if new == old:
        return
    stat = path.stat()
    tmp = path.with_name(".pg_hba.conf.part")
    tmp.write_text(new, encoding="utf-8")
    os.chmod(tmp, stat.st_mode & 0o777)
    if hasattr(os, "chown"):
        os.chown(tmp, stat.st_uid, stat.st_gid)
    os.replace(tmp, path)
    errors = conn.exec_driver_sql("SELECT line_number, error FROM pg_hba_file_rules WHERE error IS NOT NULL").all()
    if errors:
        path.write_text(old, encoding="utf-8")
        raise PublishError(f"pg_hba.conf 第 {errors[0][0]} 行无法解析（{errors[0][1]}），已恢复原文件")
    conn.exec_driver_sql("SELECT pg_reload_conf()")
    facts.changed.append("pg_hba.conf 只允许县级订阅账号经网络连接（scram-sha-256）")


def open_to_server(server: Any) -> None:
    """Run as root, pgserver runs PostgreSQL as its own user and opens the folders above pgdata to it
    when it starts; the centre's folder is tightened to 0700 again afterwards (its workspace), so the
    server could no longer read pg_hba.conf by its path nor pg_ctl reach pgdata. Opened as pgserver does."""
    if getattr(server, "system_user", None):
        from pgserver.utils import ensure_prefix_permissions

        ensure_prefix_permissions(Path(server.pgdata))


def other_users(server: Any) -> list[int]:
    """Processes besides this one that hold the embedded server (a running `center serve`)."""
    alive = []
    for pid in (int(p) for p in server.global_process_id_list.get() if int(p) != os.getpid()):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        except PermissionError:  # another user's process: alive
            pass
        alive.append(pid)
    return alive


def _pg_ctl(args: list[str], pgdata: Path, user: str | None) -> None:
    """pgserver's pg_ctl (made at import from its bundled binaries), as the server's own user."""
    from importlib import import_module

    import_module("pgserver._commands").pg_ctl(args, pgdata=pgdata, user=user, timeout=90)


def restart_listening(center: Center, listen: str) -> None:
    """Restart the embedded server with pg_ctl as pgserver starts it (its socket, its log file) but
    listening on `listen` too; if it cannot listen there, it is started again as before and the reason
    is given. Refused while another process uses the server: its connections would break."""
    from pgserver.utils import PostmasterInfo

    server = center.server
    others = other_users(server)
    if others:
        raise PublishError(f"内置数据库正被其他程序使用（进程 {others[0]}，如 center serve）；"
                   "需要重启数据库才能生效，请先停止它，再运行 center publish，然后重新启动 center serve")
    pgdata, user = Path(server.pgdata), server.system_user
    open_to_server(server)
    socket_dir = server.get_postmaster_info().socket_dir
    center.engine.dispose()
    log = Path(server.log)
    before = log.stat().st_size if log.exists() else 0

    def start(hosts: str) -> None:
        _pg_ctl(["-w", "-t", "60", "-o", f'-h "{hosts}"', "-o", f"-k {socket_dir}", "-l", str(log), "start"],
                pgdata, user)

    _pg_ctl(["-w", "-t", "60", "-m", "fast", "stop"], pgdata, user)
    try:
        start(listen)
    except Exception:
        with open(log, "rb") as handle:
            handle.seek(before)
            lines = [x for x in handle.read(20000).decode("utf-8", "replace").splitlines() if "could not" in x]
        start("")
        server._postmaster_info = PostmasterInfo.read_from_pgdata(pgdata)
        raise PublishError(f"内置数据库无法在 {listen} 端口 5432 上监听，已按原样重新启动（"
                   + (lines[-1][-200:] if lines else "详见数据库日志") + "）") from None
    server._postmaster_info = PostmasterInfo.read_from_pgdata(pgdata)


def _save_settings(center: Center, options: PublishOptions) -> None:
    from app.paths import make_private_file
    from app.safe_write import write_bytes_atomically

    data = {"listen": options.listen, "allow": options.allow, "host": options.host, "slot_keep": options.slot_keep}
    path = center.folder / SETTINGS_FILE
    text = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    if not path.exists() or path.read_bytes() != text:
        write_bytes_atomically(path, text)
        make_private_file(path)


def restore_listening(center: Center) -> bool:
    """At the start of `center serve`: an embedded server that was published listens again where the
    county reaches it (pgserver starts it on the socket alone). True when it was restarted."""
    path = center.folder / SETTINGS_FILE
    if center.db_url is not None or not path.exists():
        return False
    try:
        listen = str(json.loads(path.read_text(encoding="utf-8"))["listen"])
    except (ValueError, KeyError, OSError):
        return False
    check_options(PublishOptions(listen=listen))
    with center.engine.connect() as conn:
        now = (str(_scalar(conn, "SHOW listen_addresses")), str(_scalar(conn, "SHOW wal_level")))
    if now == (listen, "logical"):
        return False
    restart_listening(center, listen)
    return True


def _url(options: PublishOptions, engine_host: str | None, port: int, database: str) -> str:
    """The address the county subscribes to: --host, else the external server's host or the one address
    listened on, else this machine's address on its main network (found without sending a packet)."""
    host = options.host or engine_host or ""
    if not host or host.startswith("/"):
        host = options.listen if "," not in options.listen and options.listen not in ("*", "0.0.0.0", "::") else ""
    if not host:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect(("10.255.255.255", 1))
                host = str(probe.getsockname()[0])
            except OSError:
                host = socket.gethostname()
    return f"postgresql://{READER_ROLE}@{f'[{host}]' if ':' in host else host}:{port}/{database}"


def _configure(center: Center, options: PublishOptions, keep_mb: int, facts: PublishFacts) -> tuple[bool, int, str]:
    """Everything done in the database (and, embedded, its pg_hba.conf); whether a restart is due."""
    embedded = center.db_url is None
    with center.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        restart = _settings(conn, keep_mb, options, facts)
        _role(conn, options.new_password, facts)
        _publication(conn, facts)
        database, port = str(_scalar(conn, "SELECT current_database()")), int(_scalar(conn, "SHOW port"))
        facts.hba_line = hba_line(database, options.allow)
        if embedded:
            restart = restart or str(_scalar(conn, "SHOW listen_addresses")) != options.listen
            open_to_server(center.server)
            _write_hba(conn, Path(center.server.pgdata), facts.hba_line, facts)
    return restart, port, database


def publish(center: Center, options: PublishOptions) -> PublishFacts:
    """Set up (or confirm) everything a county needs to subscribe, and say what it needs."""
    from sqlalchemy.exc import DBAPIError

    keep_mb = check_options(options)
    info = center.info()
    if not info.get("center_code"):
        raise PublishError("中心尚未初始化，请先运行 center serve")
    embedded = center.db_url is None
    if embedded and os.name == "nt":
        raise PublishError("Windows 上的内置数据库不能对外发布；请用 --db 连接单独安装的 PostgreSQL 后再运行")
    facts = PublishFacts(info["center_code"], info.get("center_name", ""), "", "", "",
                         options.listen if embedded else "", "")
    try:
        restart, port, database = _configure(center, options, keep_mb, facts)
    except DBAPIError as exc:
        first = (str(exc.orig or exc).strip().splitlines() or [""])[0][:200]
        raise PublishError(f"设置发布失败（{first}）；数据库账号须能建立角色和发布（超级用户，或由数据库管理员按上述设置）") from None
    if embedded and restart:
        restart_listening(center, options.listen)
        facts.changed.append(f"内置数据库已重启，监听 {options.listen}:{port}")
    elif restart:
        facts.to_do.append("wal_level 须重启 PostgreSQL 才生效：请重启该数据库服务（如 systemctl restart postgresql），"
                           "再运行 center publish 确认")
    if embedded:
        _save_settings(center, options)
    else:
        facts.to_do.append(f"请确认 listen_addresses 包含县级可达的地址，并在 pg_hba.conf 中加入：{facts.hba_line}")
    with center.engine.connect() as conn:
        facts.wal_level = str(_scalar(conn, "SHOW wal_level"))
        facts.slot_keep = str(_scalar(conn, "SHOW max_slot_wal_keep_size"))
        facts.slots = [f"{r[0]}（{'在用' if r[1] else '未连接'}，{r[2] or '—'}，待取 {r[3] or '0 bytes'}）"
                       for r in conn.exec_driver_sql(
                           "SELECT slot_name, active, wal_status, pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(),"
                           " confirmed_flush_lsn)) FROM pg_replication_slots WHERE slot_type = 'logical'"
                           " ORDER BY slot_name")]
    facts.url = _url(options, None if embedded else center.engine.url.host, port, database)
    return facts

"""Subscribing the county to a township's publication, and resuming a subscription a conflict stopped.

A subscription is made WITH (disable_on_error = true): a row the county cannot apply stops it visibly
(`county status`) instead of its worker retrying the same transaction for ever. It is named after the
township's division code, read from the township itself (center_info), so the county tells townships
apart by the same code their records' numbers carry. The township's password lives only in the
subscription's connection (pg_subscription.subconninfo, readable by superusers alone), never in the
registry, on a command line or in a child process's arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.dialects.postgresql import insert

from app.center.publication import PUBLICATION
from app.clock import utc_now
from app.county.conninfo import TownshipAddress, check_password
from app.county.errors import CountyError
from app.county.runtime import County
from app.county.schema import SUBSCRIBED, SUBSCRIPTION_PREFIX, township
from app.county.serverlog import SubscriptionLog, read_log

CODE = re.compile(r"^\d{9}$")
LSN = re.compile(r"^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$")
MAX_NAME = 60


@dataclass(frozen=True)
class Subscribed:
    code: str
    name: str
    subscription: str
    created: bool  # False: the township was already subscribed, its address and password were renewed


def subscription_name(code: str) -> str:
    return SUBSCRIPTION_PREFIX + code


def check_code(code: str) -> str:
    code = (code or "").strip()
    if not CODE.match(code):
        raise CountyError("乡镇区划代码应为9位数字，如 220821100")
    return code


def read_township(address: TownshipAddress, password: str) -> tuple[str, str]:
    """The township's division code and name, read through its address; refused unless it publishes."""
    import psycopg

    try:
        with psycopg.connect(address.conninfo(password), autocommit=True) as conn:
            info: dict[str, str] = dict(conn.execute("SELECT key, value FROM center_info WHERE key IN ('center_code', 'center_name')")
                        .fetchall())
            row = conn.execute("SELECT count(*) FROM pg_publication WHERE pubname = %s", (PUBLICATION,)).fetchone()
    except psycopg.OperationalError as exc:
        first = (str(exc).strip().splitlines() or [""])[-1][:200]
        raise CountyError(f"无法连接乡镇 {address.url}（{first}）；请确认地址、密码，以及乡镇已运行 center publish") from None
    except psycopg.Error:
        raise CountyError(f"{address.url} 不是已发布的乡镇中心数据库；请在乡镇运行 center publish") from None
    code, name = str(info.get("center_code", "")), str(info.get("center_name", "")).strip()
    if not CODE.match(code) or not name or len(name) > MAX_NAME or any(ord(ch) < 32 for ch in name):
        raise CountyError(f"{address.url} 没有有效的乡镇区划代码和名称；请在乡镇先完成 center serve 的首次设置")
    if not row or not row[0]:
        raise CountyError(f"乡镇 {name}（{code}）尚未发布；请在乡镇运行 center publish")
    return code, name


def _raw(conn: Connection) -> Any:
    return conn.connection.driver_connection


def _subscription_exists(conn: Connection, name: str) -> bool:
    return bool(conn.execute(text(
        "SELECT count(*) FROM pg_subscription WHERE subname = :name"
        " AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())"), {"name": name}).scalar())


def subscribe(county: County, address: TownshipAddress, password: str) -> Subscribed:
    """Subscribe to one township (or renew the address and password of one already subscribed)."""
    import psycopg
    from psycopg import sql

    check_password(password)
    code, name = read_township(address, password)
    sub = subscription_name(code)
    now = utc_now()
    values = {"name": name, "host": address.host, "port": address.port, "dbname": address.dbname,
              "username": address.user, "subscription": sub, "updated_at": now}
    with county.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        exists = _subscription_exists(conn, sub)
        raw, connection = _raw(conn), sql.Literal(address.conninfo(password))
        try:
            if exists:
                raw.execute(sql.SQL("ALTER SUBSCRIPTION {} CONNECTION {}").format(sql.Identifier(sub), connection))
            else:
                raw.execute(sql.SQL("CREATE SUBSCRIPTION {} CONNECTION {} PUBLICATION {}"
                                    " WITH (disable_on_error = true)").format(
                    sql.Identifier(sub), connection, sql.Identifier(PUBLICATION)))
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [""])[0][:200]
            hint = (f"；乡镇上已有同名复制槽时，在乡镇数据库执行 SELECT pg_drop_replication_slot('{sub}') 后重试"
                    if "already exists" in first else "")
            raise CountyError(f"订阅乡镇 {name}（{code}）失败：{first}{hint}") from None
        try:
            stmt = insert(township).values(code=code, added_at=now, **values)
            conn.execute(stmt.on_conflict_do_update(index_elements=["code"], set_=values))
        except Exception:
            if not exists:
                raw.execute(sql.SQL("DROP SUBSCRIPTION {}").format(sql.Identifier(sub)))
            raise
    return Subscribed(code, name, sub, not exists)


def registered(county: County, code: str) -> Any:
    code = check_code(code)
    with county.engine.connect() as conn:
        row = conn.execute(select(township).where(township.c.code == code)).first()
    if row is None:
        raise CountyError(f"县级没有订阅区划代码为 {code} 的乡镇（county status 列出已订阅的乡镇）")
    return row


def subscription_logs(county: County) -> dict[str, SubscriptionLog]:
    """What the log says of each of this county's subscriptions (empty for an external server)."""
    with county.engine.connect() as conn:
        origins = {str(oid): str(name) for oid, name in conn.execute(text(
            "SELECT oid, subname FROM pg_subscription"
            " WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())"))}
    return read_log(county.log_path, origins)


def resume_interrupted(county: County) -> list[str]:
    """Enable again the subscriptions that stopped because their township's connection dropped (a
    subscription made with disable_on_error stops for that too); one a conflict stopped stays stopped
    for a person to repair. While the township is still away its worker retries, and catches up when it
    answers. Returns the townships resumed, named as the registry names them."""
    from psycopg import sql

    logs = subscription_logs(county)
    with county.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        stopped = conn.execute(text(
            "SELECT t.name, t.code, s.subname FROM township t JOIN pg_subscription s ON s.subname = t.subscription"
            " AND s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " WHERE NOT s.subenabled ORDER BY t.code")).all()
        resumed = []
        for name, code, sub in stopped:
            cause = logs.get(str(sub), SubscriptionLog()).stopped_by
            if cause is not None and cause.transient:
                _raw(conn).execute(sql.SQL("ALTER SUBSCRIPTION {} ENABLE").format(sql.Identifier(str(sub))))
                resumed.append(f"{name}（{code}）")
    return resumed


def _delete_conflict(county: County, sub: str) -> str:
    """Delete the county row the subscription's last error says already existed; returns what went."""
    log = subscription_logs(county).get(sub, SubscriptionLog())
    error = log.stopped_by or log.last
    if county.log_path is None:
        raise CountyError("县级使用外部数据库，读不到冲突详情：请按数据库服务器日志删除冲突的行，再运行 county resume 区划代码")
    if error is None or error.key is None or error.relation not in SUBSCRIBED:
        raise CountyError("日志中没有该订阅的主键冲突，无须删除；排除原因后运行 county resume 区划代码（不加 --delete-conflict）")
    column, value = error.key
    table = SUBSCRIBED[error.relation]
    if column not in table.c or not table.c[column].primary_key:
        raise CountyError(f"冲突在 {error.relation} 表的 {column} 列上，不是主键，不能自动删除；请人工处理")
    with county.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")  # past the guard, as the townships write
        gone = conn.execute(table.delete().where(table.c[column] == value)).rowcount
    return f"已删除县级库 {error.relation} 表中 {column} = {value} 的 {gone} 行"


def resume(county: County, code: str, delete_conflict: bool = False, skip_lsn: str | None = None) -> list[str]:
    """Enable a stopped subscription, after deleting the conflicting county row or skipping the failed
    transaction when asked; returns what was done, in words."""
    from psycopg import sql

    if delete_conflict and skip_lsn:
        raise CountyError("--delete-conflict 与 --skip-lsn 只能选一个")
    if skip_lsn is not None and not LSN.match(skip_lsn.strip()):
        raise CountyError("--skip-lsn 应为 county status 给出的位置，如 0/14A85C8")
    row = registered(county, code)
    sub = str(row.subscription)
    done: list[str] = []
    with county.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if not _subscription_exists(conn, sub):
            raise CountyError(f"订阅 {sub} 不存在：请重新运行 county subscribe --township 乡镇地址")
    if delete_conflict:
        done.append(_delete_conflict(county, sub))
    with county.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        raw = _raw(conn)
        if skip_lsn is not None:
            raw.execute(sql.SQL("ALTER SUBSCRIPTION {} SKIP (lsn = {})").format(
                sql.Identifier(sub), sql.Literal(skip_lsn.strip().upper())))
            done.append(f"跳过乡镇在 {skip_lsn.strip().upper()} 结束的那个事务（它的改动不会到达县级）")
        raw.execute(sql.SQL("ALTER SUBSCRIPTION {} ENABLE").format(sql.Identifier(sub)))
    done.append(f"已恢复 {row.name}（{row.code}）的订阅，未到的数据将自动补齐")
    return done

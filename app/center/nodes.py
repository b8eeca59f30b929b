"""Devices of the township: enrolment codes, device credentials, the handshake and node status.

A workstation joins with a one-time code an administrator printed; it then holds a random device
token of which the centre keeps only a SHA-256 hash, so a stolen centre backup gives no credentials.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.dialects.postgresql import insert

from app.center.errors import BadRequest, Forbidden, Unauthorized, UpgradeRequired
from app.center.numbers import numbers_held
from app.center.schema import REPLICA, center_info, center_node, enroll_code
from app.clock import utc_now
from app.migrations import SCHEMA_MAJOR
from app.node_identity import NODE_KINDS
from app.sync import codes
from app.sync.tables import CENTER_NODE, PROTOCOL

CODE_LIFETIME = timedelta(days=7)
MIN_PUSH_PROTOCOL = 1  # older clients' records are still accepted as long as they can be read
MIN_PULL_PROTOCOL = 1
CLOCK_TOLERANCE_S = 300
INT32_MAX = 2**31 - 1
MAX_CLOCK = 1e11  # seconds since 1970: about the year 5000; beyond is not a clock


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    kind: str

    @property
    def sees_township(self) -> bool:
        return self.kind == "director"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def get_info(conn: Connection) -> dict[str, str]:
    return {k: v for k, v in conn.execute(select(center_info.c.key, center_info.c.value))}


def initialise(engine: Engine, center_code: str, center_name: str) -> bool:
    """Record the centre's identity and a generation id once; False when it was already there."""
    with engine.begin() as conn:
        if get_info(conn).get("center_code"):
            return False
        rows = [{"key": "center_code", "value": center_code}, {"key": "center_name", "value": center_name},
                {"key": "generation", "value": uuid.uuid4().hex}, {"key": "created_at", "value": utc_now().isoformat()}]
        conn.execute(insert(center_info).on_conflict_do_nothing(), rows)
    return True


def new_generation(engine: Engine) -> str:
    """After restoring the centre from a backup: clients then re-push what the backup lacks."""
    generation = uuid.uuid4().hex
    with engine.begin() as conn:
        conn.execute(update(center_info).where(center_info.c.key == "generation").values(value=generation))
    return generation


def make_enroll_code(engine: Engine, node_code: str, node_name: str, kind: str) -> str:
    """A one-time code for one node code; refused while a device for that node is still active."""
    if not re.fullmatch(r"\d{2}", node_code or "") or node_code == CENTER_NODE:
        raise BadRequest("节点编码应为 01–99 的两位数字")
    if kind not in NODE_KINDS:
        raise BadRequest("节点类型应为 window（窗口）、agency（代办点）、director（中心主任）或 kiosk（大厅取号机、大厅屏幕）")
    name = (node_name or "").strip()
    if not name or len(name) > 60:
        raise BadRequest("请填写节点名称（不超过60字）")
    with engine.begin() as conn:
        info = get_info(conn)
        if not info.get("center_code"):
            raise BadRequest("中心尚未初始化，请先运行 center serve")
        active = conn.execute(select(center_node.c.node_code).where(
            center_node.c.node_code == node_code, center_node.c.token_hash.is_not(None),
            center_node.c.revoked_at.is_(None))).first()
        if active:
            raise BadRequest(f"节点 {node_code} 已有在用设备；更换设备前请先停用：center revoke --node-code {node_code}")
        secret = "-".join("".join(secrets.choice(codes.ALPHABET) for _ in range(4)) for _ in range(4))
        code = f"{info['center_code']}-{node_code}-{secret}"
        now = utc_now()
        conn.execute(enroll_code.insert().values(code_hash=digest(code), node_code=node_code, node_name=name,
                                                 kind=kind, created_at=now, expires_at=now + CODE_LIFETIME))
    return code


def enroll(engine: Engine, body: dict[str, Any]) -> dict[str, Any]:
    """Trade a one-time code for a device token."""
    code = codes.normalise(str(body.get("code", "")))
    parsed = codes.parse(code)
    if parsed is None:
        raise BadRequest(codes.FORMAT_HINT)
    now = utc_now()
    with engine.begin() as conn:
        info = get_info(conn)
        if parsed[0] != info.get("center_code"):
            raise Forbidden(f"此注册码不是本中心（{info.get('center_name', '')}）签发的")
        row = conn.execute(select(enroll_code).where(enroll_code.c.code_hash == digest(code)).with_for_update()).first()
        if row is None:
            raise Forbidden("注册码无效，请向中心管理员重新申请")
        if row.used_at is not None:
            raise Forbidden("注册码已使用过，每个注册码只能用一次")
        if row.expires_at < now:
            raise Forbidden("注册码已过期，请向中心管理员重新申请")
        token = secrets.token_urlsafe(32)
        conn.execute(update(enroll_code).where(enroll_code.c.code_hash == row.code_hash).values(used_at=now))
        values = {"node_name": row.node_name, "kind": row.kind, "token_hash": digest(token), "enrolled_at": now,
                  "revoked_at": None, "acked_seq": 0, "backlog": 0}
        stmt = insert(center_node).values(node_code=row.node_code, **values)
        conn.execute(stmt.on_conflict_do_update(index_elements=["node_code"], set_=values))
    return {"token": token, "center_code": info["center_code"], "center_name": info["center_name"],
            "node_code": row.node_code, "node_name": row.node_name, "kind": row.kind,
            "generation": info["generation"]}


def register_workspace(engine: Engine) -> str:
    """The centre's own workspace (node 00) gets a token without a code: it runs beside the store."""
    token = secrets.token_urlsafe(32)
    values = {"node_name": "中心", "kind": "director", "token_hash": digest(token), "enrolled_at": utc_now(),
              "revoked_at": None}
    with engine.begin() as conn:
        stmt = insert(center_node).values(node_code=CENTER_NODE, **values)
        conn.execute(stmt.on_conflict_do_update(index_elements=["node_code"], set_=values))
    return token


def authenticate(conn: Connection, token: str | None) -> Node:
    if not token:
        raise Unauthorized("请求未带设备凭据")
    row = conn.execute(select(center_node).where(center_node.c.token_hash == digest(token))).first()
    if row is None:
        raise Unauthorized("设备凭据无效，请重新注册")
    if row.revoked_at is not None:
        raise Forbidden("本设备已被中心停用，请联系中心管理员")
    return Node(row.node_code, row.node_name, row.kind)


def revoke(engine: Engine, node_code: str) -> bool:
    with engine.begin() as conn:
        done = conn.execute(update(center_node).where(center_node.c.node_code == node_code,
                                                      center_node.c.revoked_at.is_(None))
                            .values(revoked_at=utc_now()))
    return bool(done.rowcount)


def hello(conn: Connection, node: Node, body: dict[str, Any]) -> dict[str, Any]:
    """Versions and clocks before anything moves: old clients may push, only current ones pull."""
    protocol = body.get("protocol")
    schema_major = body.get("schema_major")
    clock = body.get("clock")
    if not isinstance(protocol, int) or not isinstance(schema_major, int) or not isinstance(clock, (int, float)) \
            or any(isinstance(v, bool) for v in (protocol, schema_major, clock)):
        raise BadRequest("握手信息不完整（protocol、schema_major、clock）")
    if not (0 <= protocol <= INT32_MAX and 0 <= schema_major <= INT32_MAX):  # stored as INTEGER
        raise BadRequest("握手信息中的版本号超出范围")
    if not -MAX_CLOCK <= clock <= MAX_CLOCK:  # also refuses NaN
        raise BadRequest("握手信息中的时钟超出范围")
    if protocol < MIN_PUSH_PROTOCOL:
        raise UpgradeRequired("工作站程序版本过旧，请先升级")
    now = utc_now()
    offset = float(clock) - now.timestamp()
    pull_allowed = protocol >= MIN_PULL_PROTOCOL and schema_major == SCHEMA_MAJOR
    row = conn.execute(select(center_node.c.acked_seq).where(center_node.c.node_code == node.code)).one()
    conn.execute(update(center_node).where(center_node.c.node_code == node.code).values(
        last_seen_at=now, clock_offset_s=offset, protocol=protocol, schema_rev=str(body.get("schema", ""))[:20]))
    info = get_info(conn)
    nodes = conn.execute(select(center_node.c.node_code, center_node.c.node_name, center_node.c.kind).where(
        center_node.c.token_hash.is_not(None), center_node.c.revoked_at.is_(None),
        center_node.c.node_code != CENTER_NODE).order_by(center_node.c.node_code)).all()
    return {
        "nodes": [list(n) for n in nodes],  # the township's windows and points: where a case may be handed
        "center_code": info["center_code"], "center_name": info["center_name"], "generation": info["generation"],
        "server_time": now.timestamp(), "acked_seq": row.acked_seq, "node_kind": node.kind, "node_name": node.name,
        "numbers": numbers_held(conn, node.code) if body.get("numbers") is True else None,  # only when asked
        "protocol": PROTOCOL, "pull_allowed": pull_allowed,
        "message": "" if pull_allowed else "中心已升级，请先升级工作站程序再接收中心数据（本机数据仍会上传）",
    }


def status(engine: Engine) -> list[dict[str, Any]]:
    """Every node with its last sync, backlog, clock offset and the cases the centre holds for it."""
    cases = REPLICA["case_file"]
    with engine.connect() as conn:
        held: dict[str, int] = dict(conn.execute(select(cases.c._owner, func.count()).group_by(cases.c._owner)).all())
        rows = conn.execute(select(center_node).order_by(center_node.c.node_code)).all()
    return [{
        "node_code": r.node_code, "node_name": r.node_name, "kind": r.kind, "kind_label": NODE_KINDS.get(r.kind, r.kind),
        "state": "已停用" if r.revoked_at else ("在用" if r.token_hash else "未注册"),
        "last_sync_at": r.last_sync_at.isoformat() if r.last_sync_at else None,
        "backlog": r.backlog, "clock_offset_s": round(r.clock_offset_s, 1), "cases": held.get(r.node_code, 0),
        "schema": r.schema_rev,
    } for r in rows]

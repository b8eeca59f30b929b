"""Joining a centre with a one-time enrolment code, in place of or after a local set-up.

A workstation set up on its own keeps its cases, notices and inquiries and pushes them all on the
first sync; what it set up for itself that the centre owns (catalogue, staff, departments,
calendar, settings) gives way to the centre's on the first full download.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.clock import utc_now
from app.database import Database
from app.migrations import SCHEMA_HEAD, SCHEMA_MAJOR
from app.models import AppMeta, NodeInfo, OutboxEntry, SyncSeen, SyncState
from app.models.base import table_of
from app.node_identity import read_identity
from app.services.numbering import NUMBERS_VERIFIED_KEY
from app.sync import codes
from app.sync.tables import CENTER_OWNED, PROTOCOL
from app.sync.transport import HttpTransport, SyncError, Transport, call


@dataclass(frozen=True)
class JoinResult:
    center_code: str
    center_name: str
    node_code: str
    node_name: str
    kind: str
    new_node: bool


def check_url(url: str) -> str:
    url = url.strip()
    if not re.match(r"^https?://[^\s/]+", url):
        raise SyncError("中心地址应形如 https://192.168.1.10:8443 或 http://中心主机:8765")
    return url.rstrip("/")


def join(db: Database, url: str, code: str, transport: Transport | None = None, ca_cert: str = "") -> JoinResult:
    """Enrol this workstation; raises SyncError with a message for people, changing nothing."""
    url = check_url(url)
    parsed = codes.parse(code)
    if parsed is None:
        raise SyncError(codes.FORMAT_HINT)
    center_code, node_code = parsed
    identity = read_identity(db.path)
    if identity is not None:
        if identity.training:
            raise SyncError("培训模式的数据不能连接中心")
        if identity.center_code != center_code:
            raise SyncError(f"此注册码属于中心 {center_code}，本机设置的中心是 {identity.center_code}（{identity.center_name}）")
        if identity.node_code != node_code:
            raise SyncError(f"此注册码是为 {node_code} 号节点签发的，本机是 {identity.node_code} 号（{identity.node_name}）")
    with db.session() as s:
        previous = s.scalar(select(SyncState))
    if previous is not None and previous.center_code != center_code:
        raise SyncError(f"本机已连接中心 {previous.center_code}，不能改连其他中心")
    own = transport is None
    transport = transport or HttpTransport(url, ca_cert)
    try:
        reply = call(transport, "/v1/enroll", {"code": codes.normalise(code), "node_code": node_code,
                                               "protocol": PROTOCOL, "schema": SCHEMA_HEAD,
                                               "schema_major": SCHEMA_MAJOR}, None)
    finally:
        if own and isinstance(transport, HttpTransport):
            transport.close()
    result = JoinResult(str(reply["center_code"]), str(reply["center_name"]), str(reply["node_code"]),
                        str(reply["node_name"]), str(reply["kind"]), identity is None)
    now = utc_now()
    db.forget_node()
    with db.engine.begin() as conn:
        # The node code may have printed numbers on another machine: none is issued here before the
        # first handshake has brought the centre's record of them (app.services.numbering).
        conn.execute(sqlite_insert(table_of(AppMeta)).values(key=NUMBERS_VERIFIED_KEY, value="0")
                     .on_conflict_do_update(index_elements=["key"], set_={"value": "0"}))
        if identity is None:
            conn.execute(table_of(NodeInfo).insert().values(
                id=1, center_code=result.center_code, center_name=result.center_name, node_code=result.node_code,
                node_name=result.node_name, node_kind=result.kind, training=False, created_at=now))
        if previous is None:
            # set up locally before joining: the centre's own versions replace these, they are not pushed
            conn.execute(delete(table_of(OutboxEntry)).where(OutboxEntry.table_name.in_(CENTER_OWNED)))
            conn.execute(delete(table_of(SyncSeen)))
            conn.execute(table_of(SyncState).insert().values(
                id=1, center_url=url, center_code=result.center_code, ca_cert=ca_cert, device_token=reply["token"],
                generation=str(reply["generation"]), cursor_xid=0, cursor_seq=0, acked_seq=0, resync=True,
                joined_at=now, last_error="", clock_offset_s=0.0))
        else:
            conn.execute(table_of(SyncState).update().values(
                center_url=url, ca_cert=ca_cert, device_token=reply["token"], resync=True, cursor_xid=0,
                cursor_seq=0))
    db.forget_node()
    return result

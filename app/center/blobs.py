"""The images of 电子件 pages at the centre: uploaded by the node that recorded the page, served to nodes
that may see it.

One image per request, after the page rows (a workstation drains its blob queue after its push, so
case rows never wait behind megabytes). The body's size is capped before it is read (the route's
limits); the bytes must be what their hash says, and a node may upload only an image that one of its own
page rows names: the centre stores nothing a device made up. Uploading the same image again is a no-op.
A node downloads an image it lacks (a director's workstation, the case's new holder after a hand-over)
when it may see a page naming it, by the same scope as the feed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from sqlalchemy import Connection, and_, select
from sqlalchemy.dialects.postgresql import insert

from app.center.errors import BadRequest, CenterError
from app.center.handover import party_scope
from app.center.nodes import Node
from app.center.schema import REPLICA, case_blob
from app.clock import utc_now
from app.services.attachments.store import MAX_STORED_BYTES, SHA256
from app.sync import wire

# One stored page (3 MB at most) as base64 in a small JSON object.
BLOB = wire.Limits(MAX_STORED_BYTES * 4 // 3 + 4096, depth=2, values=10)
NOT_NAMED = "中心尚无本节点引用该电子件的记录（请先同步办件），图像未接收"


def _sha(request: dict[str, Any]) -> str:
    sha = request.get("sha256")
    if not isinstance(sha, str) or not SHA256.match(sha):
        raise BadRequest("sha256 应为 64 位十六进制摘要")
    return sha


def upload(conn: Connection, node: Node, request: dict[str, Any]) -> dict[str, Any]:
    sha = _sha(request)
    encoded = request.get("data")
    if not isinstance(encoded, str) or len(encoded) > BLOB.size:
        raise BadRequest("data 应为 base64 文本")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest("data 不是有效的 base64") from None
    if not data or len(data) > MAX_STORED_BYTES:
        raise BadRequest("电子件图像超过大小上限")
    if hashlib.sha256(data).hexdigest() != sha:
        raise BadRequest("电子件图像与其摘要不符（传输中损坏），请重新上传")
    pages = REPLICA["case_page"]
    named = conn.execute(select(pages.c.id).where(pages.c.sha256 == sha, pages.c._owner == node.code).limit(1))
    if named.first() is None:
        raise CenterError(NOT_NAMED, 409)
    stored = conn.execute(insert(case_blob).values(sha256=sha, data=data, size_bytes=len(data), stored_at=utc_now(),
                                                   from_node=node.code)
                          .on_conflict_do_nothing(index_elements=["sha256"]).returning(case_blob.c.sha256)).first()
    return {"stored": True, "new": stored is not None}


def download(conn: Connection, node: Node, request: dict[str, Any]) -> dict[str, Any]:
    sha = _sha(request)
    pages = REPLICA["case_page"]
    seen = pages.c.sha256 == sha
    if not node.sees_township:
        scope = party_scope(pages, node.code)
        seen = and_(seen, scope)
    if conn.execute(select(pages.c.id).where(seen).limit(1)).first() is None:
        raise CenterError("没有本节点可查看的该电子件", 404)
    data = conn.execute(select(case_blob.c.data).where(case_blob.c.sha256 == sha)).scalar()
    if data is None:
        raise CenterError("中心尚未收到该电子件的图像（录入的工作站尚未上传）", 404)
    return {"sha256": sha, "data": base64.b64encode(bytes(data)).decode("ascii")}

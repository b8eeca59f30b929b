"""The change feed a workstation pulls: pages of rows it may see, in commit-safe order.

Rows are read in (_xid, _seq) order and only from transactions older than the oldest one still
running (pg_snapshot_xmin): every later row then has a larger _xid than anything already sent, so a
cursor that moves past a page can never skip a row whose transaction committed late.
"""

from __future__ import annotations

import heapq
from typing import Any

from sqlalchemy import Connection, Table, and_, func, or_, select, text, tuple_, update

from app.center.errors import BadRequest
from app.center.handover import party_scope
from app.center.nodes import Node, get_info
from app.center.schema import REPLICA, center_node, quarantine, tombstone
from app.clock import utc_now
from app.sync.tables import CENTER_OWNED, NODE_OWNED, UP_ONLY, columns, encode_row

MAX_PAGE = 5000
INT64_MAX = 2**63 - 1  # transaction ids and feed sequences are BIGINT
DOWN_TABLES = CENTER_OWNED + tuple(t for t in NODE_OWNED if t not in UP_ONLY)


def _cursor(body: dict[str, Any]) -> tuple[int, int]:
    cursor = body.get("cursor", [0, 0])
    if not (isinstance(cursor, list) and len(cursor) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= INT64_MAX for v in cursor)):
        raise BadRequest("cursor 应为两个 0 到 2^63-1 之间的整数")
    return cursor[0], cursor[1]


# A record's history written elsewhere goes to the node keeping the record: a director's decision on an
# appeal, made at the director's workstation, reaches the window keeping the rectification, which folds
# it in (app.services.ratings.upkeep). The record itself is only ever written by its keeper.
KEPT_BY_PARENT: dict[str, tuple[str, str]] = {
    "rectification_event": ("rectification_id", "rectification"),
    "supervision_answer": ("supervision_id", "supervision"),  # a window's answer goes back to the issuer
    "leave_event": ("leave_id", "leave_request"),  # a director's decision on leave asked at a window
}
# Rows one node writes for another to act on (a director's 督办 to a window): the addressed node receives
# them at its next sync. Only a writer that may address it gets such a row in (a director's workstation, a
# director the centre verified, the centre's own workspace: app.center.addressed refuses the rest at the
# door), so a window cannot plant a 督办 at another window. Column naming the node.
ADDRESSED_TO: dict[str, str] = {"supervision": "to_node"}


def keeper_scope(t: Table, node_code: str) -> Any:
    """Rows of `t` this node receives as the keeper of their parent record, with its own; None when
    `t` is not such a history."""
    link = KEPT_BY_PARENT.get(t.name)
    if link is None:
        return None
    column, parent_name = link
    parent = REPLICA[parent_name]
    return or_(t.c._owner == node_code, t.c[column].in_(select(parent.c.id).where(parent.c._owner == node_code)))


def addressed_scope(t: Table, node_code: str) -> Any:
    """Rows of `t` this node receives because they are addressed to it, with its own; None when `t`
    is not such a table."""
    column = ADDRESSED_TO.get(t.name)
    if column is None:
        return None
    return or_(t.c._owner == node_code, t.c[column] == node_code)


def _scope(t: Table, node: Node, full: bool, center_owned: bool) -> Any:
    """What this node may see: centre-owned rows, its own rows and those of cases handed to it or by
    it (app.center.handover), or (a director) the township's."""
    conditions = []
    if t is tombstone or t is quarantine:
        if not node.sees_township:
            conditions.append(or_(t.c._owner.is_(None), t.c._owner == node.code))
    elif not center_owned and not node.sees_township:
        shared = party_scope(t, node.code)
        if shared is None:
            shared = keeper_scope(t, node.code)
        if shared is None:
            shared = addressed_scope(t, node.code)
        conditions.append(t.c._owner == node.code if shared is None else shared)
    if not full:
        conditions.append(t.c._pushed_by != node.code)  # it has its own changes already
    return and_(True, *conditions)


def read_page(conn: Connection, node: Node, body: dict[str, Any]) -> dict[str, Any]:
    cursor = _cursor(body)
    limit = body.get("limit", 1000)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise BadRequest(f"limit 应在 1 到 {MAX_PAGE} 之间")
    full = body.get("full") is True
    info = get_info(conn)
    horizon = (int(info.get("horizon_xid", 0)), int(info.get("horizon_seq", 0)))
    # A node that kept rows past a purge may still hold rows whose deletions were forgotten: it downloads
    # afresh. A download afresh (full) needs no deletion at all, however far back its cursor still is.
    if cursor != (0, 0) and cursor < horizon and not full:
        return {"reset": True, "reason": "离线时间过长，中心已清理旧的删除记录，需要重新下载"}
    xmin = conn.execute(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")).scalar_one()
    found: list[list[tuple[int, int, str, Any]]] = []
    for name in DOWN_TABLES:
        t = REPLICA[name]
        cols = columns(name)
        rows = conn.execute(_feed_query(t, [t.c[c] for c in cols], cursor, xmin, limit,
                                        _scope(t, node, full, name in CENTER_OWNED))).all()
        found.append([(r._xid, r._seq, name, encode_row(name, r, cols)) for r in rows])
    tomb = conn.execute(_feed_query(tombstone, [tombstone.c.table_name, tombstone.c.row_id], cursor, xmin, limit,
                                    and_(tombstone.c.table_name.in_(DOWN_TABLES),
                                         _scope(tombstone, node, full, False)))).all()
    found.append([(r._xid, r._seq, "-", [r.table_name, r.row_id]) for r in tomb])
    qcols = [quarantine.c[c] for c in ("id", "origin_node", "table_name", "row_id", "reason", "payload", "created_at")]
    issues = conn.execute(_feed_query(quarantine, qcols, cursor, xmin, limit,
                                      _scope(quarantine, node, True, False))).all()
    found.append([(r._xid, r._seq, "!", [r.id, r.origin_node, r.table_name, r.row_id, r.reason, r.payload,
                                         r.created_at.isoformat()]) for r in issues])
    merged = list(heapq.merge(*found, key=lambda e: (e[0], e[1])))
    page = merged[:limit]
    more = len(merged) > limit or any(len(f) == limit for f in found)
    groups: dict[str, list[Any]] = {}
    deletes, quarantined = [], []
    for _xid, _seq, kind, values in page:
        if kind == "-":
            deletes.append(values)
        elif kind == "!":
            quarantined.append(values)
        else:
            groups.setdefault(kind, []).append(values)
    next_cursor = [page[-1][0], page[-1][1]] if page else list(cursor)
    if not more:
        conn.execute(update(center_node).where(center_node.c.node_code == node.code).values(last_sync_at=utc_now()))
    answer: dict[str, Any] = {
        "cursor": next_cursor, "more": more,
        "groups": [{"t": name, "c": columns(name), "r": rows} for name, rows in groups.items()],
        "deletes": deletes, "issues": quarantined,
    }
    if more and body.get("count") is True:  # asked on a run's first page: the client's progress bar
        answer["remaining"] = _remaining(conn, node, (next_cursor[0], next_cursor[1]), xmin, full)
    return answer


def _remaining(conn: Connection, node: Node, cursor: tuple[int, int], xmin: int, full: bool) -> int:
    """Changes after `cursor` this node will receive, counted as the pages will read them."""
    def count(t: Table, scope: Any) -> int:
        query = (select(func.count()).select_from(t)
                 .where(tuple_(t.c._xid, t.c._seq) > tuple_(*cursor), t.c._xid < xmin, scope))
        return int(conn.execute(query).scalar_one())

    total = sum(count(REPLICA[name], _scope(REPLICA[name], node, full, name in CENTER_OWNED)) for name in DOWN_TABLES)
    total += count(tombstone, and_(tombstone.c.table_name.in_(DOWN_TABLES), _scope(tombstone, node, full, False)))
    return total + count(quarantine, _scope(quarantine, node, True, False))


def _feed_query(t: Table, cols: list[Any], cursor: tuple[int, int], xmin: int, limit: int, scope: Any) -> Any:
    return (select(*cols, t.c._xid, t.c._seq)
            .where(tuple_(t.c._xid, t.c._seq) > tuple_(*cursor), t.c._xid < xmin, scope)
            .order_by(t.c._xid, t.c._seq).limit(limit))

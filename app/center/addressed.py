"""Rows one node writes for another to act on (a 督办 and its answer), checked when they are pushed.

The feed sends a window every 督办 addressed to it, and readers count only the addressed node's answer;
these checks are what keeps a forged 督办 or an answer from the wrong window out: refused at the door, it
never rests in the centre's store, reaches a window or the director's list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, select

from app.center.nodes import Node
from app.center.schema import REPLICA
from app.sync.tables import CENTER_NODE

NOT_DIRECTOR = "督办须由中心主任发出：本节点不是中心主任的工作站，也未经主任本人验证"
AUTO_ELSEWHERE = "自动督办只能由办件所在节点为本节点生成"
NOT_ADDRESSED = "只有被督办的窗口可以答复该督办"


def addressed_write_problem(conn: Connection, node: Node, table: str, row: dict[str, Any],
                            actor: Any, proven: Callable[[Any], bool]) -> str | None:
    """Why this node may not push this 督办 or answer, or None (also for every other table). A 督办 comes
    from a director's workstation, or from a director the centre itself verified at another workstation
    (`proven`: the centre checked this person's password for this push); the feed then delivers it to
    the window it names, whoever's device wrote it (app.center.feed.addressed_scope)."""
    if node.code == CENTER_NODE:
        return None
    if table == "supervision":
        if row.get("auto"):
            return None if row.get("to_node") == node.code else AUTO_ELSEWHERE
        return None if node.kind == "director" or _proven_director(conn, actor, proven) else NOT_DIRECTOR
    if table == "supervision_answer":
        parent = REPLICA["supervision"]
        to_node = conn.execute(select(parent.c.to_node).where(parent.c.id == row.get("supervision_id"))).scalar()
        # A parent not stored yet is this node's own automatic record in the same push (any order).
        return None if to_node is None or to_node == node.code else NOT_ADDRESSED
    return None


def _proven_director(conn: Connection, actor: Any, proven: Callable[[Any], bool]) -> bool:
    """A director (not an administrator: only a director issues a 督办) whose password the centre checked."""
    if not proven(actor):
        return False
    staff = REPLICA["staff"]
    return conn.execute(select(staff.c.role).where(staff.c.id == actor)).scalar() == "director"

"""Who may change the hall's queue categories, and what a valid set of them is.

Only a director or administrator proven to the centre (a proof from `/v1/vouch` carried by the request,
as a push of centre data carries it) may replace the categories; a device's word is not enough. The same
rules (app.services.queue.rules) check the window's side before anything is sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from app.center.authority import proven_people
from app.center.errors import BadRequest, Forbidden
from app.center.nodes import Node
from app.center.queue import status, today
from app.center.queue_tables import queue_category, queue_ticket
from app.center.schema import center_node
from app.node_identity import KIOSK
from app.services.errors import ValidationError
from app.services.queue import rules

MAX_CATEGORIES = rules.MAX_CATEGORIES


@dataclass(frozen=True)
class CategorySpec:
    name: str
    prefix: str
    windows: tuple[str, ...]  # () = every window


def parse(items: Any) -> list[CategorySpec]:
    """The categories in a request, checked: names and prefixes unique, windows two-digit node codes."""
    if not isinstance(items, list) or not 0 < len(items) <= MAX_CATEGORIES:
        raise BadRequest(f"排队类别应为 1–{MAX_CATEGORIES} 个")
    specs: list[CategorySpec] = []
    for item in items:
        if not isinstance(item, dict):
            raise BadRequest("排队类别的格式不对")
        name, prefix, windows = item.get("name"), item.get("prefix"), item.get("windows", [])
        if not isinstance(name, str) or not isinstance(prefix, str) or not isinstance(windows, list) \
                or len(name) > 40 or len(prefix) > 4 or len(windows) > 99:
            raise BadRequest("排队类别的格式不对")
        if not all(isinstance(w, str) and re.fullmatch(r"\d{2}", w) and w != "00" for w in windows):
            raise BadRequest(f"“{name[:20]}”的窗口应为两位数字的节点编码，如 01")
        try:
            specs.append(CategorySpec(rules.check_category(name), rules.check_prefix(prefix),
                                      tuple(sorted(set(windows)))))
        except ValidationError as exc:
            raise BadRequest(exc.message) from exc
    doubled = rules.doubled([s.name for s in specs], [s.prefix for s in specs])
    if doubled:
        raise BadRequest(doubled)
    return specs


def replace(conn: Connection, specs: list[CategorySpec]) -> None:
    """The hall's categories become `specs`; one with tickets still waiting today cannot go."""
    t = queue_ticket.c
    kept = {s.name for s in specs}
    busy = [name for name, in conn.execute(select(t.category).where(
        t.day == today(), t.status.in_(("waiting", "called")), t.category.not_in(kept)).group_by(t.category))]
    if busy:
        raise BadRequest(f"“{'、'.join(busy)}”今天还有未办完的号，不能删除；请先叫完或转到其他类别")
    named = {w for s in specs for w in s.windows}
    kiosks = sorted(conn.execute(select(center_node.c.node_code).where(
        center_node.c.node_code.in_(named), center_node.c.kind == KIOSK)).scalars()) if named else []
    if kiosks:
        raise BadRequest(f"节点 {'、'.join(kiosks)} 是大厅取号机（大厅屏幕），不叫号，不能作为类别的办理窗口")
    conn.execute(delete(queue_category))
    conn.execute(insert(queue_category), [
        {"name": s.name, "prefix": s.prefix, "windows": ",".join(s.windows), "position": i}
        for i, s in enumerate(specs)])


def set_categories(conn: Connection, node: Node, body: dict[str, Any]) -> dict[str, Any]:
    """Route handler: replace the categories for a proven director or administrator; answers the status."""
    if not proven_people(conn, node, body.get("proofs")):
        raise Forbidden("只有经中心核验身份的中心主任或管理员才能修改排队类别；请联网重新登录后再试")
    replace(conn, parse(body.get("categories")))
    return status(conn, node, {})


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(queue_category)).scalar_one())

"""The centre's sync protocol as plain functions: (path, body, token) -> (status, body).

The HTTP layer (app.center.server) and the centre's own workspace both come through here, so the
rules live in one place. A request is authenticated from its token alone, before its body is read or
decompressed (only enrolment goes without a token, and its body is a few bytes); the body is then
unpacked within the limits of its route. Every reply is a compressed JSON object; errors carry a
message for people. Bad input is answered with a 4xx; a 500 means a bug and is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from app.center import queue
from app.center.apply import apply_push
from app.center.authority import vouch
from app.center.blobs import BLOB, download, upload
from app.center.errors import CenterError
from app.center.feed import read_page
from app.center.nodes import Node, authenticate, enroll, hello
from app.center.queue_categories import set_categories
from app.sync import wire
from app.sync.wire import TooLarge, WireError, pack

log = logging.getLogger(__name__)

Handler = Callable[[Connection, Node, dict[str, Any]], dict[str, Any]]
Reply = tuple[int, bytes]


def _push(conn: Connection, node: Node, request: dict[str, Any]) -> dict[str, Any]:
    result = apply_push(conn, node, request)
    return {"acked": result.acked, "applied": result.applied, "replay": result.replay,
            "rejected": [[r.table, r.row_id, r.reason] for r in result.rejected]}


@dataclass(frozen=True)
class Route:
    """An authenticated request: what it may carry and what answers it (in one transaction)."""

    handler: Handler
    limits: wire.Limits


ENROLL = "/v1/enroll"
ROUTES: dict[str, Route] = {
    "/v1/hello": Route(hello, wire.SMALL),
    "/v1/push": Route(_push, wire.PUSH),
    "/v1/pull": Route(read_page, wire.SMALL),
    "/v1/vouch": Route(vouch, wire.SMALL),
    "/v1/blob": Route(upload, BLOB),  # 电子件 images, one a request, after the rows (app.center.blobs)
    "/v1/blob/get": Route(download, wire.SMALL),
    # The hall's queue (app.center.queue): every window shares it.
    "/v1/queue/take": Route(queue.take, wire.SMALL),
    "/v1/queue/status": Route(queue.status, wire.SMALL),
    "/v1/queue/call": Route(queue.call, wire.SMALL),
    "/v1/queue/recall": Route(queue.recall, wire.SMALL),
    "/v1/queue/skip": Route(queue.skip, wire.SMALL),
    "/v1/queue/transfer": Route(queue.transfer, wire.SMALL),
    "/v1/queue/finish": Route(queue.finish, wire.SMALL),
    "/v1/queue/arrivals": Route(queue.arrivals, wire.SMALL),
    "/v1/queue/categories": Route(set_categories, wire.SMALL),
}
PATHS = (ENROLL, *ROUTES)
QUEUE_PATHS = "/v1/queue/"  # the hall's queue: a lane of its own in the HTTP service (app.center.server)


def limits_for(path: str) -> wire.Limits | None:
    """The body limits of a path; None when there is no such interface."""
    if path == ENROLL:
        return wire.ENROLL
    route = ROUTES.get(path)
    return route.limits if route else None


def refusal(exc: Exception, path: str) -> Reply:
    """The answer for an error: 4xx with its message, 503 when the database is away, else 500."""
    if isinstance(exc, TooLarge):
        return 413, pack({"error": str(exc)})
    if isinstance(exc, WireError):
        return 400, pack({"error": str(exc)})
    if isinstance(exc, CenterError):
        return exc.status, pack({"error": exc.message})
    if isinstance(exc, OperationalError):
        log.error("centre database unavailable on %s", path, exc_info=exc)
        return 503, pack({"error": "中心数据库暂时不可用，请稍后再试"})
    log.error("unexpected error on %s", path, exc_info=exc)
    return 500, pack({"error": "中心服务内部错误，已记录日志"})


class CenterApi:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def authenticate(self, path: str, token: str | None) -> Node | None:
        """The node behind the token (None for enrolment); raises CenterError for anything else.
        Reads only the token: callers do this before they read the body."""
        if limits_for(path) is None:
            raise CenterError("没有这个接口", 404)
        if path == ENROLL:
            return None
        with self.engine.connect() as conn:
            return authenticate(conn, token)

    def handle_authenticated(self, path: str, body: bytes, node: Node | None) -> Reply:
        """Unpack the body within the route's limits and answer it; `node` from authenticate()."""
        try:
            limits = limits_for(path)
            if limits is None:
                raise CenterError("没有这个接口", 404)
            request = wire.unpack(body, limits)
            if node is None:
                if path != ENROLL:
                    raise CenterError("请求未带设备凭据", 401)
                return 200, pack(enroll(self.engine, request))
            with self.engine.begin() as conn:
                return 200, pack(ROUTES[path].handler(conn, node, request))
        except Exception as exc:  # every failure becomes an answer; refusal() logs the unexpected
            return refusal(exc, path)

    def handle(self, path: str, body: bytes, token: str | None) -> Reply:
        """Both steps at once (the centre's workspace and tests call the API in-process)."""
        try:
            node = self.authenticate(path, token)
        except Exception as exc:
            return refusal(exc, path)
        return self.handle_authenticated(path, body, node)

"""The centre's sync protocol as plain functions: (path, body, token) -> (status, body).

The HTTP layer (app.center.server) and the centre's own workspace both call handle(), so the rules
live in one place. Every reply is a compressed JSON object; errors carry a message for people.
Bad input is answered with a 4xx; a 500 means a bug and is logged.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from app.center.apply import apply_push
from app.center.errors import BadRequest, CenterError
from app.center.feed import read_page
from app.center.nodes import authenticate, enroll, hello
from app.sync.wire import WireError, pack, unpack

log = logging.getLogger(__name__)

ROUTES = ("/v1/enroll", "/v1/hello", "/v1/push", "/v1/pull")


class CenterApi:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def handle(self, path: str, body: bytes, token: str | None) -> tuple[int, bytes]:
        try:
            if path not in ROUTES:
                raise CenterError("没有这个接口", 404)
            request = unpack(body)
            return 200, pack(self._route(path, request, token))
        except WireError as exc:
            return 400, pack({"error": str(exc)})
        except CenterError as exc:
            return exc.status, pack({"error": exc.message})
        except OperationalError:
            log.exception("centre database unavailable")
            return 503, pack({"error": "中心数据库暂时不可用，请稍后再试"})
        except Exception:
            log.exception("unexpected error on %s", path)
            return 500, pack({"error": "中心服务内部错误，已记录日志"})

    def _route(self, path: str, request: dict[str, Any], token: str | None) -> dict[str, Any]:
        if path == "/v1/enroll":
            return enroll(self.engine, request)
        with self.engine.begin() as conn:
            node = authenticate(conn, token)
            if path == "/v1/hello":
                return hello(conn, node, request)
            if path == "/v1/push":
                result = apply_push(conn, node, request)
                return {"acked": result.acked, "applied": result.applied, "replay": result.replay,
                        "rejected": [[r.table, r.row_id, r.reason] for r in result.rejected]}
            if path == "/v1/pull":
                return read_page(conn, node, request)
        raise BadRequest("未知请求")  # pragma: no cover - ROUTES is checked first

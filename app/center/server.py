"""The centre's HTTP service: Starlette on uvicorn, TLS when given a certificate. Keeps no state."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.center.api import ROUTES, CenterApi
from app.sync.wire import pack

MAX_REQUEST = 32 * 1024 * 1024  # compressed bytes
MEDIA = "application/zstd+json"


def create_app(api: CenterApi) -> Starlette:
    async def endpoint(request: Request) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_REQUEST):
            return Response(pack({"error": "请求内容过大"}), 413, media_type=MEDIA)
        chunks, size = [], 0
        async for chunk in request.stream():
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_REQUEST:
                return Response(pack({"error": "请求内容过大"}), 413, media_type=MEDIA)
        body = b"".join(chunks)
        auth = request.headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        status, content = await run_in_threadpool(api.handle, request.url.path, body, token)
        return Response(content, status, media_type=MEDIA)

    return Starlette(routes=[Route(path, endpoint, methods=["POST"]) for path in ROUTES])


def serve(api: CenterApi, host: str, port: int, tls_cert: Path | None = None, tls_key: Path | None = None) -> None:
    import uvicorn

    uvicorn.run(create_app(api), host=host, port=port, log_level="info", access_log=False,
                ssl_certfile=str(tls_cert) if tls_cert else None, ssl_keyfile=str(tls_key) if tls_key else None)

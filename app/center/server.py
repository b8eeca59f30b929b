"""The centre's HTTP service: Starlette on uvicorn, TLS when given a certificate. Keeps no state.

A request is answered in this order, so that nobody without a device token can make the centre
hold more than a few kilobytes: the token is checked (in the thread pool: it reads PostgreSQL), the
declared length is checked against the route's cap, a place is taken among a few concurrent body
handlers (beyond them the centre answers 503 in Chinese), and only then is the body read (capped as
it streams), decompressed and parsed within the route's limits (app.sync.wire).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.center.api import ENROLL, PATHS, QUEUE_PATHS, CenterApi, limits_for, refusal
from app.center.public import PublicPage
from app.sync.wire import TooLarge, pack

MEDIA = "application/zstd+json"
BUSY_WAIT_S = 2.0  # how long a request may wait for a free body handler before the 503


@dataclass
class Lane:
    """Requests that share a bound: how many bodies at once, and how long a body may take to arrive."""

    slots: int
    read_timeout_s: float
    semaphore: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self.semaphore = asyncio.Semaphore(self.slots)


def _answer(status: int, content: bytes) -> Response:
    return Response(content, status, media_type=MEDIA)


def _error(status: int, message: str) -> Response:
    return _answer(status, pack({"error": message}))


async def _read_body(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge("请求内容过大")
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(api: CenterApi, sync_slots: int = 4, enroll_slots: int = 2, queue_slots: int = 4) -> Starlette:
    # Enrolment, the one request anybody may send, has its own lane: slow senders there cannot
    # hold up the devices' syncs; so has the hall's queue, whose calls a citizen waits for and which must
    # not queue behind a 4 MB push. Created here, so each app's semaphores belong to its event loop.
    lanes = {"sync": Lane(sync_slots, 120.0), "enroll": Lane(enroll_slots, 10.0), "queue": Lane(queue_slots, 10.0)}

    async def endpoint(request: Request) -> Response:
        path = request.url.path
        limits = limits_for(path)
        assert limits is not None  # only PATHS are routed here
        auth = request.headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        try:
            node = await run_in_threadpool(api.authenticate, path, token)
        except Exception as exc:
            return _answer(*refusal(exc, path))
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limits.size):
            return _error(413, "请求内容过大")
        lane = lanes["enroll" if path == ENROLL else "queue" if path.startswith(QUEUE_PATHS) else "sync"]
        try:
            await asyncio.wait_for(lane.semaphore.acquire(), BUSY_WAIT_S)
        except TimeoutError:
            return _error(503, "中心繁忙，请稍后再试")
        try:
            async with asyncio.timeout(lane.read_timeout_s):
                body = await _read_body(request, limits.size)
            return _answer(*await run_in_threadpool(api.handle_authenticated, path, body, node))
        except TooLarge as exc:
            return _error(413, str(exc))
        except TimeoutError:
            return _error(408, "请求内容传输超时，请稍后再试")
        finally:
            lane.semaphore.release()

    # The citizens' page (GET/POST /q/<number>): progress by query code and the QR rating (app.center.public).
    public = PublicPage(api.engine).routes()
    return Starlette(routes=[*[Route(path, endpoint, methods=["POST"]) for path in PATHS], *public])


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Keep glibc to a few malloc arenas. Each worker thread otherwise gets an arena of its own, and
    what one request freed in one arena is not reused by the next in another: under sustained bursts
    of refused bodies the centre crept from 150 MB to 370 MB; with two arenas it stays near 110 MB.
    Call before the worker threads start. False where there is no glibc (Windows, macOS, musl)."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    m_arena_max = -8
    return bool(mallopt(m_arena_max, arenas))


def serve(api: CenterApi, host: str, port: int, tls_cert: Path | None = None, tls_key: Path | None = None) -> None:
    import uvicorn

    limit_malloc_arenas()

    # limit_concurrency: a backstop on open connections (uvicorn answers 503 beyond it).
    uvicorn.run(create_app(api), host=host, port=port, log_level="info", access_log=False,
                limit_concurrency=500,
                ssl_certfile=str(tls_cert) if tls_cert else None, ssl_keyfile=str(tls_key) if tls_key else None)

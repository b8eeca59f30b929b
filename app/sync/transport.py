"""How a workstation reaches its centre: HTTPS (httpx) or, for the centre's own workspace, a call."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from typing import Any, Protocol

from app.sync.wire import FAST, Limits, WireError, pack, unpack


class SyncError(Exception):
    """A sync step failed; the message is for people (status bar, `sync` command)."""


class Unreachable(SyncError):
    """The centre could not be reached (offline, refused, timed out): try again later."""


class TimedOut(Unreachable):
    """The request took too long: the next one is smaller."""


class Refused(SyncError):
    """The centre answered with an error."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Transport(Protocol):
    def post(self, path: str, body: bytes, token: str | None) -> tuple[int, bytes]: ...


class HttpTransport:
    def __init__(self, url: str, ca_cert: str = "", timeout: float = 30.0, client: Any = None) -> None:
        import httpx

        self._httpx = httpx
        verify: Any = True
        if ca_cert:
            try:
                verify = ssl.create_default_context(cafile=ca_cert)
            except (OSError, ssl.SSLError) as exc:
                raise SyncError(f"无法读取中心的 CA 证书文件 {ca_cert}：{exc}") from exc
        self.client = client or httpx.Client(base_url=url.rstrip("/"), timeout=timeout, verify=verify)

    def post(self, path: str, body: bytes, token: str | None) -> tuple[int, bytes]:
        headers = {"content-type": "application/zstd+json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        httpx = self._httpx
        try:
            response = self.client.post(path, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise TimedOut("连接中心超时") from exc
        except httpx.TransportError as exc:
            if "CERTIFICATE_VERIFY_FAILED" in str(exc):
                raise SyncError("中心的 HTTPS 证书无法验证；如中心使用自签证书，连接时请指定其 CA 文件（--ca-cert）") from exc
            raise Unreachable(f"无法连接中心：{exc.__class__.__name__}") from exc
        return response.status_code, response.content

    def close(self) -> None:
        self.client.close()


class LocalTransport:
    """Calls a handler in this process (the centre's workspace, and tests)."""

    def __init__(self, handle: Callable[[str, bytes, str | None], tuple[int, bytes]]) -> None:
        self.handle = handle

    def post(self, path: str, body: bytes, token: str | None) -> tuple[int, bytes]:
        return self.handle(path, body, token)


def call(transport: Transport, path: str, request: dict[str, Any], token: str | None, level: int = FAST,
         limit: Limits | None = None) -> dict[str, Any]:
    """One request; raises Refused with the centre's message for any non-200 answer, and
    wire.TooLarge (before sending) when it is over `limit`."""
    status, content = transport.post(path, pack(request, level, limit), token)
    try:
        reply = unpack(content)
    except WireError as exc:
        raise Refused(status, f"中心的答复无法识别（HTTP {status}）") from exc
    if status != 200:
        raise Refused(status, str(reply.get("error", f"中心拒绝了请求（HTTP {status}）")))
    return reply

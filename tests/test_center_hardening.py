"""The real centre process under attack: compression bombs and JSON bombs, with and without a token.

The centre runs as `main.py center serve` in its own process, so its memory can be read from
/proc. Before the fix a 128 KB body declaring 4 GB took it to 4.2 GB and 64 MB of `{},` to 1.8 GB.
"""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import zstandard
from sqlalchemy import create_engine, text

from app.sync.client import SyncClient
from app.sync.transport import HttpTransport
from app.sync.wire import pack, unpack
from tests.sync_helpers import accept, enrol, make_center

pytestmark = pytest.mark.usefixtures("china_time")
ROOT = Path(__file__).resolve().parent.parent
GROWTH_LIMIT_KB = 80 * 1024
RSS_LIMIT_KB = 300 * 1024


def _memory_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise AssertionError(f"{key} not in /proc/{pid}/status")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def declared_bomb() -> bytes:
    """About 128 KB of zstd whose frame header declares 4 GB (of zeros)."""
    out = io.BytesIO()
    writer = zstandard.ZstdCompressor(level=1).stream_writer(out, size=4 << 30, closefd=False)
    zeros = bytes(4 << 20)
    for _ in range(1024):
        writer.write(zeros)
    writer.flush(zstandard.FLUSH_FRAME)
    return out.getvalue()


def json_bomb(declare_size: bool) -> bytes:
    """A few KB that decompress to 64 MB of `{},` in a list; with or without the size in the header."""
    text_ = b"[" + b"{}," * (64 * 1024 * 1024 // 3) + b"{}]"
    return zstandard.ZstdCompressor(level=3, write_content_size=declare_size).compress(text_)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], object, str]]:
    """A centre initialised here, then served by its own process; a workstation joined to it."""
    data = tmp_path / "data"
    center = make_center(data / "center")
    station = enrol(center, tmp_path / "w1", "01")
    assert station.sync().ok
    url = center.db_url
    assert url is not None
    center.close()
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data), "center", "--db", url, "serve",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.post(base + "/v1/hello", content=b"", timeout=2)
            break
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode() if proc.stdout else ""
                proc.kill()
                raise AssertionError(f"centre did not start: {out[-2000:]}") from None
            time.sleep(0.1)
    station.transport = HttpTransport(base)  # the in-process centre is closed: reach the live one
    yield base, proc, station, url
    station.transport.close()
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stdout:
        proc.stdout.close()


def test_bombs_with_and_without_token_leave_the_centre_small_and_answered(
        live: tuple[str, subprocess.Popen[bytes], object, str], capsys: pytest.CaptureFixture[str]) -> None:
    base, proc, station, url = live
    token = station.token  # type: ignore[attr-defined]
    before = _memory_kb(proc.pid, "VmRSS")
    bodies = {"declared 4 GB": declared_bomb(), "64 MB of {}, (size declared)": json_bomb(True),
              "64 MB of {}, (size not declared)": json_bomb(False)}
    assert len(bodies["declared 4 GB"]) < 200_000 and all(len(b) < 200_000 for b in bodies.values())
    deep = zstandard.ZstdCompressor().compress(b"[" * 100_000 + b"]" * 100_000)
    many = pack({"groups": [{} for _ in range(1_000_000)]})  # under the size cap, over the value cap
    attacks = [(path, name, body, auth) for name, body in {**bodies, "deep": deep, "many": many}.items()
               for path in ("/v1/push", "/v1/enroll", "/v1/hello") for auth in (token, None)]

    def send(attack: tuple[str, str, bytes, str | None]) -> tuple[str, str, str | None, int]:
        path, name, body, auth = attack
        headers = {"authorization": f"Bearer {auth}"} if auth else {}
        try:
            status = httpx.post(base + path, content=body, headers=headers, timeout=60).status_code
        except httpx.TransportError:  # the centre may close the connection on an unread body
            status = 0
        return path, name, auth, status

    with ThreadPoolExecutor(max_workers=64) as pool:  # sustained: each attack 24 times, 64 at a time
        results = list(pool.map(send, attacks * 24))
    peak = _memory_kb(proc.pid, "VmHWM")
    after = _memory_kb(proc.pid, "VmRSS")
    with capsys.disabled():
        print(f"\ncentre RSS before {before // 1024} MB, peak {peak // 1024} MB, after {after // 1024} MB "
              f"({len(results)} attacking requests)")
    for path, name, auth, status in results:
        if auth is None and path != "/v1/enroll":
            assert status == 401, (path, name, status)
        else:
            assert 400 <= status < 500, (path, name, bool(auth), status)
    assert peak < RSS_LIMIT_KB, f"peak RSS {peak // 1024} MB"
    # Sustained bursts must not creep either (one malloc arena per worker thread did: +114 MB here,
    # 150 -> 370 MB on a centre that had just seeded its catalogue).
    assert peak - before < GROWTH_LIMIT_KB, f"RSS grew {(peak - before) // 1024} MB under attack"
    assert proc.poll() is None

    # and the centre still serves its workstations
    with station.db.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(text("UPDATE sync_state SET center_url = :u"), {"u": base})
    number = accept(station, station.actor(), 1)  # type: ignore[arg-type, attr-defined]
    report = SyncClient(station.db).run()  # type: ignore[attr-defined]
    assert report.ok, report.message
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM case_file WHERE number = :n"), {"n": number}).scalar_one() == 1
    engine.dispose()
    reply = httpx.post(base + "/v1/hello", content=pack({"protocol": 1, "schema_major": 1, "clock": 0}))
    assert reply.status_code == 401 and "凭据" in unpack(reply.content)["error"]


def test_beyond_its_body_handlers_the_centre_answers_503_in_chinese() -> None:
    """Concurrent work is bounded: a request that finds every handler busy waits briefly, then 503."""
    import threading

    import uvicorn

    from app.center.server import BUSY_WAIT_S, create_app

    release = threading.Event()

    class SlowApi:
        engine = None  # the public page's database, not reached by this test

        def authenticate(self, path: str, token: str | None) -> object:
            return object()

        def handle_authenticated(self, path: str, body: bytes, node: object) -> tuple[int, bytes]:
            release.wait(BUSY_WAIT_S + 5)
            return 200, pack({"acked": 0})

    port = _free_port()
    app = create_app(SlowApi(), sync_slots=1)  # type: ignore[arg-type]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(httpx.post, base + "/v1/push", content=pack({}), timeout=30)
        time.sleep(0.5)
        started = time.monotonic()
        busy = httpx.post(base + "/v1/pull", content=pack({}), timeout=30)
        waited = time.monotonic() - started
        release.set()
        assert first.result().status_code == 200
    assert busy.status_code == 503 and unpack(busy.content)["error"] == "中心繁忙，请稍后再试"
    assert BUSY_WAIT_S - 0.5 < waited < BUSY_WAIT_S + 3
    server.should_exit = True
    thread.join(5)


def test_packing_from_many_threads_at_once_never_fails() -> None:
    """The centre packs replies in worker threads: one shared zstd compressor failed under load."""
    from concurrent.futures import ThreadPoolExecutor

    from app.sync.wire import STRONG

    body = {"rows": [[f"值{i}", i, "镇赉镇红旗村三组" * 20] for i in range(400)]}

    def round_trip(n: int) -> bool:
        return unpack(pack({**body, "n": n}, STRONG if n % 2 else 3))["n"] == n

    with ThreadPoolExecutor(16) as pool:
        assert all(pool.map(round_trip, range(400)))

"""Issue 12's public-page figure: 50 phones at once on loopback against a real centre (uvicorn in its own
process, PostgreSQL, 20,000 cases and ratings), each asking for a case's progress with its query code.

Two runs: "phones", where each phone opens a page every quarter of a second (200 pages a second in all,
far more than 50 people reading their pages), which the target (p99 < 100 ms) is measured on; and
"saturation", where each asks again the moment its page arrives (a closed loop), which shows how many
pages a second one centre process serves and what waiting in line for it costs."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.measure import percentiles, target

CLIENTS = 50
PER_CLIENT = 60
PAUSE_S = 0.25  # a phone's next page request, after the last one arrived
P99_MS = 100
VOLUME = 20_000  # cases (and as many ratings) already at the centre, so indexes matter


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _volume(center: Any, template: dict[str, Any]) -> None:
    """VOLUME more cases pushed as node 01 would, and a rating for each (written by SQL: only their
    number matters here)."""
    from sqlalchemy import text

    from app.center.apply import apply_push
    from app.center.nodes import Node
    from app.sync.tables import columns
    from tests.benchmarks.sync import _case_rows

    cols, batch = columns("case_file"), 1000
    rows = _case_rows(template, VOLUME, "01", 500_000)
    with center.engine.connect() as conn:
        acked = conn.execute(text("SELECT acked_seq FROM center_node WHERE node_code='01'")).scalar_one()
    for b in range(0, VOLUME, batch):
        body = {"from": acked + b + 1, "to": acked + b + batch,
                "groups": [{"t": "case_file", "c": cols, "r": rows[b:b + batch], "s": list(range(batch)),
                            "a": [None] * batch}]}
        with center.engine.begin() as conn:
            apply_push(conn, Node("01", "1号窗口", "window"), body)
    with center.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO rating (id, origin_node, created_at, updated_at, target_kind, target_number, staff_no, "
            "staff_name, \"window\", level, reasons, text, private, channel, provenance, rated_at, seq, _owner) "
            "SELECT 'bench-' || n, '01', now(), now(), 'case', number, '8000', '王管理', '', 5, '[]', '', false, "
            "'window', 'citizen', now(), 1, '01' FROM (SELECT number, row_number() OVER () AS n FROM case_file) c"))


def _serve(url: str, port: int) -> subprocess.Popen[bytes]:
    code = ("import sys; from app.center.api import CenterApi; from app.center.db import engine_for; "
            "from app.center.server import serve; serve(CenterApi(engine_for(sys.argv[1])), '127.0.0.1', "
            "int(sys.argv[2]))")
    server = subprocess.Popen([sys.executable, "-c", code, url, str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the centre did not start")


def _phones(port: int, cases: list[tuple[str, str]], pause_s: float = 0.0) -> tuple[list[float], int, float]:
    """CLIENTS threads, each with its own keep-alive connection; latencies (ms), failures, seconds."""
    import http.client
    from urllib.parse import urlencode

    samples: list[float] = []
    failures = [0]
    lock = threading.Lock()
    start_gate = threading.Barrier(CLIENTS)

    def phone(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        start_gate.wait()
        for i in range(PER_CLIENT):
            number, code = cases[(n + i) % len(cases)]
            body = urlencode({"code": code})
            began = time.perf_counter()
            conn.request("POST", f"/q/{number}", body, {"Content-Type": "application/x-www-form-urlencoded"})
            response = conn.getresponse()
            page = response.read()
            mine.append((time.perf_counter() - began) * 1000)
            if response.status != 200 or "办理过程".encode() not in page:
                bad += 1
            if pause_s:
                time.sleep(pause_s * (0.5 + random.random()))  # phones do not march in step
        conn.close()
        with lock:
            samples.extend(mine)
            failures[0] += bad

    threads = [threading.Thread(target=phone, args=(n,)) for n in range(CLIENTS)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples, failures[0], time.perf_counter() - began


def run() -> dict[str, Any]:
    from sqlalchemy import select

    from app.services.cases.actions import complete_on_spot
    from app.services.cases.records import accept_case, get_case
    from app.sync.tables import table
    from tests.sync_helpers import enrol, make_center
    from tests.test_cases import form

    os.environ.setdefault("MINSHENG_DATA_DIR", tempfile.mkdtemp(prefix="bench-public-data-"))
    results: dict[str, Any] = {"clients": CLIENTS, "requests": CLIENTS * PER_CLIENT, "cases_at_centre": VOLUME}
    with tempfile.TemporaryDirectory(prefix="bench-public-") as tmp:
        folder = Path(tmp)
        center = make_center(folder / "centre")
        window = enrol(center, folder / "w1", "01")
        assert window.sync().ok
        actor = window.actor()
        cases = []
        for i in range(CLIENTS):  # real cases, one per phone: accepted, done on the spot, synced
            number = accept_case(window.db, actor, form(window.db, "SB-001", "immediate"))
            complete_on_spot(window.db, actor, number, f"当场打印参保证明{i}")
            record = get_case(window.db, number)
            assert record is not None
            cases.append((number, record.query_code))
        assert window.sync().ok
        with window.db.engine.connect() as conn:
            template = dict(conn.execute(select(table("case_file")).limit(1)).mappings().one())
        _volume(center, template)
        assert center.db_url is not None
        port = _free_port()
        server = _serve(center.db_url, port)
        try:
            _phones(port, cases[:5])  # warm-up: connections, caches
            samples, failures, seconds = _phones(port, cases, PAUSE_S)
            busy, busy_failures, busy_seconds = _phones(port, cases)
        finally:
            server.terminate()
            server.wait(10)
        center.close()
        window.db.dispose()
    figures = percentiles(samples)
    results["phones"] = {"progress_page_ms": figures, "failures": failures,
                         "requests_per_s": round(len(samples) / seconds), "pause_s": PAUSE_S}
    results["saturation"] = {"progress_page_ms": percentiles(busy), "failures": busy_failures,
                             "requests_per_s": round(len(busy) / busy_seconds), "pause_s": 0}
    results["targets"] = {"progress_p99": target(figures["p99"], P99_MS, "ms",
                                                 f"公众查询页（办理进度）p99，{CLIENTS} 部手机同时查询（回环）")}
    return results


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))

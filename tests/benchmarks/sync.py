"""Replication benchmarks: centre apply rate beside a bare PostgreSQL upsert, bytes per changed case,
a week's backlog pushed over loopback HTTP, and a director's first sync of 100,000 cases; the last
two are interrupted once and resumed."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Column, MetaData, Table, select, text

BATCH = 1000


def _case_rows(template: dict[str, Any], n: int, node: str, start: int = 0) -> list[list[Any]]:
    """n distinct case rows in wire form, shaped like a real one."""
    from app.ids import uuid7
    from app.sync.tables import columns, encode_row

    cols = columns("case_file")
    rows = []
    for i in range(start, start + n):
        row = dict(template, id=uuid7(), number=f"220821100{node}{i:011d}", query_code=f"{node}{i:06d}",
                   origin_node=node, applicant_name=f"张{i % 97}芳")
        rows.append(encode_row("case_file", row, cols))
    return rows


def run() -> dict[str, Any]:
    import os

    from app.sync.client import SyncClient
    from app.sync.tables import columns, table
    from app.sync.transport import HttpTransport, LocalTransport
    from tests.sync_helpers import LiveServer, accept, enrol, make_center

    os.environ.setdefault("MINSHENG_DATA_DIR", tempfile.mkdtemp(prefix="bench-sync-data-"))
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        folder = Path(tmp)
        center = make_center(folder / "centre")
        server = LiveServer(center)
        w1 = enrol(center, folder / "w1", "01")
        assert w1.sync().ok
        actor = w1.actor()

        # bytes on the wire per changed case: real acceptances (case, first event, audit entries)
        sizes: list[int] = []

        class Counting(LocalTransport):
            def post(self, path: str, body: bytes, token: str | None) -> tuple[int, bytes]:
                if path == "/v1/push":
                    sizes.append(len(body))
                return super().post(path, body, token)

        cases = 1000
        for i in range(cases):
            accept(w1, actor, i)
        assert SyncClient(w1.db, Counting(center.api.handle), batch=BATCH).run().ok
        results["bytes_per_changed_case"] = round(sum(sizes) / cases, 1)
        results["bytes_per_changed_case_note"] = "zstd JSON; a case with its first event and 2 audit entries"

        # centre apply rate beside a bare upsert of the same rows
        cols = columns("case_file")
        with w1.db.engine.connect() as conn:
            template = dict(conn.execute(select(table("case_file")).limit(1)).mappings().one())
        n = 20_000
        rows = _case_rows(template, n, "01", 100_000)
        from app.center.apply import apply_push
        from app.center.nodes import Node
        from app.sync.tables import decode_row

        node = Node("01", "1号窗口", "window")
        start = time.perf_counter()
        with center.engine.connect() as conn:
            acked = conn.execute(text("SELECT acked_seq FROM center_node WHERE node_code='01'")).scalar_one()
        for b in range(0, n, BATCH):
            body = {"from": acked + b + 1, "to": acked + b + BATCH,
                    "groups": [{"t": "case_file", "c": cols, "r": rows[b:b + BATCH], "s": list(range(BATCH)),
                                "a": [None] * BATCH}]}
            with center.engine.begin() as conn:
                apply_push(conn, node, body)
        apply_s = time.perf_counter() - start
        bare = Table("bare_case", MetaData(), *[Column(c.name, c.type, primary_key=c.primary_key)
                                                  for c in center_table_columns()])
        with center.engine.begin() as conn:
            bare.create(conn)
        from app.center.apply import _naive

        decoded = [[_naive(v) for v in decode_row("case_file", cols, r).values()] for r in rows]
        names = list(decode_row("case_file", cols, rows[0]))
        quoted = ", ".join(f'"{c}"' for c in names)
        sql = (f"INSERT INTO bare_case ({quoted}) VALUES ({', '.join(['%s'] * len(names))}) ON CONFLICT (id) DO UPDATE "
               f"SET {', '.join(f'{chr(34)}{c}{chr(34)} = EXCLUDED.{chr(34)}{c}{chr(34)}' for c in names if c != 'id')}")
        start = time.perf_counter()
        for b in range(0, n, BATCH):  # psycopg executemany (pipelined, prepared): the plain way to upsert
            with center.engine.begin() as conn:
                with conn.connection.driver_connection.cursor() as cur:
                    cur.executemany(sql, decoded[b:b + BATCH])
        bare_s = time.perf_counter() - start
        results["centre_apply_per_s"] = round(n / apply_s)
        results["bare_upsert_per_s"] = round(n / bare_s)
        results["apply_vs_bare"] = round((n / apply_s) / (n / bare_s), 2)
        results["apply_note"] = "apply includes decoding, ownership and time checks, feed position, ack mark"

        # a week's backlog (15,000 changes) pushed over loopback HTTP, interrupted once and resumed
        w2 = enrol(center, folder / "w2", "02")
        assert w2.sync().ok
        a2 = w2.actor()
        from sqlalchemy import func

        from app.models import OutboxEntry

        i = 0
        while True:
            with w2.db.session() as s:
                if s.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.acked_at.is_(None))) >= 15_000:
                    break
            for _ in range(50):
                accept(w2, a2, i)
                i += 1
        with w2.db.engine.begin() as conn:
            conn.execute(text("UPDATE sync_state SET center_url = :u"), {"u": server.url})
        http = HttpTransport(server.url)
        start = time.perf_counter()
        report = _interrupted_then_resumed(w2.db, http, "push.acked", 5, batch=BATCH)
        results["push_15000_changes_s"] = round(time.perf_counter() - start, 1)
        results["push_15000_cases"] = i
        assert report.ok, report
        with center.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM case_file WHERE _owner='02'")).scalar_one() == i

        # fill the centre to 100,000 cases, then a director's first sync over HTTP, interrupted once
        with center.engine.connect() as conn:
            have = conn.execute(text("SELECT count(*) FROM case_file")).scalar_one()
        more = 100_000 - have
        node3 = Node("03", "3号窗口", "window")
        from app.center.nodes import make_enroll_code

        make_enroll_code(center.engine, "03", "3号窗口", "window")
        with center.engine.begin() as conn:
            conn.execute(text("INSERT INTO center_node (node_code, node_name, kind) VALUES ('03','3号窗口','window') "
                              "ON CONFLICT DO NOTHING"))
        extra = _case_rows(template, more, "03", 0)
        for b in range(0, more, BATCH):
            chunk = extra[b:b + BATCH]
            with center.engine.begin() as conn:
                apply_push(conn, node3, {"from": b + 1, "to": b + len(chunk), "groups": [
                    {"t": "case_file", "c": cols, "r": chunk, "s": [0] * len(chunk), "a": [None] * len(chunk)}]})
        director = enrol(center, folder / "d", "09", kind="director", name="主任")
        start = time.perf_counter()
        report = _interrupted_then_resumed(director.db, http, "pull.applied", 10, page=5000)
        results["director_first_sync_100k_s"] = round(time.perf_counter() - start, 1)
        assert report.ok, report
        with director.db.engine.connect() as conn:
            results["director_cases"] = conn.execute(text("SELECT count(*) FROM case_file")).scalar_one()
        http.close()
        server.stop()
        center.close()
    return results


def _interrupted_then_resumed(db: Any, http: Any, step: str, after: int, **options: int) -> Any:
    """A sync cut off (as by a pulled cable or a killed process) at the n-th `step`, then run again."""
    from app.sync.client import SyncClient

    seen = 0

    def cut(at: str) -> None:
        nonlocal seen
        if at == step:
            seen += 1
            if seen == after:
                raise KeyboardInterrupt("interrupted")

    try:
        SyncClient(db, http, fault=cut, **options).run()  # type: ignore[arg-type]
    except KeyboardInterrupt:
        pass
    return SyncClient(db, http, **options).run()  # type: ignore[arg-type]


def center_table_columns() -> list[Any]:
    from app.sync.tables import table

    return list(table("case_file").columns)


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))

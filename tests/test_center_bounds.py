"""Values a hostile or broken workstation may send: out-of-range numbers and keys of other nodes.

Every malformed value gets a 4xx (or, inside a row, the row is quarantined with its reason), never
a 500; and a node cannot take over, or delete, a row whose key says another node created it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from app.center.runtime import Center
from app.ids import id_node
from app.sync.tables import columns, encode_row, table
from app.sync.wire import pack, unpack
from tests.sync_helpers import Station, accept, enrol

pytestmark = pytest.mark.usefixtures("china_time")
HUGE = 2**70


def post(center: Center, station: Station, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    status, content = center.api.handle(path, pack(body), station.token)
    return status, unpack(content)


def case_row(station: Station, number: str) -> tuple[list[str], list[Any]]:
    cols = columns("case_file")
    with station.db.engine.connect() as conn:
        row = conn.execute(select(table("case_file")).where(table("case_file").c.number == number)).mappings().one()
    return cols, encode_row("case_file", row, cols)


def test_out_of_range_numbers_get_400_never_500(center: Center, tmp_path: Path) -> None:
    w1 = enrol(center, tmp_path / "w1", "01")
    assert w1.sync().ok
    hello = {"protocol": 1, "schema_major": 1, "clock": 0}
    requests: list[tuple[str, dict[str, Any]]] = [
        ("/v1/hello", {**hello, "protocol": HUGE}),
        ("/v1/hello", {**hello, "schema_major": HUGE}),
        ("/v1/hello", {**hello, "clock": HUGE}),
        ("/v1/hello", {**hello, "clock": 10**400}),
        ("/v1/hello", {**hello, "protocol": True}),
        ("/v1/pull", {"cursor": [HUGE, 0]}),
        ("/v1/pull", {"cursor": [0, HUGE]}),
        ("/v1/pull", {"cursor": [0, 0], "limit": HUGE}),
        ("/v1/push", {"from": HUGE, "to": HUGE}),
        ("/v1/push", {"from": 1, "to": HUGE}),
        ("/v1/push", {"from": 1, "to": 1, "backlog": HUGE}),
        ("/v1/push", {"from": 1, "to": 1, "backlog": 2**40}),  # the backlog is a 32-bit INTEGER
        ("/v1/push", {"from": 1, "to": 1, "groups": [{"t": "case_file", "c": ["id"], "r": [["x"]], "s": [HUGE],
                                                      "a": [None]}]}),
        ("/v1/push", {"from": 1, "to": 1, "deletes": [[HUGE, "case_file", "x", None]]}),
        ("/v1/push", {"from": 1, "to": 1, "deletes": [[1, "case_file", "x" * 100, None]]}),
    ]
    for path, body in requests:
        status, reply = post(center, w1, path, body)
        assert status == 400, (path, body, status, reply)
        assert reply["error"], (path, body)

    # Inside a row: the row is quarantined with its reason, the rest of the push goes through.
    number = accept(w1, w1.actor(), 1)
    cols, good = case_row(w1, number)
    bad_rows = []
    for column, value in (("time_limit_days", HUGE), ("time_limit_days", 2**40),
                          ("created_at", "0001-01-01T00:00:00+05:00")):
        row = list(good)
        row[cols.index("id")] = f"{column}-{value}"[:36]
        row[cols.index("number")] = f"X{len(bad_rows)}"
        row[cols.index(column)] = value
        bad_rows.append(row)
    rows = [*bad_rows, good]
    status, reply = post(center, w1, "/v1/push", {"from": 1000, "to": 1000, "groups": [
        {"t": "case_file", "c": cols, "r": rows, "s": [1000] * len(rows), "a": [None] * len(rows)}]})
    assert status == 200, reply
    reasons = [r[2] for r in reply["rejected"]]
    assert len(reasons) == 3 and reply["applied"] == 1, reply
    assert sum("整数超出范围" in r for r in reasons) == 2 and any("时间超出范围" in r for r in reasons), reasons
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM case_file WHERE number = :n"), {"n": number}).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM quarantine WHERE origin_node = '01'")).scalar_one() == 3


def test_a_node_cannot_take_over_or_delete_a_row_another_node_has_not_synced_yet(center: Center,
                                                                                 tmp_path: Path) -> None:
    w1 = enrol(center, tmp_path / "w1", "01")
    w2 = enrol(center, tmp_path / "w2", "02")
    for s in (w1, w2):
        assert s.sync().ok
    number = accept(w1, w1.actor(), 1)  # not yet at the centre
    cols, row = case_row(w1, number)
    row_id = row[cols.index("id")]
    assert id_node(row_id) == "01"

    # w2 learns the id (a shared printout, a copied database) and pushes its own row under it, then deletes it
    forged = list(row)
    forged[cols.index("origin_node")] = "02"
    forged[cols.index("applicant_name")] = "冒名"
    status, reply = post(center, w2, "/v1/push", {"from": 900, "to": 900, "groups": [
        {"t": "case_file", "c": cols, "r": [forged], "s": [900], "a": [None]}]})
    assert status == 200 and reply["applied"] == 0, reply
    assert "其他节点（01）生成" in reply["rejected"][0][2]
    status, reply = post(center, w2, "/v1/push", {"from": 901, "to": 901,
                                                  "deletes": [[901, "case_file", row_id, None]]})
    assert status == 200 and reply["applied"] == 0, reply
    assert "其他节点（01）生成" in reply["rejected"][0][2]

    report = w1.sync()  # w1's own case then arrives as w1's
    assert report.ok and not report.rejected, report
    with center.engine.connect() as conn:
        owner, name = conn.execute(text("SELECT _owner, applicant_name FROM case_file WHERE id = :i"),
                                   {"i": row_id}).one()
        assert (owner, name) == ("01", row[cols.index("applicant_name")])
        assert conn.execute(text("SELECT count(*) FROM tombstone WHERE row_id = :i"), {"i": row_id}).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM quarantine WHERE origin_node = '02'")).scalar_one() == 2

    # rows made before keys were stamped (version 7) keep the first-writer rule: still w1's own case
    legacy = list(row)
    legacy[cols.index("id")] = "01890a5d-ac96-774b-bcce-b302099a8057"
    legacy[cols.index("number")] = "L1"
    legacy[cols.index("query_code")] = "L1"
    assert id_node(legacy[cols.index("id")]) is None
    status, reply = post(center, w1, "/v1/push", {"from": 5000, "to": 5000, "groups": [
        {"t": "case_file", "c": cols, "r": [legacy], "s": [5000], "a": [None]}]})
    assert status == 200 and reply["applied"] == 1, reply

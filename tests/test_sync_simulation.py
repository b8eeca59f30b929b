"""The replication simulation: a centre on a real PostgreSQL, two windows, a village agency point and a
director, with a fault injected at every step of push and pull, invariants checked after every step.

Faults: a request or a response lost, a delivery duplicated, an old push replayed after newer ones
(reordering), a body cut short, a timeout (the batch shrinks), and the workstation process dying
at each step of its sync (before/after the push is answered, after the acknowledgement, before and
inside the page transaction, after it).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.center.runtime import Center
from app.models import Case, OutboxEntry, ServiceItem, SyncState
from app.sync.client import SyncClient
from app.sync.transport import LocalTransport, TimedOut, Unreachable
from tests.sync_helpers import Station, accept, enrol, make_center

CLIENT_STEPS = ["hello", "push.send", "push.received", "push.acked", "pull.send", "pull.received",
                "pull.applying", "pull.applied"]
NETWORK_FAULTS = ["drop_request", "drop_response", "duplicate", "replay_old", "truncate", "timeout"]


class Crash(Exception):
    """The workstation process died here (power cut, killed)."""


class FaultyNetwork:
    """Between one workstation and the centre; fires one planned fault at the n-th request."""

    def __init__(self, center: Center) -> None:
        self.inner = LocalTransport(center.api.handle)
        self.plan: tuple[str, int] | None = None
        self.count = 0
        self.old_pushes: list[tuple[bytes, str | None]] = []

    def post(self, path: str, body: bytes, token: str | None) -> tuple[int, bytes]:
        self.count += 1
        fault = self.plan[0] if self.plan and self.plan[1] == self.count else None
        if path == "/v1/push":
            self.old_pushes.append((body, token))
        if fault == "drop_request":
            raise Unreachable("请求丢失")
        if fault == "timeout":
            raise TimedOut("超时")
        if fault == "truncate":
            return self.inner.post(path, body[: len(body) // 2], token)
        if fault == "replay_old" and len(self.old_pushes) > 1:
            self.inner.post("/v1/push", *self.old_pushes[0])
        answer = self.inner.post(path, body, token)
        if fault == "duplicate":
            answer = self.inner.post(path, body, token)
        if fault == "drop_response":
            raise Unreachable("答复丢失")
        return answer


@pytest.fixture
def town(tmp_path: Path) -> Iterator[tuple[Center, dict[str, Station], dict[str, FaultyNetwork]]]:
    center = make_center(tmp_path / "centre")
    nets = {code: FaultyNetwork(center) for code in ("01", "02", "11", "09")}
    stations = {
        "01": enrol(center, tmp_path / "w1", "01", transport=nets["01"]),
        "02": enrol(center, tmp_path / "w2", "02", transport=nets["02"], set_up_first=True),
        "11": enrol(center, tmp_path / "a", "11", kind="agency", name="红旗村代办点", transport=nets["11"]),
        "09": enrol(center, tmp_path / "d", "09", kind="director", name="主任", transport=nets["09"]),
    }
    yield center, stations, nets
    center.close()


def sync_with(station: Station, net: FaultyNetwork, step_fault: str | None = None,
              net_fault: tuple[str, int] | None = None) -> None:
    def fault(step: str) -> None:
        if step == step_fault:
            raise Crash(step)

    net.plan, net.count = net_fault, 0
    try:
        SyncClient(station.db, station.transport, fault=fault, batch=7, page=50).run()
    except Crash:
        pass  # the process died; the next start goes on from what was committed
    finally:
        net.plan = None


class Invariants:
    def __init__(self, center: Center, stations: dict[str, Station]) -> None:
        self.center = center
        self.stations = stations
        self.cursors: dict[str, tuple[int, int]] = {}

    def check(self) -> None:
        with self.center.engine.connect() as conn:
            at_centre = {r.id: r for r in conn.execute(text("SELECT id, number, origin_node, _owner FROM case_file"))}
        for r in at_centre.values():  # every case has exactly one owner, the node that accepted it
            assert r._owner == r.origin_node == r.number[9:11]
        for code, station in self.stations.items():
            with station.db.session() as s:
                state = s.scalar(select(SyncState))
                assert state is not None
                acked_cases = set(s.scalars(select(OutboxEntry.row_id).where(
                    OutboxEntry.table_name == "case_file", OutboxEntry.seq <= state.acked_seq)))
                local = {c.id: c for c in s.scalars(select(Case))}
            assert acked_cases <= set(at_centre), f"{code}: an acknowledged case is missing at the centre"
            for case_id, case in local.items():  # one owner everywhere
                if case_id in at_centre:
                    assert at_centre[case_id].origin_node == case.origin_node
            cursor = (state.cursor_xid, state.cursor_seq)
            assert cursor >= self.cursors.get(code, (0, 0)), f"{code}: the cursor moved back"
            self.cursors[code] = cursor


@pytest.mark.parametrize("seed", [1, 2])
def test_simulation_with_faults_at_every_step(town, seed: int) -> None:  # type: ignore[no-untyped-def]
    center, stations, nets = town
    rng = random.Random(seed)
    inv = Invariants(center, stations)
    for code, station in stations.items():
        sync_with(station, nets[code])
    inv.check()
    actors = {code: s.actor() for code, s in stations.items() if code != "09"}
    accepted: dict[str, list[str]] = {code: [] for code in actors}
    faults: list[tuple[str | None, tuple[str, int] | None]] = [(step, None) for step in CLIENT_STEPS]
    faults += [(None, (kind, n)) for kind in NETWORK_FAULTS for n in (1, 2, 3)]
    rng.shuffle(faults)
    n = 0
    for step_fault, net_fault in faults:
        for code in rng.sample(sorted(actors), 2):
            for _ in range(rng.randint(1, 3)):
                n += 1
                accepted[code].append(accept(stations[code], actors[code], n))
        if rng.random() < 0.2:
            _centre_edits_catalogue(center, n)
        code = rng.choice(sorted(stations))
        sync_with(stations[code], nets[code], step_fault, net_fault)
        inv.check()

    for _ in range(2):  # the network heals: everyone syncs until quiet
        for code, station in stations.items():
            report = SyncClient(station.db, station.transport).run()
            assert report.ok, (code, report)
    inv.check()
    with center.engine.connect() as conn:
        centre_numbers = sorted(conn.execute(text("SELECT number FROM case_file")).scalars())
        catalogue = sorted(conn.execute(text("SELECT code, name FROM service_item")).all())
    everything = sorted(x for numbers in accepted.values() for x in numbers)
    assert centre_numbers == everything  # all arrived, exactly once
    for code, station in stations.items():
        with station.db.session() as s:
            numbers = sorted(s.scalars(select(Case.number)))
            local_catalogue = sorted(s.execute(select(ServiceItem.code, ServiceItem.name)).all())
        assert numbers == (everything if code == "09" else sorted(accepted[code]))
        assert [tuple(r) for r in local_catalogue] == [tuple(r) for r in catalogue]


def _centre_edits_catalogue(center: Center, n: int) -> None:
    from app.actor import SYSTEM_ACTOR
    from app.services.catalog import items as catalog

    ws = center.workspace()
    item = catalog.load_item(ws, "SB-001")
    assert item is not None
    catalog.apply_items(ws, SYSTEM_ACTOR, [item.__class__(**{**item.__dict__, "office_hours": f"工作日 8:30-16:30（第{n}次修订）",
                                                             "version": item.version + 1})], source="sim")
    center.publish()

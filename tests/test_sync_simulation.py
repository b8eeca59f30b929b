"""The replication simulation: a centre on a real PostgreSQL, two windows, a village agency point and a
director, with a fault injected at every step of push and pull, invariants checked after every step.
The agency point hands cases to the windows and gets results back (移交、接收、回传, now and then a
cancellation racing a receipt), each side offline for steps at a time, while the holders act on them.

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

from app.actor import Actor
from app.center.runtime import Center
from app.models import Case, CaseEvent, Complaint, OutboxEntry, ServiceItem, SyncState
from app.models.rectifications import Rectification
from app.services.cases import actions as act
from app.services.cases.holding import holder, may_act_problem, open_offer
from app.services.cases.transfers import (
    cancel_transfer,
    offer_transfer,
    receive_transfer,
)
from app.services.complaints import handling
from app.services.complaints.complaints import ComplaintForm, register
from app.services.errors import ValidationError
from app.services.ratings import rectification as rect
from app.services.ratings.codes import BAD_LEVELS, REASONS
from app.services.ratings.ratings import add_rating
from app.sync.client import SyncClient
from app.sync.handover import CANCELLED, RECEIVED
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
            at_centre = {r.id: r for r in conn.execute(text(
                "SELECT id, number, origin_node, owner_node, _owner, status FROM case_file"))}
            centre_events = set(conn.execute(text("SELECT id FROM case_event")).scalars())
            refused = set(conn.execute(text("SELECT row_id FROM quarantine")).scalars())
            handovers = conn.execute(text("SELECT case_id, from_node, to_node, state FROM case_handover "
                                          "ORDER BY offered_at, offer_id")).all()
        chain = {case_id: r.origin_node for case_id, r in at_centre.items()}
        open_offers: dict[str, int] = {}
        for h in handovers:  # ownership moved only along received offers, each from the holder of the time
            if h.state == "received":
                assert chain[h.case_id] == h.from_node, h
                chain[h.case_id] = h.to_node
            open_offers[h.case_id] = open_offers.get(h.case_id, 0) + (h.state == "offered")
        assert all(n <= 1 for n in open_offers.values()), "two open offers of one case"
        for case_id, r in at_centre.items():  # exactly one owner at the centre, as the hand-overs say
            assert r.origin_node == r.number[9:11]
            assert r._owner == r.owner_node == chain[case_id], r
        for code, station in self.stations.items():
            with station.db.session() as s:
                state = s.scalar(select(SyncState))
                assert state is not None
                acked = set(s.execute(select(OutboxEntry.table_name, OutboxEntry.row_id).where(
                    OutboxEntry.table_name.in_(["case_file", "case_event"]), OutboxEntry.seq <= state.acked_seq)))
                local = {c.id: c for c in s.scalars(select(Case))}
                acting = {case_id for case_id, case in local.items() if may_act_problem(s, case, code) is None}
                settling = set(s.execute(select(CaseEvent.case_id, CaseEvent.id).where(
                    CaseEvent.kind.in_([RECEIVED, CANCELLED]), CaseEvent.origin_node == code)))
            lost = {(t, i) for t, i in acked if i not in refused
                    and i not in (set(at_centre) if t == "case_file" else centre_events)}
            assert not lost, f"{code}: acknowledged changes missing at the centre: {lost}"
            for case_id, case in local.items():
                if case_id in at_centre:
                    assert at_centre[case_id].origin_node == case.origin_node
            for case_id in acting:  # never two owners: a node acting on a case it does not hold at the centre
                if case_id in at_centre and at_centre[case_id]._owner != code:  # has settled a hand-over the
                    pending = {e for c, e in settling if c == case_id} - centre_events  # centre has not seen
                    assert pending, f"{code} acts on {local[case_id].number} held by {at_centre[case_id]._owner}"
            cursor = (state.cursor_xid, state.cursor_seq)
            assert cursor >= self.cursors.get(code, (0, 0)), f"{code}: the cursor moved back"
            self.cursors[code] = cursor

    def converged(self) -> None:
        """After the network healed: every copy of a case names the centre's holder and shows its state,
        only that holder may act on it, and each node has its own cases and those handed to or by it."""
        with self.center.engine.connect() as conn:
            at_centre = {r.number: r for r in conn.execute(text("SELECT number, _owner, status FROM case_file"))}
            parties = conn.execute(text("SELECT p.node_code, c.number FROM case_party p "
                                        "JOIN case_file c ON c.id = p.case_id")).all()
        for code, station in self.stations.items():
            with station.db.session() as s:
                for case in s.scalars(select(Case)):
                    centre = at_centre[case.number]
                    assert (holder(case), case.status) == (centre._owner, centre.status), (code, case.number)
                    mine = may_act_problem(s, case, code) is None
                    assert mine == (code == centre._owner and open_offer(s, case) is None), (code, case.number)
                numbers = set(s.scalars(select(Case.number)))
            expected = set(at_centre) if code == "09" else (
                {n for n in at_centre if n[9:11] == code} | {n for node, n in parties if node == code})
            assert numbers == expected, code


def _hand_overs(stations: dict[str, Station], actors: dict[str, Actor], rng: random.Random) -> None:
    """One round of the agency point's hand-overs, as the clerks at each end would do them now."""
    def cases_of(code: str) -> list[tuple[str, str, str | None, str | None]]:
        """(number, status, open offer's receiver or None, its sender) of what this node may see."""
        with stations[code].db.session() as s:
            found = []
            for case in s.scalars(select(Case).order_by(Case.number)):
                offer = open_offer(s, case)
                acting = may_act_problem(s, case, code) is None
                found.append((case.number, case.status if acting else "", offer and offer.to_node,
                              offer and offer.from_node))
            return found

    agency = stations["11"]
    free = [n for n, status, _to, _from in cases_of("11") if status in ("accepted", "approved")]
    if free and rng.random() < 0.6:
        offer_transfer(agency.db, actors["11"], rng.sample(free, min(len(free), rng.randint(1, 2))),
                       rng.choice(["01", "02"]))
    for code in ("01", "02"):
        for number, status, to, _sender in cases_of(code):
            if to == code and rng.random() < 0.7:
                receive_transfer(stations[code].db, actors[code], number)
            elif status == "accepted" and number[9:11] == "11" and rng.random() < 0.7:
                act.decide(stations[code].db, actors[code], number, act.Decision(approve=True, result="准予"))
            elif status == "approved" and number[9:11] == "11" and rng.random() < 0.6:
                offer_transfer(stations[code].db, actors[code], [number], "11")  # 回传
    for number, _status, to, sender in cases_of("11"):
        if to == "11" and rng.random() < 0.7:
            receive_transfer(agency.db, actors["11"], number)
        elif sender == "11" and rng.random() < 0.05:
            cancel_transfer(agency.db, actors["11"], number)  # may race the window's receipt


DIRECTOR = Actor(staff_id=None, staff_no="8004", name="刘国庆", role="director")
VOICE_TABLES = ("rating", "rectification", "rectification_event", "complaint", "complaint_event")


def _citizens_speak(stations: dict[str, Station], actors: dict[str, Actor], rng: random.Random) -> None:
    """The windows' citizens: some withdraw and rate (a bad rating opens a rectification, followed up),
    some complain, and the windows work their complaints one step at a time."""
    for code in ("01", "02"):
        db, actor = stations[code].db, actors[code]
        with db.session() as s:
            mine = [c.number for c in s.scalars(select(Case).where(Case.status == "accepted").order_by(Case.number))
                    if may_act_problem(s, c, code) is None]
            open_complaints = list(s.execute(select(Complaint.number, Complaint.status).where(
                Complaint.origin_node == code, Complaint.status != "closed").order_by(Complaint.number)))
            open_fixes = list(s.scalars(select(Rectification.id).where(
                Rectification.origin_node == code, Rectification.status == "pending")))
        if mine and rng.random() < 0.4:
            number = rng.choice(mine)
            act.withdraw(db, actor, number, "申请人撤回")
            level = rng.choice([1, 2, 3, 4, 5])
            add_rating(db, actor, number, level, [next(iter(REASONS[level]))] if level in BAD_LEVELS else [], channel="window")
        for fix in open_fixes:
            if rng.random() < 0.5:  # by the centre's director, signed in at this window: not the clerk rated
                rect.callback(db, DIRECTOR, fix, "电话回访，群众表示理解", satisfied=True)
                rect.verify(db, DIRECTOR, fix, "情况属实，已批评教育")
        if rng.random() < 0.3:
            register(db, actor, ComplaintForm(1, "来访", "窗口等候时间过长", name="刘淑兰", phone="13904361234",
                                              window="1号窗口"))
        for number, status in open_complaints:
            if rng.random() < 0.5:
                if status == "registered":
                    handling.handle(db, actor, number, "self")
                elif status == "handling":
                    handling.reply(db, actor, number, "oral", "已当面解释并致歉")
                elif status == "replied" and rng.random() < 0.5:
                    handling.record_satisfaction(db, actor, number, True)
                elif status == "replied":
                    try:  # refused while the complainant has not been asked: asked next time
                        handling.close(db, actor, number, rng.choice(["upheld", "partly", "unfounded"]))
                    except ValidationError:
                        handling.record_satisfaction(db, actor, number, True)


def _voice_converged(center: Center, stations: dict[str, Station]) -> None:
    """Every rating, complaint and their histories reached the centre once, and the director has them all."""
    with center.engine.connect() as conn:
        at_centre = {t: set(conn.execute(text(f"SELECT id FROM {t}")).scalars()) for t in VOICE_TABLES}  # noqa: S608
        refused = set(conn.execute(text("SELECT row_id FROM quarantine")).scalars())
    assert at_centre["rating"] and at_centre["complaint"] and at_centre["complaint_event"], at_centre
    everything: dict[str, set[str]] = {t: set() for t in VOICE_TABLES}
    for code, station in stations.items():
        with station.db.session() as s:
            for t in VOICE_TABLES:
                rows = set(s.execute(text(f"SELECT id FROM {t} WHERE origin_node = :code"),  # noqa: S608
                                     {"code": code}).scalars())
                everything[t] |= rows
                assert rows <= at_centre[t] | refused, (code, t, rows - at_centre[t])
    assert everything == at_centre
    with stations["09"].db.session() as s:
        director = {t: set(s.execute(text(f"SELECT id FROM {t}")).scalars()) for t in VOICE_TABLES}  # noqa: S608
    assert director == at_centre


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
        _hand_overs(stations, actors, rng)
        _citizens_speak(stations, actors, rng)
        code = rng.choice(sorted(stations))
        sync_with(stations[code], nets[code], step_fault, net_fault)
        inv.check()

    for _ in range(6):  # a quieter afternoon: papers arrive and results go back while everyone syncs
        for station in stations.values():
            SyncClient(station.db, station.transport).run()
        _hand_overs(stations, actors, rng)
        inv.check()
    for round_ in range(3):  # the network heals: everyone syncs until quiet (a late cancellation's
        for code, station in stations.items():  # refusal is reported once, then settles)
            report = SyncClient(station.db, station.transport).run()
            assert report.ok or round_ == 0, (code, report)
    inv.check()
    inv.converged()
    _voice_converged(center, stations)
    with center.engine.connect() as conn:
        centre_numbers = sorted(conn.execute(text("SELECT number FROM case_file")).scalars())
        catalogue = sorted(conn.execute(text("SELECT code, name FROM service_item")).all())
    everything = sorted(x for numbers in accepted.values() for x in numbers)
    assert centre_numbers == everything  # all arrived, exactly once
    for code, station in stations.items():
        with station.db.session() as s:
            numbers = set(s.scalars(select(Case.number)))
            local_catalogue = sorted(s.execute(select(ServiceItem.code, ServiceItem.name)).all())
        assert numbers >= set(accepted.get(code, everything))  # its own (and handed ones: converged())
        assert [tuple(r) for r in local_catalogue] == [tuple(r) for r in catalogue]
    with center.engine.connect() as conn:
        moved = conn.execute(text("SELECT state, is_return, count(*) FROM case_handover GROUP BY 1, 2")).all()
    assert {(state, back) for state, back, _n in moved} >= {("received", False), ("received", True)}, moved


def _centre_edits_catalogue(center: Center, n: int) -> None:
    from app.actor import SYSTEM_ACTOR
    from app.services.catalog import items as catalog

    ws = center.workspace()
    item = catalog.load_item(ws, "SB-001")
    assert item is not None
    catalog.apply_items(ws, SYSTEM_ACTOR, [item.__class__(**{**item.__dict__, "office_hours": f"工作日 8:30-16:30（第{n}次修订）",
                                                             "version": item.version + 1})], source="sim")
    center.publish()

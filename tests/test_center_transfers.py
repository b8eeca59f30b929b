"""Hand-overs through the centre (issue 11): an agency point hands cases to the window and gets the
result back, both sides offline in between; the centre moves ownership only on the named receiver's
receipt and quarantines everything else (a non-owner's offer, the old owner's writes, a late
cancellation), and refuses changing or deleting a recorded event without failing the rest of the push.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.actor import Actor
from app.center.runtime import Center
from app.models import Case, CaseEvent, SyncIssue
from app.services.cases import actions as act
from app.services.cases.records import add_event, get_case
from app.services.cases.transfers import (
    cancel_transfer,
    known_nodes,
    offer_transfer,
    receive_transfer,
    transfer_document,
)
from app.services.errors import ValidationError
from app.sync.handover import OFFERED
from app.sync.tables import columns, table
from app.sync.wire import pack, unpack
from tests.pdf_helpers import barcodes, flat, pdf_text, render
from tests.sync_helpers import Cable, Station, accept, enrol

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=CN)
PNG_DIR = Path("/tmp/transfer_png")


class Town:
    def __init__(self, center: Center, folder: Path) -> None:
        self.center = center
        self.agency_cable, self.window_cable = Cable(center), Cable(center)
        self.agency = enrol(center, folder / "a", "11", kind="agency", name="红旗村代办点", transport=self.agency_cable)
        self.window = enrol(center, folder / "w", "01", name="1号综合受理窗口", transport=self.window_cable)
        self.other = enrol(center, folder / "w2", "02", name="2号窗口")
        for station in (self.agency, self.window, self.other):
            assert station.sync().ok
        self.agent, self.clerk, self.other_clerk = self.agency.actor(), self.window.actor(), self.other.actor()


@pytest.fixture
def town(center: Center, tmp_path: Path) -> Iterator[Town]:
    yield Town(center, tmp_path)


def centre_case(center: Center, number: str) -> tuple[str, str]:
    with center.engine.connect() as conn:
        row = conn.execute(text("SELECT _owner, owner_node FROM case_file WHERE number = :n"), {"n": number}).one()
    return row._owner, row.owner_node


def centre_kinds(center: Center, number: str) -> list[str]:
    with center.engine.connect() as conn:
        return list(conn.execute(text("SELECT e.kind FROM case_event e JOIN case_file c ON c.id = e.case_id "
                                      "WHERE c.number = :n ORDER BY e.at, e.id"), {"n": number}).scalars())


def holder(station: Station, number: str) -> str:
    record = get_case(station.db, number)
    assert record is not None
    return record.owner_node


def issues(station: Station) -> list[str]:
    with station.db.session() as s:
        return list(s.scalars(select(SyncIssue.reason)))


def decide(station: Station, actor: Actor, number: str, at: datetime) -> str:
    return act.decide(station.db, actor, number, act.Decision(approve=True, result="准予享受最低生活保障"), at)


def test_agency_hands_over_to_the_window_and_gets_the_result_back_offline_between(town: Town) -> None:
    agency, window = town.agency, town.window
    assert [n.code for n in known_nodes(agency.db)] == ["01", "02"]  # learnt from the centre at the sync
    numbers = [accept(agency, town.agent, n, now=MORNING + timedelta(minutes=n)) for n in range(3)]
    batch = offer_transfer(agency.db, town.agent, numbers[:2], "01", MORNING + timedelta(hours=1))
    assert batch.number.startswith("YJ22082110011") and batch.cases == tuple(numbers[:2]) and not batch.is_return
    with pytest.raises(ValidationError, match="等待对方接收"):  # offered: the sender may not act until cancelled
        decide(agency, town.agent, numbers[0], MORNING + timedelta(hours=2))
    with pytest.raises(ValidationError, match="已移交给01号节点"):  # nor offer it again
        offer_transfer(agency.db, town.agent, [numbers[0], numbers[2]], "02")
    assert agency.sync().ok
    town.agency_cable.on = False  # the agent's laptop goes home: offline from here on

    with pytest.raises(ValidationError, match="先同步"):  # the paper arrives before the window synced
        receive_transfer(window.db, town.clerk, numbers[0])
    assert window.sync().ok  # the offer came down, with the case, its events
    assert holder(window, numbers[0]) == "11"
    town.window_cable.on = False  # and the window works offline too
    with pytest.raises(ValidationError, match="11号节点办理"):
        decide(window, town.clerk, numbers[0], MORNING + timedelta(hours=3))
    got = receive_transfer(window.db, town.clerk, f"{numbers[0]}#ABCD", MORNING + timedelta(hours=3))  # QR text
    assert (got.batch, got.from_node, got.from_name) == (batch.number, "11", "红旗村代办点")
    with pytest.raises(ValidationError, match="无需再接收"):
        receive_transfer(window.db, town.clerk, numbers[0], MORNING + timedelta(hours=3))
    assert decide(window, town.clerk, numbers[0], MORNING + timedelta(hours=4)) == "approved"
    town.window_cable.on = True
    assert window.sync().ok
    assert centre_case(town.center, numbers[0]) == ("01", "01")  # the centre moved it on the receipt
    assert centre_case(town.center, numbers[1]) == ("11", "11")  # not received yet: still the agency's

    back = offer_transfer(window.db, town.clerk, [numbers[0]], "11", MORNING + timedelta(hours=5))  # 回传
    assert back.is_return
    returned, _ = transfer_document(window.db, back.number)
    assert "办件回传清单" in flat(pdf_text(returned)) and "11号节点（红旗村代办点）" in flat(pdf_text(returned))
    assert {("Code128", back.number), ("QRCode", back.number), ("Code128", numbers[0])} <= set(barcodes(returned))
    render(returned, 110)[0].save(PNG_DIR / "return_list.png")
    original, _ = transfer_document(window.db, batch.number)  # the agency's batch as the window holds it
    assert flat(pdf_text(original)).count("已接收") == 1  # the case it scanned in; the other still to come
    render(original, 110)[0].save(PNG_DIR / "transfer_list_received.png")
    assert window.sync().ok
    town.agency_cable.on = True
    assert agency.sync().ok
    with pytest.raises(ValidationError, match="等待对方接收"):
        decide(agency, town.agent, numbers[1], MORNING + timedelta(hours=6))
    record = get_case(agency.db, numbers[0])
    assert record is not None and record.status == "approved" and record.owner_node == "01"
    got = receive_transfer(agency.db, town.agent, numbers[0], MORNING + timedelta(hours=6))
    assert got.is_return and got.from_node == "01"
    act.deliver(agency.db, town.agent, numbers[0], act.Delivery("agent", receiver="张一芳"), MORNING + timedelta(hours=7))
    act.archive(agency.db, town.agent, numbers[0], "代办-2026-01", MORNING + timedelta(hours=8))
    assert agency.sync().ok and window.sync().ok
    assert centre_case(town.center, numbers[0]) == ("11", "11")
    assert centre_kinds(town.center, numbers[0]) == [
        "accepted", OFFERED, "transfer_received", "approved", OFFERED, "transfer_received", "delivered", "archived"]
    with pytest.raises(ValidationError, match="11号节点办理"):  # the window handed it back: hands off
        act.archive(window.db, town.clerk, numbers[0], "窗口-1")
    record = get_case(window.db, numbers[0])
    assert record is not None and record.status == "archived" and record.owner_node == "11"
    history = [kind for _at, kind, _staff, _details in record.events]
    assert history.count("transfer_received") == 2
    assert not issues(agency) and not issues(window)
    with town.other.db.session() as s:  # another window never saw these cases
        assert s.scalar(select(Case.id).where(Case.number.in_(numbers))) is None


def test_the_old_owner_cannot_write_after_the_hand_over(town: Town) -> None:
    agency, window = town.agency, town.window
    number = accept(agency, town.agent, 1, now=MORNING)
    offer_transfer(agency.db, town.agent, [number], "01", MORNING)
    assert agency.sync().ok and window.sync().ok
    receive_transfer(window.db, town.clerk, number, MORNING + timedelta(hours=1))
    assert window.sync().ok
    with agency.db.session(town.agent) as s:  # an old copy acting behind the rule's back (a restored backup)
        case = s.scalar(select(Case).where(Case.number == number))
        assert case is not None
        add_event(s, case, "approved", MORNING + timedelta(hours=2), town.agent, {"result": "代办点自行决定"})
        case.status = "approved"
    report = agency.sync()
    assert not report.ok and any("已移交01节点" in r[2] for r in report.rejected), report.rejected
    assert centre_kinds(town.center, number) == ["accepted", OFFERED, "transfer_received"]
    assert centre_case(town.center, number) == ("01", "01")
    assert any("已移交" in reason for reason in issues(agency))  # shown to the agent (and the director)
    from app.sync.issues import load_issue_rows

    assert any(row[3] == f"办件 {number}" for row in load_issue_rows(agency.db))  # named by its case number
    assert holder(agency, number) == "01"  # the centre's copy came back: the agency no longer holds it
    with pytest.raises(ValidationError, match="01号节点办理"):
        decide(agency, town.agent, number, MORNING + timedelta(hours=3))


def test_only_the_holder_keeps_a_paper_of_the_case_as_issued(town: Town) -> None:
    """A decision notice written by the old holder after the hand-over would become "the original" every
    reprint shows: the centre refuses it; and a node that does not hold the case keeps no copy."""
    from app.models import IssuedDocument
    from app.services.documents import Document, issue

    agency, window = town.agency, town.window
    number = accept(agency, town.agent, 3, now=MORNING)
    offer_transfer(agency.db, town.agent, [number], "01", MORNING)
    assert agency.sync().ok and window.sync().ok
    receive_transfer(window.db, town.clerk, number, MORNING + timedelta(hours=1))
    assert window.sync().ok and agency.sync().ok
    forged = Document("decision", number, "", "准予许可决定告知书", "{}", b"%PDF", False)
    issue(agency.db, town.agent, forged, "pdf")  # through the service: not kept, only logged
    with agency.db.session() as s:
        assert s.scalar(select(IssuedDocument.id).where(IssuedDocument.doc_number == number,
                                                        IssuedDocument.doc_type == "decision")) is None
    with agency.db.session(town.agent) as s:  # behind the rule's back (an old version, a tampered copy)
        s.add(IssuedDocument(doc_type="decision", doc_number=number, source="", title="准予许可决定告知书",
                             sheet="{}", issued_at=MORNING - timedelta(days=1), staff_id=None, staff_name="x"))
    report = agency.sync()
    assert any("只有该节点可以出具它的文书" in r[2] for r in report.rejected), report.rejected
    with town.center.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM issued_document WHERE doc_number = :n AND doc_type = 'decision'"),
                            {"n": number}).scalar() == 0


def test_an_offer_by_a_node_that_does_not_hold_the_case_is_refused(town: Town) -> None:
    agency, window = town.agency, town.window
    number = accept(agency, town.agent, 2, now=MORNING)
    offer_transfer(agency.db, town.agent, [number], "01", MORNING)
    assert agency.sync().ok and window.sync().ok
    with window.db.session(town.clerk) as s:  # the window passes the case on before it has it
        case = s.scalar(select(Case).where(Case.number == number))
        assert case is not None
        add_event(s, case, OFFERED, MORNING, town.clerk, {"to_node": "02", "batch": "YJX", "return": False})
    report = window.sync()
    assert any("本节点不能移交" in r[2] for r in report.rejected), report.rejected
    assert centre_kinds(town.center, number) == ["accepted", OFFERED]
    assert town.other.sync().ok
    with town.other.db.session() as s:
        assert s.scalar(select(Case.id).where(Case.number == number)) is None  # nothing flowed to 02
    receive_transfer(window.db, town.clerk, number, MORNING + timedelta(hours=1))  # the real offer still stands
    assert window.sync().ok  # the real receipt goes through
    assert centre_case(town.center, number) == ("01", "01")


def test_a_cancellation_and_a_receipt_meet_at_the_centre_first_come_wins(town: Town) -> None:
    agency, window = town.agency, town.window
    first, second = (accept(agency, town.agent, n, now=MORNING) for n in (3, 4))
    offer_transfer(agency.db, town.agent, [first, second], "01", MORNING)
    assert agency.sync().ok and window.sync().ok
    town.agency_cable.on = town.window_cable.on = False
    assert cancel_transfer(agency.db, town.agent, first, MORNING + timedelta(hours=1)) == [first]
    receive_transfer(window.db, town.clerk, first, MORNING + timedelta(hours=1))  # both think they hold it
    receive_transfer(window.db, town.clerk, second, MORNING + timedelta(hours=1))
    town.window_cable.on = True
    assert window.sync().ok  # the receipt reached the centre first
    town.agency_cable.on = True
    report = agency.sync()
    assert any("已接收该办件，不能撤销" in r[2] for r in report.rejected), report.rejected
    for number in (first, second):
        assert centre_case(town.center, number) == ("01", "01")
        assert holder(agency, number) == "01" and holder(window, number) == "01"
    with pytest.raises(ValidationError, match="01号节点办理"):
        decide(agency, town.agent, first, MORNING + timedelta(hours=2))
    assert decide(window, town.clerk, first, MORNING + timedelta(hours=2)) == "approved"
    assert window.sync().ok


def test_a_receipt_after_the_cancellation_is_refused_and_the_window_lets_go(town: Town) -> None:
    agency, window = town.agency, town.window
    number = accept(agency, town.agent, 5, now=MORNING)
    offer_transfer(agency.db, town.agent, [number], "01", MORNING)
    assert agency.sync().ok and window.sync().ok
    town.window_cable.on = False
    cancel_transfer(agency.db, town.agent, batch_of_case(agency, number), MORNING + timedelta(hours=1))
    assert agency.sync().ok  # the cancellation first
    receive_transfer(window.db, town.clerk, number, MORNING + timedelta(hours=1))
    town.window_cable.on = True
    report = window.sync()
    assert any("已撤销这次移交" in r[2] for r in report.rejected), report.rejected
    assert centre_case(town.center, number) == ("11", "11")
    assert holder(window, number) == "11"  # the centre's word came back down
    assert decide(agency, town.agent, number, MORNING + timedelta(hours=2)) == "approved"
    assert agency.sync().ok


def batch_of_case(station: Station, number: str) -> str:
    with station.db.session() as s:
        details = s.scalar(select(CaseEvent.details).join(Case, Case.id == CaseEvent.case_id)
                           .where(Case.number == number, CaseEvent.kind == OFFERED))
    assert details is not None
    return str(json.loads(details)["batch"])


def test_changing_or_deleting_a_recorded_event_is_quarantined_and_the_rest_applies(town: Town) -> None:
    window = town.window
    number = accept(window, town.clerk, 6, now=MORNING)
    assert window.sync().ok
    cols = columns("case_event")
    with window.db.engine.connect() as conn:
        event = conn.execute(select(table("case_event")).where(table("case_event").c.kind == "accepted")).mappings().one()
        case = conn.execute(select(table("case_file")).where(table("case_file").c.number == number)).mappings().one()
    changed = [event[c] for c in cols]
    changed[cols.index("details")] = json.dumps({"class": "immediate"})
    changed = [v.isoformat() if isinstance(v, datetime) else v for v in changed]
    case_cols = columns("case_file")
    moved = dict(case)
    moved["applicant_address"] = "镇赉镇红旗村四组"
    case_values = [moved[c].isoformat() if hasattr(moved[c], "isoformat") else moved[c] for c in case_cols]
    body = {"from": 5000, "to": 5002,
            "groups": [{"t": "case_file", "c": case_cols, "r": [case_values], "s": [5000], "a": [None]},
                       {"t": "case_event", "c": cols, "r": [changed], "s": [5001], "a": [None]}],
            "deletes": [[5002, "case_event", event["id"], None]]}
    status, reply = town.center.api.handle("/v1/push", pack(body), window.token)
    assert status == 200, unpack(reply)
    answer = unpack(reply)
    reasons = sorted(r[2] for r in answer["rejected"])
    assert reasons == ["办件记录只能追加，不能修改", "办件记录只能追加，不能删除"]
    assert answer["acked"] == 5002 and answer["applied"] == 1  # the case's own change went in
    with town.center.engine.connect() as conn:
        assert conn.execute(text("SELECT applicant_address FROM case_file WHERE number = :n"),
                            {"n": number}).scalar_one() == "镇赉镇红旗村四组"
        assert json.loads(conn.execute(text("SELECT details FROM case_event WHERE id = :i"),
                                       {"i": event["id"]}).scalar_one())["class"] == "promised"
    identical = [v.isoformat() if isinstance(v, datetime) else v for v in (event[c] for c in cols)]
    body = {"from": 5003, "to": 5003, "groups": [{"t": "case_event", "c": cols, "r": [identical], "s": [5003],
                                                 "a": [None]}]}
    answer = unpack(town.center.api.handle("/v1/push", pack(body), window.token)[1])
    assert answer["rejected"] == [] and answer["applied"] == 1  # an identical re-send passes


def test_an_offer_the_centre_refuses_does_not_hold_the_case_back(town: Town) -> None:
    agency = town.agency
    number = accept(agency, town.agent, 7, now=MORNING)
    with agency.db.engine.begin() as conn:  # a laptop that never heard the township's node list
        conn.execute(text("DELETE FROM app_meta WHERE key LIKE 'node:%'"))
    offer_transfer(agency.db, town.agent, [number], "05", MORNING)  # a typed code: no window 05 exists
    with pytest.raises(ValidationError, match="等待对方接收"):
        decide(agency, town.agent, number, MORNING + timedelta(hours=1))
    report = agency.sync()
    assert any("中心没有在用的05号窗口或代办点" in r[2] for r in report.rejected), report.rejected
    assert [n.code for n in known_nodes(agency.db)] == ["01", "02"]  # and now it knows them
    assert decide(agency, town.agent, number, MORNING + timedelta(hours=1)) == "approved"  # the refusal freed it
    assert agency.sync().ok
    assert centre_kinds(town.center, number) == ["accepted", "approved"]

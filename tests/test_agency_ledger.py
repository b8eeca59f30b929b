"""Issue 11: the agency point's ledger (代办台账): every case accepted there, 受理 → 代办 → 反馈 → 归档."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from app.actor import Actor
from app.database import Database
from app.models import Case, CaseEvent
from app.progress import Cancelled, Progress
from app.services.cases.actions import Decision, Delivery, decide, deliver, withdraw
from app.services.cases.agency_ledger import (
    EXPORT_COLUMNS,
    Transfer,
    export_ledger,
    iter_ledger,
    ledger_stage,
    page_ledger,
    stage_counts,
)
from app.services.cases.records import accept_case, add_event
from app.services.errors import ValidationError
from app.services.people.auth import login
from app.services.people.staff import StaffForm, save_staff
from tests.conftest import ADMIN_PASSWORD
from tests.test_agency_items import agency_point
from tests.test_cases import form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=CN)


@pytest.fixture
def agency_db(tmp_path: Path) -> Iterator[Database]:
    yield from agency_point(tmp_path / "agency")


@pytest.fixture
def agent(agency_db: Database) -> Actor:
    admin = login(agency_db, "admin", ADMIN_PASSWORD)
    save_staff(agency_db, admin, StaffForm("1101", "王村官", "agent", "红旗村代办点", "13904361101", password="pass1234"))
    return login(agency_db, "1101", "pass1234")


def hand_over(db: Database, actor: Actor, number: str, kind: str, at: datetime, returning: bool = False,
              batch: str = "YJ2026110201") -> None:
    """A hand-over event as app.services.cases.transfers records it (out from agency point 11 to window 01,
    or back); a receipt or a cancellation names the case's latest offer."""
    with db.session(actor) as s:
        case = s.scalar(select(Case).where(Case.number == number))
        assert case is not None
        offer = s.scalar(select(CaseEvent.id).where(CaseEvent.case_id == case.id, CaseEvent.kind == "transfer_offered")
                         .order_by(CaseEvent.at.desc(), CaseEvent.id.desc()).limit(1))
        to, sender = ("11", "01") if returning else ("01", "11")
        details: dict[str, object] = {
            "transfer_offered": {"to_node": to, "to_name": "", "batch": batch, "return": returning},
            "transfer_received": {"from_node": sender, "from_name": "", "batch": batch, "offer": offer,
                                  "return": returning},
            "transfer_cancelled": {"to_node": to, "batch": batch, "offer": offer},
        }[kind]
        add_event(s, case, kind, at, actor, details)


def t(kind: str, returning: bool = False, offer: str = "o1") -> Transfer:
    return Transfer(kind, MONDAY, returning, "", offer)


def test_the_stage_rule() -> None:
    assert ledger_stage("accepted", []) == "accepted"
    assert ledger_stage("accepted", [t("transfer_offered")]) == "handed_over"
    assert ledger_stage("approved", [t("transfer_offered"), t("transfer_received")]) == "handed_over"
    back = [t("transfer_offered"), t("transfer_received"), t("transfer_offered", True)]
    assert ledger_stage("to_deliver", back) == "returned"
    assert ledger_stage("to_deliver", [*back, t("transfer_received", True)]) == "returned"
    assert ledger_stage("accepted", [*back, t("transfer_offered")]) == "handed_over"  # sent again
    for closed in ("done", "archived", "withdrawn", "rejected", "terminated"):
        assert ledger_stage(closed, back) == "archived"
    assert ledger_stage("supplementing", []) == "accepted"
    taken_back = [t("transfer_offered"), t("transfer_cancelled")]  # an offer taken back was never made
    assert ledger_stage("accepted", taken_back) == "accepted"
    assert ledger_stage("accepted", [*taken_back, t("transfer_offered", offer="o2")]) == "handed_over"
    back_again = [t("transfer_offered"), t("transfer_received"), t("transfer_offered", True, "o2"),
                  t("transfer_cancelled", offer="o2")]
    assert ledger_stage("to_deliver", back_again) == "handed_over"


@pytest.fixture
def ledger(agency_db: Database, agent: Actor) -> dict[str, str]:
    """Six villagers' cases, one at each point of the way, oldest first; and one case of another node."""
    numbers: dict[str, str] = {}
    for offset, name in enumerate(("here", "offered", "at_window", "returned", "delivered", "withdrawn", "taken_back",
                                   "other")):
        numbers[name] = accept_case(agency_db, agent, form(agency_db, "SB-002"), now=MONDAY + timedelta(minutes=offset))
    later = MONDAY + timedelta(hours=2)
    for name in ("offered", "at_window", "returned", "delivered", "taken_back"):
        hand_over(agency_db, agent, numbers[name], "transfer_offered", later)
    hand_over(agency_db, agent, numbers["taken_back"], "transfer_cancelled", later + timedelta(minutes=5))
    for name in ("at_window", "returned", "delivered"):
        hand_over(agency_db, agent, numbers[name], "transfer_received", later + timedelta(hours=1))
    for name in ("returned", "delivered"):
        hand_over(agency_db, agent, numbers[name], "transfer_offered", later + timedelta(days=3), True, "HC2026110501")
        hand_over(agency_db, agent, numbers[name], "transfer_received", later + timedelta(days=4), True,
                  "HC2026110501")
    decide(agency_db, agent, numbers["delivered"], Decision(True, result="准予领取养老金"), now=later + timedelta(days=2))
    deliver(agency_db, agent, numbers["delivered"], Delivery("agent", receiver="张桂芳"), now=later + timedelta(days=5))
    withdraw(agency_db, agent, numbers["withdrawn"], "申请人撤回", now=later)
    with agency_db.session() as s:  # a window's case on this laptop (a replica): not this point's ledger
        s.execute(update(Case).where(Case.number == numbers.pop("other")).values(origin_node="01"))
    return numbers


def test_every_case_accepted_here_shows_its_stage(agency_db: Database, ledger: dict[str, str]) -> None:
    rows = {r.number: r for r in iter_ledger(agency_db)}
    assert set(rows) == set(ledger.values())
    stages = {name: rows[number].stage_label for name, number in ledger.items()}
    assert stages == {"here": "受理", "offered": "代办", "at_window": "代办", "returned": "反馈",
                      "delivered": "归档", "withdrawn": "归档", "taken_back": "受理"}
    returned = rows[ledger["returned"]]
    assert returned.handed_over_at is not None and returned.returned_at is not None
    assert returned.handed_over_at < returned.returned_at and returned.batch == "HC2026110501"
    assert rows[ledger["offered"]].batch == "YJ2026110201" and rows[ledger["offered"]].returned_at is None
    here = rows[ledger["here"]]
    assert (here.agent_name, here.status_label, here.holder, here.handed_over_at) == ("王村官", "办理中", "11", None)
    assert list(rows) == sorted(rows, reverse=True)  # newest first
    assert rows[ledger["taken_back"]].handed_over_at is None  # the offer was taken back
    assert stage_counts(agency_db) == {"accepted": 2, "handed_over": 2, "returned": 1, "archived": 2}


def test_pages_carry_the_true_total_of_each_filter(agency_db: Database, ledger: dict[str, str]) -> None:
    everything = page_ledger(agency_db)
    assert everything.total == 7 and len(everything.rows) == 7
    first = page_ledger(agency_db, offset=0, limit=4)
    second = page_ledger(agency_db, offset=4, limit=4)
    assert (first.total, second.total, len(first.rows), len(second.rows)) == (7, 7, 4, 3)
    assert [r.number for r in first.rows + second.rows] == [r.number for r in everything.rows]
    handed = page_ledger(agency_db, "handed_over", 0, 1)
    assert handed.total == 2 and [r.number for r in handed.rows] == [ledger["at_window"]]
    assert page_ledger(agency_db, "returned").rows[0].number == ledger["returned"]
    with pytest.raises(ValidationError, match="台账阶段应为：受理、代办、反馈、归档"):
        page_ledger(agency_db, "lost")


def test_the_export_streams_every_line(agency_db: Database, ledger: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "代办台账.xlsx"
    assert export_ledger(agency_db, path) == 7
    book = load_workbook(path, read_only=True)
    rows = [list(r) for r in book["代办台账"].iter_rows(values_only=True)]
    book.close()
    assert tuple(rows[0]) == EXPORT_COLUMNS and len(rows) == 8
    by_number = {r[0]: r for r in rows[1:]}
    assert by_number[ledger["returned"]][6:8] == ["反馈", "办理中"]
    assert by_number[ledger["delivered"]][6:8] == ["归档", "已办结"]
    assert by_number[ledger["here"]][3] == "13904367788"  # the point's own records: full phone numbers
    archived = tmp_path / "归档.xlsx"
    assert export_ledger(agency_db, archived, "archived") == 2
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        export_ledger(agency_db, tmp_path / "台账.csv")
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        export_ledger(agency_db, tmp_path / "取消.xlsx", progress=progress)
    assert not (tmp_path / "取消.xlsx").exists() and not list(tmp_path.glob(".*.part"))

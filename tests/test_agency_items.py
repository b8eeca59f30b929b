"""Issue 11: the village list (可代办). An agency point offers and accepts only the items the centre put on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.actor import Actor
from app.database import Database
from app.models import OutboxEntry, ServiceItem
from app.services.cases.records import accept_case
from app.services.catalog import items as catalog
from app.services.catalog.agency import (
    check_may_accept,
    load_offered_catalog,
    may_accept,
    node_kind,
    offered_items,
    set_agency_ok,
)
from app.services.catalog.files import read_catalog, write_catalog
from app.services.errors import PermissionDenied, ValidationError
from app.services.people.auth import login
from app.services.people.staff import StaffForm, save_staff
from app.services.setup import perform_setup
from app.startup import open_workstation
from tests.conftest import ADMIN_PASSWORD, setup_request
from tests.test_cases import form

pytestmark = pytest.mark.usefixtures("china_time")
# What a village does for its people: pensions, medical insurance, assistance, disability, the elderly, farming.
VILLAGE_ITEMS = {"SB-001", "SB-002", "YB-001", "YB-002", "SHJZ-001", "SHJZ-003", "CL-001", "CL-002", "LL-001",
                 "NY-001"}
# What needs the township (police ID photo, licences, tax, the worker's pension transfer).
WINDOW_ONLY = {"HJ-002", "HJ-003", "SP-001", "SP-002", "SW-001", "SB-004", "TY-003"}


def agency_point(path: Path) -> Iterator[Database]:
    db, _ = open_workstation(path)
    perform_setup(db, setup_request(node_code="11", node_name="红旗村民生服务代办点", node_kind="agency"))
    yield db
    db.dispose()


@pytest.fixture
def agency_db(tmp_path: Path) -> Iterator[Database]:
    yield from agency_point(tmp_path / "agency")


def test_the_seeded_village_list_is_a_sensible_subset(db: Database) -> None:
    summaries = catalog.load_summaries(db)
    on_list = {i.code for i in summaries if i.agent_allowed}
    assert VILLAGE_ITEMS <= on_list and not WINDOW_ONLY & on_list
    assert 20 <= len(on_list) < len(summaries) == 34


def test_an_agency_point_offers_only_the_village_list(db: Database, agency_db: Database) -> None:
    assert node_kind(agency_db) == "agency" and node_kind(db) == "window"
    summaries, items = load_offered_catalog(agency_db)
    assert {i.code for i in summaries} == {i.code for i in items} == {
        i.code for i in catalog.load_summaries(agency_db) if i.agent_allowed}
    assert not WINDOW_ONLY & {i.code for i in summaries}
    everything, full = load_offered_catalog(db)  # a window offers every item
    assert len(everything) == len(full) == 34
    assert offered_items("director", everything) == everything


def test_acceptance_at_an_agency_point_refuses_other_items_with_the_reason(agency_db: Database) -> None:
    not_on_list = catalog.load_item(agency_db, "HJ-002")
    on_list = catalog.load_item(agency_db, "SB-002")
    assert not_on_list is not None and on_list is not None
    assert not may_accept("agency", not_on_list) and may_accept("window", not_on_list)
    with pytest.raises(ValidationError, match="户籍证明开具”不在村级代办事项清单内.*到乡镇民生服务中心窗口办理"):
        check_may_accept(agency_db, not_on_list)
    check_may_accept(agency_db, on_list)  # on the list: no objection
    check_may_accept(agency_db, None)  # an unknown code is the form's to report


def test_accept_case_at_an_agency_point_follows_the_village_list(agency_db: Database) -> None:
    """Needs the one call in records.accept_case (see the agency work's report): nothing is written."""
    agent = login(agency_db, "admin", ADMIN_PASSWORD)
    with pytest.raises(ValidationError, match="不在村级代办事项清单内"):
        accept_case(agency_db, agent, form(agency_db, "HJ-002"))
    with agency_db.session() as s:
        assert s.scalar(select(OutboxEntry.seq).where(OutboxEntry.table_name == "case_file")) is None
    assert accept_case(agency_db, agent, form(agency_db, "SB-002"))


def test_the_centre_puts_an_item_on_the_list_and_it_replicates(agency_db: Database) -> None:
    admin = login(agency_db, "admin", ADMIN_PASSWORD)
    save_staff(agency_db, admin, StaffForm("1101", "王村官", "agent", "红旗村代办点", "13904361101",
                                           password="pass1234"))
    agent = login(agency_db, "1101", "pass1234")
    with pytest.raises(PermissionDenied, match="事项清单由服务中心统一管理"):
        set_agency_ok(agency_db, agent, "HJ-002", True)
    with pytest.raises(ValidationError, match="没有编码为 NOPE 的事项"):
        set_agency_ok(agency_db, admin, "NOPE", True)
    with agency_db.session() as s:
        item_id = s.scalar(select(ServiceItem.id).where(ServiceItem.code == "HJ-002"))
        before = s.scalar(select(func.max(OutboxEntry.seq))) or 0
    set_agency_ok(agency_db, admin, "HJ-002", True)
    assert "HJ-002" in {i.code for i in load_offered_catalog(agency_db)[0]}  # the cached offer follows at once
    with agency_db.session() as s:  # centre data, sent up with the director's or administrator's proof
        sent = s.execute(select(OutboxEntry.table_name, OutboxEntry.row_id, OutboxEntry.op)
                         .where(OutboxEntry.seq > before, OutboxEntry.table_name != "audit_log")).all()
    assert [tuple(r) for r in sent] == [("service_item", item_id, "update")]
    set_agency_ok(agency_db, admin, "HJ-002", False)
    assert "HJ-002" not in {i.code for i in load_offered_catalog(agency_db)[0]}


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_catalogue_files_carry_the_village_list(db: Database, admin: Actor, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"catalog{suffix}"
    items = catalog.load_all(db)
    flipped = [replace(i, agent_allowed=not i.agent_allowed) if i.code in {"HJ-002", "SB-001"} else i for i in items]
    write_catalog(path, flipped)
    assert {i.code: i.agent_allowed for i in read_catalog(path)}["HJ-002"] is True
    report = catalog.apply_items(db, admin, read_catalog(path), source=path.name)
    assert report.updated == 2
    allowed = {i.code: i.agent_allowed for i in catalog.load_summaries(db)}
    assert allowed["HJ-002"] is True and allowed["SB-001"] is False

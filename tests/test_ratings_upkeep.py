"""The ratings' background upkeep and where the citizen's voice is written (issue 12).

A bad rating given at the centre's public page reaches the node holding the case by the sync; that node
opens its rectification (once, with the id every node would give it). Complaints and rectifications are
changed only where they were registered: a copy changed elsewhere would never get back.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import func, select

import app.clock
from app.actor import Actor
from app.database import Database
from app.models import Complaint, ComplaintEvent
from app.models.ratings import Rating
from app.models.rectifications import Rectification, RectificationEvent
from app.services.complaints import handling
from app.services.complaints.complaints import ComplaintForm, register
from app.services.errors import ValidationError
from app.services.ratings import rectification as rect
from app.services.ratings.rectification import rectification_id
from app.services.ratings.upkeep import open_missing_rectifications, run_upkeep
from app.ui.sync_panel import run_sync
from tests.test_ratings import CN, immediate_done

pytestmark = pytest.mark.usefixtures("china_time")


def _rating_from_centre(db: Database, number: str, level: int) -> str:
    """A rating as the sync stores one the centre's public page took (written by node 00)."""
    with db.session() as s:
        row = Rating(target_kind="case", target_number=number, staff_no="admin", staff_name="王管理", window="",
                     level=level, reasons=json.dumps(["207"] if level < 3 else []), text="扫码评价", private=False,
                     channel="qr", provenance="citizen", rated_at=datetime(2026, 11, 3, 20, 0, tzinfo=CN), seq=1,
                     origin_node="00")
        s.add(row)
        s.flush()
        return row.id


def _count(db: Database, table: type) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(table)) or 0


def test_a_bad_rating_given_elsewhere_is_opened_here_once(db: Database, admin: Actor) -> None:
    number = immediate_done(db, admin)
    good = immediate_done(db, admin)
    rating = _rating_from_centre(db, number, 2)
    _rating_from_centre(db, good, 5)
    assert open_missing_rectifications(db) == 1
    assert open_missing_rectifications(db) == 0  # a second run: nothing
    [row] = rect.list_rectifications(db)
    assert (row.id, row.target_number, row.status) == (rectification_id(rating), number, "pending")
    assert _count(db, RectificationEvent) == 1


def test_a_case_held_elsewhere_is_left_to_its_holder(db: Database, admin: Actor) -> None:
    number = immediate_done(db, admin)
    with db.session() as s:
        from app.models import Case

        case = s.scalar(select(Case).where(Case.number == number))
        assert case is not None
        case.owner_node = "07"
    _rating_from_centre(db, number, 1)
    assert open_missing_rectifications(db) == 0
    assert _count(db, Rectification) == 0


def test_upkeep_runs_with_every_sync_even_unjoined(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 20, 9, 0, tzinfo=CN))
    number = immediate_done(db, admin)
    _rating_from_centre(db, number, 2)
    later = immediate_done(db, admin, when=datetime(2026, 11, 2, 10, 0, tzinfo=CN))
    assert run_sync(db) is None  # not joined to a centre: no report, but the upkeep ran
    assert _count(db, Rectification) == 1
    with db.session() as s:
        defaults = list(s.scalars(select(Rating.target_number).where(Rating.provenance == "default")))
    assert defaults == [later]  # past its five working days, unrated
    assert run_upkeep(db).defaults == 0


def test_a_complaint_or_rectification_is_changed_only_where_it_was_registered(db: Database, admin: Actor) -> None:
    complaint = register(db, admin, ComplaintForm(1, "来访", "态度生硬", name="刘淑兰", phone="13904361234"))
    number = immediate_done(db, admin)
    _rating_from_centre(db, number, 2)
    assert open_missing_rectifications(db) == 1
    [fix] = rect.list_rectifications(db)
    with db.session() as s:
        for row in s.scalars(select(Complaint)):
            row.origin_node = "02"
        for fixed in s.scalars(select(Rectification)):
            fixed.origin_node = "02"
    before = (_count(db, ComplaintEvent), _count(db, RectificationEvent))
    with pytest.raises(ValidationError, match="这条投诉是02号节点登记的，请在那里办理"):
        handling.handle(db, admin, complaint, "self")
    with pytest.raises(ValidationError, match="这条差评整改是02号节点登记的"):
        rect.callback(db, admin, fix.id, "电话回访", True)
    assert (_count(db, ComplaintEvent), _count(db, RectificationEvent)) == before


def _appealed_elsewhere(db: Database, admin: Actor) -> str:
    """A rectification kept by node 02 (as the sync stores it at the director's), its appeal pending."""
    number = immediate_done(db, admin)
    _rating_from_centre(db, number, 2)
    assert open_missing_rectifications(db) == 1
    [fix] = rect.list_rectifications(db)
    rect.appeal(db, admin, fix.id, "当天系统故障，非本人原因")
    with db.session() as s:
        for row in s.scalars(select(Rectification)):
            row.origin_node = "02"
    return fix.id


def test_a_director_decides_an_appeal_at_their_own_workstation(db: Database, admin: Actor) -> None:
    from app.services.ratings.listing import actions_for, rectification_detail

    director = Actor(staff_id=None, staff_no="8004", name="刘国庆", role="director")
    key = _appealed_elsewhere(db, admin)
    detail = rectification_detail(db, key)
    assert detail.kept_by.startswith("02号节点")
    assert actions_for(detail, director) == ("decide",) and actions_for(detail, admin) == ()
    with pytest.raises(ValidationError, match="02号节点登记的"):
        rect.verify(db, director, key, "核实")
    rect.decide_appeal(db, director, key, True, "录像证实系统故障")
    with db.session() as s:
        row = s.get(Rectification, key)
        assert row is not None and (row.status, row.excluded) == ("pending", False)  # the keeper's to rewrite
        [decision] = s.scalars(select(RectificationEvent).where(RectificationEvent.kind == "appeal_decided"))
        assert decision.origin_node == db.node_code
    after = rectification_detail(db, key)
    assert after.appeal == "upheld" and actions_for(after, director) == ()
    with pytest.raises(ValidationError, match="没有待复核的申诉"):
        rect.decide_appeal(db, director, key, False, "再议")


def test_the_keeper_folds_in_a_decision_made_elsewhere(db: Database, admin: Actor) -> None:
    from app.services.ratings.rectification import refold_here

    number = immediate_done(db, admin)
    _rating_from_centre(db, number, 2)
    assert open_missing_rectifications(db) == 1
    [fix] = rect.list_rectifications(db)
    rect.appeal(db, admin, fix.id, "当天系统故障，非本人原因")
    assert refold_here(db) == 0
    with db.session() as s:  # the director's decision, as the sync stores it
        s.add(RectificationEvent(rectification_id=fix.id, kind="appeal_decided",
                                 at=datetime(2026, 11, 30, 10, 0, tzinfo=CN), staff_name="刘国庆",
                                 details=json.dumps({"upheld": True, "reason": "录像证实", "by_no": "8004"}),
                                 origin_node="09"))
    assert refold_here(db) == 1
    assert refold_here(db) == 0
    [after] = rect.list_rectifications(db)
    assert (after.status, after.excluded) == ("invalid", True)
    assert run_upkeep(db).refolded == 0


def test_two_first_ratings_from_two_places_count_once_the_later(db: Database, admin: Actor) -> None:
    from app.services.ratings.listing import page_ratings
    from app.services.ratings.ratings import add_rating, effective_rating, iter_ratings, ratings_of

    number = immediate_done(db, admin)
    add_rating(db, admin, number, 5, channel="window", now=datetime(2026, 11, 2, 9, 30, tzinfo=CN))
    _rating_from_centre(db, number, 2)  # the QR page's 首评 too (seq 1), written before the two met, later in time
    assert [(r.seq, r.level, r.counts) for r in ratings_of(db, number)] == [(1, 5, False), (1, 2, True)]
    assert [(r.level, r.counts) for r in iter_ratings(db)] == [(5, False), (2, True)]
    assert {(r.level, r.counts) for r in page_ratings(db).rows} == {(5, False), (2, True)}
    counted = effective_rating(db, number)
    assert counted is not None and counted.level == 2

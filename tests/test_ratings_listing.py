"""The 好差评 screen's paged lists: ratings by level, date and staff with true totals; rectifications
(open, overdue, 未回访) with lights; one rectification's history and the steps offered to whom."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest

from app.actor import Actor
from app.database import Database
from app.services.errors import ValidationError
from app.services.ratings import rectification as rect
from app.services.ratings.listing import (
    RatingFilter,
    actions_for,
    page_ratings,
    page_rectifications,
    rectification_detail,
)
from app.services.ratings.ratings import add_rating, iter_ratings
from tests.test_ratings import MONDAY, immediate_done

pytestmark = pytest.mark.usefixtures("china_time")
CLERK = Actor(staff_id=None, staff_no="1002", name="王晓东", role="clerk", workplace="社保窗口")
DIRECTOR = Actor(staff_id=None, staff_no="8004", name="刘国庆", role="director", workplace="镇民生服务中心")
TUESDAY = MONDAY + timedelta(days=1)


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    import app.clock

    monkeypatch.setattr(app.clock, "_fixed", TUESDAY.astimezone(UTC))


def rated(db: Database, admin: Actor, level: int, reasons: list[str] | None = None, when: object = MONDAY) -> str:
    number = immediate_done(db, admin)
    add_rating(db, admin, number, level, reasons or [], now=when)  # type: ignore[arg-type]
    return number


def test_ratings_page_with_true_totals_and_filters(db: Database, admin: Actor) -> None:
    for _ in range(5):
        rated(db, admin, 5)
    bad = rated(db, admin, 2, ["213"])
    rated(db, admin, 1, ["115"], when=MONDAY - timedelta(days=7))
    first = page_ratings(db, RatingFilter(), 0, 3)
    assert (first.total, len(first.rows)) == (7, 3)
    rest = page_ratings(db, RatingFilter(), 3, 3)
    assert rest.offset == 3 and len(rest.rows) == 3
    everything = page_ratings(db, RatingFilter(), 0, 100).rows
    assert {r.id for r in everything} == {r.id for r in iter_ratings(db)}
    assert everything[-1].level == 1  # newest first: the one of the week before is last
    assert [r.target_number for r in page_ratings(db, RatingFilter(level=2)).rows] == [bad]
    assert page_ratings(db, RatingFilter(bad_only=True)).total == 2
    week = page_ratings(db, RatingFilter(date_from=date(2026, 11, 2), date_to=date(2026, 11, 2)))
    assert week.total == 6
    assert page_ratings(db, RatingFilter(staff_no=admin.staff_no)).total == 7
    assert page_ratings(db, RatingFilter(staff_no="9999")).total == 0
    with pytest.raises(ValidationError, match="起始日期不能晚于"):
        page_ratings(db, RatingFilter(date_from=date(2026, 11, 3), date_to=date(2026, 11, 2)))
    with pytest.raises(ValidationError, match="评价等级"):
        page_ratings(db, RatingFilter(level=7))


def test_a_follow_up_counts_and_an_upheld_appeal_excludes(db: Database, admin: Actor) -> None:
    number = rated(db, admin, 2, ["214"])
    add_rating(db, admin, number, 4, now=MONDAY + timedelta(hours=1))
    rows = page_ratings(db).rows
    assert [(r.level, r.counts) for r in rows] == [(4, True), (2, False)]
    assert {(r.id, r.counts) for r in rows} == {(r.id, r.counts) for r in iter_ratings(db)}  # one rule
    key = page_rectifications(db).rows[0].id
    rect.appeal(db, admin, key, "群众误点")
    rect.decide_appeal(db, DIRECTOR, key, True, "录像显示误触")
    assert [r.excluded for r in page_ratings(db).rows] == [False, True]


def test_rectification_views_overdue_and_missing_callbacks(db: Database, admin: Actor,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    keys = []
    for minute in range(3):  # apart, so "newest first" names each one
        rated(db, admin, 2, ["213"], when=MONDAY + timedelta(minutes=minute))
        keys.append(page_rectifications(db).rows[0].id)
    rated(db, admin, 5)
    everything = page_rectifications(db, "", 0, 2)
    assert (everything.total, len(everything.rows)) == (3, 2)
    item = everything.rows[0]
    assert (item.status_label, item.level_label, item.callback_label, item.reasons_text) == (
        "待核实", "不满意", "未回访", "窗口人员业务不熟练")
    assert item.due_date == date(2026, 11, 16) and item.light.colour == "green"
    rect.callback(db, DIRECTOR, keys[0], "已致歉", True)
    rect.close(db, CLERK, keys[1], "fixed", "已培训")
    missing = page_rectifications(db, "missing_callback")
    assert {r.id for r in missing.rows} == {r.id for r in rect.missing_callbacks(db)} == {keys[1], keys[2]}
    assert missing.total == 2
    assert {r.id for r in page_rectifications(db, "open").rows} == {keys[0], keys[2]}
    assert page_rectifications(db, "overdue").total == 0
    import app.clock

    monkeypatch.setattr(app.clock, "_fixed", (MONDAY + timedelta(days=15)).astimezone(UTC))
    overdue = page_rectifications(db, "overdue")
    assert {r.id for r in overdue.rows} == {keys[0], keys[2]}
    assert all(r.light.colour == "red" for r in overdue.rows)
    assert page_rectifications(db, "open", staff_no="9999").total == 0
    with pytest.raises(ValidationError):
        page_rectifications(db, "nonsense")


def test_detail_history_and_the_steps_each_actor_is_offered(db: Database, admin: Actor) -> None:
    rated(db, admin, 1, ["115"])
    key = page_rectifications(db).rows[0].id
    detail = rectification_detail(db, key)
    assert [h.label for h in detail.history] == ["差评登记"]
    assert actions_for(detail, admin) == ("appeal",)  # admin delivered the case: the one rated only appeals
    assert actions_for(detail, CLERK) == ("verify", "callback", "close")  # not the rated one: no appeal
    rect.verify(db, CLERK, key, "属实")
    rect.appeal(db, admin, key, "群众误点", "评价器记录")
    detail = rectification_detail(db, key)
    assert detail.appeal_label == "申诉待复核"
    assert actions_for(detail, CLERK) == ("callback",)  # closing waits for the decision; a clerk cannot decide
    assert actions_for(detail, DIRECTOR) == ("callback", "decide")
    rect.decide_appeal(db, DIRECTOR, key, False, "确为本人办理")
    detail = rectification_detail(db, key)
    assert detail.appeal_label == "申诉不成立" and "close" in actions_for(detail, CLERK)
    assert "appeal" in actions_for(detail, admin)  # a rejected appeal may be made again
    texts = [h.text for h in detail.history]
    assert texts[-2] == "群众误点；证据：评价器记录" and texts[-1] == "申诉不成立：确为本人办理"
    with pytest.raises(ValidationError, match="未找到"):
        rectification_detail(db, "no-such-id")

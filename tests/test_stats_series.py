"""Chart data (issue 13): the monthly trend equals each month's own figures, the satisfaction split
equals the `ratings` figure and a plain count of the ratings, and the new completion figures (平均办结用时,
一次办结率, 整改率, 回访率) equal counts made another way from the generated records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from app.actor import Actor
from app.database import Database
from app.services.cases.actions import Decision, Delivery, decide, deliver, notify
from app.services.cases.records import accept_case, complete_materials, get_case
from app.services.errors import ValidationError
from app.services.people.auth import login
from app.services.ratings import rectification as rect
from app.services.ratings.ratings import iter_ratings
from app.services.ratings.rectification import list_rectifications
from app.services.stats.figures import FIGURES
from app.services.stats.report import figures_for
from app.services.stats.series import bars, monthly_trend, satisfaction_split
from tests.test_cases import ID, form
from tests.test_stats import (
    CLERKS,
    DIRECTOR,
    FIRST,
    LAST,
    TODAY,
    Generated,
    at,
    generate,
    in_period,
    local,
    workdays_after,
)

pytestmark = pytest.mark.usefixtures("china_time")


@pytest.fixture
def generated(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> Iterator[Generated]:
    yield generate(db, admin, monkeypatch)
OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))


def test_the_trend_is_each_months_own_figures(db: Database, generated: Generated) -> None:
    keys = ("accepted", "completed", "satisfaction", "overdue", "ratings_default", "avg_workdays", "notices")
    trend = monthly_trend(db, date(2026, 11, 15), 12, keys, today=TODAY)
    assert [p.month for p in trend] == ["2025-12", *(f"2026-{m:02d}" for m in range(1, 12))]
    assert trend[1].label == "2026年1月" and trend[-1].label == "11月"
    november = figures_for(db, FIRST, LAST, today=TODAY).total.values
    october = figures_for(db, *OCTOBER, today=TODAY).total.values
    for point, month in ((trend[-1], november), (trend[-2], october)):
        for key in keys:
            assert point.values[key] == (None if month[key] is None else float(month[key] or 0)), (point.month, key)
    assert trend[-1].values["accepted"] > 20 and trend[-2].values["accepted"] > 5
    light = monthly_trend(db, date(2026, 11, 15), 12, today=TODAY)  # 受理量 and 办结量 by their lighter queries
    assert [p.values for p in light] == [{k: p.values[k] for k in ("accepted", "completed", "satisfaction")}
                                         for p in trend]
    assert trend[0].values == {k: (None if k in ("satisfaction", "avg_workdays") else 0.0) for k in keys}
    with pytest.raises(ValidationError, match="没有这项统计指标"):
        monthly_trend(db, LAST, 12, ("accepted", "nonsense"))
    with pytest.raises(ValidationError, match="趋势月数"):
        monthly_trend(db, LAST, 0)


def test_the_satisfaction_split_counts_as_the_ratings_figure(db: Database, generated: Generated) -> None:
    split = satisfaction_split(db, FIRST, LAST)
    total = figures_for(db, FIRST, LAST).total.values
    plain: Counter[int] = Counter()
    defaults = 0
    for r in iter_ratings(db):
        if r.counts and not r.excluded and in_period(r.rated_at):
            if r.provenance == "default":
                defaults += 1
            else:
                plain[r.level] += 1
    assert split.levels == {level: plain[level] for level in (5, 4, 3, 2, 1)}
    assert split.rated == total["ratings"] and split.defaults == total["ratings_default"] == defaults > 0
    assert split.satisfaction == total["satisfaction"]
    assert split.levels[1] + split.levels[2] == total["bad_ratings"] > 0
    assert [label for label, _ in split.parts()] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意", "默认评价"]
    windows = figures_for(db, FIRST, LAST, "window")
    for row in windows.rows:
        one = satisfaction_split(db, FIRST, LAST, "window", row.key)
        assert one.rated == row.values["ratings"] and one.defaults == row.values["ratings_default"]
    assert sum(satisfaction_split(db, FIRST, LAST, "staff", no).rated for no in CLERKS) == split.rated
    assert satisfaction_split(db, FIRST, LAST, "window", "没有这个窗口").rated == 0
    with pytest.raises(ValidationError, match="须指明"):
        satisfaction_split(db, FIRST, LAST, "window")
    from app.services.stats.visibility import visible_split

    clerk = login(db, "1001", "pass1234")  # a clerk asking for the township's (or a window's) split gets their own
    own = satisfaction_split(db, FIRST, LAST, "staff", "1001")
    assert visible_split(db, clerk, FIRST, LAST) == visible_split(db, clerk, FIRST, LAST, "window", "2号窗口") == own
    assert visible_split(db, DIRECTOR, FIRST, LAST) == split and own.rated < split.rated
    assert bars(windows, "accepted") == [(r.label, float(r.values["accepted"] or 0)) for r in windows.rows]
    assert sum(v for _, v in bars(windows, "accepted")) == total["accepted"]


def supplemented_and_completed(db: Database) -> str:
    """A 补办件: materials completed two days later, approved and delivered in the period (not one visit)."""
    clerk = login(db, "2001", "pass1234")
    number = accept_case(db, clerk, form(db, "SB-002", "supplement", seqs=[]), now=at(date(2026, 11, 2)))
    record = get_case(db, number)
    assert record is not None
    complete_materials(db, clerk, number, list(range(1, len(record.item.materials) + 1)), now=at(date(2026, 11, 4)))
    decide(db, clerk, number, Decision(True, result="准予领取养老金"), now=at(date(2026, 11, 9)))
    notify(db, clerk, number, "pickup", now=at(date(2026, 11, 9), 11))
    deliver(db, clerk, number, Delivery("pickup", receiver="张桂芳", receiver_id=ID), now=at(date(2026, 11, 10)))
    return number


def test_completion_time_one_visit_and_rectification_figures(db: Database, generated: Generated) -> None:
    generated.cases.append(supplemented_and_completed(db))
    done, workdays, one_visit = 0, 0, 0
    for number in generated.cases:
        case = get_case(db, number)
        assert case is not None
        kinds = [(e[1], e[0]) for e in case.events]
        finished = next((t for k, t in kinds if k in ("completed_on_spot", "delivered")), None)
        if finished is None or not in_period(finished) or case.status not in ("done", "archived"):
            continue
        decided = next(t for k, t in kinds if k in ("approved", "denied", "completed_on_spot"))
        done += 1
        workdays += workdays_after(db, local(case.accepted_at), local(decided))
        one_visit += not any(k == "supplemented" for k, _ in kinds)
    got = figures_for(db, FIRST, LAST).total.values
    assert got["completed"] == done and workdays > 0 and one_visit < done
    assert got["avg_workdays"] == round(workdays / done, 2)
    assert got["one_visit_rate"] == round(100 * one_visit / done, 1)
    counted_bad = {r.id for r in iter_ratings(db)
                   if r.counts and not r.excluded and in_period(r.rated_at) and r.provenance != "default"
                   and r.level <= 2}
    for i, x in enumerate(x for x in list_rectifications(db) if not x.excluded):  # some fixed, some called back
        if i % 3 != 2:
            rect.callback(db, DIRECTOR, x.id, "已电话回访", True)
        if i % 3 == 0:
            rect.close(db, DIRECTOR, x.id, "fixed", "已当面致歉并改进")
    got = figures_for(db, FIRST, LAST).total.values
    rects = [x for x in list_rectifications(db) if x.rating_id in counted_bad]
    assert len(rects) == len(counted_bad) == got["bad_ratings"] > 0
    fixed = sum(x.status == "fixed" for x in rects)
    called = sum(x.called_back for x in rects)
    assert 0 < fixed < called < len(rects)
    assert got["rectification_rate"] == round(100 * fixed / len(rects), 1)
    assert got["callback_rate"] == round(100 * called / len(rects), 1)
    staff = figures_for(db, FIRST, LAST, "staff").rows
    windows = figures_for(db, FIRST, LAST, "window").rows
    for rows in (staff, windows):  # the counts behind the averages and shares add up to the township's
        for key, base in (("avg_workdays", "completed"), ("one_visit_rate", "completed"),
                          ("rectification_rate", "bad_ratings"), ("callback_rate", "bad_ratings")):
            scale = 100 if key != "avg_workdays" else 1
            parts = sum((r.values[key] or 0) * int(r.values[base] or 0) / scale for r in rows)
            assert parts == pytest.approx((got[key] or 0) * int(got[base] or 0) / scale, rel=0.01), key
        for raw in ("workdays_sum", "one_visit", "rectified", "called_back"):
            assert sum(r.raw.get(raw, 0) for r in rows) == figures_for(db, FIRST, LAST).total.raw.get(raw, 0), raw
    for key in ("avg_workdays", "one_visit_rate"):
        assert all(r.values[key] is not None for r in staff if r.values["completed"])
    assert {f.key for f in FIGURES} >= {"avg_workdays", "one_visit_rate", "rectification_rate", "callback_rate"}
    assert TODAY - timedelta(days=1) > LAST

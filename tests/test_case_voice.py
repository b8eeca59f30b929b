"""A case's history shows the citizen's ratings (with the rectification of a bad one) and the complaints
that name it, between its events by time, without the complainant's identity (issue 12)."""

from __future__ import annotations

from datetime import datetime

import pytest

import app.clock
from app.actor import Actor
from app.database import Database
from app.services.cases.records import get_case
from app.services.cases.voice import citizen_voice
from app.services.complaints.complaints import ComplaintForm, register
from app.services.ratings.defaults import apply_default_ratings
from app.services.ratings.ratings import add_rating
from app.ui.case_view import case_html
from tests.test_ratings import CN, MONDAY, immediate_done

pytestmark = pytest.mark.usefixtures("china_time")


def test_ratings_and_complaints_join_the_case_history(db: Database, admin: Actor,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    number = immediate_done(db, admin)
    other = immediate_done(db, admin)
    assert citizen_voice(db, number) == []
    add_rating(db, admin, number, 2, ["207"], text="等了很久", channel="window", private=True,
               now=datetime(2026, 11, 2, 9, 30, tzinfo=CN))
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 3, 10, 0, tzinfo=CN))
    register(db, admin, ComplaintForm(1, "来访", "态度生硬", name="赵秘密", phone="13904361234",
                                      confidential=True, case_number=number))
    register(db, admin, ComplaintForm(1, "来访", "别的办件", name="钱某", phone="13904361234", case_number=other))
    voice = citizen_voice(db, number)
    assert [v.label for v in voice] == ["好差评（首评）", "投诉"]
    rating, complaint = voice
    assert "不满意（群众评价，窗口评价器）" in rating.text and "等了很久" in rating.text
    assert "群众要求不公开" in rating.text and "差评整改：待核实，未回访" in rating.text
    assert complaint.text.startswith("投诉编号 TS") and "赵秘密" not in complaint.text
    case = get_case(db, number)
    assert case is not None
    html = case_html(case, voice)
    events = [line for line in html.split("<tr>") if "<td>" in line]
    assert len(events) == len(case.events) + 2
    assert "好差评（首评）" in events[-2] and "投诉" in events[-1]  # after the on-spot completion, by time


def test_a_default_rating_is_shown_as_not_counting_once_the_citizen_rated(db: Database, admin: Actor) -> None:
    number = immediate_done(db, admin)
    assert apply_default_ratings(db, now=datetime(2026, 11, 10, 8, 0, tzinfo=CN)) == 1
    add_rating(db, admin, number, 5, channel="backfill", now=datetime(2026, 11, 11, 8, 0, tzinfo=CN))
    default, citizen = citizen_voice(db, number)
    assert default.label == "默认评价" and "群众已评价，默认评价不计" in default.text
    assert citizen.label == "好差评（首评）" and "非常满意（补录）" in citizen.text
    assert MONDAY < default.at < citizen.at

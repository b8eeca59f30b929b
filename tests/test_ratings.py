"""好差评: who may rate what and when, the reason codes per level, 首评/追评, and the default job."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.actor import Actor
from app.database import Database
from app.models import Case
from app.models.ratings import Rating
from app.services.cases.actions import Decision, Delivery, complete_on_spot, decide, deliver, notify
from app.services.cases.records import accept_case
from app.services.errors import ValidationError
from app.services.inquiries.notices import NoticeForm, create_notice
from app.services.inquiries.register import InquiryForm, register_inquiry
from app.services.ratings.codes import LEVELS, REASONS
from app.services.ratings.defaults import apply_default_ratings, default_rating_id
from app.services.ratings.ratings import add_rating, effective_rating, iter_ratings, ratings_of
from tests.test_cases import ID, form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=CN)
CLERK = Actor(staff_id=None, staff_no="1002", name="王晓东", role="clerk", workplace="社保窗口")


def immediate_done(db: Database, admin: Actor, when: datetime = MONDAY) -> str:
    number = accept_case(db, admin, form(db, "SB-001", "immediate"), now=when)
    assert complete_on_spot(db, admin, number, "当场打印参保证明", now=when) == "done"
    return number


def count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Rating)) or 0


def test_the_codes_are_the_national_table() -> None:
    assert list(LEVELS) == [5, 4, 3, 2, 1] and LEVELS[3] == "基本满意"
    assert all(len(codes) == 8 for codes in REASONS.values())
    assert REASONS[2]["213"] == "窗口人员业务不熟练" and REASONS[1]["115"] == "服务态度差效率低"
    assert all(code.startswith(str(level)) for level, codes in REASONS.items() for code in codes)


def test_a_delivered_case_is_rated_and_the_deliverer_is_the_one_rated(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    with pytest.raises(ValidationError, match="尚未办结"):
        add_rating(db, admin, number, 5, now=MONDAY)
    decide(db, admin, number, Decision(approve=True, result="准予领取养老金"), now=MONDAY + timedelta(days=1))
    notify(db, admin, number, "pickup", now=MONDAY + timedelta(days=1))
    deliver(db, CLERK, number, Delivery(method="pickup", receiver="张桂芳", receiver_id=ID),
            now=MONDAY + timedelta(days=2))
    record = add_rating(db, admin, number, 2, ["213", "207"], "  等了很久  ", channel="qr", private=True,
                        now=MONDAY + timedelta(days=3))
    assert (record.staff_no, record.staff_name, record.window) == ("1002", "王晓东", "社保窗口")
    assert (record.level_label, record.reasons, record.text, record.private) == ("不满意", ("213", "207"), "等了很久", True)
    assert (record.which, record.provenance, record.target_kind) == ("首评", "citizen", "case")


def test_bad_input_is_refused_in_chinese_and_writes_nothing(db: Database, admin: Actor) -> None:
    number = immediate_done(db, admin)
    cases = [
        (dict(level=6), "评价等级"), (dict(level=2), "至少一项"), (dict(level=1, reasons=["213"]), "不属于"),
        (dict(level=5, reasons=["510", "510"]), "重复"), (dict(level=5, text="好" * 151), "150"),
        (dict(level=5, channel="default"), "评价渠道"), (dict(level=5, text="a\x00"), "控制字符"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValidationError, match=message):
            add_rating(db, admin, number, now=MONDAY, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="未找到"):
        add_rating(db, admin, "9999", 5, now=MONDAY)
    assert count(db) == 0
    assert add_rating(db, admin, number, 5, ["510"], "好" * 150, now=MONDAY).text == "好" * 150


def test_away_from_the_window_only_within_five_working_days(db: Database, admin: Actor) -> None:
    number = immediate_done(db, admin)  # Monday 2 Nov: the 5th working day after is Monday 9 Nov
    late = datetime(2026, 11, 10, 9, 0, tzinfo=CN)
    with pytest.raises(ValidationError, match="评价期限已过"):
        add_rating(db, admin, number, 4, channel="sms", now=late)
    assert count(db) == 0
    assert add_rating(db, admin, number, 4, channel="phone", now=datetime(2026, 11, 9, 17, 0, tzinfo=CN)).seq == 1
    assert add_rating(db, admin, number, 3, channel="backfill", now=late).provenance == "backfill"


def test_one_follow_up_and_the_later_rating_counts(db: Database, admin: Actor) -> None:
    number = immediate_done(db, admin)
    add_rating(db, admin, number, 2, ["214"], now=MONDAY)
    assert effective_rating(db, number).level == 2  # type: ignore[union-attr]
    follow = add_rating(db, admin, number, 5, ["517"], "态度改好了", now=MONDAY + timedelta(hours=2))
    assert (follow.seq, follow.which) == (2, "追评")
    with pytest.raises(ValidationError, match="已有首评和追评"):
        add_rating(db, admin, number, 1, ["115"], now=MONDAY + timedelta(hours=3))
    effective = effective_rating(db, number)
    assert effective is not None and (effective.level, effective.which) == (5, "追评")
    assert [(r.seq, r.counts) for r in ratings_of(db, number)] == [(1, False), (2, True)]
    assert [(r.seq, r.counts) for r in iter_ratings(db, batch=1)] == [(1, False), (2, True)]


def test_an_inquiry_and_a_notice_are_rated_as_encounters(db: Database, admin: Actor) -> None:
    inquiry = register_inquiry(db, admin, InquiryForm(citizen_name="张桂芳", citizen_phone="13904367788",
                                                      channel="onsite", question="低保怎么申请？", outcome="answered",
                                                      answer="请带户口簿。"), now=MONDAY)
    notice = create_notice(db, admin, NoticeForm("HJ-001", "张桂芳", [1], "13904367788"), now=MONDAY)
    first = add_rating(db, admin, inquiry.number, 4, ["413"], now=MONDAY)
    second = add_rating(db, admin, notice, 3, now=MONDAY)
    assert (first.target_kind, first.staff_no) == ("inquiry", admin.staff_no)
    assert (second.target_kind, second.staff_no) == ("notice", admin.staff_no)


def test_the_default_job_rates_once_after_five_working_days(db: Database, admin: Actor) -> None:
    number = immediate_done(db, admin)
    rated = immediate_done(db, admin)
    add_rating(db, admin, rated, 5, now=MONDAY)
    assert apply_default_ratings(db, now=datetime(2026, 11, 9, 23, 0, tzinfo=CN)) == 0  # still in time
    assert apply_default_ratings(db, now=datetime(2026, 11, 10, 8, 0, tzinfo=CN)) == 1
    assert apply_default_ratings(db, now=datetime(2026, 11, 11, 8, 0, tzinfo=CN)) == 0  # a second run: nothing
    default = effective_rating(db, number)
    assert default is not None
    assert (default.level_label, default.channel, default.provenance, default.seq) == ("基本满意", "default", "default", 1)
    assert default.rated_at == datetime(2026, 11, 10, 0, 0, tzinfo=CN)
    with db.session() as s:
        case_id = s.scalar(select(Case.id).where(Case.number == number))
        assert s.scalar(select(Rating.id).where(Rating.target_number == number)) == default_rating_id(str(case_id))
    assert count(db) == 2


def test_a_citizen_rating_after_the_default_counts_and_the_default_takes_no_place(db: Database, admin: Actor) -> None:
    """The default arrives first here (or from another node), the citizen's paper rating later: the
    citizen's counts, and the citizen still has a 首评 and a 追评."""
    number = immediate_done(db, admin)
    assert apply_default_ratings(db, now=datetime(2026, 11, 10, 8, 0, tzinfo=CN)) == 1
    later = datetime(2026, 11, 12, 9, 0, tzinfo=CN)
    first = add_rating(db, admin, number, 2, ["207"], channel="backfill", now=later)
    assert first.seq == 1
    assert effective_rating(db, number) == dataclasses.replace(first, counts=True)
    assert [(r.provenance, r.counts) for r in ratings_of(db, number)] == [("default", False), ("backfill", True)]
    follow = add_rating(db, admin, number, 5, channel="backfill", now=later)
    assert follow.seq == 2
    assert [(r.provenance, r.seq, r.counts) for r in iter_ratings(db, batch=1)] == [
        ("default", 1, False), ("backfill", 1, False), ("backfill", 2, True)]
    with pytest.raises(ValidationError, match="已有首评和追评"):
        add_rating(db, admin, number, 4, channel="backfill", now=later)


def _copy(db: Database, tmp: str) -> Database:
    target = db.path.parent / tmp
    with sqlite3.connect(db.path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return Database(target)


def test_two_databases_of_one_case_write_the_same_row_and_only_the_holder_writes(db: Database, admin: Actor) -> None:
    number = immediate_done(db, admin)
    later = datetime(2026, 11, 12, 8, 0, tzinfo=CN)
    other = _copy(db, "copy.sqlite3")
    elsewhere = _copy(db, "elsewhere.sqlite3")
    elsewhere._node_code = "09"  # a node that merely holds a replica of the case: it writes nothing
    try:
        assert apply_default_ratings(db, now=later) == 1
        assert apply_default_ratings(other, now=later) == 1
        assert apply_default_ratings(elsewhere, now=later) == 0
        rows = []
        for base in (db, other):
            with base.session() as s:
                row = s.execute(select(Rating).where(Rating.target_number == number)).scalar_one()
                rows.append((row.id, row.rated_at, row.staff_no, row.level, json.loads(row.reasons)))
        assert rows[0] == rows[1]
    finally:
        other.dispose()
        elsewhere.dispose()


def test_a_rating_reaches_the_centres_replica(center: object, tmp_path: object) -> None:
    from pathlib import Path

    from sqlalchemy import text

    from tests.sync_helpers import enrol

    station = enrol(center, Path(str(tmp_path)) / "w", "04")  # type: ignore[arg-type]
    assert station.sync().ok
    actor = station.actor()
    inquiry = register_inquiry(station.db, actor, InquiryForm(citizen_name="张桂芳", citizen_phone="13904367788",
                                                              channel="onsite", question="低保怎么申请？",
                                                              outcome="answered", answer="请带户口簿。"))
    rating = add_rating(station.db, actor, inquiry.number, 1, ["115"], "态度差", channel="window", private=True)
    assert station.sync().ok
    with center.engine.connect() as conn:  # type: ignore[attr-defined]
        row = conn.execute(text("SELECT id, level, reasons, private, _owner FROM rating")).one()
    assert tuple(row) == (rating.id, 1, '["115"]', True, "04")


def test_an_archived_case_keeps_the_period_of_its_delivery(db: Database, admin: Actor) -> None:
    from app.services.cases.actions import archive

    number = immediate_done(db, admin)
    later = datetime(2026, 11, 20, 9, 0, tzinfo=CN)
    archive(db, admin, number, "2026-社保-018", now=later)
    with pytest.raises(ValidationError, match="评价期限已过"):  # counted from 当场办结 on 2 Nov, not from 归档
        add_rating(db, admin, number, 4, channel="phone", now=later)
    assert add_rating(db, CLERK, number, 4, channel="window", now=later).staff_no == admin.staff_no
    assert apply_default_ratings(db, now=later) == 0  # rated already

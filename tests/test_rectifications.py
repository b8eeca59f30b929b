"""差评整改: a bad rating opens a rectification due in working days; call-back, close (已整改 / 无法整改),
the appeal the director decides (无效差评, the rating kept but excluded), and the `rectifications` CLI."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
import sqlalchemy.exc
from sqlalchemy import func, select, text

from app.actor import Actor
from app.cli import main
from app.database import Database
from app.models import Rating, Rectification, RectificationEvent
from app.services.errors import PermissionDenied, ValidationError
from app.services.ratings import rectification as rect
from app.services.ratings.ratings import add_rating
from app.services.settings import load_settings, save_settings
from tests.test_ratings import MONDAY, immediate_done

pytestmark = pytest.mark.usefixtures("china_time")
CLERK = Actor(staff_id=None, staff_no="1002", name="王晓东", role="clerk", workplace="社保窗口")
DIRECTOR = Actor(staff_id=None, staff_no="8004", name="刘国庆", role="director", workplace="镇民生服务中心")
LATER = MONDAY + timedelta(days=1)  # the Tuesday after the rating


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    import app.clock

    monkeypatch.setattr(app.clock, "_fixed", LATER.astimezone(UTC))


def bad(db: Database, admin: Actor, level: int = 2) -> str:
    number = immediate_done(db, admin)
    assert number
    record = add_rating(db, admin, number, level, ["213"] if level == 2 else ["115"], now=MONDAY)
    with db.session() as s:
        return s.scalars(select(Rectification.id).where(Rectification.rating_id == record.id)).one()


def events(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(RectificationEvent)) or 0


def row(db: Database, key: str) -> rect.RectificationRow:
    return next(r for r in rect.list_rectifications(db) if r.id == key)


def test_a_bad_rating_opens_a_rectification_due_in_ten_working_days(db: Database, admin: Actor) -> None:
    key = bad(db, admin)
    first = row(db, key)
    # 2026-11-02 is a Monday; ten working days later (no holidays in November) is Monday 11-16
    assert (first.status_label, first.due_date, first.level, first.called_back) == ("待核实", date(2026, 11, 16), 2, False)
    assert first.light.colour == "green"
    other = immediate_done(db, admin)
    add_rating(db, admin, other, 3, now=MONDAY)
    add_rating(db, admin, immediate_done(db, admin), 1, ["115"], now=MONDAY)
    assert [r.level for r in rect.list_rectifications(db)] == [2, 1]  # 基本满意 opens nothing


def test_the_working_days_are_a_centre_setting(db: Database, admin: Actor) -> None:
    save_settings(db, admin, replace(load_settings(db), rectification_days="5"))
    assert row(db, bad(db, admin)).due_date == date(2026, 11, 9)
    with pytest.raises(ValidationError):
        save_settings(db, admin, replace(load_settings(db), rectification_days="0"))
    assert load_settings(db).rectification_days == "5"


def test_verify_callback_and_fix(db: Database, admin: Actor) -> None:
    key = bad(db, admin)
    assert [r.id for r in rect.missing_callbacks(db)] == [key]
    rect.verify(db, CLERK, key, "核实属实，窗口人员对新政策不熟")
    assert row(db, key).status_label == "整改中"
    with pytest.raises(ValidationError, match="不能再核实"):
        rect.verify(db, CLERK, key, "再核实")
    rect.callback(db, DIRECTOR, key, "已向群众致歉并说明整改措施", satisfied=True)
    assert rect.missing_callbacks(db) == [] and row(db, key).called_back
    rect.close(db, CLERK, key, "fixed", "已组织窗口业务培训")
    assert row(db, key).status_label == "已整改" and row(db, key).light.colour == "none"
    with pytest.raises(ValidationError, match="不能再办结"):
        rect.close(db, CLERK, key, "fixed", "再办结")
    trail = rect.history(db, key)
    assert [k for _, k, _, _ in trail] == ["opened", "verified", "callback", "fixed"]
    called = trail[2]
    assert called[2] == "刘国庆" and called[3]["by_no"] == "8004" and called[3]["satisfied"] is True
    assert abs(called[0] - LATER) < timedelta(seconds=1)  # when: now (kept in order by a microsecond)


def test_unfixable_needs_a_reason_and_takes_a_new_deadline(db: Database, admin: Actor) -> None:
    key, other = bad(db, admin), bad(db, admin)
    rect.close(db, CLERK, key, "unfixable", "政策规定须本人到场，无法上门办理", until=date(2026, 12, 31))
    assert (row(db, key).status_label, row(db, key).due_date) == ("无法整改", date(2026, 12, 31))
    rect.close(db, CLERK, other, "unfixable", "需上级系统改造")
    assert row(db, other).due_date == date(2026, 11, 17)  # ten working days after Tuesday 11-03


def test_an_upheld_appeal_excludes_the_rating_and_closes_it_as_invalid(db: Database, admin: Actor) -> None:
    key = bad(db, admin)
    rating_id = row(db, key).rating_id
    with pytest.raises(ValidationError, match="申诉复核认定后"):
        rect.close(db, CLERK, key, "invalid", "群众评错了")
    with pytest.raises(ValidationError, match="没有待复核"):
        rect.decide_appeal(db, DIRECTOR, key, True, "无申诉")
    rect.appeal(db, admin, key, "群众误点了不满意", "评价器录像")
    with pytest.raises(ValidationError, match="重复申诉"):
        rect.appeal(db, admin, key, "再申诉")
    with pytest.raises(ValidationError, match="申诉复核"):
        rect.close(db, CLERK, key, "fixed", "先办结")
    with pytest.raises(PermissionDenied, match="中心主任"):
        rect.decide_appeal(db, CLERK, key, True, "自己认定")
    assert not rect.is_excluded(db, rating_id)
    rect.decide_appeal(db, DIRECTOR, key, True, "录像显示群众误触，电话回访确认满意")
    assert (row(db, key).status_label, row(db, key).excluded) == ("无效差评", True)
    assert rect.is_excluded(db, rating_id)
    with db.session() as s:
        assert s.get(Rating, rating_id) is not None  # the rating is kept
    decided = rect.history(db, key)[-1]
    assert decided[1:3] == ("appeal_decided", "刘国庆") and decided[3]["reason"].startswith("录像")
    assert rect.missing_callbacks(db) == []  # an excluded rating needs no call-back
    with pytest.raises(ValidationError, match="无效差评"):
        rect.close(db, CLERK, key, "invalid", "再定一次")


def test_a_rejected_appeal_leaves_the_rectification_open(db: Database, admin: Actor) -> None:
    key = bad(db, admin)
    rect.appeal(db, admin, key, "不是我办的")
    rect.decide_appeal(db, DIRECTOR, key, False, "办件记录显示确为本人办理")
    assert (row(db, key).status_label, row(db, key).excluded) == ("待核实", False)
    with pytest.raises(ValidationError, match="申诉复核认定后"):
        rect.close(db, CLERK, key, "invalid", "还是无效")


def test_bad_input_changes_nothing(db: Database, admin: Actor) -> None:
    key = bad(db, admin)
    before = events(db)
    wrong = [
        lambda: rect.callback(db, CLERK, key, "", True),
        lambda: rect.callback(db, CLERK, key, "好" * 501, True),
        lambda: rect.callback(db, CLERK, "no-such-id", "已回访", True),
        lambda: rect.close(db, CLERK, key, "done", "说明"),
        lambda: rect.close(db, CLERK, key, "fixed", "  "),
        lambda: rect.close(db, CLERK, key, "fixed", "说明", until=date(2026, 12, 1)),
        lambda: rect.close(db, CLERK, key, "unfixable", "原因", until=date(2026, 11, 1)),
        lambda: rect.close(db, CLERK, key, "unfixable", "原因", until=date(2028, 1, 1)),
        lambda: rect.verify(db, CLERK, key, "a\x00"),
        lambda: rect.appeal(db, admin, key, "理由", "证" * 501),
    ]
    for call in wrong:
        with pytest.raises(ValidationError):
            call()
    assert events(db) == before and row(db, key).status == "pending"


def test_the_history_is_append_only(db: Database, admin: Actor) -> None:
    bad(db, admin)
    with db.session() as s, pytest.raises((sqlalchemy.exc.DatabaseError, sqlite3.DatabaseError), match="只能追加"):
        s.execute(text("UPDATE rectification_event SET details = '{}'"))


def run(data_dir: Path, *argv: str) -> int:
    return main(["--data-dir", str(data_dir), "rectifications", *argv])


def test_the_command_line(db: Database, admin: Actor, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = bad(db, admin)
    capsys.readouterr()
    assert run(data_dir, "list", "--json") == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["id"], listed["state"], listed["due"], listed["light"], listed["callback_done"]) == (
        key, "pending", "2026-11-16", "green", False)
    with db.session() as s:
        assert listed["target"] == s.get(Rectification, key).target_number != ""  # type: ignore[union-attr]
    assert run(data_dir, "callback", listed["target"], "--result", "已致歉", "--satisfied", "yes") == 0  # by number
    assert run(data_dir, "close", key, "--outcome", "invalid", "--note", "无效") == 1
    assert "申诉复核认定后" in capsys.readouterr().err
    assert run(data_dir, "close", "nope", "--outcome", "fixed", "--note", "已整改") == 1
    with pytest.raises(SystemExit):
        run(data_dir, "callback", key, "--result", "x", "--satisfied", "maybe")
    before = events(db)
    assert run(data_dir, "close", key, "--outcome", "fixed", "--note", "已培训") == 0
    assert events(db) == before + 1
    capsys.readouterr()
    assert run(data_dir, "list") == 0
    line = capsys.readouterr().out.strip()
    assert key in line and "已整改" in line and "已回访" in line
    with pytest.raises(SystemExit):  # an appeal is made signed in, by the staff member rated
        run(data_dir, "appeal", key, "--reason", "x")


def test_rectifications_reach_the_centre_and_a_director_and_stay_append_only(
        center: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import app.clock
    from app.center.runtime import Center
    from app.services.inquiries.register import InquiryForm, register_inquiry
    from tests.sync_helpers import enrol

    monkeypatch.setattr(app.clock, "_fixed", None)  # the sync's own times are real
    assert isinstance(center, Center)
    window = enrol(center, tmp_path / "w1", "01")
    director = enrol(center, tmp_path / "d", "09", kind="director", name="主任办公室")
    assert window.sync().ok
    clerk = window.actor()
    inquiry = register_inquiry(window.db, clerk, InquiryForm(citizen_name="张桂芳", citizen_phone="13904367788",
                                                             channel="onsite", question="低保怎么申请？",
                                                             outcome="answered", answer="请带户口簿。"))
    add_rating(window.db, clerk, inquiry.number, 1, ["115"], "态度差", channel="window")
    [opened] = rect.list_rectifications(window.db)
    rect.callback(window.db, DIRECTOR, opened.id, "已致歉", satisfied=False)  # not the clerk rated
    assert window.sync().ok and director.sync().ok
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT id, status, called_back, _owner FROM rectification")).all() == [
            (opened.id, "pending", True, "01")]
        assert conn.execute(text("SELECT count(*) FROM rectification_event")).scalar() == 2
    with center.engine.begin() as conn, pytest.raises(Exception, match="整改记录只能追加"):
        conn.execute(text("UPDATE rectification_event SET kind = 'fixed'"))
    [seen] = rect.list_rectifications(director.db)
    assert (seen.id, seen.target_number, seen.called_back) == (opened.id, inquiry.number, True)

    # The rated clerk appeals at the window; the director decides at the director's own workstation.
    from app.services.ratings.upkeep import run_upkeep

    rect.appeal(window.db, clerk, opened.id, "群众误点了不满意")
    assert window.sync().ok and director.sync().ok
    rect.decide_appeal(director.db, DIRECTOR, opened.id, True, "录像证实为误操作")
    assert director.sync().ok and window.sync().ok
    assert run_upkeep(window.db).refolded == 1  # the keeper folds the decision in, as after every sync
    [kept] = rect.list_rectifications(window.db)
    assert (kept.status, kept.excluded) == ("invalid", True)
    assert window.sync().ok and director.sync().ok
    [seen] = rect.list_rectifications(director.db)
    assert (seen.status, seen.excluded) == ("invalid", True)
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM quarantine")).scalar() == 0
        assert conn.execute(text("SELECT status, excluded, _owner FROM rectification")).all() == [
            ("invalid", True, "01")]


def test_iter_ratings_says_which_ratings_an_upheld_appeal_excluded(db: Database, admin: Actor) -> None:
    from app.services.ratings.ratings import iter_ratings

    kept, dropped = bad(db, admin), bad(db, admin, level=1)
    rect.appeal(db, admin, dropped, "误评")
    rect.decide_appeal(db, DIRECTOR, dropped, True, "群众来电说明误评")
    flags = {r.id: r.excluded for r in iter_ratings(db)}
    assert flags == {row(db, kept).rating_id: False, row(db, dropped).rating_id: True}


def test_unfixable_may_yet_be_fixed_or_given_another_deadline(db: Database, admin: Actor) -> None:
    key = bad(db, admin)
    rect.close(db, CLERK, key, "unfixable", "需县局协调")
    rect.close(db, CLERK, key, "unfixable", "县局尚未答复，再延期", until=MONDAY.date() + timedelta(days=40))
    assert row(db, key).status_label == "无法整改"
    rect.close(db, CLERK, key, "fixed", "县局已协调解决")
    assert row(db, key).status_label == "已整改"


def test_only_the_staff_member_rated_or_a_director_appeals(db: Database, admin: Actor) -> None:
    key = bad(db, admin)
    with pytest.raises(PermissionDenied, match="只有被评价人本人"):
        rect.appeal(db, CLERK, key, "替同事申诉")
    rect.appeal(db, DIRECTOR, key, "代被评价人申诉：当天系统故障")
    with pytest.raises(ValidationError, match="已申诉"):
        rect.appeal(db, admin, key, "再申诉")


def test_the_staff_member_rated_checks_and_closes_none_of_it(db: Database, admin: Actor) -> None:
    key = bad(db, admin)  # the admin delivered the case: the admin is the one rated
    before = events(db)
    for step in (lambda: rect.verify(db, admin, key, "属实"),
                 lambda: rect.callback(db, admin, key, "我打的电话", True),
                 lambda: rect.close(db, admin, key, "fixed", "已整改")):
        with pytest.raises(PermissionDenied, match="这是对您本人的差评"):
            step()
    assert events(db) == before
    with pytest.raises(ValidationError, match="新的整改期限应晚于原期限"):
        rect.close(db, CLERK, key, "unfixable", "需县局协调", until=row(db, key).due_date)
    assert events(db) == before

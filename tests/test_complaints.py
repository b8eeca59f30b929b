"""Complaints (投诉, issue 12): categories as data, registration with a number and a due date on the
holiday calendar, handling until closed as an append-only history, the list's order, masking and
lights, and the clerks flagged for two upheld complaints in a year."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

import app.clock
from app.actor import Actor
from app.database import Database
from app.models import Complaint, ComplaintEvent, OutboxEntry
from app.services.complaints import handling
from app.services.complaints.categories import CATEGORIES, CHANNELS, FINDINGS, MODES, days_by_category
from app.services.complaints.complaints import (
    MASK,
    ComplaintForm,
    flagged_staff,
    list_complaints,
    register,
)
from app.services.errors import PermissionDenied, ValidationError
from app.services.settings import load_settings, save_settings, validate_settings
from tests.conftest import add_staff

pytestmark = pytest.mark.usefixtures("china_time")
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC) + timedelta(hours=-8)  # 09:00 in China
DIRECTOR = Actor(staff_id=None, staff_no="D001", name="李主任", role="director")
CLERK = Actor(staff_id=None, staff_no="A001", name="张窗口", role="clerk")


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", MONDAY)


@pytest.fixture(autouse=True)
def known_staff(db: Database, admin: Actor, stopped_clock: None) -> None:
    add_staff(db, admin, "A001", "B002", "C003")


def form(**extra: object) -> ComplaintForm:
    values: dict[str, object] = dict(category=1, channel="来访", content="窗口人员态度生硬，不解释政策",
                                     name="刘淑兰", phone="13904361234", staff_no="A001")
    values.update(extra)
    return ComplaintForm(**values)  # type: ignore[arg-type]


def rows(db: Database) -> int:
    with db.session() as s:
        stored = s.scalar(select(func.count()).select_from(Complaint)) or 0
        events = s.scalar(select(func.count()).select_from(ComplaintEvent)) or 0
        outbox = s.scalar(select(func.count()).where(
            OutboxEntry.table_name.in_(["complaint", "complaint_event"]))) or 0
        return stored + events + outbox


def kinds(db: Database, number: str) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(ComplaintEvent.kind).join(Complaint, Complaint.id == ComplaintEvent.complaint_id)
                              .where(Complaint.number == number).order_by(ComplaintEvent.at)))


def stored(db: Database, number: str) -> Complaint:
    with db.session() as s:
        complaint = s.scalar(select(Complaint).where(Complaint.number == number))
        assert complaint is not None
        s.expunge(complaint)
        return complaint


def test_the_vocabulary_is_the_seeds_in_its_order() -> None:
    assert list(CATEGORIES) == list(range(1, 12))
    assert CATEGORIES[1] == "窗口工作人员服务态度较差"
    assert CATEGORIES[10] == "上级转办和领导交办的投诉"
    assert CATEGORIES[11].startswith("其他违反行政许可规定")
    assert list(CHANNELS.values()) == ["来访", "来信", "来电", "网上", "12345转办", "上级交办"]
    assert FINDINGS == {"upheld": "属实", "partly": "部分属实", "unfounded": "不属实"}
    assert MODES == {"self": "自办", "refer": "转办", "supervise": "督办"}


def test_registration_numbers_it_and_counts_working_days_from_the_next_day(db: Database, admin: Actor) -> None:
    number = register(db, admin, form())
    assert number == "TS220821100012611300001"
    complaint = stored(db, number)
    assert complaint.due_date == date(2026, 12, 7)  # five working days after Monday 30 November
    assert complaint.status == "registered" and complaint.channel == "visit"
    assert kinds(db, number) == ["registered"]
    superior = register(db, admin, form(category=10, channel="上级交办"))
    assert superior.endswith("0002")
    assert stored(db, superior).due_date == date(2026, 12, 14)  # category 10: ten working days


def test_the_setting_changes_a_categorys_days_and_a_bad_one_is_refused(db: Database, admin: Actor) -> None:
    assert days_by_category("1-9=5；10=10；11=5")[10] == 10
    assert validate_settings(replace(load_settings(db), complaint_days="1-12=5"))
    assert validate_settings(replace(load_settings(db), complaint_days="一类五天"))
    save_settings(db, admin, replace(load_settings(db), complaint_days="1=3"))
    assert stored(db, register(db, admin, form())).due_date == date(2026, 12, 3)


@pytest.mark.parametrize(("changes", "message"), [
    ({"category": 12}, "投诉类别应为1至11"),
    ({"category": True}, "投诉类别应为1至11"),
    ({"channel": "托梦"}, "投诉渠道应为"),
    ({"content": "  "}, "请填写投诉内容"),
    ({"content": "长" * 2001}, "投诉内容不能超过2000个字"),
    ({"name": ""}, "实名投诉请填写投诉人姓名"),
    ({"phone": "123"}, "电话"),
    ({"anonymous": True}, "匿名投诉不登记姓名和电话"),
    ({"anonymous": True, "name": "", "phone": "", "confidential": True}, "匿名投诉无须保密身份"),
    ({"staff_no": "9" * 21}, "被投诉人工号不能超过20个字"),
])
def test_bad_input_is_refused_and_stores_nothing(db: Database, admin: Actor, changes: dict[str, object],
                                                 message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        register(db, admin, form(**changes))
    assert any(message in e for e in caught.value.errors)
    assert rows(db) == 0


def test_a_complaint_is_handled_replied_rechecked_and_closed(db: Database, admin: Actor) -> None:
    number = register(db, admin, form(channel="letter"))
    with pytest.raises(ValidationError, match="未保存"):
        handling.handle(db, admin, number, "refer")  # 转办 needs the department
    with pytest.raises(ValidationError, match="未保存"):
        handling.handle(db, admin, number, "supervise", "镇社会保障服务站", date(2026, 11, 27))  # already past
    assert kinds(db, number) == ["registered"]
    with pytest.raises(PermissionDenied, match="督办须由中心主任决定"):
        handling.handle(db, admin, number, "supervise", "镇社会保障服务站", date(2026, 12, 4))
    assert kinds(db, number) == ["registered"]
    handling.handle(db, admin, number, "refer", "镇社会保障服务站", date(2026, 12, 4))
    assert stored(db, number).status == "handling"
    handling.handle(db, DIRECTOR, number, "supervise", "镇社会保障服务站", date(2026, 12, 3))  # the director presses
    with pytest.raises(ValidationError, match="书面投诉应书面答复"):
        handling.reply(db, admin, number, "oral", "已当面说明")
    with pytest.raises(ValidationError, match="尚未答复"):
        handling.close(db, admin, number, "upheld")
    handling.reply(db, admin, number, "written", "经核实，已批评教育当事人")
    handling.record_satisfaction(db, admin, number, False)
    assert stored(db, number).satisfied is False
    with pytest.raises(ValidationError, match="请先重新核实"):
        handling.close(db, admin, number, "upheld")
    handling.reopen(db, admin, number, "投诉人认为处理过轻")
    assert stored(db, number).status == "handling" and stored(db, number).satisfied is None
    handling.reply(db, admin, number, "written", "已调整当事人岗位")
    handling.record_satisfaction(db, admin, number, True)
    handling.close(db, admin, number, "upheld")
    closed = stored(db, number)
    assert (closed.status, closed.finding, closed.satisfied) == ("closed", "upheld", True)
    assert kinds(db, number) == ["registered", "handled", "handled", "replied", "satisfaction", "reopened", "replied",
                                 "satisfaction", "closed"]
    before = rows(db)
    with pytest.raises(ValidationError, match="已办结"):
        handling.reply(db, admin, number, "written", "再答复")
    with pytest.raises(ValidationError, match="重新核实"):
        handling.reopen(db, admin, number, "再核实")
    assert rows(db) == before


def test_reopen_needs_a_dissatisfied_complainant(db: Database, admin: Actor) -> None:
    number = register(db, admin, form())
    handling.reply(db, admin, number, "oral", "已当面解释")  # a visit may be answered orally
    handling.record_satisfaction(db, admin, number, True)
    with pytest.raises(ValidationError, match="未表示不满意"):
        handling.reopen(db, admin, number, "复查")


def test_an_anonymous_complaint_is_closed_without_a_reply(db: Database, admin: Actor) -> None:
    number = register(db, admin, form(anonymous=True, name="", phone=""))
    with pytest.raises(ValidationError, match="匿名投诉无法答复"):
        handling.reply(db, admin, number, "oral", "答复")
    with pytest.raises(ValidationError, match="尚未交办核实"):
        handling.close(db, admin, number, "unfounded")  # a finding comes from looking into it
    handling.handle(db, admin, number, "self")
    handling.close(db, admin, number, "unfounded")
    assert stored(db, number).finding == "unfounded"


def test_events_are_append_only(db: Database, admin: Actor) -> None:
    register(db, admin, form())
    with db.engine.connect() as conn:
        with pytest.raises(Exception, match="投诉记录只能追加，不能修改"):
            conn.execute(text("UPDATE complaint_event SET kind = 'closed'"))
        with pytest.raises(Exception, match="投诉记录只能追加，不能删除"):
            conn.execute(text("DELETE FROM complaint_event"))


def test_the_list_puts_real_names_first_masks_confidential_ones_and_lights_rows(
        db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    anonymous = register(db, admin, form(anonymous=True, name="", phone="", category=10))
    secret = register(db, admin, form(confidential=True, name="赵秘密", phone="13904360000"))
    plain = register(db, admin, form(category=10, name="钱公开"))
    page = list_complaints(db, CLERK)
    assert page.total == 3
    assert [r.number for r in page.rows] == [secret, plain, anonymous]  # real-name first, then by due date
    masked = {r.number: r for r in page.rows}[secret]
    assert (masked.name, masked.phone) == (MASK, "")
    assert {r.number: r for r in list_complaints(db, admin).rows}[secret].name == MASK
    shown = {r.number: r for r in list_complaints(db, DIRECTOR).rows}[secret]
    assert (shown.name, shown.phone) == ("赵秘密", "13904360000")
    assert {r.light.colour for r in page.rows} == {"green"}
    monkeypatch.setattr(app.clock, "_fixed", MONDAY + timedelta(days=8))  # Tuesday 8 December
    lights = {r.number: r.light for r in list_complaints(db, CLERK).rows}
    assert lights[secret].colour == "red" and lights[secret].days_left == -1
    assert lights[plain].colour == "green"
    handling.handle(db, admin, anonymous, "self")
    handling.close(db, admin, anonymous, "unfounded")
    assert {r.number: r.light for r in list_complaints(db, CLERK).rows}[anonymous].colour == "none"
    assert [r.number for r in list_complaints(db, CLERK, offset=1, limit=1).rows] == [plain]


def _upheld(db: Database, admin: Actor, staff_no: str, finding: str = "upheld") -> str:
    number = register(db, admin, form(staff_no=staff_no))
    handling.reply(db, admin, number, "oral", "已核实")
    handling.record_satisfaction(db, admin, number, True)
    handling.close(db, admin, number, finding)
    return number


def test_two_upheld_complaints_in_twelve_months_flag_the_clerk(
        db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _upheld(db, admin, "B002")  # thirteen months before the second one: not counted
    monkeypatch.setattr(app.clock, "_fixed", MONDAY + timedelta(days=400))
    _upheld(db, admin, "B002")
    first = _upheld(db, admin, "A001")
    _upheld(db, admin, "C003")
    _upheld(db, admin, "C003", "unfounded")
    _upheld(db, admin, "C003", "partly")
    assert flagged_staff(db, app.clock.utc_now()) == []
    second = _upheld(db, admin, "A001")
    found = flagged_staff(db, app.clock.utc_now())
    assert [(f.staff_no, f.upheld, f.numbers) for f in found] == [("A001", 2, (first, second))]
    assert old not in found[0].numbers
    assert flagged_staff(db, MONDAY + timedelta(days=400 + 367)) == []  # twelve months and a day later: lapsed


def test_complaints_reach_the_centre_and_a_director_and_their_events_stay_append_only(
        center: object, tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from app.center.runtime import Center
    from tests.sync_helpers import enrol

    monkeypatch.setattr(app.clock, "_fixed", None)  # the sync's own times are real
    assert isinstance(center, Center) and isinstance(tmp_path, Path)
    window = enrol(center, tmp_path / "w1", "01")
    director = enrol(center, tmp_path / "d", "09", kind="director", name="主任办公室")
    assert window.sync().ok
    clerk = window.actor()
    number = register(window.db, clerk, form(confidential=True, name="赵秘密", staff_no="", window="1号窗口"))
    handling.handle(window.db, clerk, number, "self")
    assert window.sync().ok and director.sync().ok
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT number, status, _owner FROM complaint")).all() == [(number, "handling", "01")]
        assert conn.execute(text("SELECT count(*) FROM complaint_event")).scalar() == 2
    with center.engine.begin() as conn, pytest.raises(Exception, match="投诉记录只能追加"):
        conn.execute(text("UPDATE complaint_event SET kind = 'closed'"))
    [row] = list_complaints(director.db, DIRECTOR).rows
    assert (row.number, row.name, row.status) == (number, "赵秘密", "handling")


def test_a_staff_number_the_centre_does_not_know_is_refused_and_nothing_is_written(db: Database, admin: Actor) -> None:
    before = rows(db)
    with pytest.raises(ValidationError) as refused:
        register(db, admin, form(staff_no="Z999"))
    assert refused.value.errors == ["被投诉人工号 Z999 不是本中心的工作人员，请核对（不清楚可只填窗口）"]
    assert rows(db) == before
    assert register(db, admin, form(staff_no="", window="社保窗口"))  # the window alone is enough


def test_the_staff_member_complained_about_works_none_of_it_and_the_complainant_is_asked_first(
        db: Database, admin: Actor) -> None:
    number = register(db, admin, form(staff_no="A001"))
    before = rows(db)
    for step in (lambda: handling.handle(db, CLERK, number, "self"),
                 lambda: handling.reply(db, CLERK, number, "oral", "我没有错"),
                 lambda: handling.close(db, CLERK, number, "unfounded")):
        with pytest.raises(PermissionDenied, match="这是对您本人的投诉"):
            step()
    assert rows(db) == before
    handling.reply(db, admin, number, "oral", "已当面致歉")
    with pytest.raises(ValidationError, match="请先回访投诉人"):
        handling.close(db, admin, number, "upheld")  # never closed without the complainant's word
    handling.record_satisfaction(db, admin, number, True)
    handling.close(db, admin, number, "upheld")


def test_an_answered_complaint_is_not_late_while_it_waits(db: Database, admin: Actor,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    number = register(db, admin, form())
    waiting = register(db, admin, form(name="钱某"))
    handling.reply(db, admin, number, "oral", "已当面致歉")
    monkeypatch.setattr(app.clock, "_fixed", MONDAY + timedelta(days=30))
    lights = {r.number: r.light.colour for r in list_complaints(db, DIRECTOR).rows}
    assert lights == {number: "none", waiting: "red"}

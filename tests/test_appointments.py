"""Appointments (预约), home visits (上门服务) and after-hours service (延时服务): rules, links, CLI."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

import app.clock
from app.actor import Actor
from app.cli import main
from app.database import Database
from app.models import AfterHoursService, Appointment, Notice
from app.services.appointments import after_hours, checkin
from app.services.appointments.booking import AppointmentForm, book, book_many, day_appointments, free_slots
from app.services.appointments.slots import slots_of
from app.services.appointments.sms import appointment_sms
from app.services.calendar.workdays import OfficeHours
from app.services.cases.records import accept_case
from app.services.errors import UserError, ValidationError
from app.services.id_numbers import id_check_digit
from app.services.settings import load_settings, save_settings
from tests.conftest import add_staff
from tests.test_cases import form as case_form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MONDAY = date(2026, 11, 30)
ID = "22082119850312" + "123"
ID += id_check_digit(ID)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CN)


@pytest.fixture(autouse=True)
def morning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", at("2026-11-30T08:00"))


def booking(**overrides: object) -> AppointmentForm:
    values: dict[str, object] = dict(item_code="SB-002", citizen_name="张桂芳", citizen_phone="13904367788",
                                     day=MONDAY, slot="09:30-10:30", channel="phone", window="1号窗口")
    values.update(overrides)
    return AppointmentForm(**values)  # type: ignore[arg-type]


def counts(db: Database) -> tuple[int, int]:
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(Appointment)) or 0,
                s.scalar(select(func.count()).select_from(Notice)) or 0)


def test_slots_follow_office_hours() -> None:
    assert slots_of(OfficeHours()) == ["08:30-09:30", "09:30-10:30", "10:30-11:30", "11:30-12:00",
                                       "13:00-14:00", "14:00-15:00", "15:00-16:00", "16:00-17:00", "17:00-17:30"]


def test_booking_issues_the_items_notice_and_sms(db: Database, admin: Actor) -> None:
    record = book(db, admin, booking(citizen_id_number=ID))
    assert record.number.startswith("YY22082110001261130") and record.status == "booked"
    assert record.notice_number.startswith("GZ") and record.citizen_id_number == ID
    with db.session() as s:
        notice = s.scalar(select(Notice).where(Notice.number == record.notice_number))
        assert notice is not None and notice.item_code == "SB-002" and notice.present == "[]"
        assert record.number in notice.note
    sms = appointment_sms(db, record)
    assert len(sms.text) <= 140 and sms.phone == "13904367788"
    assert record.number in sms.text and "11月30日09:30-10:30" in sms.text and "1号窗口" in sms.text
    assert day_appointments(db, MONDAY) == [record]


def test_a_full_slot_is_refused_and_nothing_written(db: Database, admin: Actor) -> None:
    save_settings(db, admin, replace(load_settings(db), appointment_capacity="2"))
    book_many(db, admin, [booking(), booking(citizen_name="李四")])
    assert dict(free_slots(db, MONDAY, "1号窗口"))["09:30-10:30"] == 0
    before = counts(db)
    with pytest.raises(ValidationError) as refused:
        book(db, admin, booking(citizen_name="王五"))
    assert "预约已满（每时段2个名额）" in refused.value.errors[0]
    assert counts(db) == before
    book(db, admin, booking(citizen_name="王五", window="2号窗口"))  # another window has its own places
    book(db, admin, booking(citizen_name="王五", slot="10:30-11:30"))
    # a batch that overfills a slot is refused whole
    with pytest.raises(ValidationError):
        book_many(db, admin, [booking(citizen_name="赵六", slot="14:00-15:00"),
                              booking(citizen_name="钱七", slot="14:00-15:00"),
                              booking(citizen_name="孙八", slot="14:00-15:00")])
    assert counts(db) == (before[0] + 2, before[1] + 2)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"day": MONDAY - timedelta(days=1)}, "已过"),
    ({"day": date(2026, 12, 5)}, "不是工作日"),
    ({"slot": "12:00-13:00"}, "不在办公时间内"),
    ({"slot": "18:00-19:00"}, "不在办公时间内"),
    ({"citizen_phone": "12345"}, "预约人联系电话格式不正确"),
    ({"citizen_phone": ""}, "请填写预约人联系电话"),
    ({"citizen_id_number": ID[:-1] + ("0" if ID[-1] != "0" else "1")}, "校验位不正确"),
    ({"citizen_name": "张\u202e三"}, "不可见或控制字符"),
    ({"item_code": "NO-SUCH"}, "没有编码为 NO-SUCH"),
    ({"kind": "home"}, "请填写上门地址"),
    ({"channel": "fax"}, "预约方式"),
])
def test_bad_bookings_are_refused_in_chinese(db: Database, admin: Actor, overrides: dict[str, object],
                                            message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        book(db, admin, booking(**overrides))
    assert any(message in e for e in refused.value.errors), refused.value.errors
    assert counts(db) == (0, 0)


def test_a_slot_already_over_today_is_refused(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", at("2026-11-30T10:40"))
    with pytest.raises(ValidationError, match="预约信息有误") as refused:
        book(db, admin, booking())
    assert "时段已过" in refused.value.errors[0]
    assert "09:30-10:30" not in dict(free_slots(db, MONDAY, "1号窗口"))
    book(db, admin, booking(slot="10:30-11:30"))  # the slot under way is still open


def test_check_in_then_acceptance_links_the_case(db: Database, admin: Actor) -> None:
    record = book(db, admin, booking(citizen_id_number=ID))
    arrived = checkin.check_in(db, admin, record.number)
    assert arrived.status == "arrived" and arrived.arrived_at is not None
    with pytest.raises(UserError, match="不能登记到达"):
        checkin.check_in(db, admin, record.number)
    number = accept_case(db, admin, case_form(db, "SB-002", notice_number=record.notice_number))
    assert checkin.link_accepted_case(db, admin, number) == record.number
    linked = day_appointments(db, MONDAY)[0]
    assert (linked.status, linked.case_number) == ("done", number)
    other = accept_case(db, admin, case_form(db, "SB-002"))  # a case from no appointment links nothing
    assert checkin.link_accepted_case(db, admin, other) is None
    assert checkin.home_visit_of(db, number) is None  # accepted at the window, not at home


def test_check_in_only_on_the_booked_day(db: Database, admin: Actor) -> None:
    record = book(db, admin, booking(day=MONDAY + timedelta(days=1)))
    with pytest.raises(UserError, match="不是今天"):
        checkin.check_in(db, admin, record.number)
    assert day_appointments(db, MONDAY + timedelta(days=1))[0].status == "booked"


def test_no_show_only_after_the_slot_began(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    record = book(db, admin, booking())
    with pytest.raises(UserError, match="尚未开始"):
        checkin.mark_no_show(db, admin, record.number)
    monkeypatch.setattr(app.clock, "_fixed", at("2026-11-30T09:45"))
    assert checkin.mark_no_show(db, admin, record.number).status == "no_show"
    with pytest.raises(UserError, match="未到"):
        checkin.check_in(db, admin, record.number)


def test_cancelled_place_is_free_again(db: Database, admin: Actor) -> None:
    for bad in ("0", "100", "四"):
        with pytest.raises(ValidationError) as refused:
            save_settings(db, admin, replace(load_settings(db), appointment_capacity=bad))
        assert "每时段预约名额应为1至99的整数" in refused.value.errors
    save_settings(db, admin, replace(load_settings(db), appointment_capacity="1"))
    record = book(db, admin, booking())
    with pytest.raises(ValidationError):
        book(db, admin, booking(citizen_name="李四"))
    checkin.cancel(db, admin, record.number)
    assert book(db, admin, booking(citizen_name="李四")).status == "booked"


def test_home_visit_outcome_links_its_case(db: Database, admin: Actor) -> None:
    add_staff(db, admin, "D001")
    with pytest.raises(ValidationError, match="预约信息有误") as refused:
        book(db, admin, booking(kind="home", address="红旗村三组", reason="elderly", visitor_no="X999"))
    assert "没有工号为 X999" in refused.value.errors[0]
    visit = book(db, admin, booking(kind="home", address="红旗村三组", reason="elderly", visitor_no="D001"))
    with pytest.raises(UserError, match="上门服务"):
        checkin.check_in(db, admin, visit.number)
    number = accept_case(db, admin, case_form(db, "SB-002"))
    with pytest.raises(ValidationError):
        checkin.record_home_outcome(db, admin, visit.number, "")
    done = checkin.record_home_outcome(db, admin, visit.number, "上门受理养老待遇申请", f"{number}#ABCD2345")
    assert (done.status, done.case_number) == ("done", number)  # the receipt's QR code, scanned: the core reads it
    home = checkin.home_visit_of(db, number)
    assert home is not None and (home.appointment_number, home.visitor_no, home.reason) == (visit.number, "D001",
                                                                                          "elderly")


def test_after_hours_inside_office_hours_is_refused(db: Database, admin: Actor,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", at("2026-11-30T19:00"))
    for start, end in (("11:30", "12:30"), ("17:00", "18:00"), ("08:00", "09:00")):
        with pytest.raises(ValidationError) as refused:
            after_hours.record_after_hours(db, admin, after_hours.AfterHoursForm(
                at(f"2026-11-30T{start}"), at(f"2026-11-30T{end}"), "办理养老认证"))
        assert "重叠" in refused.value.errors[0]
    with pytest.raises(ValidationError, match="延时服务登记有误"):
        after_hours.record_after_hours(db, admin, after_hours.AfterHoursForm(
            at("2026-11-30T18:00"), at("2026-11-30T17:45"), "x"))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AfterHoursService)) == 0
    lunch = after_hours.record_after_hours(db, admin, after_hours.AfterHoursForm(
        at("2026-11-30T12:00"), at("2026-11-30T12:40"), "午间为外出务工人员办理社保", "SB-002"))
    evening = after_hours.record_after_hours(db, admin, after_hours.AfterHoursForm(
        at("2026-11-30T17:30"), at("2026-11-30T18:30"), "下班后延时办理"))
    saturday = after_hours.record_after_hours(db, admin, after_hours.AfterHoursForm(  # a rest day: any hour
        at("2026-11-28T10:00"), at("2026-11-28T11:00"), "周末预约办理"))
    assert (lunch.minutes, evening.minutes, saturday.minutes) == (40, 60, 60)
    total = after_hours.after_hours_count(db, "2026-11-01", "2026-11-30")
    assert total == {"": {"after_hours": 3, "after_hours_minutes": 160}}
    by_item = after_hours.after_hours_count(db, "2026-11-30", "2026-11-30", "item")
    assert by_item == {"SB-002": {"after_hours": 1, "after_hours_minutes": 40},
                       "": {"after_hours": 1, "after_hours_minutes": 60}}
    by_staff = after_hours.after_hours_count(db, "2026-11-01", "2026-11-30", "staff")
    assert by_staff == {admin.staff_no: {"after_hours": 3, "after_hours_minutes": 160}}
    page = after_hours.page_after_hours(db, "2026-11-01", "2026-11-30", limit=2)
    assert page.total == 3 and [r.id for r in page.rows] == [evening.id, lunch.id]


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_cli_add_and_list_json(db: Database, admin: Actor, data_dir: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    one = {"item_code": "SB-002", "name": "张桂芳", "phone": "13904367788", "date": "2026-11-30",
           "slot": "13:00-14:00", "window": "1号窗口", "channel": "online"}
    two = {**one, "name": "李四", "kind": "home", "address": "红旗村三组", "reason": "disabled", "visitor_no": "admin"}
    assert main(["--data-dir", str(data_dir), "appointments", "add", "--json", str(_write(tmp_path / "a.json",
                                                                                          [one, two]))]) == 0
    numbers = capsys.readouterr().out.split()
    assert len(numbers) == 2 and all(n.startswith("YY") for n in numbers)
    assert main(["--data-dir", str(data_dir), "appointments", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["number"] for r in listed] == numbers
    assert listed[0] | {"number": ""} == listed[0] | {
        "number": "", "kind": "visit", "channel": "online", "item_code": "SB-002", "name": "张桂芳",
        "date": "2026-11-30", "slot": "13:00-14:00", "window": "1号窗口", "status": "booked"}
    assert listed[1]["kind"] == "home" and listed[1]["reason"] == "disabled"
    assert main(["--data-dir", str(data_dir), "appointments", "list", "--date", "2026-12-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_cli_refuses_bad_files_before_opening(db: Database, data_dir: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 300_000)
    assert main(["--data-dir", str(data_dir), "appointments", "add", "--json", str(big)]) == 1
    assert "预约文件过大" in capsys.readouterr().err
    bad = _write(tmp_path / "bad.json", {"item_code": "SB-002", "name": 3, "date": "2026-13-01"})
    assert main(["--data-dir", str(data_dir), "appointments", "add", "--json", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "name 应为文字" in err and "缺少 phone" in err
    full = _write(tmp_path / "past.json", {"item_code": "SB-002", "name": "张三", "phone": "13904367788",
                                           "date": "2026-11-27", "slot": "09:30-10:30"})
    assert main(["--data-dir", str(data_dir), "appointments", "add", "--json", str(full)]) == 1
    assert "已过" in capsys.readouterr().err
    assert counts(db) == (0, 0)


def test_cli_check_in_and_no_show(db: Database, admin: Actor, data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    first, second = book_many(db, admin, [booking(), booking(citizen_name="李四")])
    assert main(["--data-dir", str(data_dir), "appointments", "no-show", second.number]) == 1
    assert "尚未开始" in capsys.readouterr().err
    monkeypatch.setattr(app.clock, "_fixed", at("2026-11-30T09:40"))
    assert main(["--data-dir", str(data_dir), "appointments", "check-in", first.number]) == 0
    assert main(["--data-dir", str(data_dir), "appointments", "no-show", second.number]) == 0
    assert [r.status for r in day_appointments(db, MONDAY)] == ["arrived", "no_show"]


def test_an_inquiry_appointment_is_closed_by_its_first_inquiry(db: Database, admin: Actor) -> None:
    from app.services.inquiries.register import InquiryForm, register_inquiry

    record = book(db, admin, booking(purpose="inquiry"))
    checkin.check_in(db, admin, record.number)
    with pytest.raises(UserError, match="没有编号为 SW000"):
        checkin.link_inquiry(db, admin, record.number, "SW000")
    inquiry = register_inquiry(db, admin, InquiryForm("张桂芳", "13904367788", "onsite", "养老待遇领取要带什么",
                                                      "answered", "SB-002", "已当场解答"))
    done = checkin.link_inquiry(db, admin, record.number, inquiry.number)
    assert (done.status, done.outcome) == ("done", f"首问登记 {inquiry.number}")
    with pytest.raises(UserError, match="不能再关联"):
        checkin.link_inquiry(db, admin, record.number, inquiry.number)


HOME = dict(kind="home", address="红旗村三组", reason="elderly", visitor_no="admin")


def test_a_home_outcome_links_only_that_visits_case(db: Database, admin: Actor,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    early = accept_case(db, admin, case_form(db, "SB-002"))  # before the visit was booked
    monkeypatch.setattr(app.clock, "_fixed", at("2026-11-30T08:10"))
    visit = book(db, admin, booking(**HOME))
    with_id = book(db, admin, booking(citizen_name="李淑华", citizen_id_number=ID, **HOME))
    monkeypatch.setattr(app.clock, "_fixed", at("2026-11-30T10:00"))
    other_item = accept_case(db, admin, case_form(db, "SB-001"))
    other_person = accept_case(db, admin, case_form(db, "SB-002", applicant_name="刘小明"))
    other_id = accept_case(db, admin, case_form(db, "SB-002", applicant_name="李淑华",
                                                applicant_id_number="110101199003074514"))
    next_day = accept_case(db, admin, case_form(db, "SB-002"), now=at("2026-12-01T09:00"))
    refusals = {early: "早于", other_item: "不是本次上门服务预约", other_person: "不是上门服务预约人",
                next_day: "须在上门服务当天（2026-11-30）受理"}
    for number, reason in refusals.items():
        with pytest.raises(UserError, match=reason):
            checkin.record_home_outcome(db, admin, visit.number, "上门受理", number)
    with pytest.raises(UserError, match="证件号码"):
        checkin.record_home_outcome(db, admin, with_id.number, "上门受理", other_id)
    assert [(r.status, r.case_number) for r in day_appointments(db, MONDAY)] == [("booked", ""), ("booked", "")]
    assert all(checkin.home_visit_of(db, n) is None for n in [*refusals, other_id])
    right = accept_case(db, admin, case_form(db, "SB-002", applicant_name="李淑华"))
    assert checkin.record_home_outcome(db, admin, with_id.number, "上门受理", right).case_number == right


def test_a_home_acceptance_from_the_visits_notice_links_itself(db: Database, admin: Actor) -> None:
    visit = book(db, admin, booking(**HOME))
    stranger = accept_case(db, admin, case_form(db, "SB-002", applicant_name="刘小明",
                                                notice_number=visit.notice_number))
    assert checkin.link_accepted_case(db, admin, stranger) is None  # the applicant was changed: not this visit
    from app.services.cases.records import get_case

    stranger_case = get_case(db, stranger)  # nor accepted at home (that is no trip): the same rule decides both
    assert stranger_case is not None and stranger_case.trips == 1
    number = accept_case(db, admin, case_form(db, "SB-002", notice_number=visit.notice_number))
    assert checkin.link_accepted_case(db, admin, number) == visit.number
    done = day_appointments(db, MONDAY)[0]
    assert (done.status, done.case_number, done.outcome) == ("done", number, "上门受理")
    assert checkin.home_visit_of(db, number) is not None


@pytest.mark.parametrize(("channel", "kind", "trips"), [("phone", "visit", 1), ("online", "visit", 1),
                                                         ("onsite", "visit", 2), ("onsite", "home", 0),
                                                         ("phone", "home, accepted the next day", 1)])
def test_a_notice_given_without_a_visit_is_no_trip(db: Database, admin: Actor, channel: str, kind: str,
                                                   trips: int) -> None:
    """A window booking: the acceptance is the trip. A 上门受理 (the home visit's notice, accepted on the
    visit's day) is none; the same notice accepted another day was a trip to the window."""
    from app.models import Case, CaseEvent
    from app.services.cases.actions import Decision, decide
    from app.services.cases.history import event_text
    from app.services.cases.records import get_case

    record = book(db, admin, booking(channel=channel, **(HOME if kind.startswith("home") else {})))
    if kind == "visit":
        checkin.check_in(db, admin, record.number)
    when = at("2026-12-01T09:00") if kind.endswith("next day") else None
    number = accept_case(db, admin, case_form(db, "SB-002", notice_number=record.notice_number), now=when)
    with db.session() as s:
        details = s.scalar(select(CaseEvent.details).join(Case, Case.id == CaseEvent.case_id)
                           .where(Case.number == number, CaseEvent.kind == "accepted"))
    assert details is not None and ("方式：上门受理" in event_text(details)) == (kind == "home")  # says where
    case = get_case(db, number)
    assert case is not None and case.trips == trips
    decide(db, admin, number, Decision(True, result="准予领取养老金", document_number="镇社保〔2026〕12号"))  # a later event recomputes trips by the same definition
    case = get_case(db, number)
    assert case is not None and case.trips == trips


def test_the_sms_names_the_materials(db: Database, admin: Actor) -> None:
    from app.services.appointments.sms import appointment_sms_text, materials_phrase

    record = book(db, admin, booking())
    text = appointment_sms(db, record).text
    assert "“城乡居民基本养老保险待遇领取”" in text and "请备齐申请人居民身份证" in text and "等4项材料" in text
    assert record.notice_number in text and record.number in text and len(text) <= 140
    many = [f"第{n}种证明材料原件及复印件" for n in range(1, 12)]
    long_one = appointment_sms_text("镇赉镇民生服务中心", replace(record, item_name="城乡居民基本养老保险待遇领取" * 3),
                                    many).text
    assert len(long_one) <= 140 and "第1种证明材料" in long_one and "等11项材料" in long_one
    assert record.notice_number in long_one and record.number in long_one
    assert materials_phrase([], 40) == "请携带身份证件"


def test_cli_add_records_the_staff_or_no_person(db: Database, admin: Actor, data_dir: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from app.services.stats.report import figures_for

    one = {"item_code": "SB-002", "name": "张桂芳", "phone": "13904367788", "date": "2026-11-30",
           "slot": "13:00-14:00", "window": "1号窗口"}
    path = _write(tmp_path / "a.json", one)
    assert main(["--data-dir", str(data_dir), "appointments", "add", "--json", str(path)]) == 0
    assert main(["--data-dir", str(data_dir), "appointments", "add", "--json", str(path), "--staff-no", "admin"]) == 0
    assert main(["--data-dir", str(data_dir), "appointments", "add", "--json", str(path), "--staff-no", "X9"]) == 1
    assert "X9 不存在" in capsys.readouterr().err
    by_cli, by_admin = day_appointments(db, MONDAY)
    assert (by_cli.created_by, by_cli.created_by_name) == ("cli", "命令行管理")  # as `cases accept` stores it
    assert (by_admin.created_by, by_admin.created_by_name) == ("admin", admin.name)
    labels = {row.key: row.label for row in figures_for(db, MONDAY, MONDAY, "staff").rows}
    assert labels["cli"] == "命令行管理" and "cli" not in labels.values() and labels["admin"] == f"{admin.name}（admin）"


@pytest.mark.parametrize(("now", "start", "end"), [
    ("2026-11-30T10:00", "2026-11-27T17:30", "2026-11-27T18:30"),  # open: Friday's closing + 1 h
    ("2026-11-30T18:10", "2026-11-30T17:30", "2026-11-30T18:10"),  # after closing: from closing to now
    ("2026-11-30T12:40", "2026-11-30T12:00", "2026-11-30T12:40"),  # the lunch break
    ("2026-11-30T07:50", "2026-11-30T06:50", "2026-11-30T07:50"),  # before opening
    ("2026-11-29T10:00", "2026-11-29T09:00", "2026-11-29T10:00"),  # Sunday
])
def test_the_proposed_after_hours_span_is_accepted(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch,
                                                   now: str, start: str, end: str) -> None:
    monkeypatch.setattr(app.clock, "_fixed", at(now))
    span = after_hours.proposed_span(db)
    assert span == (at(start), at(end))
    done = after_hours.record_after_hours(db, admin, after_hours.AfterHoursForm(*span, purpose="为群众办理社保"))
    assert done.minutes == (at(end) - at(start)).seconds // 60


def test_home_acceptance_is_offered_only_on_the_visits_day_and_while_pending(db: Database, admin: Actor) -> None:
    tomorrow = book(db, admin, booking(day=date(2026, 12, 1), **HOME))
    with pytest.raises(UserError, match=r"约在 2026-12-01，今天是 2026-11-30.*须在上门服务当天（2026-12-01）受理"):
        checkin.ready_for_home_accept(db, tomorrow.number)
    # the same rule as the link: accepted on the visit's day, the case is linked
    assert checkin.ready_for_home_accept(db, tomorrow.number, now=at("2026-12-01T09:00")).number == tomorrow.number
    today = book(db, admin, booking(**HOME))
    assert checkin.ready_for_home_accept(db, today.number).number == today.number
    number = accept_case(db, admin, case_form(db, "SB-002", notice_number=today.notice_number))
    assert checkin.link_accepted_case(db, admin, number) == today.number
    for ready in (checkin.ready_for_home_accept, checkin.ready_for_home_outcome):
        with pytest.raises(UserError, match=f"已是“已办理”，结果：上门受理，办件 {number}.*F7"):
            ready(db, today.number)
    with pytest.raises(UserError, match="不能再登记上门结果"):
        checkin.record_home_outcome(db, admin, today.number, "再次上门")
    window = book(db, admin, booking())
    with pytest.raises(UserError, match="不是上门服务"):
        checkin.ready_for_home_accept(db, window.number)


def test_a_home_visit_names_its_visitor(db: Database, admin: Actor) -> None:
    add_staff(db, admin, "8001")
    visit = book(db, admin, booking(**{**HOME, "visitor_no": "8001"}))
    assert (visit.visitor_name, visit.visitor_label) == ("测试人员1", "测试人员1（8001）")
    assert day_appointments(db, MONDAY)[0].visitor_label == "测试人员1（8001）"


def test_a_period_running_to_midnight_still_overlaps_the_afternoon() -> None:
    """12:05 till midnight covers 13:00-17:30: refused as after-hours, however its end reads 00:00."""
    cn = timezone(timedelta(hours=8))
    start = datetime(2026, 11, 30, 12, 5, tzinfo=cn)
    problem = after_hours.hours_problem(start, datetime(2026, 12, 1, 0, 0, tzinfo=cn), OfficeHours(), True)
    assert problem is not None and "重叠" in problem
    evening = datetime(2026, 11, 30, 18, 0, tzinfo=cn)
    assert after_hours.hours_problem(evening, datetime(2026, 12, 1, 0, 0, tzinfo=cn), OfficeHours(), True) is None


def test_the_acceptance_itself_closes_the_appointment_it_follows(db: Database, admin: Actor) -> None:
    """However the case is accepted (the screen, `cases accept --json`), the appointment waiting on its notice
    is done and names it in the acceptance's own transaction: nothing is left half-linked."""
    record = book(db, admin, booking())
    number = accept_case(db, admin, case_form(db, "SB-002", notice_number=record.notice_number))
    [done] = day_appointments(db, MONDAY)
    assert (done.status, done.case_number) == ("done", number)
    assert checkin.link_accepted_case(db, admin, number) == record.number  # asked again: the same, once

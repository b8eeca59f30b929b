"""Issue 13, 请假: who approves what, stand-in over 3 working days, overlap, and the hand-over of the clerk's
open cases to the stand-in and back, exactly once, through AB岗 reassignment."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

import app.clock
from app.actor import Actor
from app.database import Database
from app.models import Case, LeaveRequest
from app.services.calendar.workdays import WorkCalendar
from app.services.cases.actions import withdraw
from app.services.cases.reassign import marks_for
from app.services.cases.records import accept_case, get_case
from app.services.errors import PermissionDenied, ValidationError
from app.services.people import leave as lv
from app.services.people.auth import login
from app.services.people.leave_handover import run_leave_upkeep
from app.services.people.staff import StaffForm, list_staff, save_staff
from tests.test_cases import form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=CN)  # 2026-11-02 is a Monday


@pytest.fixture
def people(db: Database, admin: Actor) -> dict[str, Actor]:
    for no, name, role in (("1001", "李秀兰", "clerk"), ("1002", "张伟", "clerk"), ("1003", "王芳", "clerk"),
                           ("7001", "赵敏", "unit_head"), ("8004", "刘国庆", "director"),
                           ("8005", "陈主任", "director")):
        save_staff(db, admin, StaffForm(no, name, role, "1号综合受理窗口", "13904361001", password="pass1234"))
    return {no: login(db, no, "pass1234") for no in ("1001", "1002", "1003", "7001", "8004", "8005")}


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setattr(app.clock, "_fixed", MONDAY)
    return monkeypatch


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(app.clock, "_fixed", moment)


def ask(db: Database, actor: Actor, start: date, end: date, stand_in: str = "", **kw: str) -> lv.LeaveRecord:
    return lv.request_leave(db, actor, lv.LeaveForm(actor.staff_no, kw.pop("kind", "事假"), start, end,
                                                    stand_in=stand_in, **kw))


def count_leave(db: Database) -> int:
    with db.session() as s:
        return len(s.scalars(select(LeaveRequest.id)).all())


def test_working_half_days_skip_rest_days_and_count_make_up_days() -> None:
    holiday = WorkCalendar({date(2026, 11, 4): False, date(2026, 11, 7): True}, frozenset({2026}))
    week = lv.slots(date(2026, 11, 2), "全天", date(2026, 11, 8), "全天")
    assert lv.count_half_days(holiday, *week) == 10  # Mon–Fri minus Wed's holiday, plus the 调休 Saturday
    assert lv.count_half_days(holiday, *lv.slots(date(2026, 11, 2), "下午", date(2026, 11, 3), "上午")) == 2
    assert lv.count_half_days(holiday, *lv.slots(date(2026, 11, 2), "上午", date(2026, 11, 2), "全天")) == 1
    assert lv.count_half_days(holiday, *lv.slots(date(2026, 11, 4), "全天", date(2026, 11, 4), "全天")) == 0


def test_half_a_day_by_the_unit_head_a_day_by_the_director_never_ones_own(
        db: Database, people: dict[str, Actor], clock: pytest.MonkeyPatch) -> None:
    clerk, head, director = people["1001"], people["7001"], people["8004"]
    half = ask(db, clerk, date(2026, 11, 3), date(2026, 11, 3), from_half="下午")
    assert (half.half_days, half.days_text, half.status_label) == (1, "0.5天", "待审批")
    assert half.approver_text == "单位负责人（或中心主任）审批" and half.number.startswith("QJ01261102")
    day = ask(db, clerk, date(2026, 11, 4), date(2026, 11, 4))
    assert (day.half_days, day.approver_text) == (2, "中心主任审批")
    assert [r.number for r in lv.pending_for(db, head).rows] == [half.number]  # the unit head sees half days only
    assert {r.number for r in lv.pending_for(db, director).rows} == {half.number, day.number}
    assert lv.pending_for(db, people["1002"]).total == 0
    with pytest.raises(ValidationError, match="半天的请假须由单位负责人或中心主任审批"):
        lv.approve(db, people["1002"], half.number)
    with pytest.raises(ValidationError, match="一天及以上的请假须由中心主任审批"):
        lv.approve(db, head, day.number)
    done = lv.approve(db, head, half.number, "同意")
    assert (done.status, done.approved_by, done.note) == ("approved", "赵敏（7001）", "同意")
    assert lv.reject(db, director, day.number, "窗口人手不足").status_label == "未批准"
    with pytest.raises(ValidationError, match="该请假申请未批准，不能再审批"):
        lv.approve(db, director, day.number)
    own = ask(db, director, date(2026, 11, 5), date(2026, 11, 5))
    assert own.number not in {r.number for r in lv.pending_for(db, director).rows}
    with pytest.raises(ValidationError, match="不能审批本人的请假"):
        lv.approve(db, director, own.number)
    assert lv.approve(db, people["8005"], own.number).status == "approved"  # another director may
    assert [label for _at, label, _who, _d in lv.history(db, half.number)] == ["申请", "批准"]


def test_only_ones_own_leave_unless_director(db: Database, people: dict[str, Actor], clock: pytest.MonkeyPatch) -> None:
    with pytest.raises(PermissionDenied, match="只能为本人请假"):
        lv.request_leave(db, people["1002"], lv.LeaveForm("1001", "事假", date(2026, 11, 3), date(2026, 11, 3)))
    record = lv.request_leave(db, people["8004"], lv.LeaveForm("1001", "病假", date(2026, 11, 3), date(2026, 11, 3)))
    assert (record.staff_no, record.staff_name, record.kind) == ("1001", "李秀兰", "病假")


def test_over_three_working_days_needs_a_stand_in_who_is_there(
        db: Database, admin: Actor, people: dict[str, Actor], clock: pytest.MonkeyPatch) -> None:
    clerk = people["1001"]
    three = ask(db, clerk, date(2026, 11, 3), date(2026, 11, 5))  # Tue–Thu: 3 days, no stand-in needed
    assert three.half_days == 6 and three.stand_in == ""
    lv.cancel(db, clerk, three.number)
    with pytest.raises(ValidationError, match="超过3个工作日须指定代岗人"):
        ask(db, clerk, date(2026, 11, 3), date(2026, 11, 6), from_half="下午")  # 3.5 days
    with pytest.raises(ValidationError, match="代岗人不能是请假人本人"):
        ask(db, clerk, date(2026, 11, 3), date(2026, 11, 9), stand_in="1001")
    with pytest.raises(ValidationError, match="没有工号为 9999 的代岗人"):
        ask(db, clerk, date(2026, 11, 3), date(2026, 11, 9), stand_in="9999")
    away = ask(db, people["1002"], date(2026, 11, 9), date(2026, 11, 9))
    with pytest.raises(ValidationError, match=f"代岗人张伟在此期间也请了假（{away.number}）"):
        ask(db, clerk, date(2026, 11, 3), date(2026, 11, 9), stand_in="1002")
    b = next(m for m in list_staff(db) if m.staff_no == "1003")
    save_staff(db, admin, StaffForm("1003", "王芳", "clerk", password="", active=False), b.id)
    with pytest.raises(ValidationError, match="代岗人王芳（1003）的账号已停用"):
        ask(db, clerk, date(2026, 11, 3), date(2026, 11, 9), stand_in="1003")
    long = ask(db, clerk, date(2026, 11, 3), date(2026, 11, 10), stand_in="8005")  # weekend free: 6 days
    assert (long.half_days, long.stand_in_name) == (12, "陈主任")
    assert count_leave(db) == 3  # the refused ones wrote nothing


def test_a_stand_in_cannot_go_on_leave_while_covering(
        db: Database, people: dict[str, Actor], clock: pytest.MonkeyPatch) -> None:
    """Issue 13 trial (T13-69): 1002 covered 1001's cases and still got a day off inside that leave."""
    covered = ask(db, people["1001"], date(2026, 11, 3), date(2026, 11, 10), stand_in="1002")
    pending = f"张伟（1002）是李秀兰（1001）请假 {covered.number}（待审批，2026-11-03 至 2026-11-10）的代岗人"
    with pytest.raises(ValidationError, match=pending):  # a pending leave holds its stand-in too
        ask(db, people["1002"], date(2026, 11, 4), date(2026, 11, 4))
    lv.approve(db, people["8004"], covered.number)
    before = count_leave(db)
    with pytest.raises(ValidationError, match=r"是李秀兰（1001）请假 .*（已批准，2026-11-03 至 2026-11-10）的代岗人"):
        ask(db, people["1002"], date(2026, 11, 4), date(2026, 11, 4))
    with pytest.raises(ValidationError, match="代岗期间不能请假"):  # the last half day of the cover
        ask(db, people["1002"], date(2026, 11, 10), date(2026, 11, 11))
    with pytest.raises(ValidationError, match="代岗期间不能请假"):  # asked for them by the director
        lv.request_leave(db, people["8004"], lv.LeaveForm("1002", "事假", date(2026, 11, 2), date(2026, 11, 3)))
    assert count_leave(db) == before  # nothing written
    assert ask(db, people["1002"], date(2026, 11, 11), date(2026, 11, 11)).status == "pending"  # after: free
    assert ask(db, people["1003"], date(2026, 11, 4), date(2026, 11, 4)).status == "pending"  # not a stand-in

    # The approval checks again: a cover that came in by the sync (made at another workstation) after the
    # stand-in's own request.
    own = ask(db, people["1002"], date(2026, 11, 16), date(2026, 11, 16))
    other = ask(db, people["1003"], date(2026, 11, 12), date(2026, 11, 20), stand_in="8005")
    with db.session() as s:
        s.scalars(select(LeaveRequest).where(LeaveRequest.number == other.number)).one().stand_in = "1002"
    with pytest.raises(ValidationError, match=f"是王芳（1003）请假 {other.number}（待审批"):
        lv.approve(db, people["8004"], own.number)
    assert lv.get_leave(db, own.number).status == "pending"


def test_overlapping_leave_is_refused_halves_of_a_day_are_not(
        db: Database, people: dict[str, Actor], clock: pytest.MonkeyPatch) -> None:
    clerk = people["1001"]
    morning = ask(db, clerk, date(2026, 11, 3), date(2026, 11, 3), from_half="上午")
    ask(db, clerk, date(2026, 11, 3), date(2026, 11, 3), from_half="下午")
    with pytest.raises(ValidationError, match=f"与已有的请假申请 {morning.number}（待审批"):
        ask(db, clerk, date(2026, 11, 2), date(2026, 11, 3), to_half="上午")
    lv.reject(db, people["8004"], morning.number)
    assert ask(db, clerk, date(2026, 11, 2), date(2026, 11, 3), to_half="上午").half_days == 3  # refused ones free


def test_bad_input_says_why_and_writes_nothing(db: Database, people: dict[str, Actor], clock: pytest.MonkeyPatch) -> None:
    clerk = people["1001"]
    cases = (
        (dict(kind="调休"), "请假类别应为"),
        (dict(reason="事" * 201), "请假事由不能超过200个字"),
        (dict(from_half="上午"), "多日请假的第一天只能选全天或下午"),
    )
    for extra, message in cases:
        with pytest.raises(ValidationError) as refused:
            ask(db, clerk, date(2026, 11, 3), date(2026, 11, 4), **extra)
        assert any(message in line for line in refused.value.errors)
    with pytest.raises(ValidationError) as backwards:
        ask(db, clerk, date(2026, 11, 4), date(2026, 11, 3))
    assert "结束日期不能早于开始日期" in backwards.value.errors
    with pytest.raises(ValidationError, match="所选时间都不是工作日"):
        ask(db, clerk, date(2026, 11, 7), date(2026, 11, 8))
    with pytest.raises(ValidationError, match="审批意见不能超过200个字"):
        lv.approve(db, people["8004"], ask(db, clerk, date(2026, 11, 3), date(2026, 11, 3)).number, "意" * 201)
    assert count_leave(db) == 1


def handler(db: Database, number: str) -> str:
    with db.session() as s:
        staff_no = s.scalar(select(Case.staff_no).where(Case.number == number))
        assert staff_no is not None
        return staff_no


def test_the_stand_in_takes_the_cases_for_the_leave_and_hands_back_once(
        db: Database, people: dict[str, Actor], clock: pytest.MonkeyPatch) -> None:
    a, b, director = people["1001"], people["1002"], people["8004"]
    open_cases = [accept_case(db, a, form(db, code), now=MONDAY) for code in ("SB-002", "SHJZ-001", "YB-002")]
    closed = accept_case(db, a, form(db, "SB-002"), now=MONDAY)
    withdraw(db, a, closed, "申请人撤回", now=MONDAY)
    bs_own = accept_case(db, b, form(db, "SB-002"), now=MONDAY)
    record = ask(db, a, date(2026, 11, 3), date(2026, 11, 9), stand_in="1002")  # Tue–Mon: 5 working days
    assert lv.approve(db, director, record.number).handed_over is False  # approved on Monday, starts Tuesday
    assert run_leave_upkeep(db).cases_out == 0 and handler(db, open_cases[0]) == "1001"

    at(clock, MONDAY + timedelta(days=1))  # the leave begins
    first = run_leave_upkeep(db)
    assert first.handed_over == (record.number,) and first.cases_out == 3
    assert [handler(db, n) for n in open_cases] == ["1002"] * 3
    assert handler(db, closed) == "1001" and handler(db, bs_own) == "1002"
    assert run_leave_upkeep(db).cases_out == 0  # idempotent: nothing moves twice
    with db.session() as s:
        ids = dict(s.execute(select(Case.number, Case.id).where(Case.number.in_(open_cases))).all())
    assert sorted(marks_for(db, list(ids.values())).values()) == ["代1001李秀兰岗"] * 3

    withdraw(db, b, open_cases[2], "申请人撤回", now=MONDAY + timedelta(days=2))  # B finished one meanwhile
    at(clock, datetime(2026, 11, 9, 17, 0, tzinfo=CN))  # the last day of leave: still away
    assert run_leave_upkeep(db).handed_back == ()
    at(clock, datetime(2026, 11, 10, 8, 0, tzinfo=CN))
    back = run_leave_upkeep(db)
    assert back.handed_back == (record.number,) and back.cases_back == 2
    assert [handler(db, n) for n in open_cases] == ["1001", "1001", "1002"]
    assert handler(db, bs_own) == "1002"  # the stand-in's own case stays theirs
    assert run_leave_upkeep(db) == run_leave_upkeep(db) and run_leave_upkeep(db).cases_back == 0
    case = get_case(db, open_cases[0])
    assert case is not None
    moves = [json.loads(d) for _at, kind, _s, d in case.events if kind == "reassigned"]
    assert [(m["from_staff"], m["to_staff"]) for m in moves] == [("1001李秀兰", "1002张伟"), ("1002张伟", "1001李秀兰")]
    assert record.number in moves[0]["reason"] and marks_for(db, [ids[open_cases[0]]]) == {}
    done = lv.get_leave(db, record.number)
    assert done.handed_over and done.handed_back
    steps = lv.history(db, record.number)
    assert [label for _at, label, _w, _d in steps] == ["申请", "批准", "办件交代岗人", "办件交回"]
    assert all(n in steps[2][3] for n in open_cases) and open_cases[2] not in steps[3][3]


def test_approval_on_the_first_day_hands_over_at_once(
        db: Database, people: dict[str, Actor], clock: pytest.MonkeyPatch) -> None:
    number = accept_case(db, people["1001"], form(db, "SB-002"), now=MONDAY)
    record = ask(db, people["1001"], date(2026, 11, 2), date(2026, 11, 6), stand_in="1003")
    assert lv.approve(db, people["8004"], record.number).handed_over is True
    assert handler(db, number) == "1003"
    short = ask(db, people["1002"], date(2026, 11, 2), date(2026, 11, 3), stand_in="1003")  # 2 days: no hand-over
    accept_case(db, people["1002"], form(db, "SB-002"), now=MONDAY)
    assert lv.approve(db, people["8004"], short.number).handed_over is False


def test_leave_days_for_the_attendance_sheet(db: Database, people: dict[str, Actor], clock: pytest.MonkeyPatch) -> None:
    clerk = people["1001"]
    morning = ask(db, clerk, date(2026, 11, 3), date(2026, 11, 3), from_half="上午", kind="病假")
    span = ask(db, clerk, date(2026, 11, 5), date(2026, 11, 9), to_half="上午", stand_in="1002")
    pending = ask(db, people["1002"], date(2026, 11, 4), date(2026, 11, 4))
    lv.approve(db, people["7001"], morning.number)
    lv.approve(db, people["8004"], span.number)
    assert pending.status == "pending"
    assert lv.leave_days(db, "2026-11") == {
        ("1001", date(2026, 11, 3)): "病假（上午）",
        ("1001", date(2026, 11, 5)): "事假", ("1001", date(2026, 11, 6)): "事假",
        ("1001", date(2026, 11, 9)): "事假（上午）",
    }
    assert lv.leave_days(db, date(2026, 12, 1)) == {}


def test_the_command_line(db: Database, people: dict[str, Actor], clock: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    number = accept_case(db, people["1001"], form(db, "SB-002"), now=MONDAY)
    data = ["--data-dir", str(db.path.parent)]
    assert main([*data, "leave", "add", "--staff", "1001", "--from", "2026-11-02", "--to", "2026-11-06"]) == 1
    assert "超过3个工作日须指定代岗人" in capsys.readouterr().err
    assert main([*data, "leave", "add", "--staff", "1001", "--from", "2026-11-02", "--to", "2026-11-06",
                 "--stand-in", "1002", "--reason", "探亲"]) == 0
    out = capsys.readouterr().out.splitlines()
    leave_no = out[-1]
    assert leave_no.startswith("QJ01") and "共5天，代岗人 张伟（1002）；须中心主任审批" in out[0]
    assert main([*data, "leave", "approve", leave_no, "--staff-no", "7001"]) == 1
    assert "一天及以上的请假须由中心主任审批" in capsys.readouterr().err
    assert main([*data, "leave", "approve", leave_no]) == 0  # the command line may approve (it is recorded)
    out = capsys.readouterr().out
    assert "已批准（命令行管理（cli））" in out and "已转给代岗人" in out
    assert handler(db, number) == "1002"
    assert main([*data, "leave", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["number"], r["status"], r["working_days"], r["handed_over"]) for r in rows] == [
        (leave_no, "approved", 5.0, True)]
    assert main([*data, "leave", "reject", leave_no]) == 1
    assert "该请假申请已批准，不能再审批" in capsys.readouterr().err
    assert main([*data, "leave", "handover"]) == 0
    assert "转出 0 件" in capsys.readouterr().out


def test_the_workstations_upkeep_after_each_sync_hands_over(
        db: Database, people: dict[str, Actor], clock: pytest.MonkeyPatch) -> None:
    """The sync scheduler's upkeep (at start-up and after every sync, joined or not) runs the hand-over."""
    from app.ui.sync_panel import run_sync

    number = accept_case(db, people["1001"], form(db, "SB-002"), now=MONDAY)
    record = ask(db, people["1001"], date(2026, 11, 3), date(2026, 11, 9), stand_in="1002")
    lv.approve(db, people["8004"], record.number)
    at(clock, MONDAY + timedelta(days=1))
    assert run_sync(db) is None  # not joined to a centre: the upkeep runs all the same
    assert handler(db, number) == "1002" and lv.get_leave(db, record.number).handed_over


def test_a_decision_at_another_workstation_waits_for_the_keeper(
        db: Database, people: dict[str, Actor], clock: pytest.MonkeyPatch) -> None:
    """A request kept at window 05 and decided here (the director's own workstation) is only an event until
    its keeper takes it in; it is not offered, nor decided, twice meanwhile."""
    from sqlalchemy import update

    from app.models.base import table_of

    record = ask(db, people["1001"], date(2026, 11, 4), date(2026, 11, 4))
    with db.session() as s:  # as if it had come down from window 05
        s.execute(update(table_of(LeaveRequest)).where(LeaveRequest.number == record.number).values(origin_node="05"))
    assert [r.number for r in lv.pending_for(db, people["8004"]).rows] == [record.number]
    decided = lv.approve(db, people["8004"], record.number, "同意")
    assert (decided.status, decided.awaiting) == ("pending", "已由刘国庆批准，待同步")
    assert lv.pending_for(db, people["8005"]).total == 0
    with pytest.raises(ValidationError, match="已由刘国庆批准，待同步"):
        lv.reject(db, people["8005"], record.number)
    with pytest.raises(ValidationError, match="请在该工作站撤销"):
        lv.cancel(db, people["1001"], record.number)
    # the screen's 撤销 asks the same rule, so it is not offered here
    assert "请在该工作站撤销" in lv.cancel_problem(people["1001"], lv.get_leave(db, record.number), db.node_code)
    assert run_leave_upkeep(db).decided == 0  # not this workstation's request to write


def test_the_keeper_takes_in_a_directors_decision_and_hands_over(
        db: Database, people: dict[str, Actor], clock: pytest.MonkeyPatch) -> None:
    from app.models import LeaveEvent

    number = accept_case(db, people["1001"], form(db, "SB-002"), now=MONDAY)
    record = ask(db, people["1001"], date(2026, 11, 2), date(2026, 11, 6), stand_in="1002")
    with db.session() as s:  # the director's decision, made at workstation 09, arrived with the sync
        s.add(LeaveEvent(leave_id=record.id, kind="approved", at=MONDAY, staff_name="刘国庆", origin_node="09",
                         details=json.dumps({"by": "刘国庆（8004）", "note": "同意"}, ensure_ascii=False)))
    assert lv.get_leave(db, record.number).awaiting == "已由刘国庆批准，待同步"
    done = run_leave_upkeep(db)
    assert (done.decided, done.cases_out) == (1, 1)
    kept = lv.get_leave(db, record.number)
    assert (kept.status, kept.approved_by, kept.note, kept.awaiting) == ("approved", "刘国庆（8004）", "同意", "")
    assert handler(db, number) == "1002"
    assert run_leave_upkeep(db).decided == 0


def test_approved_leave_shows_on_the_attendance_sheet_as_leave(db: Database, clock: pytest.MonkeyPatch,
                                                               people: dict[str, Actor]) -> None:
    """The sheet reads approved leave itself: an approved day is 请假, not 旷工; a refused one stays 旷工."""
    from app.services.people.attendance_sheet import attendance_counts, attendance_sheet

    at(clock, datetime(2026, 11, 20, 18, 0, tzinfo=CN))  # the accounts were made on MONDAY
    granted = ask(db, people["1001"], date(2026, 11, 4), date(2026, 11, 4))
    lv.approve(db, people["8004"], granted.number)
    refused = ask(db, people["1002"], date(2026, 11, 4), date(2026, 11, 4))
    lv.reject(db, people["8004"], refused.number)
    rows = {r.staff_no: r for r in attendance_sheet(db, "2026-11").rows}
    day = date(2026, 11, 4).day - 1
    assert (rows["1001"].marks[day].mark, rows["1002"].marks[day].mark) == ("假", "旷")
    counts = attendance_counts(db, date(2026, 11, 4), date(2026, 11, 4), by="staff")
    assert (counts["1001"]["leave"], counts["1001"]["absent"], counts["1002"]["absent"]) == (1, 0, 1)


def test_a_day_of_leave_asks_no_sign_in_and_a_sign_in_says_leave(
        db: Database, people: dict[str, Actor], clock: pytest.MonkeyPatch) -> None:
    """The login offer and a sign-in read the day's approved leave as the month sheet does; half a day's
    leave still offers sign-in for the other half."""
    from app.services.people.attendance import sign, today_of

    clerk, director = people["1001"], people["8004"]
    lv.approve(db, director, ask(db, clerk, date(2026, 11, 4), date(2026, 11, 4)).number)
    half = ask(db, people["1002"], date(2026, 11, 4), date(2026, 11, 4), from_half=lv.MORNING)
    lv.approve(db, people["7001"], half.number)
    at(clock, datetime(2026, 11, 4, 9, 40, tzinfo=CN))
    assert not today_of(db, "1001").offer_sign_in
    assert today_of(db, "1002").offer_sign_in and today_of(db, "1003").offer_sign_in
    assert sign(db, clerk, "1001", "sign_in").message == "签到 09:40（今天已请假：事假）"

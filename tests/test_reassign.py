"""Issue 11, AB岗: an absent clerk's open cases pass to the backup, one event each; B's lists mark them 代A岗."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from app.actor import Actor
from app.database import Database
from app.models import Case, CaseEvent
from app.services.cases.actions import withdraw
from app.services.cases.history import event_label, event_text
from app.services.cases.reassign import (
    marks_for,
    preview,
    reassign,
    stand_in_for,
    stand_in_mark,
)
from app.services.cases.records import accept_case, get_case
from app.services.errors import PermissionDenied, ValidationError
from app.services.people.auth import login
from app.services.people.staff import StaffForm, list_staff, save_staff
from tests.test_cases import form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=CN)


@pytest.fixture
def people(db: Database, admin: Actor) -> dict[str, Actor]:
    for no, name, role in (("1001", "李秀兰", "clerk"), ("1002", "张伟", "clerk"), ("1003", "王芳", "clerk"),
                           ("8004", "刘国庆", "director")):
        save_staff(db, admin, StaffForm(no, name, role, "1号综合受理窗口", "13904361001", password="pass1234"))
    return {no: login(db, no, "pass1234") for no in ("1001", "1002", "1003", "8004")}


def handler(db: Database, number: str) -> tuple[str, str, str | None]:
    with db.session() as s:
        case = s.scalar(select(Case).where(Case.number == number))
        assert case is not None
        return case.staff_no, case.staff_name, case.staff_id


def ids(db: Database, numbers: list[str]) -> dict[str, str]:
    with db.session() as s:
        return dict(s.execute(select(Case.number, Case.id).where(Case.number.in_(numbers))).all())


def test_open_cases_move_to_the_backup_with_an_event_each(db: Database, people: dict[str, Actor]) -> None:
    a, director = people["1001"], people["8004"]
    open_cases = [accept_case(db, a, form(db, code), now=MONDAY) for code in ("SB-002", "SHJZ-001", "YB-002")]
    closed = accept_case(db, a, form(db, "SB-002"), now=MONDAY)
    withdraw(db, a, closed, "申请人撤回", now=MONDAY)
    others = accept_case(db, people["1003"], form(db, "SB-002"), now=MONDAY)
    assert preview(db, "1001").here == 3 and preview(db, "1001").elsewhere == {}

    done = reassign(db, director, "1001", "1002", "休产假三个月", now=MONDAY + timedelta(days=1))
    assert sorted(done.numbers) == sorted(open_cases) and (done.from_label, done.to_label) == ("1001李秀兰", "1002张伟")
    b = next(m for m in list_staff(db) if m.staff_no == "1002")
    for number in open_cases:
        assert handler(db, number) == ("1002", "张伟", b.id)
        case = get_case(db, number)
        assert case is not None and case.status == "accepted"  # the state is not the reassignment's business
        at, kind, staff, details = case.events[-1]
        assert (kind, staff) == ("reassigned", "刘国庆")
        assert event_label(kind) == "AB岗转办"
        assert event_text(details) == "原经办人：1001李秀兰；原因：休产假三个月；代岗：1001李秀兰；接手人：1002张伟"
        assert stand_in_mark(stand_in_for(case.events)) == "代1001李秀兰岗"
    assert handler(db, closed)[0] == "1001" and handler(db, others)[0] == "1003"  # closed and others' stay
    marks = marks_for(db, list(ids(db, [*open_cases, closed, others]).values()))
    assert sorted(marks.values()) == ["代1001李秀兰岗"] * 3  # only B's stand-in cases are marked
    with db.session() as s:  # one event per moved case, nothing else
        assert s.scalar(select(CaseEvent.id).where(CaseEvent.kind == "reassigned",
                                                   CaseEvent.case_id == ids(db, [closed])[closed])) is None


def test_back_to_a_the_mark_goes_and_a_chain_keeps_whose_post_it_is(db: Database, people: dict[str, Actor]) -> None:
    a, director = people["1001"], people["8004"]
    number = accept_case(db, a, form(db, "SB-002"), now=MONDAY)
    case_id = ids(db, [number])[number]
    reassign(db, director, "1001", "1002", "休假", now=MONDAY + timedelta(hours=1))
    reassign(db, director, "1002", "1003", "张伟外出培训", now=MONDAY + timedelta(hours=2))
    assert handler(db, number)[0] == "1003"
    assert marks_for(db, [case_id]) == {case_id: "代1001李秀兰岗"}  # 王芳 holds 李秀兰's post, not 张伟's
    reassign(db, director, "1003", "1001", "李秀兰返岗", now=MONDAY + timedelta(hours=3))
    assert handler(db, number)[0] == "1001" and marks_for(db, [case_id]) == {}
    case = get_case(db, number)
    assert case is not None and stand_in_for(case.events) == ""
    assert [kind for _at, kind, _s, _d in case.events].count("reassigned") == 3


def test_refusals_say_why_and_change_nothing(db: Database, admin: Actor, people: dict[str, Actor]) -> None:
    a, director = people["1001"], people["8004"]
    number = accept_case(db, a, form(db, "SB-002"), now=MONDAY)
    with pytest.raises(PermissionDenied, match="AB岗转办须由中心主任或系统管理员办理"):
        reassign(db, people["1002"], "1001", "1002", "休假")
    with pytest.raises(ValidationError, match="请填写转办原因"):
        reassign(db, director, "1001", "1002", "  ")
    with pytest.raises(ValidationError, match="转办原因不能超过500个字"):
        reassign(db, director, "1001", "1002", "休" * 501)
    with pytest.raises(ValidationError, match="不能是离岗人员本人"):
        reassign(db, director, "1001", "1001", "休假")
    with pytest.raises(ValidationError, match="没有工号为 9999 的接手人员"):
        reassign(db, director, "1001", "9999", "休假")
    with pytest.raises(ValidationError, match="王芳（1003）没有未办结的办件"):
        reassign(db, director, "1003", "1002", "休假")
    b = next(m for m in list_staff(db) if m.staff_no == "1002")
    save_staff(db, admin, StaffForm("1002", "张伟", "clerk", password="", active=False), b.id)
    with pytest.raises(ValidationError, match="账号已停用，不能接手办件"):
        reassign(db, director, "1001", "1002", "休假")
    assert handler(db, number)[0] == "1001"
    case = get_case(db, number)
    assert case is not None and [kind for _at, kind, _s, _d in case.events] == ["accepted"]


def test_cases_held_by_another_node_need_a_transfer(db: Database, people: dict[str, Actor]) -> None:
    """A's cases that another window or agency point holds are not this workstation's to reassign."""
    number = accept_case(db, people["1001"], form(db, "SB-002"), now=MONDAY)
    with db.session() as s:  # as after a hand-over received at window 02
        s.execute(update(Case).where(Case.number == number).values(owner_node="02"))
    assert preview(db, "1001").here == 0 and preview(db, "1001").elsewhere == {"02": 1}
    with pytest.raises(ValidationError, match=r"02号节点1件.*请用“移交”"):
        reassign(db, people["8004"], "1001", "1002", "休假")
    assert handler(db, number)[0] == "1001"


def test_an_absent_clerk_who_left_still_hands_over(db: Database, admin: Actor, people: dict[str, Actor]) -> None:
    number = accept_case(db, people["1001"], form(db, "SB-002"), now=MONDAY)
    a = next(m for m in list_staff(db) if m.staff_no == "1001")
    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", password="", active=False), a.id)
    assert reassign(db, admin, "1001", "1002", "调离本中心").numbers == (number,)


def test_the_command_line_reassigns(db: Database, people: dict[str, Actor], capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    number = accept_case(db, people["1001"], form(db, "SB-002"))
    data = ["--data-dir", str(db.path.parent)]
    with pytest.raises(SystemExit) as usage:
        main([*data, "cases", "reassign", "--from", "1001", "--to", "1002"])
    assert usage.value.code == 2 and "缺少参数：--reason" in capsys.readouterr().err  # the reason is required
    assert main([*data, "cases", "reassign", "--from", "1001", "--to", "1002", "--reason", "休假",
                 "--staff-no", "1003"]) == 1  # a clerk may not
    assert "AB岗转办须由中心主任或系统管理员办理" in capsys.readouterr().err
    assert main([*data, "cases", "reassign", "--from", "1001", "--to", "1002", "--reason", "休假",
                 "--staff-no", "8004"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [number, "已将 1001李秀兰 的 1 件未办结办件转给 1002张伟"]
    assert handler(db, number)[0] == "1002"


def test_a_case_on_its_way_to_another_node_stays_as_it_is(db: Database, people: dict[str, Actor]) -> None:
    """An open hand-over (offered, not yet received) may only be taken back: the transfer's one rule."""
    from app.services.cases.records import add_event

    staying, leaving = (accept_case(db, people["1001"], form(db, "SB-002"), now=MONDAY) for _ in range(2))
    with db.session(people["1001"]) as s:
        case = s.scalar(select(Case).where(Case.number == leaving))
        assert case is not None
        add_event(s, case, "transfer_offered", MONDAY, people["1001"],
                  {"to_node": "02", "to_name": "2号窗口", "batch": "YJ22082110001261102001", "return": False})
    done = reassign(db, people["8004"], "1001", "1002", "休假", now=MONDAY + timedelta(hours=1))
    assert (done.numbers, done.in_transit) == ((staying,), (leaving,))
    assert done.summary == "已将 1001李秀兰 的 1 件未办结办件转给 1002张伟；另有 1 件正在移交途中，未转办"
    assert handler(db, leaving)[0] == "1001" and handler(db, staying)[0] == "1002"
    with pytest.raises(ValidationError, match="都在移交途中，不能转办：.*等待对方接收"):
        reassign(db, people["8004"], "1001", "1003", "休假")

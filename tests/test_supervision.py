"""督办 / 电子监察 (issue 13): automatic records once per case and rule, the director's 督办, the window's answer."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

import app.clock
from app.actor import Actor
from app.database import Database
from app.models import Case, CaseEvent, OutboxEntry, Supervision, SupervisionAnswer
from app.services.cases.records import accept_case
from app.services.errors import PermissionDenied, ValidationError
from app.services.supervision import board, records
from app.services.supervision.auto import scan
from app.services.supervision.rules import auto_id
from tests.test_cases import form

CN = timezone(timedelta(hours=8))
DIRECTOR = Actor(staff_id=None, staff_no="9001", name="李主任", role="director")
CLERK = Actor(staff_id=None, staff_no="1001", name="张三", role="clerk", workplace="1号窗口")

pytestmark = pytest.mark.usefixtures("china_time")


def _at(monkeypatch: pytest.MonkeyPatch, day: date, hour: int = 9) -> datetime:
    moment = datetime(day.year, day.month, day.day, hour, 0, tzinfo=CN)
    monkeypatch.setattr(app.clock, "_fixed", moment)
    return moment


def _count(db: Database, model: type) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def _set_case(db: Database, number: str, **values: object) -> None:
    with db.session() as s:
        s.execute(update(Case).where(Case.number == number).values(**values))


def test_an_overdue_case_is_supervised_once_and_a_green_one_not(db: Database, admin: Actor,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _at(monkeypatch, date(2026, 11, 2))  # a Monday
    late = accept_case(db, admin, form(db, "SB-002", "promised"))  # due Monday the 16th
    now = _at(monkeypatch, date(2026, 11, 18))
    green = accept_case(db, admin, form(db, "SB-002", "promised"))  # due in December
    result = scan(db, now)
    assert (result.overdue, result.late_extension, result.no_reason) == (1, 0, 0)
    assert scan(db, now).total == 0  # idempotent: the second run writes nothing
    with db.session() as s:
        [row] = s.scalars(select(Supervision))
        assert row.id == auto_id("R01", late) and row.case_number == late and row.case_number != green
        assert (row.rule_code, row.warning_type, row.to_node, row.auto) == ("R01", "red", "01", True)
        assert "超期2个工作日" in row.result and row.org_name == "镇赉镇民生服务中心"
        assert s.scalar(select(func.count()).where(OutboxEntry.table_name == "supervision")) == 1  # it replicates
    item = records.get(db, row.id, now)
    assert item.state == "pending" and item.rule_label == "超期未办结"


def test_a_case_held_by_another_node_is_left_to_it(db: Database, admin: Actor,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _at(monkeypatch, date(2026, 11, 2))
    late = accept_case(db, admin, form(db, "SB-002", "promised"))
    _set_case(db, late, owner_node="07")
    assert scan(db, _at(monkeypatch, date(2026, 11, 18))).total == 0
    # A case accepted at node 07 and handed here: this node's record has an id of its own, so the centre
    # does not take it for node 07's record of the same case.
    _set_case(db, late, origin_node="07", owner_node="01")
    assert scan(db, _at(monkeypatch, date(2026, 11, 18))).overdue == 1
    with db.session() as s:
        assert list(s.scalars(select(Supervision.id))) == [auto_id("R01", f"{late}@01")]


def test_a_late_extension_and_a_refusal_without_reason(db: Database, admin: Actor,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _at(monkeypatch, date(2026, 11, 2))
    extended = accept_case(db, admin, form(db, "SB-002", "promised"))
    on_time = accept_case(db, admin, form(db, "SB-002", "promised"))
    refused = accept_case(db, admin, form(db, "SHJZ-001", "rejected", rejection_reason="不符合申请条件"))
    reasoned = accept_case(db, admin, form(db, "SHJZ-001", "rejected", rejection_reason="不符合申请条件"))
    _set_case(db, refused, rejection_reason="  ")  # as an old import left it
    with db.session() as s:  # extensions recorded by an older version: one after the due date, one before
        for number, day in ((extended, date(2026, 11, 17)), (on_time, date(2026, 11, 13))):
            case_id = s.scalar(select(Case.id).where(Case.number == number))
            at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=CN)
            s.add(CaseEvent(case_id=case_id, kind="extended", at=at, staff_name="张三",
                            details=json.dumps({"days": 5, "reason": "材料核实", "approver": "李主任"})))
            s.add(CaseEvent(case_id=case_id, kind="deadline_recomputed", at=at, staff_name="张三",
                            details=json.dumps({"from": "2026-11-16", "to": "2026-11-23", "reason": "批准延期"})))
        s.execute(update(Case).where(Case.number.in_([extended, on_time])).values(due_date=date(2026, 11, 23)))
    now = _at(monkeypatch, date(2026, 11, 18))
    result = scan(db, now)
    assert (result.overdue, result.late_extension, result.no_reason) == (0, 1, 1)
    assert scan(db, now).total == 0
    with db.session() as s:
        found = {(r.rule_code, r.case_number) for r in s.scalars(select(Supervision))}
    assert found == {("R02", extended), ("R03", refused)}
    assert reasoned not in {n for _r, n in found}


def test_only_a_director_issues_and_every_input_is_bounded(db: Database, admin: Actor,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    now = _at(monkeypatch, date(2026, 11, 2))
    number = accept_case(db, admin, form(db, "SB-002", "promised"))
    answer_by = date(2026, 11, 6)
    with pytest.raises(PermissionDenied, match="只有中心主任"):
        records.issue(db, CLERK, number, "请尽快办结", answer_by, now)
    with pytest.raises(PermissionDenied):
        records.issue(db, admin, number, "请尽快办结", answer_by, now)
    for content, due, message in (("", answer_by, "督办内容"), ("急" * 501, answer_by, "500"),
                                  ("请办结", date(2026, 11, 1), "早于今天"), ("请办结", date(2027, 3, 1), "60天")):
        with pytest.raises(ValidationError, match=message):
            records.issue(db, DIRECTOR, number, content, due, now)
    with pytest.raises(ValidationError, match="没有编号"):
        records.issue(db, DIRECTOR, "2208211000199999999999", "请办结", answer_by, now)
    assert _count(db, Supervision) == 0  # nothing half-written
    item = records.issue(db, DIRECTOR, number, "  请于本周内办结并报告  ", answer_by, now)
    assert (item.rule_code, item.to_node, item.content, item.auto) == ("R99", "01", "请于本周内办结并报告", False)
    assert (item.issued_by_name, item.state, item.target_kind) == ("李主任", "pending", "case")
    with pytest.raises(ValidationError, match="控制字符"):
        records.issue(db, DIRECTOR, number, "请办结\x00", answer_by, now)
    again = records.issue(db, DIRECTOR, number, "再次督办", answer_by, now)  # the same second: its own number
    assert again.number != item.number and item.number.startswith("DB") and len(item.number) == 23


def test_the_answer_only_at_the_addressed_node_and_once(db: Database, admin: Actor,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    now = _at(monkeypatch, date(2026, 11, 2))
    number = accept_case(db, admin, form(db, "SB-002", "promised"))
    item = records.issue(db, DIRECTOR, number, "请说明进度", date(2026, 11, 4), now)
    with db.session() as s:
        s.execute(update(Supervision).values(to_node="07"))
    with pytest.raises(PermissionDenied, match="07号节点"):
        records.answer(db, CLERK, item.id, "已办结", "rectified", now)
    with db.session() as s:
        s.execute(update(Supervision).values(to_node="01"))
        # an answer another node wrote does not count as the window's
        s.add(SupervisionAnswer(supervision_id=item.id, answered_at=now, staff_no="x", staff_name="别人",
                                text="冒充答复", result="rectified", origin_node="09"))
    assert records.get(db, item.id, now).state == "pending"
    assert records.unanswered_count(db) == 1
    for text, result, message in (("", "rectified", "答复内容"), ("好" * 501, "rectified", "500"),
                                  ("已办结", "maybe", "答复结果")):
        with pytest.raises(ValidationError, match=message):
            records.answer(db, CLERK, item.id, text, result, now)
    done = records.answer(db, CLERK, item.id, "已于今日办结", "rectified", now)
    assert (done.state, done.answer_text, done.answered_by, done.answer_result_label) == \
        ("answered", "已于今日办结", "张三", "已整改")
    with pytest.raises(ValidationError, match="已经答复"):
        records.answer(db, CLERK, item.id, "再答一次", "explained", now)
    assert records.unanswered_count(db) == 0
    assert [i.id for i in records.list_supervisions(db, "answered", now=now).rows] == [item.id]


def test_states_and_the_board_by_window(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    _at(monkeypatch, date(2026, 11, 2))
    late = accept_case(db, admin, form(db, "SB-002", "promised"))  # red on the 18th
    _at(monkeypatch, date(2026, 11, 4))
    soon = accept_case(db, admin, form(db, "SB-002", "promised"))  # due the 18th: yellow
    _at(monkeypatch, date(2026, 11, 12))
    accept_case(db, admin, form(db, "SB-002", "promised"))  # green
    _set_case(db, late, staff_workplace="2号窗口")
    now = _at(monkeypatch, date(2026, 11, 18))
    windows = board.by_window(db, now)
    assert [(w.window, w.red, w.yellow) for w in windows] == [("2号窗口", 1, 0), (windows[1].window, 0, 1)]
    rows = board.window_rows(db, "2号窗口", now=now)
    assert rows.total == 1 and rows.rows[0].number == late and rows.rows[0].colour == "red"
    assert [r.number for r in board.window_rows(db, windows[1].window, now=now).rows] == [soon]
    item = records.issue(db, DIRECTOR, late, "请办结", date(2026, 11, 19), now)
    assert board.window_rows(db, "2号窗口", now=now).rows[0].supervised
    later = datetime(2026, 11, 20, 9, 0, tzinfo=CN)
    assert records.get(db, item.id, later).state == "overdue"
    assert records.list_supervisions(db, "overdue", now=later).total == 1
    assert records.list_supervisions(db, "pending", now=later).total == 0


def test_the_command_line_scans_once_and_lists(db: Database, admin: Actor, data_dir: Path,
                                               monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
                                               ) -> None:
    from app.cli import main

    _at(monkeypatch, date(2026, 11, 2))
    late = accept_case(db, admin, form(db, "SB-002", "promised"))
    _at(monkeypatch, date(2026, 11, 18))
    assert main(["--data-dir", str(data_dir), "supervision", "scan"]) == 0
    assert "超期未办结 1 条" in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "supervision", "scan"]) == 0
    assert "超期未办结 0 条" in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "supervision", "list", "--state", "pending", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["case_number"], row["rule_code"], row["state"], row["auto"]) == (late, "R01", "pending", True)
    assert main(["--data-dir", str(data_dir), "supervision", "list", "--state", "answered"]) == 0
    assert capsys.readouterr().out == ""


def test_complaints_are_on_the_board_and_may_be_supervised(db: Database, admin: Actor,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.complaints.complaints import ComplaintForm, register
    from tests.conftest import add_staff

    add_staff(db, admin, "A001", workplace="3号窗口")
    now = _at(monkeypatch, date(2026, 11, 2))
    number = register(db, admin, ComplaintForm(category=1, channel="来访", content="窗口人员态度生硬，不解释政策",
                                               name="刘淑兰", phone="13904361234", staff_no="A001"))
    assert board.by_window(db, now) == []  # not yet lit
    later = _at(monkeypatch, date(2026, 11, 20))  # five working days have passed
    [window] = board.by_window(db, later)
    assert (window.window, window.red_complaints, window.red_cases) == ("3号窗口", 1, 0)
    [row] = board.window_rows(db, "3号窗口", now=later).rows
    assert (row.kind, row.number, row.colour, row.person) == ("complaint", number, "red", "测试人员1")
    item = records.issue(db, DIRECTOR, number, "请当日答复投诉人", date(2026, 11, 21), later)
    assert (item.target_kind, item.window, item.to_node, item.warning_type) == ("complaint", "3号窗口", "01", "red")

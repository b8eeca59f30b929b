"""Issue 11: 联办 hand-overs and replies, visits counted as trips, and the 办结通知 text message."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from app.actor import Actor
from app.database import Database
from app.services.cases.actions import Decision, decide, notice_sms, notify
from app.services.cases.joint import hand_over, joint_parts, record_reply, record_visit
from app.services.cases.records import accept_case, get_case
from app.services.cases.sms import SMS_LIMIT
from app.services.errors import ValidationError
from app.services.settings import CenterSettings, save_settings
from tests.test_cases import form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=CN)
JOINT = {"lead_window": "3号户籍窗口", "co_departments": ["镇医疗保障服务站", "镇卫生院"]}


def joint_case(db: Database, admin: Actor) -> str:
    return accept_case(db, admin, form(db, "HJ-001", "joint", **JOINT), now=MONDAY)


def test_a_joint_case_is_decided_when_every_department_replied(db: Database, admin: Actor) -> None:
    number = joint_case(db, admin)
    # handed over on Monday 11-02: the department's 3 working days count from Tuesday
    assert hand_over(db, admin, number, "镇医疗保障服务站", date(2026, 11, 2), 3, now=MONDAY) == date(2026, 11, 5)
    with pytest.raises(ValidationError, match="晚于本件承诺办结日期"):  # its days end after the case's own
        hand_over(db, admin, number, "镇卫生院", date(2026, 11, 3), 5, now=MONDAY + timedelta(days=1))
    hand_over(db, admin, number, "镇卫生院", date(2026, 11, 3), 4, now=MONDAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="不能重复转办"):
        hand_over(db, admin, number, "镇卫生院", date(2026, 11, 3), 4, now=MONDAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="不在部门名录中"):
        hand_over(db, admin, number, "不存在的部门", date(2026, 11, 3), 2, now=MONDAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="尚未转办"):
        record_reply(db, admin, number, "镇财政所", date(2026, 11, 3), "agree", "同意", now=MONDAY + timedelta(days=1))
    record_reply(db, admin, number, "镇医疗保障服务站", date(2026, 11, 4), "agree", "符合参保条件",
                 now=MONDAY + timedelta(days=2))
    with pytest.raises(ValidationError, match="尚未回复的联办部门：镇卫生院"):
        decide(db, admin, number, Decision(True, result="准予迁入"), now=MONDAY + timedelta(days=2))
    record_reply(db, admin, number, "镇卫生院", date(2026, 11, 5), "disagree", "申请人不符合条件",
                 now=MONDAY + timedelta(days=3))
    with pytest.raises(ValidationError, match="不同意的联办部门：镇卫生院"):  # granting against a department's no
        decide(db, admin, number, Decision(True, result="准予迁入"), now=MONDAY + timedelta(days=3))
    assert decide(db, admin, number, Decision(False, reason="卫生院认定不符合条件", basis="《户口登记条例》第十条"),
                  now=MONDAY + timedelta(days=3)) == "denied"  # refusing needs no override
    case = get_case(db, number)
    assert case is not None
    parts = {p.department: p for p in joint_parts(case.co_departments, case.events)}
    assert parts["镇卫生院"].status_label == "已回复（不同意）" and parts["镇卫生院"].due == date(2026, 11, 9)


def test_the_lead_may_decide_early_only_with_a_reason(db: Database, admin: Actor) -> None:
    number = joint_case(db, admin)
    hand_over(db, admin, number, "镇医疗保障服务站", date(2026, 11, 2), 3, now=MONDAY)
    assert decide(db, admin, number, Decision(True, result="准予迁入", joint_override="卫生院书面同意已附卷"),
                  now=MONDAY + timedelta(days=1)) == "approved"
    with pytest.raises(ValidationError, match="不能再转办"):
        hand_over(db, admin, number, "镇卫生院", date(2026, 11, 3), 3, now=MONDAY + timedelta(days=1))


def test_hand_overs_refuse_bad_input_and_other_classes(db: Database, admin: Actor) -> None:
    number = joint_case(db, admin)
    for department, day, days, message in (("镇卫生院", date(2026, 10, 30), 3, "早于受理"),
                                           ("镇卫生院", date(2026, 11, 9), 3, "晚于今天"),
                                           ("镇卫生院", date(2026, 11, 2), 0, "1至60"),
                                           ("", date(2026, 11, 2), 3, "联办部门名称")):
        with pytest.raises(ValidationError, match=message):
            hand_over(db, admin, number, department, day, days, now=MONDAY)
    promised = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    with pytest.raises(ValidationError, match="只有联办件"):
        hand_over(db, admin, promised, "镇卫生院", date(2026, 11, 2), 3, now=MONDAY)
    case = get_case(db, number)
    assert case is not None and [e[1] for e in case.events] == ["accepted"]


def test_a_visit_by_hand_counts_as_a_trip(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    assert record_visit(db, admin, number, "咨询进度", now=MONDAY + timedelta(days=1)) == 2
    case = get_case(db, number)
    assert case is not None and case.trips == 2
    with pytest.raises(ValidationError, match="来访事由"):
        record_visit(db, admin, number, "闲聊", now=MONDAY + timedelta(days=1))


def test_the_completion_notice_produces_and_keeps_its_text_message(db: Database, admin: Actor) -> None:
    save_settings(db, admin, CenterSettings(window_phones="1号综合受理窗口=0436-7312001",
                                            office_hours="08:30-12:00,13:00-17:30"))
    number = accept_case(db, admin, form(db, "SB-002", "promised", applicant_phone="13904367788"), now=MONDAY)
    decide(db, admin, number, Decision(True, result="准予领取养老金"), now=MONDAY + timedelta(days=2))
    notify(db, admin, number, "pickup", now=MONDAY + timedelta(days=2))
    case = get_case(db, number)
    assert case is not None
    sms = notice_sms(case)
    assert sms is not None and sms.phone == "13904367788"
    assert "张桂芳您好" in sms.text and number in sms.text and "已办结" in sms.text and "身份证" in sms.text
    assert case.staff_workplace in sms.text and "08:30-12:00，13:00-17:30" in sms.text
    assert len(sms.text) <= SMS_LIMIT


def test_the_command_line_hands_over_records_replies_and_visits(db: Database, admin: Actor,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from app.cli import main

    number = accept_case(db, admin, form(db, "HJ-001", "joint", **JOINT))  # today: the command line's own time
    data = ["--data-dir", str(db.path.parent)]
    assert main([*data, "cases", "handover", number, "--department", "镇卫生院", "--days", "3"]) == 0
    assert "已转办“镇卫生院”" in capsys.readouterr().out
    assert main([*data, "cases", "reply", number, "--department", "镇财政所", "--outcome", "agree",
                 "--opinion", "同意"]) == 1
    assert "尚未转办" in capsys.readouterr().err
    assert main([*data, "cases", "decide", number, "--approve", "--result", "准予迁入"]) == 1
    assert "尚未回复的联办部门" in capsys.readouterr().err
    for department in ("镇医疗保障服务站", "镇卫生院"):
        if department != "镇卫生院":
            assert main([*data, "cases", "handover", number, "--department", department, "--days", "3"]) == 0
        assert main([*data, "cases", "reply", number, "--department", department, "--outcome", "agree",
                     "--opinion", "同意"]) == 0
    assert main([*data, "cases", "visit", number, "--purpose", "咨询进度"]) == 0
    assert "跑动 2 次" in capsys.readouterr().out
    assert main([*data, "cases", "decide", number, "--approve", "--result", "准予迁入"]) == 0
    assert main([*data, "cases", "notify", number, "--method", "pickup"]) == 0
    out = capsys.readouterr().out
    assert "短信（待发送）至 13904367788：" in out and "已办结" in out
    assert main([*data, "cases", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["number"] == number and rows[0]["trips"] == 2


def test_the_history_reads_every_new_event_in_chinese(db: Database, admin: Actor) -> None:
    from app.services.cases.history import event_label, event_text

    number = joint_case(db, admin)
    hand_over(db, admin, number, "镇卫生院", date(2026, 11, 2), 3, now=MONDAY)
    record_reply(db, admin, number, "镇卫生院", date(2026, 11, 3), "disagree", "不符合条件", now=MONDAY + timedelta(days=1))
    record_visit(db, admin, number, "补充说明", now=MONDAY + timedelta(days=1))
    case = get_case(db, number)
    assert case is not None
    lines = [f"{event_label(kind)} {event_text(details)}" for _at, kind, _staff, details in case.events]
    assert lines[1:] == ["转办联办部门 日期：2026-11-02；联办部门：镇卫生院；部门时限（工作日）：3；应回复日期：2026-11-05",
                         "联办部门回复 日期：2026-11-03；联办部门：镇卫生院；部门意见：不符合条件；回复意见：不同意",
                         "来访 来访事由：补充说明"]


def test_demo_data_shows_cases_beyond_acceptance(db: Database, admin: Actor) -> None:
    """A new user's demo: a case archived, one ready for pickup, a 联办件 half answered, one overdue."""
    from app.services.cases.records import list_cases
    from app.services.demo_data import fill_demo_data

    fill_demo_data(db, admin)
    cases = list_cases(db)
    assert {"archived", "ready", "accepted", "supplementing", "rejected"} <= {c.status for c in cases}
    assert any(c.light.colour == "red" for c in cases)
    joint_case_ = next(c for c in cases if c.case_class == "joint")
    record = get_case(db, joint_case_.number)
    assert record is not None
    assert [p.status_label for p in joint_parts(record.co_departments, record.events)] == [
        "已回复（同意）", "未转办", "已转办，待回复"]

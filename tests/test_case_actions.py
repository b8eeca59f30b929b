"""Issue 11: a case from acceptance to the citizen's hands, each step checked by the lifecycle table."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.actor import Actor
from app.database import Database
from app.models import Case, CaseEvent
from app.services.cases.actions import Decision, Delivery, archive, complete_on_spot, decide, deliver, notify, withdraw
from app.services.cases.records import accept_case, get_case
from app.services.errors import ValidationError
from tests.test_cases import ID, form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=CN)


def state(db: Database, number: str) -> str:
    case = get_case(db, number)
    assert case is not None
    return case.status


def kinds(db: Database, number: str) -> list[str]:
    with db.session() as s:
        case_id = s.scalar(select(Case.id).where(Case.number == number))
        return list(s.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id).order_by(CaseEvent.at)))


def test_a_promised_case_from_decision_to_archive(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    assert state(db, number) == "accepted"
    day = MONDAY + timedelta(days=3)
    assert decide(db, admin, number, Decision(True, result="准予领取养老金", document_number="镇社保〔2026〕12号"),
                  now=day) == "approved"
    assert notify(db, admin, number, "pickup", now=day) == "ready"
    with pytest.raises(ValidationError, match="签收人"):
        deliver(db, admin, number, Delivery("pickup"), now=day)
    assert deliver(db, admin, number, Delivery("pickup", receiver="张桂芳", receiver_id=ID, items=[("待遇核定表", 1)]),
                   now=day) == "done"
    assert archive(db, admin, number, "2026-社保-017", now=day) == "archived"
    assert kinds(db, number) == ["accepted", "approved", "notified", "delivered", "archived"]


def test_refused_steps_say_why_and_change_nothing(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    with pytest.raises(ValidationError, match="不能送达"):
        deliver(db, admin, number, Delivery("pickup", receiver="张桂芳", receiver_id=ID), now=MONDAY)
    with pytest.raises(ValidationError, match="法律依据"):
        decide(db, admin, number, Decision(False, reason="不符合条件"), now=MONDAY)
    with pytest.raises(ValidationError, match="没有编号"):
        withdraw(db, admin, "2208211000126110200099", "申请人撤回")
    assert state(db, number) == "accepted" and kinds(db, number) == ["accepted"]


def test_a_late_decision_needs_its_reason_and_counts_working_days(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    case = get_case(db, number)
    assert case is not None and case.due_date is not None
    late = datetime(case.due_date.year, case.due_date.month, case.due_date.day, 10, tzinfo=CN) + timedelta(days=3)
    with pytest.raises(ValidationError, match="超过办结期限"):
        decide(db, admin, number, Decision(False, reason="不符合条件", basis="《办法》第五条"), now=late)
    assert decide(db, admin, number, Decision(False, reason="不符合条件", basis="《办法》第五条",
                                              late_reason="等待县局复核"), now=late) == "denied"
    record = get_case(db, number)
    assert record is not None
    assert case.due_date.isoformat() == "2026-11-16"
    assert '"overdue_days": 3' in record.events[-1][3]  # due Monday 16th, decided Thursday 19th


def test_an_immediate_case_ends_on_the_spot_and_others_cannot(db: Database, admin: Actor) -> None:
    immediate = accept_case(db, admin, form(db, "SB-001", "immediate"), now=MONDAY)
    assert complete_on_spot(db, admin, immediate, "当场打印参保证明", now=MONDAY) == "done"
    promised = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    with pytest.raises(ValidationError, match="只有即办件可以当场办结"):
        complete_on_spot(db, admin, promised, "x", now=MONDAY)


def test_withdrawal_and_a_refusal_that_ends_at_once(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    assert withdraw(db, admin, number, "申请人自愿撤回", now=MONDAY) == "withdrawn"
    with pytest.raises(ValidationError, match="已撤回"):
        decide(db, admin, number, Decision(True, result="x"), now=MONDAY)
    refused = accept_case(db, admin, form(db, "SB-002", "rejected", rejection_reason="不属于本中心受理范围"),
                          now=MONDAY)
    assert state(db, refused) == "rejected"
    assert archive(db, admin, refused, "2026-退办-001", now=MONDAY) == "archived"


def test_the_command_line_takes_a_case_to_the_archive(db: Database, admin: Actor, capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    from app.cli import main

    number = accept_case(db, admin, form(db, "SB-002", "promised"))
    data = ["--data-dir", str(db.path.parent)]
    assert main([*data, "cases", "decide", number, "--deny", "--reason", "不符合条件"]) == 1
    assert "请填写法律依据" in capsys.readouterr().err and state(db, number) == "accepted"
    assert main([*data, "cases", "decide", number, "--approve", "--result", "准予领取养老金"]) == 0
    assert main([*data, "cases", "notify", number, "--method", "post"]) == 0
    assert main([*data, "cases", "deliver", number, "--method", "post"]) == 1  # no tracking number
    assert main([*data, "cases", "deliver", number, "--method", "post", "--tracking", "1180023456789",
                 "--carrier", "中国邮政", "--address", "镇赉镇红旗村三组"]) == 0
    assert main([*data, "cases", "archive", number, "--box", "2026-社保-018"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"办件 {number}：已归档"
    assert kinds(db, number) == ["accepted", "approved", "notified", "delivered", "archived"]


def test_every_step_and_detail_reads_in_chinese(db: Database, admin: Actor) -> None:
    from app.services.cases.history import DETAIL_LABELS, event_label, event_text
    from app.services.cases.lifecycle import TRANSITIONS

    assert all(event_label(t.action) != t.action for t in TRANSITIONS)
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    decide(db, admin, number, Decision(True, result="准予", document_number="镇社保〔2026〕3号", amount="1200元"),
           now=MONDAY)
    deliver(db, admin, number, Delivery("pickup", receiver="张桂芳", receiver_id=ID, items=[("核定表", 2)]), now=MONDAY)
    record = get_case(db, number)
    assert record is not None
    for _at, kind, _staff, details in record.events:
        assert event_label(kind) != kind
        text = event_text(details)
        assert all(key not in text for key in DETAIL_LABELS if key.isascii() and f"{key}：" in text), text
    assert "方式：窗口领取" in event_text(record.events[-1][3]) and "核定表2份" in event_text(record.events[-1][3])


def test_trips_are_counted_from_the_visits(db: Database, admin: Actor) -> None:
    from app.ui.case_view import case_html

    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    decide(db, admin, number, Decision(True, result="准予"), now=MONDAY)
    record = get_case(db, number)
    assert record is not None and record.trips == 1 and "跑动 1 次" in case_html(record)
    deliver(db, admin, number, Delivery("pickup", receiver="张桂芳", receiver_id=ID), now=MONDAY + timedelta(days=3))
    record = get_case(db, number)
    assert record is not None and record.trips == 2 and "跑动 2 次（超过一次）" in case_html(record)


def test_collecting_on_the_day_of_acceptance_is_the_same_visit(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-001", "immediate"), now=MONDAY)
    decide(db, admin, number, Decision(True, result="当场出具参保证明"), now=MONDAY + timedelta(minutes=5))
    deliver(db, admin, number, Delivery("pickup", receiver="张桂芳", receiver_id=ID), now=MONDAY + timedelta(minutes=6))
    record = get_case(db, number)
    assert record is not None and record.status == "done" and record.trips == 1


def test_the_command_line_supplements_by_material_numbers(db: Database, admin: Actor,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    number = accept_case(db, admin, form(db, "SHJZ-001", "supplement", seqs=[1, 2]))
    data = ["--data-dir", str(db.path.parent)]
    assert main([*data, "cases", "supplement", number, "--materials", "3"]) == 0  # a visit: recorded, still waiting
    assert "已登记本次补交的材料，仍缺：" in capsys.readouterr().out and state(db, number) == "supplementing"
    with pytest.raises(SystemExit) as exited:
        main([*data, "cases", "supplement", number, "--materials", "x"])
    assert exited.value.code == 2 and "材料序号应为" in capsys.readouterr().err
    assert main([*data, "cases", "supplement", number, "--materials", "3,4,5"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"办件 {number}：办理中"


def test_the_state_column_is_the_fold_of_the_events(db: Database, admin: Actor) -> None:
    """Whatever steps a case took, its stored state equals the lifecycle's fold of its events."""
    import json as _json
    from datetime import date

    from app.services.cases.deadlines import pause_case, resume_case
    from app.services.cases.lifecycle import state_after

    numbers = [accept_case(db, admin, form(db, "YB-003"), now=MONDAY) for _ in range(4)]
    numbers.append(accept_case(db, admin, form(db, "SHJZ-001", "supplement", seqs=[1, 2]), now=MONDAY))
    pause_case(db, admin, numbers[0], "专家评审", date(2026, 11, 4), 3, now=MONDAY + timedelta(days=2))
    pause_case(db, admin, numbers[1], "鉴定", date(2026, 11, 4), 3, now=MONDAY + timedelta(days=2))
    resume_case(db, admin, numbers[1], date(2026, 11, 5), now=MONDAY + timedelta(days=3))
    decide(db, admin, numbers[1], Decision(True, result="准予"), now=MONDAY + timedelta(days=3))
    withdraw(db, admin, numbers[2], "申请人撤回", now=MONDAY + timedelta(days=3))
    for number in numbers:
        record = get_case(db, number)
        assert record is not None
        events = [(kind, str(_json.loads(details).get("method", ""))) for _at, kind, _s, details in record.events]
        assert state_after(record.case_class if record.status != "supplementing" else "supplement", events) \
            == record.status, number
    assert [state(db, n) for n in numbers] == ["suspended", "approved", "withdrawn", "accepted", "supplementing"]


def test_collection_checks_who_takes_the_result(db: Database, admin: Actor) -> None:
    """The applicant with their own ID, or someone else with the written authorisation seen."""
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    decide(db, admin, number, Decision(True, result="准予领取养老金"), now=MONDAY)
    notify(db, admin, number, "pickup", now=MONDAY)
    with pytest.raises(ValidationError, match="与申请人登记的不一致"):
        deliver(db, admin, number, Delivery("pickup", receiver="张桂芳", receiver_id="220821199001011234"), now=MONDAY)
    with pytest.raises(ValidationError, match="书面委托书"):
        deliver(db, admin, number, Delivery("pickup", receiver="李明", receiver_id="220821199001011234"), now=MONDAY)
    assert state(db, number) == "ready"
    assert deliver(db, admin, number, Delivery("pickup", receiver="李明", receiver_id="220821199001011234",
                                               authorised=True, items=[("待遇核定表", 1)]), now=MONDAY) == "done"
    case = get_case(db, number)
    assert case is not None and '"authorised": true' in case.events[-1][3]


def test_post_needs_carrier_tracking_and_address(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    decide(db, admin, number, Decision(True, result="准予"), now=MONDAY)
    notify(db, admin, number, "post", now=MONDAY)
    with pytest.raises(ValidationError) as refused:
        deliver(db, admin, number, Delivery("post", tracking="1180023456789"), now=MONDAY)
    assert "寄递单位" in str(refused.value) and "邮寄地址" in str(refused.value)
    assert deliver(db, admin, number, Delivery("post", tracking="1180023456789", carrier="中国邮政",
                                               address="镇赉镇红旗村三组"), now=MONDAY) == "done"


def test_an_immediate_item_accepted_incomplete_is_completed_on_the_spot_when_complete(db: Database,
                                                                                      admin: Actor) -> None:
    """A 补办件 of an immediate item becomes a 即办件 when complete: 当场办结 then ends it (and nothing else can)."""
    from app.services.cases.records import complete_materials

    number = accept_case(db, admin, form(db, "SB-001", "supplement", seqs=[1]), now=MONDAY)
    case = get_case(db, number)
    assert case is not None
    complete_materials(db, admin, number, list(range(1, len(case.item.materials) + 1)), now=MONDAY)
    assert state(db, number) == "accepted"
    assert complete_on_spot(db, admin, number, "当场打印参保证明", now=MONDAY + timedelta(minutes=5)) == "done"
    with pytest.raises(ValidationError, match="已办结"):
        decide(db, admin, number, Decision(True, result="准予"), now=MONDAY + timedelta(minutes=6))
    assert kinds(db, number)[-1] == "completed_on_spot"


def test_a_clock_behind_the_cases_last_event_keeps_the_order_of_what_was_done(db: Database, admin: Actor) -> None:
    """Events from another machine whose clock ran ahead: the next step is stamped just after them."""
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    decide(db, admin, number, Decision(True, result="准予"), now=MONDAY + timedelta(hours=2))
    assert notify(db, admin, number, "pickup", now=MONDAY + timedelta(hours=1)) == "ready"  # this clock is behind
    case = get_case(db, number)
    assert case is not None and [e[1] for e in case.events] == ["accepted", "approved", "notified"]
    assert case.events[2][0] > case.events[1][0] and case.status == "ready"


def test_an_overdue_immediate_case_is_completed_on_the_spot_with_its_reason(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-001", "immediate"), now=MONDAY)
    later = MONDAY + timedelta(days=3)
    with pytest.raises(ValidationError, match="超期原因"):
        complete_on_spot(db, admin, number, "当场打印参保证明", now=later)
    assert complete_on_spot(db, admin, number, "当场打印参保证明", now=later, late_reason="系统故障") == "done"
    case = get_case(db, number)
    assert case is not None and '"overdue_days": 3' in case.events[-1][3]  # Tue, Wed, Thu


def test_termination_ends_a_case_without_a_decision(db: Database, admin: Actor,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main
    from app.services.cases.actions import terminate

    number = accept_case(db, admin, form(db, "SB-002", "promised"))
    with pytest.raises(ValidationError, match="终止原因"):
        terminate(db, admin, number, "")
    assert state(db, number) == "accepted"
    assert main(["--data-dir", str(db.path.parent), "cases", "terminate", number, "--reason", "申请人已去世"]) == 0
    assert "已终止" in capsys.readouterr().out and state(db, number) == "terminated"


def test_each_way_of_delivery_asks_for_its_own_facts() -> None:
    from app.services.cases.actions import DELIVERY_FIELDS
    from app.services.cases.lifecycle import DELIVERY_METHODS

    assert set(DELIVERY_FIELDS) == set(DELIVERY_METHODS)
    assert DELIVERY_FIELDS["pickup"] == ("receiver", "receiver_id") and "receiver_id" not in DELIVERY_FIELDS["agent"]


def test_the_command_line_completes_on_the_spot_and_lists_what_was_handed_over(
        db: Database, admin: Actor, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    data = ["--data-dir", str(db.path.parent)]
    immediate = accept_case(db, admin, form(db, "SB-001", "immediate"))
    assert main([*data, "cases", "onspot", immediate, "--result", "当场打印参保证明"]) == 0
    assert "已办结" in capsys.readouterr().out and state(db, immediate) == "done"
    number = accept_case(db, admin, form(db, "SB-002", "promised"))
    assert main([*data, "cases", "decide", number, "--approve", "--result", "准予", "--amount", "-5"]) == 1
    assert "金额不能为负数" in capsys.readouterr().err and state(db, number) == "accepted"
    assert main([*data, "cases", "decide", number, "--approve", "--result", "准予"]) == 0
    assert main([*data, "cases", "deliver", number, "--method", "pickup", "--receiver", "张桂芳", "--receiver-id", ID,
                 "--items", "决定告知书1份；核定表2份"]) == 0
    case = get_case(db, number)
    assert case is not None and '"items": [["决定告知书", 1], ["核定表", 2]]' in case.events[-1][3]


def test_the_plain_case_list_and_argument_errors_read_in_chinese(db: Database, admin: Actor,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    number = accept_case(db, admin, form(db, "SB-002", "promised"))
    data = ["--data-dir", str(db.path.parent)]
    assert main([*data, "cases", "list"]) == 0
    line = capsys.readouterr().out.splitlines()[0].split("\t")
    assert line[0] == number and line[1] == "承诺件" and line[5] == "办理中" and line[6] == "正常"
    with pytest.raises(SystemExit):
        main([*data, "cases", "decide", number, "--approve", "--deny"])
    assert "不能与 --approve 同时使用" in capsys.readouterr().err

"""One set of field rules for forms, services, imports and the centre (issue 9: what the window accepted,
the centre quarantined): lengths that fit the columns, and no invisible, control or bidi characters."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Text, func, select

from app.actor import Actor
from app.database import Database
from app.models import Case, CaseEvent, Department, Inquiry, Notice, OutboxEntry, Staff
from app.models.base import Base
from app.services import field_rules as rules
from app.services.cases.form import CaseForm, as_catalogued, validate_case
from app.services.cases.records import accept_case, get_case
from app.services.catalog import items as catalog
from app.services.errors import ValidationError
from app.services.id_numbers import id_check_digit
from app.services.inquiries.departments import SEED_DEPARTMENTS, DepartmentForm, save_department
from app.services.inquiries.notices import NoticeForm, create_notice
from app.services.inquiries.register import InquiryForm, register_inquiry
from app.services.people.staff import StaffForm, save_staff
from app.sync.tables import BadValue, columns, decode_row

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
NOW = datetime(2026, 9, 30, 10, 0, tzinfo=CN)
ID = "22082119850312" + "123"
ID += id_check_digit(ID)


def case_form(db: Database, code: str = "SB-002", **overrides: object) -> CaseForm:
    item = catalog.load_item(db, code)
    assert item is not None
    values: dict[str, object] = dict(
        item_code=code, case_class=item.default_case_class, applicant_name="张桂芳", applicant_id_number=ID,
        applicant_phone="13904367788", applicant_address="镇赉镇红旗村三组",
        received=as_catalogued(item, list(range(1, len(item.materials) + 1))),
    )
    values.update(overrides)
    return CaseForm(**values)  # type: ignore[arg-type]


def nothing_written(db: Database) -> bool:
    with db.session() as s:
        outbox = select(func.count()).where(OutboxEntry.table_name.in_(["case_file", "case_event"]))
        rows = [s.scalar(select(func.count()).select_from(t)) for t in (Case, CaseEvent)]
        return not any(rows) and not s.scalar(outbox)


def refused(db: Database, admin: Actor, form: CaseForm) -> str:
    """The Chinese reasons accept_case gives; fails the test if it accepted."""
    with pytest.raises(ValidationError) as info:
        accept_case(db, admin, form, now=NOW)
    return "；".join(info.value.errors)


def test_every_rule_fits_the_columns_it_is_stored_in() -> None:
    assert len(rules.ALL_RULES) >= 20
    for rule in rules.ALL_RULES:
        assert rule.columns, f"{rule.label}: no column named"
        for ref in rule.columns:
            table_name, column_name = ref.split(".")
            column = Base.metadata.tables[table_name].columns[column_name]
            length = getattr(column.type, "length", None)
            if length is None:
                assert isinstance(column.type, Text), ref
                assert rule.max_len <= rules.TEXT_LIMIT, ref
            else:
                assert rule.max_len <= length, f"{rule.label} allows {rule.max_len}, {ref} holds {length}"
    co = Base.metadata.tables["case_file"].columns["co_departments"]
    assert isinstance(co.type, Text) and rules.CO_DEPARTMENTS_MAX * (rules.CO_DEPARTMENT.max_len + 1) < 5000


@pytest.mark.parametrize("text", ["张\x00三", "张\u202e三", "张\u2066三\u2069", "\u200b张三", "张\u200d三", "张\ufeff三",
                                  "张\u00ad三", "张\u200f三", "张\x85三", "张\u3164三", "张\u2028三", "张\t三"])
def test_invisible_control_and_bidi_characters_are_refused_in_names(text: str) -> None:
    problem = rules.APPLICANT_NAME.check(text)
    assert problem is not None and problem.startswith("申请人姓名含有不可见或控制字符"), problem


@pytest.mark.parametrize("text", ["张三", "阿卜杜热合曼·买买提明", "𠮷野家", "John Smith", "张\ue000", "\u845b\U000e0100"])
def test_real_names_pass(text: str) -> None:
    assert rules.APPLICANT_NAME.check(text) is None  # Ext-B, private use and ideographic variation sequences


def test_free_text_keeps_line_breaks_and_tabs_but_no_other_controls() -> None:
    assert rules.CLASS_REASON.check("第一条\n第二条\t依据\r\n") is None
    assert rules.CLASS_REASON.check("👨\u200d👩\u200d👧") is None  # emoji joined by ZWJ
    for bad in ("a\x00b", "a\x1bb", "a\u202eb", "a\u2067b", "a\ufeffb", "a\x7fb"):
        problem = rules.CLASS_REASON.check(bad)
        assert problem is not None and "不可见或控制字符" in problem, bad
    assert rules.CLASS_REASON.check("理" * 501) == "改变办件类型的理由不能超过500个字"


def test_the_three_reported_inputs_are_refused_and_nothing_is_written(db: Database, admin: Actor) -> None:
    assert "申请人姓名含有不可见或控制字符（U+0000 空字符）" in refused(db, admin, case_form(db, applicant_name="张\x00三"))
    joint = case_form(db, "HJ-001", case_class="joint", lead_window="民" * 100, co_departments=["镇医疗保障服务站"])
    assert "牵头窗口不能超过60个字" in refused(db, admin, joint)
    agent = case_form(db, agent_name="李四", agent_relation="亲" * 30, agent_id_number=ID, agent_phone="13904360000")
    assert "代理人与申请人的关系不能超过20个字" in refused(db, admin, agent)
    assert nothing_written(db)


def test_bidi_override_and_long_reasons_are_refused_at_acceptance(db: Database, admin: Actor) -> None:
    assert "申请人姓名含有不可见或控制字符（U+202E 文字方向控制符）" in refused(
        db, admin, case_form(db, applicant_name="张\u202e三"))
    assert "地址含有不可见或控制字符" in refused(db, admin, case_form(db, applicant_address="红旗村\n三组"))
    huge = case_form(db, case_class="rejected", rejection_reason="据" * 70_000)
    assert "不予受理的依据和理由不能超过1000个字" in refused(db, admin, huge)
    many = case_form(db, "HJ-001", case_class="joint", lead_window="3号窗口",
                     co_departments=[f"部门{i}" for i in range(21)])
    assert "联办部门不能超过20个" in refused(db, admin, many)
    bad_id = case_form(db, applicant_id_type="passport", applicant_id_number="E1234\x005678")
    assert "证件号码含有不可见或控制字符" in refused(db, admin, bad_id)
    copies = case_form(db)
    copies.received[0].copies = 2**70
    assert "材料份数不能超过99份" in refused(db, admin, copies)
    assert "联系电话格式不正确" in refused(db, admin, case_form(db, applicant_phone="１３９０４３６７７８８"))
    assert nothing_written(db)


def test_long_but_legal_values_are_accepted_as_typed(db: Database, admin: Actor) -> None:
    name = "阿" * rules.PERSON_NAME
    joint = case_form(db, "HJ-001", case_class="joint", applicant_name=name, lead_window="窗" * rules.PLACE,
                      co_departments=["镇医疗保障服务站", "局" * rules.PLACE], agent_name="李四",
                      agent_relation="关" * rules.SHORT_LABEL, agent_id_number=ID, agent_phone="0436-1234567",
                      applicant_address="址" * rules.ADDRESS, missing_reason="")
    item = catalog.load_item(db, "HJ-001")
    assert validate_case(joint, item, date(2026, 9, 30)) == {}
    case = get_case(db, accept_case(db, admin, joint, now=NOW))
    assert case is not None
    assert (case.applicant_name, case.lead_window, case.agent_relation) == (name, "窗" * 60, "关" * 20)
    assert case.co_departments[1] == "局" * 60
    reason = "第一，\n第二，\t" + "理" * 990
    refusal = get_case(db, accept_case(db, admin, case_form(db, case_class="rejected", rejection_reason=reason),
                                       now=NOW))
    assert refusal is not None and refusal.rejection_reason == reason


def test_inquiries_notices_staff_and_departments_share_the_rules(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationError) as info:
        register_inquiry(db, admin, InquiryForm("王\u202e五", "13904367788", "onsite", "问低保", "answered",
                                                answer="已答复"), now=NOW)
    assert "咨询人姓名含有不可见或控制字符" in info.value.errors[0]
    with pytest.raises(ValidationError) as info:
        register_inquiry(db, admin, InquiryForm("王五", "13904367788", "onsite", "问低保", "answered",
                                                answer="答" * 2001), now=NOW)
    assert "答复内容不能超过2000个字" in info.value.errors
    with pytest.raises(ValidationError) as info:
        create_notice(db, admin, NoticeForm("SB-002", "王五", [], note="注\x00意"), now=NOW)
    assert "告知书备注含有不可见或控制字符" in info.value.errors[0]
    with pytest.raises(ValidationError) as info:
        save_staff(db, admin, StaffForm("1001", "赵\u200b六", "clerk", password="abc12345"))
    assert "姓名含有不可见或控制字符" in info.value.errors[0]
    with pytest.raises(ValidationError) as info:
        save_department(db, admin, DepartmentForm("镇\u2067派出所", "镇赉镇", "0436-1234567", "周一至周五"))
    assert "部门名称含有不可见或控制字符" in info.value.errors[0]
    with db.session() as s:
        assert not any(s.scalar(select(func.count()).select_from(t)) for t in (Inquiry, Notice))
        assert s.scalar(select(func.count()).select_from(Staff)) == 1  # the administrator only
        assert s.scalar(select(func.count()).select_from(Department)) == len(SEED_DEPARTMENTS)  # the seed only


def test_the_centre_decoder_refuses_nul_and_lone_surrogates() -> None:
    cols = columns("department")
    values = {"id": "d1", "name": "镇派出所", "duties": "", "address": "镇赉镇", "phone": "0436-1234567",
              "office_hours": "周一至周五", "active": True, "origin_node": "00",
              "created_at": "2026-09-30T02:00:00", "updated_at": "2026-09-30T02:00:00"}
    row = [values.get(c) for c in cols]
    assert decode_row("department", cols, row)["name"] == "镇派出所"
    for bad, reason in (("镇\x00派出所", "NUL"), ("镇\ud800派出所", "无效的字符编码")):
        row[cols.index("name")] = bad
        with pytest.raises(BadValue, match=reason):
            decode_row("department", cols, row)

"""Case acceptance: classes, validation, numbers that never repeat, deadlines and their history."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.actor import Actor
from app.database import Database
from app.models import Case, CaseEvent, OutboxEntry
from app.services.cases.form import CaseForm, Received, as_catalogued, validate_case
from app.services.cases.history import event_text
from app.services.cases.records import accept_case, complete_materials, get_case, list_cases
from app.services.catalog import items as catalog
from app.services.errors import ValidationError
from app.services.id_numbers import id_check_digit
from app.services.numbering import CASE_NUMBER

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
ID = "22082119850312" + "123"
ID += id_check_digit(ID)


def at(text: str) -> datetime:
    """A China-time moment, as the window clock shows it."""
    return datetime.fromisoformat(text).replace(tzinfo=CN)


def form(db: Database, code: str, case_class: str | None = None, seqs: list[int] | None = None,
         **overrides: object) -> CaseForm:
    item = catalog.load_item(db, code)
    assert item is not None
    values: dict[str, object] = dict(
        item_code=code,
        case_class=case_class or item.default_case_class,
        applicant_name="张桂芳",
        applicant_id_number=ID,
        applicant_phone="13904367788",
        applicant_address="镇赉镇红旗村三组",
        received=as_catalogued(item, seqs if seqs is not None else list(range(1, len(item.materials) + 1))),
    )
    values.update(overrides)
    return CaseForm(**values)  # type: ignore[arg-type]


def test_promised_case_across_national_day(db: Database, admin: Actor) -> None:
    # 城乡居民养老待遇领取: promised in 10 working days; received 2026-09-30
    number = accept_case(db, admin, form(db, "SB-002"), now=at("2026-09-30T10:00"))
    case = get_case(db, number)
    assert case is not None and CASE_NUMBER.match(number)
    assert number.startswith("22082110001" + "260930")
    assert (case.case_class, case.status, case.time_limit_days) == ("promised", "accepted", 10)
    # 10/08, 09, 10 (Saturday make-up), 12, 13, 14, 15, 16, 19, 20: the 10th working day is 10/20
    assert case.due_date == date(2026, 10, 20) and not case.provisional
    assert get_case(db, case.query_code) == case  # the query code finds it too
    with db.session() as s:
        assert s.scalar(select(func.count()).where(OutboxEntry.table_name == "case_file")) == 1
        assert s.scalar(select(func.count()).where(OutboxEntry.table_name == "case_event")) == 1


def test_deadline_into_2027_is_provisional(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SHJZ-001"), now=at("2026-12-10T09:00"))  # 20 working days
    case = get_case(db, number)
    assert case is not None and case.provisional and case.due_date is not None and case.due_date.year == 2027


def test_immediate_case_after_closing_is_due_next_working_day(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-003"), now=at("2026-11-20T17:45"))  # Friday evening
    case = get_case(db, number)
    assert case is not None and case.due_date == date(2026, 11, 23)
    same_day = get_case(db, accept_case(db, admin, form(db, "SB-003"), now=at("2026-11-20T10:00")))
    assert same_day is not None and same_day.due_date == date(2026, 11, 20)


def test_supplement_clock_starts_when_complete(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SHJZ-001", "supplement", seqs=[1, 2]), now=at("2026-11-02T09:00"))
    case = get_case(db, number)
    assert case is not None and case.status == "supplementing" and case.due_date is None
    assert len(complete_materials(db, admin, number, [3], now=at("2026-11-05T09:00"))) == 2  # a visit, still missing
    assert get_case(db, number).status == "supplementing"  # type: ignore[union-attr]
    assert complete_materials(db, admin, number, [4, 5], now=at("2026-11-05T09:00")) == []
    case = get_case(db, number)
    assert case is not None and case.status == "accepted" and case.case_class == "promised"
    assert case.clock_start == date(2026, 11, 5) and case.due_date == date(2026, 12, 3)  # 20 working days
    assert [e[1] for e in case.events] == ["accepted", "supplement_visit", "supplemented"]
    text = event_text(case.events[-1][3])
    assert "实收：4号（原件收1）、5号（原件收1）" in text  # what was actually brought this time (3 came before)
    assert "类型：承诺件" in text and "原类型：补办件" in text  # the class change is recorded


def test_rejected_case_needs_a_reason(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationError):
        accept_case(db, admin, form(db, "SHJZ-001", "rejected"))
    number = accept_case(db, admin, form(db, "SHJZ-001", "rejected",
                                         rejection_reason="家庭人均收入高于当地低保标准（《最低生活保障审核确认办法》第十条）"))
    case = get_case(db, number)
    assert case is not None and case.status == "rejected" and case.due_date is None


def test_joint_case_names_lead_and_co_departments(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationError) as info:
        accept_case(db, admin, form(db, "HJ-001"))
    assert any("牵头窗口" in e for e in info.value.errors)
    number = accept_case(db, admin, form(db, "HJ-001", lead_window="3号户籍窗口",
                                         co_departments=["镇医疗保障服务站", "镇社会保障服务中心"]))
    case = get_case(db, number)
    assert case is not None and case.co_departments == ("镇医疗保障服务站", "镇社会保障服务中心")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"applicant_name": ""}, "applicant_name"),
        ({"applicant_id_number": ID[:-1] + ("0" if ID[-1] != "0" else "1")}, "applicant_id_number"),
        ({"applicant_phone": "1390436"}, "applicant_phone"),
        ({"applicant_address": ""}, "applicant_address"),
        ({"agent_name": "李四"}, "agent_relation"),
        ({"agent_name": "李四", "agent_relation": "子女", "agent_id_number": "123"}, "agent_id_number"),
        ({"case_class": "promised", "class_reason": ""}, "class_reason"),
        ({"applicant_kind": "organisation", "applicant_id_number": "91350100M000100Y44"}, "applicant_id_number"),
    ],
)
def test_invalid_input_is_refused_and_nothing_saved(db: Database, admin: Actor, overrides: dict[str, object],
                                                   field: str) -> None:
    item_code = "SB-003"  # immediate by default, so "promised" needs a reason
    case_form = form(db, item_code, **overrides)
    assert field in validate_case(case_form, catalog.load_item(db, item_code))
    with pytest.raises(ValidationError):
        accept_case(db, admin, case_form)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0


def test_missing_material_means_supplement_or_a_reason(db: Database, admin: Actor) -> None:
    case_form = form(db, "SB-002", seqs=[1, 2])
    errors = validate_case(case_form, catalog.load_item(db, "SB-002"))
    assert "应作为补办件" in errors["missing_reason"]
    case_form.missing_reason = "容缺受理：申请表当场补签"
    assert "missing_reason" not in validate_case(case_form, catalog.load_item(db, "SB-002"))
    assert "不应作为补办件" in validate_case(form(db, "SB-002", "supplement"), catalog.load_item(db, "SB-002"))["case_class"]


def test_organisation_applicant(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SP-002", applicant_kind="organisation", applicant_name="镇赉县红旗村股份经济合作社",
                                         applicant_id_number="N2" + "220821MA1234567"[:15] + _uscc("N2220821MA1234567"),
                                         contact_name="王会计"))
    case = get_case(db, number)
    assert case is not None and case.applicant_id_type == "uscc"


def _uscc(first17: str) -> str:
    from app.services.id_numbers import uscc_check_char

    return uscc_check_char(first17)


def test_numbers_unique_and_never_reused_after_a_restored_backup(db: Database, admin: Actor, tmp_path: Path) -> None:
    moment = at("2026-11-20T09:00")
    first = accept_case(db, admin, form(db, "SB-003"), now=moment)
    backup = tmp_path / "backup.sqlite3"
    db.dispose()
    shutil.copy(db.path, backup)
    second = accept_case(db, admin, form(db, "SB-003"), now=moment)
    assert int(second[-5:]) == int(first[-5:]) + 1
    db.dispose()
    shutil.copy(backup, db.path)  # the window restores yesterday's backup: `second` is gone from the DB
    for suffix in ("-wal", "-shm"):
        Path(str(db.path) + suffix).unlink(missing_ok=True)
    third = accept_case(db, admin, form(db, "SB-003"), now=moment)
    assert third not in {first, second} and int(third[-5:]) == int(second[-5:]) + 1
    assert [c.number for c in list_cases(db)] == [third, first]


def test_case_history_and_search(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-003"))
    assert [c.number for c in list_cases(db, text="张桂")] == [number]
    assert [c.number for c in list_cases(db, text=ID[-6:])] == [number]
    with db.session() as s:
        event = s.scalars(select(CaseEvent)).one()
        assert json.loads(event.details)["class"] == "immediate"


def test_calendar_import_recomputes_open_deadlines(db: Database, admin: Actor, tmp_path: Path) -> None:
    from app.services.calendar.holidays import import_calendar, read_calendar_file

    number = accept_case(db, admin, form(db, "SB-002"), now=at("2026-12-28T09:00"))  # 10 working days
    before = get_case(db, number)
    assert before is not None and before.provisional and before.due_date == date(2027, 1, 11)
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n2027-01-01,休,元旦\n", encoding="utf-8")
    import_calendar(db, admin, read_calendar_file(path), "2027.csv")
    after = get_case(db, number)
    assert after is not None and not after.provisional and after.due_date == date(2027, 1, 12)
    recomputed = [e for e in after.events if e[1] == "deadline_recomputed"]
    assert len(recomputed) == 1 and json.loads(recomputed[0][3])["to"] == "2027-01-12"


def test_received_counts_may_differ_from_the_catalogue(db: Database, admin: Actor) -> None:
    case_form = form(db, "SB-003")
    case_form.received[0] = Received(1, originals_checked=1, copies=2)
    case = get_case(db, accept_case(db, admin, case_form))
    assert case is not None and case.received[0]["copies"] == 2


def test_special_procedure_time_is_not_counted(db: Database, admin: Actor) -> None:
    from app.services.cases.deadlines import pause_case, resume_case

    number = accept_case(db, admin, form(db, "YB-003"), now=at("2026-11-02T09:00"))  # 慢特病: 15 working days
    case = get_case(db, number)
    assert case is not None and case.due_date == date(2026, 11, 23)
    with pytest.raises(ValidationError, match="特别程序应为"):
        pause_case(db, admin, number, "喝茶", date(2026, 11, 4), 3)
    pause_case(db, admin, number, "专家评审", date(2026, 11, 4), 3, now=at("2026-11-04T09:00"))
    with pytest.raises(ValidationError, match="当前为“特别程序中”，不能进入特别程序"):
        pause_case(db, admin, number, "鉴定", date(2026, 11, 5), 3, now=at("2026-11-05T09:00"))
    resume_case(db, admin, number, date(2026, 11, 6), now=at("2026-11-06T17:00"))
    case = get_case(db, number)
    assert case is not None and case.due_date == date(2026, 11, 26)  # 11/04-06: three working days excluded
    with pytest.raises(ValidationError, match="当前为“办理中”，不能结束特别程序"):
        resume_case(db, admin, number, date(2026, 11, 7))


def test_extension_is_approved_by_a_director_with_their_password(db: Database, admin: Actor) -> None:
    from app.services.cases.deadlines import extend_case
    from app.services.errors import AuthError, PermissionDenied
    from app.services.people.auth import login
    from app.services.people.staff import StaffForm, save_staff

    save_staff(db, admin, StaffForm("0001", "刘国庆", "director", password="zhuren123"))
    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", password="pass1234"))
    clerk = login(db, "1001", "pass1234")
    number = accept_case(db, admin, form(db, "SB-002"), now=at("2026-11-02T09:00"))  # due 11/16
    with pytest.raises(ValidationError, match="写明理由"):
        extend_case(db, clerk, number, 5, "", "0001", "zhuren123")
    with pytest.raises(AuthError, match="密码错误"):
        extend_case(db, clerk, number, 5, "需上级复核", "0001", "wrong-pass", now=at("2026-11-10T09:00"))
    with pytest.raises(PermissionDenied, match="中心主任批准"):
        extend_case(db, clerk, number, 5, "需上级复核", "1001", "pass1234", now=at("2026-11-10T09:00"))
    extend_case(db, clerk, number, 5, "需上级社保经办机构复核", "0001", "zhuren123", now=at("2026-11-10T09:00"))
    case = get_case(db, number)
    assert case is not None and case.due_date == date(2026, 11, 23)
    assert [e[1] for e in case.events] == ["accepted", "extended", "deadline_recomputed"]
    assert "批准人：刘国庆；批准人工号：0001" in event_text(case.events[1][3])
    with pytest.raises(ValidationError, match="超期后不能再申请延期"):
        extend_case(db, clerk, number, 3, "再次复核", "0001", "zhuren123", now=at("2026-11-25T09:00"))


def test_an_extension_beyond_the_legal_limit_needs_its_basis(db: Database, admin: Actor) -> None:
    from app.services.cases.deadlines import extend_case
    from app.services.people.staff import StaffForm, save_staff

    save_staff(db, admin, StaffForm("0001", "刘国庆", "director", password="zhuren123"))
    number = accept_case(db, admin, form(db, "SB-002"), now=at("2026-11-02T09:00"))
    case = get_case(db, number)
    assert case is not None
    room = case.item.legal_limit_days - case.time_limit_days  # what the law allows beyond the promise
    with pytest.raises(ValidationError, match="法定时限"):
        extend_case(db, admin, number, room + 1, "复核", "0001", "zhuren123", now=at("2026-11-03T09:00"))
    extend_case(db, admin, number, room + 1, "复核", "0001", "zhuren123", legal_basis="《条例》第三十二条",
                now=at("2026-11-03T09:00"))


def test_search_by_name_parts_id_fragment_phone_and_codes(db: Database, admin: Actor) -> None:
    names = ["张桂芳", "王桂兰", "欧阳建国", "李芳"]
    numbers = {}
    for i, name in enumerate(names):
        serial = f"{i:03d}"
        first17 = "22082119850312" + serial
        numbers[name] = accept_case(db, admin, form(db, "SB-003", applicant_name=name,
                                                    applicant_id_number=first17 + id_check_digit(first17),
                                                    applicant_phone=f"1390436{i:04d}"))

    def found(text: str) -> set[str]:
        return {c.applicant_name for c in list_cases(db, text=text)}

    assert found("张桂") == {"张桂芳"}  # start of a name
    assert found("桂芳") == {"张桂芳"}  # end of a name
    assert found("芳") == {"张桂芳", "李芳"}  # one character: the first or the last of a name
    assert found("李") == {"李芳"}
    assert found("欧阳") == {"欧阳建国"}
    assert found("建国") == {"欧阳建国"}
    assert found("03120") == set(names)  # ID fragment, trigram index
    assert found("0312003") == {"李芳"}
    for name in names:  # the last six characters of each ID, through the reversed-ID index
        case = get_case(db, numbers[name])
        assert case is not None and found(case.applicant_id_number[-6:].lower()) == {name}
    assert found("13904360002") == {"欧阳建国"}  # phone
    assert found(numbers["王桂兰"]) == {"王桂兰"}
    case = get_case(db, numbers["王桂兰"])
    assert case is not None and found(case.query_code.lower()) == {"王桂兰"}
    assert found('"; DROP') == set()  # quotes are data, not syntax


def test_centre_defined_case_class(db: Database, admin: Actor) -> None:
    from app.services.documents import slip_document
    from app.services.settings import CenterSettings, save_settings
    from tests.pdf_helpers import flat, pdf_text

    with pytest.raises(ValidationError):
        accept_case(db, admin, form(db, "SB-002", "x:上报件", class_reason="需报县级审批"))
    with pytest.raises(ValidationError):
        save_settings(db, admin, CenterSettings(extra_case_classes="上报"))
    save_settings(db, admin, CenterSettings(extra_case_classes="上报件"))
    number = accept_case(db, admin, form(db, "SB-002", "x:上报件", class_reason="需报县级审批"),
                         now=at("2026-11-02T09:00"))
    case = get_case(db, number)
    assert case is not None and case.class_label == "上报件" and case.due_date == date(2026, 11, 16)
    text = flat(pdf_text(slip_document(db, number)[0]))
    assert "上报件通知书" in text and "前办结" in text


def test_migration_0006_indexes_existing_cases(db: Database, admin: Actor) -> None:
    from app.migrations import migrate, upgrade

    number = accept_case(db, admin, form(db, "SB-003"))
    db.dispose()
    migrate(db.path, "0005", "downgrade")  # as a database from before the reversed-ID column
    upgrade(db.path)
    assert [c.number for c in list_cases(db, text=ID[-6:])] == [number]
    assert [c.number for c in list_cases(db, text="张桂")] == [number]


def test_a_whole_number_is_found_whatever_the_state_filter(db: Database, admin: Actor) -> None:
    """After 当场办结 the 预警 list no longer shows the case; typing or scanning its number still finds it."""
    from app.services.cases.actions import complete_on_spot
    from app.services.cases.records import URGENT, page_cases

    number = accept_case(db, admin, form(db, "SB-001", "immediate"))
    complete_on_spot(db, admin, number, "当场打印参保证明")
    assert page_cases(db, "", URGENT).total == 0
    assert [c.number for c in page_cases(db, number, URGENT).rows] == [number]
    assert [c.number for c in page_cases(db, f"{number}#ABCD1234", "accepted").rows] == [number]
    assert page_cases(db, number[:12], URGENT).total == 0  # a fragment still keeps the filter

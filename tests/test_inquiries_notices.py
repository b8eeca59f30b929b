"""First-inquiry register and one-time notices: rules, numbering, links, print log."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.actor import Actor
from app.database import Database
from app.models import Inquiry, Notice, OutboxEntry, PrintRecord
from app.services.catalog import items as catalog
from app.services.errors import PermissionDenied, ValidationError
from app.services.inquiries.departments import DepartmentForm, list_departments, save_department
from app.services.inquiries.notices import (
    NoticeForm,
    create_notice,
    get_notice,
    list_notices,
    print_count,
    record_print,
)
from app.services.inquiries.register import InquiryFilter, InquiryForm, export_xlsx, list_inquiries, register_inquiry
from app.services.masking import mask_id, mask_phone
from app.services.numbering import looks_like, spaced

NOW = datetime(2026, 11, 20, 2, 30, tzinfo=UTC)


@pytest.fixture
def department(db: Database, admin: Actor) -> str:
    seeded = {d.name: d.id for d in list_departments(db)}  # set-up seeds it: the admin puts in the real line
    return save_department(db, admin, DepartmentForm("县不动产登记中心", "县政务服务中心一楼", "0436-7221101",
                                                     "周一至周五 8:30—17:00", "不动产登记"), seeded["县不动产登记中心"])


def form(**overrides: object) -> InquiryForm:
    values: dict[str, object] = dict(citizen_name="张桂芳", citizen_phone="13904367788", channel="onsite",
                                     question="低保怎么申请？", outcome="answered", answer="请带户口簿和身份证到2号窗口。")
    values.update(overrides)
    return InquiryForm(**values)  # type: ignore[arg-type]


def test_inquiry_records_first_responder_and_number(db: Database, admin: Actor) -> None:
    record = register_inquiry(db, admin, form(item_code="SHJZ-001"), now=NOW)
    assert looks_like(record.number, "inquiry") and record.number[2:13] == "22082110001"
    assert (record.responder_name, record.responder_no) == ("王管理", "admin")
    assert record.item_name == "城乡居民最低生活保障申请"
    second = register_inquiry(db, admin, form(), now=NOW)
    assert int(second.number[-4:]) == int(record.number[-4:]) + 1
    with db.session() as s:
        assert s.scalar(select(func.count()).where(OutboxEntry.table_name == "inquiry")) == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"citizen_name": ""}, "citizen_name"),
        ({"citizen_phone": "12345"}, "citizen_phone"),
        ({"citizen_phone": ""}, "citizen_phone"),
        ({"channel": "wechat"}, "channel"),
        ({"question": "  "}, "question"),
        ({"outcome": "refused"}, "outcome"),  # refusing is not an outcome that exists
        ({"answer": ""}, "answer"),
        ({"outcome": "notice", "item_code": ""}, "item_code"),
        ({"outcome": "referred", "answer": "不属本中心"}, "department_id"),
    ],
)
def test_bad_inquiries_are_refused_and_nothing_is_written(
    db: Database, admin: Actor, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError):
        register_inquiry(db, admin, form(**overrides))
    from app.services.inquiries.register import validate_inquiry

    assert field in validate_inquiry(form(**overrides))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Inquiry)) == 0


def test_referral_needs_department_and_reason(db: Database, admin: Actor, department: str) -> None:
    with pytest.raises(ValidationError, match="首问登记信息不完整"):
        register_inquiry(db, admin, form(outcome="referred", answer="", department_id=department))
    record = register_inquiry(db, admin, form(outcome="referred", answer="过户属不动产登记。", department_id=department))
    assert record.department_name == "县不动产登记中心" and record.department_phone == "0436-7221101"
    assert record.follow_up == "转介至县不动产登记中心"


def test_register_filters(db: Database, admin: Actor, department: str) -> None:
    register_inquiry(db, admin, form(citizen_name="甲", channel="phone"), now=NOW - timedelta(days=3))
    register_inquiry(db, admin, form(citizen_name="乙", outcome="referred", answer="不属本中心", department_id=department),
                     now=NOW)
    register_inquiry(db, admin, form(citizen_name="丙", question="护照在哪里办"), now=NOW)
    day = NOW.astimezone().date()
    assert {r.citizen_name for r in list_inquiries(db, InquiryFilter(date_from=day, date_to=day))} == {"乙", "丙"}
    assert [r.citizen_name for r in list_inquiries(db, InquiryFilter(channel="phone"))] == ["甲"]
    assert [r.citizen_name for r in list_inquiries(db, InquiryFilter(outcome="referred"))] == ["乙"]
    assert [r.citizen_name for r in list_inquiries(db, InquiryFilter(text="护照"))] == ["丙"]
    assert list_inquiries(db, InquiryFilter(responder_no="nobody")) == []


def test_notice_lists_missing_and_links_to_inquiry(db: Database, admin: Actor) -> None:
    inquiry = register_inquiry(db, admin, form(outcome="notice", item_code="HJ-001", answer=""))
    number = create_notice(db, admin, NoticeForm("HJ-001", "张桂芳", [1, 2, 5], "13904367788", inquiry_id=inquiry.id),
                           now=NOW)
    record = get_notice(db, number)
    assert record is not None and looks_like(number, "notice")
    assert [m.name for _, m in record.missing] == ["居民户口簿", "新生儿一寸照片"]
    assert [m.name for _, m in record.missing_conditional] == ["结婚证"]
    assert record.inquiry_number == inquiry.number
    assert list_inquiries(db)[0].notice_numbers == (number,)
    assert list_notices(db)[0].missing_count == 2


def test_notice_keeps_the_item_as_told(db: Database, admin: Actor) -> None:
    number = create_notice(db, admin, NoticeForm("SHJZ-001", "高建华", [1]))
    item = catalog.load_item(db, "SHJZ-001")
    assert item is not None
    catalog.apply_items(db, admin, [replace(item, name="低保申请（新版）", materials=item.materials[:3], version=2)],
                        source="test")
    record = get_notice(db, number)
    assert record is not None
    assert record.item.name == "城乡居民最低生活保障申请" and len(record.item.materials) == 7


def test_bad_notices_are_refused(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="告知书信息有误"):
        create_notice(db, admin, NoticeForm("SHJZ-001", "", []))
    with pytest.raises(ValidationError) as info:
        create_notice(db, admin, NoticeForm("SHJZ-001", "张三", [99]))
    assert "不在该事项的材料清单中" in "；".join(info.value.errors)
    with pytest.raises(ValidationError) as info:
        create_notice(db, admin, NoticeForm("NOPE-1", "张三", []))
    assert "没有编码为 NOPE-1" in "；".join(info.value.errors)
    catalog.retire_item(db, admin, "SP-003", NOW.date() - timedelta(days=1))
    with pytest.raises(ValidationError) as info:
        create_notice(db, admin, NoticeForm("SP-003", "张三", []), now=NOW)
    assert "已于" in "；".join(info.value.errors)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Notice)) == 0


def test_print_log_marks_reprints(db: Database, admin: Actor) -> None:
    number = create_notice(db, admin, NoticeForm("SB-003", "张三", [1]))
    assert print_count(db, "notice", number) == 0
    assert record_print(db, admin, "notice", number, "printer") is False
    assert record_print(db, admin, "notice", number, "pdf") is True
    with db.session() as s:
        rows = s.scalars(select(PrintRecord).order_by(PrintRecord.printed_at)).all()
        assert [(r.reprint, r.target, r.staff_name) for r in rows] == [(False, "printer", "王管理"), (True, "pdf", "王管理")]


def test_numbers_are_unique_per_day_and_readable(db: Database, admin: Actor) -> None:
    numbers = [create_notice(db, admin, NoticeForm("SB-003", f"申请人{i}", []), now=NOW) for i in range(3)]
    next_day = create_notice(db, admin, NoticeForm("SB-003", "次日", []), now=NOW + timedelta(days=1))
    assert len(set(numbers)) == 3 and next_day.endswith("0001")
    assert spaced(numbers[0]).split() == ["GZ", "220821100", "01", numbers[0][13:19], "0001"]


def test_masking() -> None:
    assert mask_phone("13904367788") == "139****7788"
    assert mask_phone("0436-6123456") == "0436-*****56"
    assert mask_id("220821199001011234") == "220821********1234"


def test_directory_is_admin_only_and_validated(db: Database, admin: Actor) -> None:
    from app.services.people.auth import login
    from app.services.people.staff import StaffForm, save_staff

    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", password="pass1234"))
    clerk = login(db, "1001", "pass1234")
    good = DepartmentForm("县残联", "县政务服务中心", "0436-7221106", "周一至周五")
    with pytest.raises(PermissionDenied):
        save_department(db, clerk, good)
    with pytest.raises(ValidationError):
        save_department(db, admin, DepartmentForm("", "", "12", ""))
    save_department(db, admin, good)
    with pytest.raises(ValidationError, match="已在名录中"):
        save_department(db, admin, good)
    assert [d.name for d in list_departments(db)].count("县残联") == 1


def test_export_xlsx(db: Database, admin: Actor, tmp_path: Path, department: str) -> None:
    register_inquiry(db, admin, form(outcome="referred", answer="不属本中心", department_id=department))
    path = tmp_path / "register.xlsx"
    export_xlsx(list_inquiries(db), path)
    sheet = load_workbook(path)["首问登记簿"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "登记号" and rows[1][2] == "张桂芳" and rows[1][3] == "13904367788"
    assert rows[1][10] == "县不动产登记中心"
    with pytest.raises(ValidationError):
        export_xlsx([], tmp_path / "register.csv")


def test_demo_data_fills_once(db: Database, admin: Actor) -> None:
    from app.services.demo_data import DEMO_INQUIRIES, fill_demo_data

    assert fill_demo_data(db, admin) == len(DEMO_INQUIRIES)
    assert fill_demo_data(db, admin) == 0
    records = list_inquiries(db)
    assert {r.outcome for r in records} == {"answered", "notice", "referred"}
    assert len(list_notices(db)) == sum(1 for row in DEMO_INQUIRIES if row[6] == "notice")
    assert all(r.department_name for r in records if r.outcome == "referred")
    with db.session() as s:
        snapshot = json.loads(s.scalars(select(Notice.item_snapshot)).first() or "{}")
    assert snapshot["materials"]


def test_notice_numbers_survive_a_restored_backup(db: Database, admin: Actor, tmp_path: Path) -> None:
    import shutil

    first = create_notice(db, admin, NoticeForm("SB-003", "甲", []), now=NOW)
    db.dispose()
    shutil.copy(db.path, tmp_path / "backup.sqlite3")
    second = create_notice(db, admin, NoticeForm("SB-003", "乙", []), now=NOW)
    db.dispose()
    shutil.copy(tmp_path / "backup.sqlite3", db.path)
    for suffix in ("-wal", "-shm"):
        Path(str(db.path) + suffix).unlink(missing_ok=True)
    third = create_notice(db, admin, NoticeForm("SB-003", "丙", []), now=NOW)
    assert len({first, second, third}) == 3 and third > second

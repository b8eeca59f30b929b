"""Printed documents: content, barcodes, embedded fonts, masking, watermark, repeatability."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.actor import Actor
from app.database import Database
from app.services.documents import ledger_document, notice_document, referral_document
from app.services.inquiries.departments import DepartmentForm, save_department
from app.services.inquiries.notices import NoticeForm, create_notice, get_notice, record_print
from app.services.inquiries.register import InquiryFilter, InquiryForm, register_inquiry
from tests.pdf_helpers import barcodes, flat, pdf_text, render, unembedded_fonts

NOW = datetime(2026, 11, 20, 2, 30, tzinfo=UTC)


@pytest.fixture
def joint_notice(db: Database, admin: Actor) -> str:
    # 新生儿出生登记 is a joint item: 6 materials; the citizen has 1, 2 and 5 (missing: 3 and 6, optional: 4)
    return create_notice(db, admin, NoticeForm("HJ-001", "张桂芳", [1, 2, 5], "13904367788"), now=NOW)


def test_notice_names_every_missing_material_and_no_present_one(db: Database, joint_notice: str) -> None:
    data, reprint = notice_document(db, joint_notice)
    assert not reprint
    text = flat(pdf_text(data))
    record = get_notice(db, joint_notice)
    assert record is not None
    summary = re.search(r"尚缺材料（共(\d+)项），请补齐后再来办理：(.*?)。", text)
    assert summary is not None
    assert int(summary.group(1)) == 2
    for _, material in record.missing:
        assert flat(material.name) in summary.group(2)
    for seq, material in enumerate(record.item.materials, start=1):
        if record.is_present(seq):
            assert flat(material.name) not in summary.group(2)
    table = text[: summary.start()]  # the material table comes before the summary line
    assert table.count("已提交") == 3 and table.count("尚缺") == 2 and table.count("如适用须补") == 1
    for part in ("一次性告知书", joint_notice, "张桂芳", "139****7788", "新生儿出生登记", "HJ-001", "受理条件",
                 "办理流程", "法定时限10个工作日", "承诺时限5个工作日", "不收费", "办理地点和时间",
                 "联办部门要求", "镇医疗保障服务站", "镇社会保障服务中心", "经办人：王管理", "工号：admin",
                 "监督电话：0436-7312345", "签字"):
        assert flat(part) in text, part


def test_notice_barcode_decodes_at_200_dpi(db: Database, joint_notice: str) -> None:
    data, _ = notice_document(db, joint_notice)
    assert ("Code128", joint_notice) in barcodes(data, dpi=200)


def test_documents_embed_every_font_and_render_chinese(db: Database, joint_notice: str) -> None:
    data, _ = notice_document(db, joint_notice)
    assert unembedded_fonts(data) == []
    # rendered with PDFium and no Chinese font on the machine: the title area must carry ink
    page = render(data, dpi=100)[0].convert("L")
    width, height = page.size
    title = page.crop((int(width * 0.2), int(height * 0.06), int(width * 0.5), int(height * 0.12)))
    dark = title.point(lambda value: 255 if value < 128 else 0).histogram()[255]
    assert dark > 500


def test_reprint_is_marked_and_output_is_repeatable(db: Database, admin: Actor, joint_notice: str) -> None:
    first, _ = notice_document(db, joint_notice)
    assert first == notice_document(db, joint_notice)[0]
    assert "补打" not in pdf_text(first)
    record_print(db, admin, "notice", joint_notice, "printer")
    again, reprint = notice_document(db, joint_notice, now=NOW)
    assert reprint and "补打" in pdf_text(again)
    assert again == notice_document(db, joint_notice, now=NOW)[0]


def test_training_pages_carry_the_watermark(tmp_path: Path) -> None:
    from app.services.inquiries.notices import list_notices
    from app.services.people.auth import login
    from app.services.training import TRAINING_PASSWORD
    from app.startup import open_workstation

    db, _ = open_workstation(tmp_path / "t", training=True)
    try:
        clerk = login(db, "8001", TRAINING_PASSWORD)
        number = create_notice(db, clerk, NoticeForm("SB-003", "张三", []))
        text = pdf_text(notice_document(db, number)[0])
        assert "培训" in text and "不作正式凭证" in text
        assert len(list_notices(db)) > 1  # demo notices are there too
    finally:
        db.dispose()


def test_real_pages_carry_no_watermark(db: Database, joint_notice: str) -> None:
    assert "不作正式凭证" not in pdf_text(notice_document(db, joint_notice)[0])


def test_referral_slip(db: Database, admin: Actor) -> None:
    department = save_department(db, admin, DepartmentForm("县公安局出入境管理大队", "县政务服务中心二楼", "0436-7221103",
                                                            "周一至周六 8:30—16:30", "护照、港澳台通行证"))
    record = register_inquiry(
        db, admin,
        InquiryForm("李建国", "13904365678", "phone", "护照在哪里办？", "referred", answer="护照由公安出入境部门办理。",
                    department_id=department),
    )
    data, _ = referral_document(db, record.number)
    text = flat(pdf_text(data))
    for part in ("转介告知单", "李建国", "139****5678", "护照由公安出入境部门办理", "县公安局出入境管理大队",
                 "县政务服务中心二楼", "0436-7221103", "周一至周六", "王管理"):
        assert flat(part) in text, part
    assert ("Code128", record.number) in barcodes(data)
    assert unembedded_fonts(data) == []
    with pytest.raises(Exception, match="没有编号为"):
        referral_document(db, "SW000")


def test_ledger_masks_phone_and_id_numbers(db: Database, admin: Actor) -> None:
    register_inquiry(db, admin, InquiryForm("孙立国", "13604361234", "onsite",
                                            "身份证220821199001011234丢了，电话13904360000", "answered", answer="到派出所补办"))
    data = ledger_document(db, InquiryFilter(), "王管理（admin）")
    text = flat(pdf_text(data))
    assert "孙立国" in text and "136****1234" in text
    assert "13604361234" not in text and "220821199001011234" not in text and "13904360000" not in text
    assert "220821********1234" in text
    assert unembedded_fonts(data) == []


def test_centre_supervision_phone_overrides_the_items(db: Database, admin: Actor, joint_notice: str) -> None:
    from app.services.settings import CenterSettings, save_settings

    save_settings(db, admin, CenterSettings(supervise_phone="0436-7310000"))
    text = flat(pdf_text(notice_document(db, joint_notice)[0]))
    assert "监督电话：0436-7310000" in text and "0436-7312345" not in text

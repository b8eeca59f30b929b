"""Issue 11: the 代办受理单 an agent hands a villager: the agency point, the 代办员, the township that will
handle the case, the materials, and the number as Code128 and QR code."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.actor import Actor
from app.database import Database
from app.printing.agency_receipt_pdf import AgencyReceiptSheet, agency_receipt_pdf
from app.services.cases.records import accept_case, get_case
from app.services.documents import case_sheet
from app.services.people.auth import login
from app.services.people.staff import StaffForm, save_staff
from tests.conftest import ADMIN_PASSWORD
from tests.pdf_helpers import barcodes, flat, pdf_text, render, unembedded_fonts
from tests.test_agency_items import agency_point
from tests.test_cases import form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 2, 9, 30, tzinfo=CN)
POINT = "红旗村民生服务代办点"
PNG_DIR = Path("/tmp/agency_png")


@pytest.fixture
def agency_db(tmp_path: Path) -> Iterator[Database]:
    yield from agency_point(tmp_path / "agency")


@pytest.fixture
def agent(agency_db: Database) -> Actor:
    admin = login(agency_db, "admin", ADMIN_PASSWORD)
    save_staff(agency_db, admin, StaffForm("1101", "王村官", "agent", POINT, "13904361101", password="pass1234"))
    return login(agency_db, "1101", "pass1234")


def sheet_for(db: Database, number: str) -> AgencyReceiptSheet:
    record = get_case(db, number)
    assert record is not None
    return AgencyReceiptSheet(case_sheet(db, record, None), agency_name=POINT, agency_phone="0436-7221101")


def save_pngs(data: bytes, name: str) -> None:
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    for page, image in enumerate(render(data, 150), 1):
        image.save(PNG_DIR / f"{name}-{page}.png")


def test_the_agency_receipt_names_the_point_the_agent_and_the_township(agency_db: Database, agent: Actor) -> None:
    number = accept_case(agency_db, agent, form(agency_db, "SB-002", agent_name="张建国", agent_relation="子女",
                                                agent_id_type="resident", agent_id_number="220821198003121231"),
                         now=MONDAY)
    sheet = sheet_for(agency_db, number)
    data = agency_receipt_pdf(sheet)
    save_pngs(data, "agency-receipt-promised")
    text = flat(pdf_text(data))
    for expected in ("代办受理单", f"镇赉镇民生服务中心{POINT}代办受理单", "代办员：王村官", "工号：1101",
                     f"代办点：{POINT}", "代办点电话：0436-7221101", "办理单位镇赉镇民生服务中心", "代办专用章",
                     "城乡居民基本养老保险待遇领取", "代办时间2026年11月02日09:30", "承诺办结日期2026年11月16日",
                     "随《移交清单》送交镇赉镇民生服务中心窗口", "代办员签字", sheet.case.query_code):
        assert flat(expected) in text, expected
    assert "受理人" not in text and "经办人" not in text and "受理专用章" not in text
    assert "220821********1231" in text and "220821198003121231" not in text  # the agent's ID is masked
    found = barcodes(data)
    assert ("Code128", number) in found and ("QRCode", f"{number}#{sheet.case.query_code}") in found
    assert unembedded_fonts(data) == []
    assert agency_receipt_pdf(sheet) == data  # byte for byte: a reprint renders the same paper


def test_an_incomplete_file_gets_a_receipt_of_papers_only(agency_db: Database, agent: Actor) -> None:
    number = accept_case(agency_db, agent, form(agency_db, "SHJZ-001", "supplement", seqs=[1]), now=MONDAY)
    sheet = sheet_for(agency_db, number)
    data = agency_receipt_pdf(sheet)
    save_pngs(data, "agency-receipt-supplement")
    text = flat(pdf_text(data))
    assert "代办收件单" in text and "代办受理单" not in text and "材料补齐后确定" in text
    assert all(flat(name) in text for name in sheet.case.missing) and "请补齐" in text
    assert ("Code128", number) in barcodes(data)


def test_training_and_reprint_marks(agency_db: Database, agent: Actor) -> None:
    from dataclasses import replace

    number = accept_case(agency_db, agent, form(agency_db, "SB-001"), now=MONDAY)
    sheet = sheet_for(agency_db, number)
    data = agency_receipt_pdf(replace(sheet, case=replace(sheet.case, training=True, reprint_at="2026年11月03日 10:00")))
    save_pngs(data, "agency-receipt-training-reprint")
    text = flat(pdf_text(data))
    assert "补打2026年11月03日10:00" in text and "培训" in text


def test_kept_as_issued_it_reprints_the_same_paper_marked(agency_db: Database, agent: Actor) -> None:
    """The sheet goes to JSON and back (documents kept as issued) and a reprint only adds its 补打 line."""
    from dataclasses import replace

    from app.printing import sheet_json

    number = accept_case(agency_db, agent, form(agency_db, "SB-002"), now=MONDAY)
    sheet = sheet_for(agency_db, number)
    stored = sheet_json.load(AgencyReceiptSheet, sheet_json.dump(sheet))
    assert stored == sheet and agency_receipt_pdf(stored) == agency_receipt_pdf(sheet)
    again = agency_receipt_pdf(replace(stored, reprint_at="2026年11月05日 08:40"))
    assert "补打2026年11月05日08:40" in flat(pdf_text(again)) and ("Code128", number) in barcodes(again)


def test_an_agency_point_issues_and_keeps_the_agency_receipt(agency_db: Database, agent: Actor,
                                                             capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`print receipt` at an agency point gives the 代办受理单, kept as issued; the second is 补打."""
    from app.cli import main
    from app.services.documents import receipt_type

    assert receipt_type(agency_db) == "agency"
    number = accept_case(agency_db, agent, form(agency_db, "SB-002"))
    data = ["--data-dir", str(agency_db.path.parent)]
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    assert main([*data, "print", "receipt", number, "-o", str(first)]) == 0
    assert "已生成代办受理单：" in capsys.readouterr().out
    assert main([*data, "print", "receipt", number, "-o", str(second)]) == 0
    assert "（补打）" in capsys.readouterr().out
    text = flat(pdf_text(second.read_bytes()))
    assert "代办受理单" in text and POINT in text and "补打" in text
    assert ('Code128', number) in barcodes(first.read_bytes())

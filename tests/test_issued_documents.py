"""Documents kept as issued: a reprint renders what the citizen was handed, never today's case."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from app.actor import Actor
from app.database import Database
from app.models import IssuedDocument, PrintRecord
from app.printing import sheet_json
from app.printing.case_pdf import CaseSheet, receipt_pdf
from app.services.cases.documents import fresh_case_sheet
from app.services.cases.records import accept_case, complete_materials, get_case
from app.services.documents import build_document, case_documents, issue, notice_document, receipt_document
from app.services.errors import ValidationError
from app.services.inquiries.notices import NoticeForm, create_notice, record_print
from app.services.settings import CenterSettings, load_settings, save_settings
from tests.pdf_helpers import flat, pdf_text
from tests.test_cases import at, form

pytestmark = pytest.mark.usefixtures("china_time")


def kept_rows(db: Database) -> list[tuple[str, str, str]]:
    with db.session() as s:
        return [(r.doc_type, r.doc_number, r.title) for r in s.scalars(select(IssuedDocument))]


def print_log(db: Database) -> list[tuple[str, bool, str]]:
    with db.session() as s:
        return [(r.doc_type, r.reprint, r.target) for r in s.scalars(select(PrintRecord).order_by(PrintRecord.printed_at))]


def supplement_case(db: Database, admin: Actor) -> str:
    """高龄津贴 accepted as a 补办件 with materials 1 and 2 only: it gets a 收件回执."""
    return accept_case(db, admin, form(db, "LL-001", "supplement", seqs=[1, 2]), now=at("2026-11-02T09:00"))


def test_a_receipt_of_a_case_completed_later_reprints_as_issued(db: Database, admin: Actor) -> None:
    number = supplement_case(db, admin)
    first = build_document(db, "receipt", number, now=at("2026-11-02T09:01"))
    assert first.title == "收件回执" and not first.reprint
    assert issue(db, admin, first, "printer", now=at("2026-11-02T09:02")) is False
    case = get_case(db, number)
    assert case is not None
    complete_materials(db, admin, number, list(range(1, len(case.item.materials) + 1)), now=at("2026-11-05T10:00"))
    # what rebuilding from today's case would print: a 受理回执 with the later materials, nothing missing
    today = fresh_case_sheet(db, "receipt", number).sheet
    assert today.case_class != "supplement" and len(today.received) > 2 and today.missing == ()

    data, reprint = receipt_document(db, number, now=at("2027-03-01T15:00"))
    text = flat(pdf_text(data))
    assert reprint
    assert "收件回执" in text and "受理回执" not in text
    assert "补打" in text and "2027年03月01日15:00" in text  # marked, with the time of the reprint
    kept = build_document(db, "receipt", number)
    assert [line.seq for line in sheet_json.load(CaseSheet, kept.sheet).received] == [1, 2]  # received on 11-02
    assert "尚缺材料" in text  # what was still missing then
    assert "2026年11月02日09:00" in text  # the time as first printed
    # the receipt's new class notice (a 补办件 completed) is a document of its own, issued afresh
    slip = build_document(db, "slip", number)
    assert not slip.reprint and slip.title != "补正材料（补办件）通知书"


def test_the_first_output_keeps_the_data_every_output_is_logged(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=at("2026-11-02T09:00"))
    document = build_document(db, "receipt", number)
    assert kept_rows(db) == []  # previewing keeps nothing
    assert issue(db, admin, document, "printer") is False
    again = build_document(db, "receipt", number, now=at("2026-11-03T08:00"))
    assert again.reprint and again.sheet == document.sheet  # the stored data, not a rebuild
    assert issue(db, admin, again, "pdf") is True
    assert kept_rows(db) == [("receipt", number, "受理回执")]
    assert print_log(db) == [("receipt", False, "printer"), ("receipt", True, "pdf")]
    stored = sheet_json.load(CaseSheet, document.sheet)
    assert receipt_pdf(stored) == document.pdf  # the kept data renders the page first printed, byte for byte


def test_a_notice_reprint_keeps_the_phone_printed_then(db: Database, admin: Actor) -> None:
    number = create_notice(db, admin, NoticeForm("HJ-001", "张桂芳", [1, 2], "13904367788"), now=at("2026-11-02T09:00"))
    save_settings(db, admin, CenterSettings(supervise_phone="0436-7310001"))
    issue(db, admin, build_document(db, "notice", number), "printer")
    values = load_settings(db)
    save_settings(db, admin, CenterSettings(**{**values.__dict__, "supervise_phone": "0436-7319999"}))
    data, reprint = notice_document(db, number)
    text = flat(pdf_text(data))
    assert reprint and "0436-7310001" in text and "0436-7319999" not in text
    fresh = flat(pdf_text(build_document(db, "notice", create_notice(
        db, admin, NoticeForm("HJ-001", "李四", [1], "13904367789"))).pdf))
    assert "0436-7319999" in fresh  # a new notice prints today's phone


def test_documents_printed_before_they_were_kept_are_marked_and_kept_from_then_on(db: Database, admin: Actor) -> None:
    number = supplement_case(db, admin)
    for kind in ("receipt", "slip"):  # as printed by a version that kept nothing
        record_print(db, admin, kind, number, "printer", now=at("2026-11-02T09:05"))
    legacy = build_document(db, "receipt", number)
    assert legacy.reprint and "补打" in pdf_text(legacy.pdf)
    assert issue(db, admin, legacy, "printer") is True
    assert kept_rows(db) == [("receipt", number, "收件回执")]
    case = get_case(db, number)
    assert case is not None
    complete_materials(db, admin, number, list(range(1, len(case.item.materials) + 1)), now=at("2026-11-05T10:00"))
    assert not build_document(db, "slip", number).reprint  # the completed case's notice was never printed


def test_every_extension_has_its_own_notice(db: Database, admin: Actor) -> None:
    from app.services.cases.deadlines import extend_case
    from app.services.people.staff import StaffForm, save_staff

    save_staff(db, admin, StaffForm("0001", "刘国庆", "director", password="zhuren123"))
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=at("2026-11-02T09:00"))
    with pytest.raises(ValidationError, match="没有经批准的延期"):
        build_document(db, "extension", number)
    extend_case(db, admin, number, 3, "需上级复核", "0001", "zhuren123", now=at("2026-11-05T09:00"))
    first = build_document(db, "extension", number)
    issue(db, admin, first, "printer")
    extend_case(db, admin, number, 2, "等待公示期满", "0001", "zhuren123", now=at("2026-11-09T09:00"))
    papers = [(p.doc_type, p.issued) for p in case_documents(db, number)]
    assert papers == [("receipt", False), ("slip", False), ("extension", True), ("extension", False)]
    newest = build_document(db, "extension", number)
    assert not newest.reprint and "2个工作日" in flat(pdf_text(newest.pdf))
    older = build_document(db, "extension", number, first.source)
    text = flat(pdf_text(older.pdf))
    assert older.reprint and "3个工作日" in text and "需上级复核" in text


def test_kept_documents_can_be_neither_changed_nor_deleted(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=at("2026-11-02T09:00"))
    issue(db, admin, build_document(db, "receipt", number), "printer")
    with sqlite3.connect(db.path) as conn:
        row_id, sheet = conn.execute("SELECT id, sheet FROM issued_document").fetchone()
        conn.execute("UPDATE issued_document SET sheet = sheet WHERE id = ?", (row_id,))  # identical: passes
        with pytest.raises(sqlite3.IntegrityError, match="不能修改"):
            conn.execute("UPDATE issued_document SET sheet = ? WHERE id = ?", (sheet.replace("张桂芳", "李四"), row_id))
        with pytest.raises(sqlite3.IntegrityError, match="不能删除"):
            conn.execute("DELETE FROM issued_document WHERE id = ?", (row_id,))


def test_an_immediate_case_decided_on_the_spot_gets_one_receipt_with_its_result(db: Database, admin: Actor) -> None:
    from app.services.cases.actions import complete_on_spot

    number = accept_case(db, admin, form(db, "SB-003", "immediate"), now=at("2026-11-02T09:00"))
    complete_on_spot(db, admin, number, "当场出具参保缴费证明", now=at("2026-11-02T09:10"))
    document = build_document(db, "receipt", number)
    text = flat(pdf_text(document.pdf))
    assert document.title == "受理办结回执" and "当场出具参保缴费证明" in text and "2026年11月02日09:10" in text
    with pytest.raises(ValidationError, match="即办件"):
        build_document(db, "slip", number)
    assert [p.doc_type for p in case_documents(db, number)] == ["receipt"]


def test_sheets_survive_json_with_fields_added_later() -> None:
    from app.printing.case_pdf import ReceivedLine

    sheet = CaseSheet(
        number="1", query_code="Q", center_name="中心", case_class="promised", class_label="承诺件", item_name="事项",
        item_code="A", applicant="张", applicant_id="", applicant_phone="", applicant_address="", agent="",
        received=(ReceivedLine(1, "身份证", 0, 1, 1, False),), missing=("户口簿",), accepted="", due="",
        provisional_note="", time_limit_days=10, department="", lead_window="", co_departments=("民政",),
        rejection_reason="", missing_reason="", class_reason="", staff_name="", staff_no="", staff_window="",
        window_phone="", supervise_phone="", consult_phone="", location="", office_hours="")
    text = sheet_json.dump(sheet)
    assert sheet_json.load(CaseSheet, text) == sheet
    older = text.replace('"result":"",', "")  # written before the field existed: its default
    assert sheet_json.load(CaseSheet, older) == sheet
    newer = text[:-1] + ',"added_in_2030":1}'  # written by a newer version: ignored
    assert sheet_json.load(CaseSheet, newer) == sheet


def test_kept_documents_reach_the_centre_and_a_director_and_stay_append_only_there(center: object,
                                                                                   tmp_path: Path) -> None:
    from sqlalchemy import text

    from app.center.runtime import Center
    from tests.sync_helpers import accept, enrol

    assert isinstance(center, Center)
    window = enrol(center, tmp_path / "w1", "01")
    director = enrol(center, tmp_path / "d", "09", kind="director", name="主任办公室")
    assert window.sync().ok  # the staff accounts come down first
    clerk = window.actor()
    number = accept(window, clerk, 1)
    issue(window.db, clerk, build_document(window.db, "receipt", number), "printer")
    assert window.sync().ok and director.sync().ok
    with center.engine.connect() as conn:
        rows = conn.execute(text("SELECT doc_number, title, _owner FROM issued_document")).all()
    assert [tuple(r) for r in rows] == [(number, "受理回执", "01")]
    with center.engine.begin() as conn, pytest.raises(Exception, match="不能修改"):
        conn.execute(text("UPDATE issued_document SET sheet = '{}'"))
    reprint = build_document(director.db, "receipt", number)  # the director prints the window's kept copy
    assert reprint.reprint and reprint.sheet == build_document(window.db, "receipt", number).sheet


def test_every_document_code_fits_the_columns_the_centre_checks() -> None:
    """The centre refuses a value longer than its column: a code that does not fit never leaves the node."""
    from app.models import IssuedDocument, PrintRecord
    from app.models.documents import ISSUED_DOC_TYPES

    for column in (IssuedDocument.__table__.c.doc_type, PrintRecord.__table__.c.doc_type):
        assert all(len(code) <= column.type.length for code in ISSUED_DOC_TYPES), column

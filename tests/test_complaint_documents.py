"""投诉登记回执 and 投诉答复书: built from the complaint and its events, barcoded with the number, kept as
issued (a reprint is the stored paper, marked 补打), long texts flowing to a second page, and the
`print complaint-receipt|complaint-reply` commands with their Chinese refusals (issue 12)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

import app.clock
from app.actor import Actor
from app.cli import main
from app.database import Database
from app.models import Complaint, IssuedDocument, PrintRecord, Staff
from app.services.complaints import handling
from app.services.complaints.complaints import ComplaintForm, list_complaints, register
from app.services.documents import build_document, issue
from app.services.errors import ValidationError
from app.services.settings import load_settings, save_settings
from tests.conftest import add_staff
from tests.pdf_helpers import barcodes, flat, pdf_text, render

pytestmark = pytest.mark.usefixtures("china_time")
MONDAY = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 09:00 in China
SHOTS = Path("/tmp/shots")
LONG = "窗口人员在办理过程中多次要求补交材料，每次只说一项，导致往返多次，并且态度生硬、推诿扯皮。" * 36


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", MONDAY)


def later(monkeypatch: pytest.MonkeyPatch, hours: int) -> None:
    monkeypatch.setattr(app.clock, "_fixed", MONDAY + timedelta(hours=hours))


def file(db: Database, admin: Actor, **extra: object) -> str:
    with db.session() as s:
        known = s.scalar(select(Staff.id).where(Staff.staff_no == "1002"))
    if known is None:
        add_staff(db, admin, "1002", workplace="社保窗口")
    save_settings(db, admin, replace(load_settings(db), center_phone="0436-7312000", supervise_phone="0436-7312999"))
    values: dict[str, object] = {"category": 1, "channel": "来信", "content": "窗口人员态度生硬，不一次性告知所需材料。",
                                 "name": "刘淑兰", "phone": "13904361234", "staff_no": "1002", "window": "社保窗口",
                                 "case_number": ""}
    values.update(extra)
    return register(db, admin, ComplaintForm(**values))  # type: ignore[arg-type]


def shot(data: bytes, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for i, image in enumerate(render(data, 110), start=1):
        image.save(SHOTS / f"C-{name}-{i}.png")


def lines(data: bytes) -> list[str]:
    return [line.strip() for page in PdfReader(io.BytesIO(data)).pages for line in page.extract_text().splitlines()]


def pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def kept(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(IssuedDocument)) or 0


def test_the_receipt_names_everything_and_scans_back_to_the_complaint(db: Database, admin: Actor) -> None:
    number = file(db, admin)
    document = build_document(db, "cmp_receipt", number)
    text = flat(pdf_text(document.pdf))
    for expected in ("镇赉镇民生服务中心", "投诉登记回执", number, "1．窗口工作人员服务态度较差", "来信", "刘淑兰",
                     "139****1234", "被投诉人：测试人员1（工号1002）", "窗口：社保窗口", "不一次性告知所需材料",
                     "待交办", "我们将于2026年12月7日前答复", "0436-7312000", "0436-7312999", "登记人：王管理"):
        assert expected in text, expected
    assert "13904361234" not in text  # the phone is masked on paper
    assert sorted(barcodes(document.pdf)) == [("Code128", number), ("QRCode", number)]
    assert build_document(db, "cmp_receipt", number).pdf == document.pdf  # byte for byte
    assert not document.reprint and document.title == "投诉登记回执"
    shot(document.pdf, "complaint-receipt")


def test_the_receipt_is_kept_as_issued_and_a_reprint_says_so(db: Database, admin: Actor,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    number = file(db, admin)
    first = build_document(db, "cmp_receipt", number)
    assert issue(db, admin, first, "pdf") is False and kept(db) == 1
    later(monkeypatch, 2)
    handling.handle(db, admin, number, "refer", "县人社局", MONDAY.date() + timedelta(days=4))
    again = build_document(db, "cmp_receipt", number, now=MONDAY + timedelta(hours=3))
    text = flat(pdf_text(again.pdf))
    assert again.reprint and "补打2026年11月30日12:00" in text
    assert "待交办" in text and "县人社局" not in text  # the paper the complainant holds, not today's state
    assert again.sheet == first.sheet
    assert issue(db, admin, again, "pdf") is True and kept(db) == 1
    with db.session() as s:
        assert [r for (r,) in s.execute(select(PrintRecord.reprint).where(PrintRecord.doc_number == number)
                                        .order_by(PrintRecord.printed_at))] == [False, True]
    shot(again.pdf, "complaint-receipt-reprint")


def test_a_receipt_first_printed_after_handing_over_shows_the_department(db: Database, admin: Actor) -> None:
    number = file(db, admin)
    director = Actor(staff_id=None, staff_no="D001", name="李主任", role="director")  # 督办 is the director's
    handling.handle(db, director, number, "supervise", "县市场监管局", MONDAY.date() + timedelta(days=4))
    text = flat(pdf_text(build_document(db, "cmp_receipt", number).pdf))
    assert "督办：县市场监管局（承办期限2026年12月4日）" in text


def test_anonymous_and_confidential_complainants(db: Database, admin: Actor) -> None:
    anonymous = file(db, admin, name="", phone="", anonymous=True, channel="来电")
    text = flat(pdf_text(build_document(db, "cmp_receipt", anonymous).pdf))
    assert "匿名" in text and "不另行答复" in text and "投诉人签收" not in text and "****" not in text
    secret = file(db, admin, name="赵秘密", phone="13800001111", confidential=True)
    clerk = Actor(staff_id=None, staff_no="1002", name="测试人员1", role="clerk", workplace="社保窗口")
    assert next(r for r in list_complaints(db, clerk).rows if r.number == secret).name == "（保密）"
    receipt = build_document(db, "cmp_receipt", secret)
    text = flat(pdf_text(receipt.pdf))
    assert "赵秘密" in text and "138****1111" in text  # the receipt is the complainant's own paper
    assert "仅中心主任可以查阅" in text and "身份保密是" in text
    assert all(value == secret for _kind, value in barcodes(receipt.pdf))  # nothing personal in the codes
    shot(receipt.pdf, "complaint-receipt-confidential")


def test_the_reply_is_the_latest_written_reply(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    number = file(db, admin, channel="来访")
    with pytest.raises(ValidationError, match="尚未书面答复"):
        build_document(db, "cmp_reply", number)
    handling.handle(db, admin, number, "self")
    later(monkeypatch, 1)
    handling.reply(db, admin, number, "oral", "电话告知已批评教育")
    with pytest.raises(ValidationError, match="口头答复不出具答复书"):
        build_document(db, "cmp_reply", number)
    handling.record_satisfaction(db, admin, number, False, "不满意")
    handling.reopen(db, admin, number, "投诉人要求书面答复")
    later(monkeypatch, 26)
    handling.reply(db, admin, number, "written", "经调查核实，窗口人员确有态度生硬的情况，中心已对其批评教育并扣减当月考核分。")
    first = build_document(db, "cmp_reply", number)
    text = flat(pdf_text(first.pdf))
    for expected in ("投诉答复书", "刘淑兰：", "自办", "扣减当月考核分", "答复人：王管理", "2026年12月1日", "投诉人签收",
                     "0436-7312999"):
        assert expected in text, expected
    assert sorted(barcodes(first.pdf)) == [("Code128", number), ("QRCode", number)]
    issue(db, admin, first, "pdf")
    shot(first.pdf, "complaint-reply")
    handling.record_satisfaction(db, admin, number, False, "仍不满意")
    handling.reopen(db, admin, number, "再次核实")
    handling.handle(db, admin, number, "refer", "县人社局", MONDAY.date() + timedelta(days=5))
    later(monkeypatch, 50)
    handling.reply(db, admin, number, "written", "县人社局复核后已为您补发待遇。")
    second = build_document(db, "cmp_reply", number)
    assert not second.reprint and second.source != first.source  # a new reply is a new paper
    assert build_document(db, "cmp_reply", number).pdf == second.pdf  # byte for byte
    assert "补发待遇" in flat(pdf_text(second.pdf)) and "转办：县人社局" in flat(pdf_text(second.pdf))
    again = build_document(db, "cmp_reply", number, first.source)  # the first still reprints as it was
    assert again.reprint and "扣减当月考核分" in flat(pdf_text(again.pdf))
    handling.record_satisfaction(db, admin, number, True)
    handling.close(db, admin, number, "upheld")
    concluded = flat(pdf_text(build_document(db, "cmp_reply", number).pdf))
    assert "核实结论属实" in concluded


def test_long_texts_flow_to_a_second_page_with_chinese_line_breaks(db: Database, admin: Actor) -> None:
    number = file(db, admin, content=LONG[:2000])
    handling.reply(db, admin, number, "written", ("经核实，" + LONG)[:2000])
    receipt = build_document(db, "cmp_receipt", number).pdf
    reply = build_document(db, "cmp_reply", number).pdf
    assert pages(receipt) >= 2 and pages(reply) >= 2
    body = re.sub(rf"{number}第\d+页", "", flat(pdf_text(receipt)))  # the page footers left out
    assert flat(LONG[:2000]) in body  # nothing lost across the page break
    for line in lines(receipt) + lines(reply):
        assert not line or line[0] not in "，。；：、！？）》", line
    shot(reply, "complaint-reply-long")


def run(data_dir: Path, *argv: str) -> int:
    return main(["--data-dir", str(data_dir), "print", *argv])


def test_the_print_commands(db: Database, admin: Actor, data_dir: Path, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    number = file(db, admin)
    with db.session() as s:
        complaint_id = s.scalar(select(Complaint.id).where(Complaint.number == number))
    assert complaint_id
    out = tmp_path / "receipt.pdf"
    assert run(data_dir, "complaint-receipt", number, "-o", str(out)) == 0
    assert capsys.readouterr().out.strip() == f"已生成投诉登记回执：{out}"
    assert sorted(barcodes(out.read_bytes())) == [("Code128", number), ("QRCode", number)]
    assert run(data_dir, "complaint-receipt", complaint_id, "-o", str(out)) == 0  # by id, as complaints accepts
    assert "投诉登记回执（补打）" in capsys.readouterr().out
    assert "补打" in flat(pdf_text(out.read_bytes()))
    reply = tmp_path / "reply.pdf"
    assert run(data_dir, "complaint-reply", number, "-o", str(reply)) == 1
    assert "尚未书面答复" in capsys.readouterr().err and not reply.exists()
    assert run(data_dir, "complaint-receipt", "TS0000", "-o", str(reply)) == 1
    assert "找不到投诉：TS0000" in capsys.readouterr().err and not reply.exists()
    assert run(data_dir, "complaint-receipt", number, "-o", str(tmp_path / "r.txt")) == 1
    assert ".pdf" in capsys.readouterr().err
    handling.reply(db, admin, number, "written", "已批评教育")
    assert run(data_dir, "complaint-reply", number, "-o", str(reply)) == 0
    assert capsys.readouterr().out.strip() == f"已生成投诉答复书：{reply}"
    assert "已批评教育" in flat(pdf_text(reply.read_bytes()))


def test_the_paper_codes_fit_the_columns_the_centre_checks() -> None:
    """issued_document and print_log keep the code in 12 characters: a longer one would never replicate."""
    from app.services.complaints.documents import COMPLAINT_DOCS
    from app.services.documents import RENDERERS

    for column in (IssuedDocument.__table__.c.doc_type, PrintRecord.__table__.c.doc_type):
        assert all(len(code) <= column.type.length for code in COMPLAINT_DOCS), column
    assert COMPLAINT_DOCS <= set(RENDERERS)


def test_a_confidential_complainants_papers_are_reprinted_only_by_the_director(
        db: Database, admin: Actor, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.services.errors import PermissionDenied

    secret = file(db, admin, name="赵秘密", phone="13800001111", confidential=True)
    clerk = Actor(staff_id=None, staff_no="1002", name="测试人员1", role="clerk", workplace="社保窗口")
    director = Actor(staff_id=None, staff_no="D001", name="李主任", role="director")
    first = build_document(db, "cmp_receipt", secret, reader=clerk)  # handed to the complainant at the window
    issue(db, clerk, first, "printer")
    with pytest.raises(PermissionDenied, match="只有中心主任可以查看其身份"):
        build_document(db, "cmp_receipt", secret, reader=clerk)
    assert build_document(db, "cmp_receipt", secret, reader=director).reprint
    out = tmp_path / "again.pdf"
    assert main(["--data-dir", str(data_dir), "print", "complaint-receipt", secret, "-o", str(out)]) == 1
    assert "只有中心主任可以查看其身份" in capsys.readouterr().err and not out.exists()


def test_a_phone_not_set_is_left_out_of_the_sentences(db: Database, admin: Actor) -> None:
    number = file(db, admin, channel="来访")
    save_settings(db, admin, replace(load_settings(db), center_phone="", supervise_phone=""))
    text = flat(pdf_text(build_document(db, "cmp_receipt", number).pdf))
    assert "拨打中心电话" not in text and "中心电话：—" in text  # no sentence with a dash; the band says "not set"
    assert "可到窗口查询办理情况" in text and "监督电话：12345" in text  # the national hotline when none is set

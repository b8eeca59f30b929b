"""Receipts and class notices: content, masking, both barcodes, provisional dates, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.actor import Actor
from app.cli import main
from app.database import Database
from app.services.cases.records import accept_case, get_case
from app.services.documents import receipt_document, slip_document
from app.services.inquiries.notices import record_print
from tests.pdf_helpers import barcodes, flat, pdf_text, unembedded_fonts
from tests.test_cases import ID, at, form

pytestmark = pytest.mark.usefixtures("china_time")

CLASSES = {
    "promised": ("SB-002", {}),
    "joint": ("HJ-001", {"lead_window": "3号户籍窗口", "co_departments": ["镇医疗保障服务站"]}),
    "rejected": ("SHJZ-002", {"rejection_reason": "有法定赡养人且具备赡养能力"}),
    "supplement": ("LL-001", {"seqs": [1, 2]}),
    "immediate": ("SB-003", {}),
}
SLIP_WORDS = {
    "promised": ["承诺件通知书", "前办结", "领取结果"],
    "joint": ["联办件通知书", "牵头窗口：3号户籍窗口", "镇医疗保障服务站"],
    "rejected": ["不予受理", "有法定赡养人且具备赡养能力", "60日内", "行政复议", "6个月内", "行政诉讼"],
    "supplement": ["补正材料", "本人银行卡或存折", "高龄津贴申请表", "材料补齐之日的次日起计算", "签收"],
    "immediate": ["受理回执"],
}


def accept(db: Database, admin: Actor, case_class: str, when: str = "2026-11-18T10:00") -> str:
    code, extra = CLASSES[case_class]
    extra = dict(extra)
    seqs = extra.pop("seqs", None)
    return accept_case(db, admin, form(db, code, case_class, seqs=seqs, **extra), now=at(when))  # type: ignore[arg-type]


@pytest.mark.parametrize("case_class", list(CLASSES))
def test_receipt_and_slip_of_every_class(db: Database, admin: Actor, case_class: str) -> None:
    number = accept(db, admin, case_class)
    case = get_case(db, number)
    assert case is not None
    seal = "（盖章）" if case_class == "rejected" else "受理专用章"  # a refusal is not sealed as accepted
    documents = [(receipt_document, ["回执", seal]), (slip_document, SLIP_WORDS[case_class])]
    for build, words in documents[:1] if case_class == "immediate" else documents:  # a 即办件 has no slip
        data, reprint = build(db, number)
        assert not reprint
        text = flat(pdf_text(data))
        for word in [*words, number, case.query_code, "张桂芳", "220821********" + ID[-4:], "139****7788",
                     "经办人：王管理", "签"]:
            assert flat(word) in text, (case_class, word)
        assert ID not in text and "13904367788" not in text
        found = barcodes(data, dpi=200)
        assert ("Code128", number) in found
        assert ("QRCode", f"{number}#{case.query_code}") in found
        assert unembedded_fonts(data) == []


def test_provisional_deadline_is_marked(db: Database, admin: Actor) -> None:
    number = accept(db, admin, "promised", "2026-12-24T10:00")
    text = flat(pdf_text(receipt_document(db, number)[0]))
    assert "（暂定）" in text and "2027年国务院节假日安排尚未公布" in text


def test_reprint_is_marked(db: Database, admin: Actor) -> None:
    number = accept(db, admin, "promised")
    record_print(db, admin, "receipt", number, "printer")
    data, reprint = receipt_document(db, number)
    assert reprint and "补打" in pdf_text(data)
    assert "补打" not in pdf_text(slip_document(db, number)[0])  # each document keeps its own count


def test_cli_cases_and_prints(db: Database, admin: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    number = accept(db, admin, "joint")
    data_dir = str(db.path.parent)
    db.dispose()
    capsys.readouterr()
    assert main(["--data-dir", data_dir, "cases", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["number"] == number and rows[0]["class"] == "joint" and rows[0]["item_code"] == "HJ-001"
    assert set(rows[0]) >= {"number", "class", "item_code", "accepted", "due", "provisional", "status"}
    for kind in ("receipt", "slip"):
        out = tmp_path / f"{kind}.pdf"
        assert main(["--data-dir", data_dir, "print", kind, number, "-o", str(out)]) == 0
        assert ("Code128", number) in barcodes(out.read_bytes())
    assert main(["--data-dir", data_dir, "print", "receipt", "123", "-o", str(tmp_path / "x.pdf")]) == 1

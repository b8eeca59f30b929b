"""The case documents after acceptance: 决定告知书, 办结通知书, 送达回证, 延期告知书, 特别程序告知书 and
撤回申请确认书. Each renders, carries the case's Code128 and QR, is the same byte for byte for the same
data, and says what a citizen needs; the command line prints each, and refuses a case without the step.

Set DOCS_PNG_DIR to keep the rendered pages (to look at them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from app.actor import Actor
from app.cli import main
from app.database import Database
from app.services.cases.actions import Decision, Delivery, decide, deliver, notify, withdraw
from app.services.cases.deadlines import extend_case, pause_case, resume_case
from app.services.cases.records import accept_case, get_case
from app.services.documents import build_document, issue
from app.services.people.staff import StaffForm, save_staff
from app.services.settings import save_refusal_bodies
from tests.pdf_helpers import barcodes, flat, pdf_text, render, unembedded_fonts
from tests.test_cases import ID, at, form

pytestmark = pytest.mark.usefixtures("china_time")
RECEIVER_ID = "220821199001011234"


@dataclass(frozen=True)
class Town:
    granted: str  # paused, resumed, extended, approved, notified (pickup), delivered to an agent
    refused: str  # denied, notified (post), delivered by post
    withdrawn: str


@pytest.fixture
def town(db: Database, admin: Actor) -> Town:
    save_staff(db, admin, StaffForm("0001", "刘国庆", "director", password="zhuren123"))
    granted = accept_case(db, admin, form(db, "SB-002", "promised"), now=at("2026-11-02T09:00"))
    pause_case(db, admin, granted, "专家评审", date(2026, 11, 4), 3, note="需县社保局组织专家复核缴费年限",
               now=at("2026-11-04T09:00"))
    resume_case(db, admin, granted, date(2026, 11, 6), now=at("2026-11-06T16:00"))
    extend_case(db, admin, granted, 5, "需上级社保经办机构复核参保缴费记录", "0001", "zhuren123", now=at("2026-11-10T09:00"))
    decide(db, admin, granted, Decision(True, result="准予按月领取城乡居民基本养老保险待遇", document_number="镇社保〔2026〕12号",
                                        amount="每月218.00元", valid_until=date(2027, 12, 31)), now=at("2026-11-12T10:00"))
    notify(db, admin, granted, "pickup", now=at("2026-11-12T10:30"))
    deliver(db, admin, granted, Delivery("pickup", receiver="李明", receiver_id=RECEIVER_ID, authorised=True,
                                         items=[("准予许可决定告知书", 1), ("养老保险待遇核定表", 2)]),
            now=at("2026-11-13T15:20"))
    refused = accept_case(db, admin, form(db, "SB-002", "promised"), now=at("2026-11-02T09:30"))
    decide(db, admin, refused, Decision(False, reason="申请人已在其他统筹地区领取基本养老保险待遇",
                                        basis="《城乡居民基本养老保险经办规程》第三十二条"), now=at("2026-11-12T10:00"))
    notify(db, admin, refused, "post", now=at("2026-11-12T11:00"))
    deliver(db, admin, refused, Delivery("post", tracking="1180123456789", carrier="中国邮政EMS",
                                         address="镇赉县镇赉镇红旗村三组18号", items=[("不予许可决定告知书", 1)]),
            now=at("2026-11-13T09:00"))
    withdrawn = accept_case(db, admin, form(db, "SB-002", "promised"), now=at("2026-11-02T10:00"))
    withdraw(db, admin, withdrawn, "申请人已在外地办理，自愿撤回本次申请", now=at("2026-11-05T14:00"))
    return Town(granted, refused, withdrawn)


# (document, which case, words a citizen must find on it)
DOCUMENTS = [
    ("decision", "granted", ["准予许可决定告知书", "准予按月领取城乡居民基本养老保险待遇", "镇社保〔2026〕12号", "每月218.00元",
                             "2027年12月31日", "2026年11月12日"]),
    ("decision", "refused", ["不予许可决定告知书", "申请人已在其他统筹地区领取基本养老保险待遇", "第三十二条", "60日内",
                             "行政复议", "6个月内", "行政诉讼", "2026年11月12日"]),
    ("completion", "granted", ["办结通知书", "领取地点", "1号综合受理窗口", "08:30—12:00", "13:00—17:30", "受理回执",
                               "身份证件原件", "书面授权委托书", "0436-7312011"]),
    ("completion", "refused", ["办结通知书", "不予许可", "邮寄送达至", "镇赉镇红旗村三组"]),
    ("delivery", "granted", ["送达回证", "窗口领取", "李明", "220821********1234", "代收", "养老保险待遇核定表", "2份",
                             "受送达人", "送达人签名（王管理）", "2026年11月13日15:20"]),
    ("delivery", "refused", ["送达回证", "邮寄", "中国邮政EMS", "1180123456789", "镇赉县镇赉镇红旗村三组18号"]),
    ("extension", "granted", ["延期告知书", "需上级社保经办机构复核参保缴费记录", "刘国庆", "5个工作日", "2026年11月19日",
                              "2026年11月26日"]),
    ("procedure", "granted", ["特别程序告知书", "专家评审", "2026年11月04日", "3天", "不计入办理时限"]),
    ("withdrawal", "withdrawn", ["撤回申请确认书", "申请人已在外地办理，自愿撤回本次申请", "2026年11月05日14:00",
                                 "退还的材料", "申请人签名"]),
]


@pytest.mark.parametrize(("doc_type", "which", "words"), DOCUMENTS, ids=[f"{d}-{w}" for d, w, _ in DOCUMENTS])
def test_each_document_renders_scans_and_repeats(db: Database, town: Town, doc_type: str, which: str,
                                                  words: list[str]) -> None:
    number = getattr(town, which)
    case = get_case(db, number)
    assert case is not None
    document = build_document(db, doc_type, number)
    assert not document.reprint
    text = flat(pdf_text(document.pdf))
    for word in [*words, number, case.query_code, "张桂芳", "镇赉镇民生服务中心", "220821********" + ID[-4:], "经办人：王管理"]:
        assert flat(word) in text, (doc_type, which, word)
    assert ID not in text and "13904367788" not in text and RECEIVER_ID not in text  # masked
    pages = render(document.pdf, dpi=200)
    assert len(pages) == 1  # one sheet of A4
    found = barcodes(document.pdf, dpi=200)
    assert ("Code128", number) in found and ("QRCode", f"{number}#{case.query_code}") in found
    assert unembedded_fonts(document.pdf) == []
    assert build_document(db, doc_type, number).pdf == document.pdf  # byte for byte
    keep = os.environ.get("DOCS_PNG_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        render(document.pdf, dpi=100)[0].save(Path(keep) / f"{doc_type}_{which}.png")


def test_a_refusal_has_no_acceptance_time_or_limit_and_names_the_bodies(db: Database, admin: Actor, town: Town) -> None:
    save_refusal_bodies(db, admin, "镇社会保障服务中心", "镇赉县人力资源和社会保障局", "镇赉县人民法院")
    text = flat(pdf_text(build_document(db, "decision", town.refused).pdf))
    for absent in ("受理时间", "承诺时限", "承诺办结", "收件时间"):
        assert absent not in text, absent
    assert "向镇赉县人力资源和社会保障局申请行政复议" in text and "向镇赉县人民法院提起行政诉讼" in text
    assert "镇赉镇民生服务中心2026年11月12日" in text  # the decision's date under the centre's name, by the seal


def test_a_reprint_of_a_new_document_is_the_stored_one(db: Database, admin: Actor, town: Town) -> None:
    from app.services.settings import CenterSettings, load_settings, save_settings

    first = build_document(db, "completion", town.granted)
    issue(db, admin, first, "printer")
    values = load_settings(db)
    save_settings(db, admin, CenterSettings(**{**values.__dict__, "office_hours": "09:00-11:30,14:00-17:00"}))
    again = build_document(db, "completion", town.granted, now=at("2026-12-01T09:00"))
    text = flat(pdf_text(again.pdf))
    assert again.reprint and "补打" in text and "08:30—12:00" in text and "09:00—11:30" not in text


def test_cli_prints_each_document_and_refuses_a_case_without_the_step(db: Database, town: Town, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = str(db.path.parent)
    db.dispose()
    for doc_type, which, _words in DOCUMENTS:
        number = getattr(town, which)
        out = tmp_path / f"{doc_type}-{which}.pdf"
        assert main(["--data-dir", data_dir, "print", doc_type, number, "-o", str(out)]) == 0
        assert ("Code128", number) in barcodes(out.read_bytes())
    capsys.readouterr()
    again = tmp_path / "again.pdf"
    assert main(["--data-dir", data_dir, "print", "delivery", town.granted, "-o", str(again)]) == 0
    assert "送达回证（补打）" in capsys.readouterr().out and "补打" in pdf_text(again.read_bytes())
    for doc_type, which, message in (("decision", "withdrawn", "尚未作出准予或不予许可的决定"),
                                     ("delivery", "withdrawn", "尚未送达"), ("extension", "refused", "没有经批准的延期"),
                                     ("procedure", "refused", "没有进入特别程序"), ("withdrawal", "granted", "没有撤回"),
                                     ("completion", "withdrawn", "尚未发出办结通知")):
        out = tmp_path / f"no-{doc_type}.pdf"
        assert main(["--data-dir", data_dir, "print", doc_type, getattr(town, which), "-o", str(out)]) != 0
        assert message in capsys.readouterr().err and not out.exists()
    assert main(["--data-dir", data_dir, "print", "decision", "2208211000126110299999", "-o",
                 str(tmp_path / "x.pdf")]) != 0
    assert "没有编号为" in capsys.readouterr().err


def test_a_paper_names_who_took_its_step_not_who_accepted_the_case(db: Database, admin: Actor) -> None:
    from app.services.people.auth import login

    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", "2号综合受理窗口", "13904361001", password="pass1234"))
    clerk = login(db, "1001", "pass1234")
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=at("2026-11-18T10:00"))
    decide(db, clerk, number, Decision(True, result="准予领取养老金"), now=at("2026-11-19T10:00"))
    text = flat(pdf_text(build_document(db, "decision", number).pdf))
    assert "经办人：李秀兰" in text and "工号：1001" in text and "窗口：2号综合受理窗口" in text


def test_a_refusal_names_the_review_body_and_court_even_before_the_centre_sets_them(db: Database,
                                                                                    admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=at("2026-11-18T10:00"))
    decide(db, admin, number, Decision(False, reason="不符合条件", basis="《办法》第十条"), now=at("2026-11-19T10:00"))
    text = flat(pdf_text(build_document(db, "decision", number).pdf))
    assert "向本乡镇的上一级人民政府（县级人民政府）申请行政复议" in text
    assert "向本乡镇所在地的县级人民法院提起行政诉讼" in text

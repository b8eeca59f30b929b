"""The centre's public page against a real PostgreSQL centre: progress by query code, the QR rating and
its rules (wrong code, limits, expired period, 追评, bad rating), and the rating reaching the case's holder."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from starlette.testclient import TestClient

import app.clock
from app.actor import Actor
from app.center.public import Attempts
from app.center.runtime import Center
from app.center.server import create_app
from app.database import Database
from app.models.ratings import Rating
from app.models.rectifications import Rectification
from app.services.cases.actions import Decision, complete_on_spot, decide, notify
from app.services.cases.records import accept_case, get_case
from app.services.documents import build_document, issue
from app.services.errors import ValidationError
from app.services.ratings import rectification
from app.services.ratings.ratings import ratings_of
from app.services.settings import load_settings, save_settings
from tests.pdf_helpers import barcodes, flat, pdf_text, render
from tests.sync_helpers import Station, enrol
from tests.test_cases import form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=CN)


CLERK = Actor(staff_id=None, staff_no="1002", name="王晓东", role="clerk", workplace="社保窗口")


def closed_case(station: Station, actor: Actor, when: datetime = MONDAY) -> tuple[str, str]:
    """An 即办件 done on the spot at this window by CLERK (the one rated) and synced: number and query code."""
    number = accept_case(station.db, actor, form(station.db, "SB-001", "immediate"), now=when)
    assert complete_on_spot(station.db, CLERK, number, "当场打印参保证明", now=when) == "done"
    assert station.sync().ok
    case = get_case(station.db, number)
    assert case is not None
    return number, case.query_code


@pytest.fixture
def town(center: Center, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Station, Actor, TestClient]:
    monkeypatch.setattr(app.clock, "_fixed", MONDAY)
    window = enrol(center, tmp_path / "w1", "01")
    assert window.sync().ok
    return window, window.actor(), TestClient(create_app(center.api))


def page_text(response: Any) -> str:
    return re.sub(r"<[^>]+>", " ", str(response.text))


def test_the_page_asks_for_the_code_then_shows_progress_without_personal_data(
        town: tuple[Station, Actor, TestClient]) -> None:
    window, actor, client = town
    number, code = closed_case(window, actor)
    first = client.get(f"/q/{number}")
    assert first.status_code == 200 and "查询码" in first.text and number in first.text
    assert "width=device-width" in first.text
    headers = first.headers
    assert headers["cache-control"] == "no-store" and "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert "<script" not in first.text
    shown = client.post(f"/q/{number}", data={"code": code.lower()})  # typed in lower case: still found
    assert shown.status_code == 200
    words = page_text(shown)
    assert "已办结" in words and number in words
    assert "张*芳" in words and "张桂芳" not in words  # masked name only
    assert "13904367788" not in shown.text and "镇赉镇红旗村三组" not in shown.text  # no phone, no address
    assert "受理" in words and "当场办结" in words  # the steps in plain words
    assert "非常满意" in words and 'name="level"' in shown.text  # closed this week: the rating form
    assert client.get("/q/12ab").status_code == 404


def test_a_wrong_code_is_refused_and_too_many_lock_the_page(town: tuple[Station, Actor, TestClient]) -> None:
    window, actor, client = town
    number, code = closed_case(window, actor)
    wrong = client.post(f"/q/{number}", data={"code": "01AAAAAA"})
    assert wrong.status_code == 403 and "查询码不正确" in wrong.text and "办理过程" not in page_text(wrong)
    unknown = client.post("/q/2208211000126110299999", data={"code": code})  # another number: same answer
    assert unknown.status_code == 403 and "查询码不正确" in unknown.text
    for _ in range(8):
        client.post(f"/q/{number}", data={"code": "01BBBBBB"})
    locked = client.post(f"/q/{number}", data={"code": code})  # the right code, after ten wrong ones
    assert locked.status_code == 429 and "次数过多" in locked.text
    rating = client.post(f"/q/{number}/rate", data={"code": code, "level": "5", "confirm": "1"})
    assert rating.status_code == 429  # rating is behind the same lock
    too_big = client.post(f"/q/{number}", content=b"code=" + b"A" * 10_000,
                          headers={"content-type": "application/x-www-form-urlencoded"})
    assert too_big.status_code == 413


def test_attempts_are_bounded_and_expire() -> None:
    attempts = Attempts(limit=3, window_s=60, max_keys=100)
    for _ in range(3):
        attempts.failed("1.2.3.4", 0.0)
    assert attempts.blocked("1.2.3.4", 10.0) and not attempts.blocked("1.2.3.4", 61.0)
    for n in range(1000):
        attempts.failed(f"10.0.{n // 256}.{n % 256}", 1.0)
    assert len(attempts.seen) == 100 and all(len(t) <= 3 for t in attempts.seen.values())


def test_a_rating_by_qr_reaches_the_window_with_its_rules(center: Center, town: tuple[Station, Actor, TestClient]
                                                          ) -> None:
    window, actor, client = town
    number, code = closed_case(window, actor)
    step = client.post(f"/q/{number}/rate", data={"code": code, "level": "5"})  # the level: then the reasons
    assert step.status_code == 200 and "一窗受理一次办结" in step.text and 'name="confirm"' in step.text
    too_long = client.post(f"/q/{number}/rate", data={"code": code, "level": "5", "confirm": "1", "text": "好" * 151})
    assert too_long.status_code == 400 and "150" in too_long.text
    done = client.post(f"/q/{number}/rate", data={"code": code, "level": "5", "confirm": "1",
                                                  "reasons": ["510", "517"], "text": "办得快", "private": "1"})
    assert done.status_code == 200 and "评价已提交" in done.text and "首评" in page_text(done)
    assert "追评" in page_text(done)  # the form is offered once more
    with center.engine.connect() as conn:
        row = conn.execute(text("SELECT channel, provenance, level, seq, private, _owner, origin_node, staff_no, "
                                "item_code, target_node FROM rating WHERE target_number = :n"), {"n": number}).one()
    case = get_case(window.db, number)
    assert case is not None and case.item.code
    # the clerk who ended the case; the case's item and node (what the figures by item and node count it under)
    assert tuple(row) == ("qr", "citizen", 5, 1, True, "00", "00", "1002", case.item.code, window.db.node_code)
    assert window.sync().ok  # the window holding the case receives it
    got = ratings_of(window.db, number)
    assert [(r.level, r.channel, r.which, r.text, r.reasons) for r in got] == [(5, "qr", "首评", "办得快", ("510", "517"))]
    # 追评: once, then no more
    again = client.post(f"/q/{number}/rate", data={"code": code, "level": "4", "confirm": "1"})
    assert again.status_code == 200 and "已评价并追评" in again.text
    third = client.post(f"/q/{number}/rate", data={"code": code, "level": "3", "confirm": "1"})
    assert third.status_code == 400 and "已评价并追评" in third.text
    assert window.sync().ok
    assert [r.which for r in ratings_of(window.db, number)] == ["首评", "追评"]


def test_a_default_rating_is_no_first_rating(center: Center, town: tuple[Station, Actor, TestClient]) -> None:
    window, actor, client = town
    number, code = closed_case(window, actor)
    with center.engine.begin() as conn:  # the holder's default job (as if it ran early) reached the centre
        conn.execute(text(
            "INSERT INTO rating (id, origin_node, created_at, updated_at, target_kind, target_number, staff_no, "
            "staff_name, \"window\", level, reasons, text, private, channel, provenance, rated_at, seq, _owner) "
            "VALUES ('d-1', '01', now(), now(), 'case', :n, '8000', 'x', '', 3, '[]', '', false, 'default', "
            "'default', now(), 1, '01')"), {"n": number})
    for level in ("4", "5"):
        assert client.post(f"/q/{number}/rate", data={"code": code, "level": level, "confirm": "1"}).status_code == 200
    with center.engine.connect() as conn:
        seqs = conn.execute(text("SELECT provenance, seq FROM rating WHERE target_number = :n ORDER BY rated_at, seq"),
                            {"n": number}).all()
    assert sorted(tuple(r) for r in seqs) == [("citizen", 1), ("citizen", 2), ("default", 1)]


def test_the_period_ends_five_working_days_after_the_end(town: tuple[Station, Actor, TestClient],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    window, actor, client = town
    number, code = closed_case(window, actor)  # Monday 2 November: the 5th working day after is 9 November
    monkeypatch.setattr(app.clock, "_fixed", MONDAY + timedelta(days=7, hours=8))
    assert "非常满意" in client.post(f"/q/{number}", data={"code": code}).text
    monkeypatch.setattr(app.clock, "_fixed", MONDAY + timedelta(days=8))
    late = client.post(f"/q/{number}", data={"code": code})
    assert late.status_code == 200 and "评价期限已过" in late.text and "2026年11月09日" in late.text
    assert 'name="level"' not in late.text
    refused = client.post(f"/q/{number}/rate", data={"code": code, "level": "5", "confirm": "1"})
    assert refused.status_code == 400 and "评价期限已过" in refused.text


def test_an_open_case_shows_progress_and_takes_no_rating(town: tuple[Station, Actor, TestClient]) -> None:
    window, actor, client = town
    number = accept_case(window.db, actor, form(window.db, "SB-002", "promised"), now=MONDAY)
    assert window.sync().ok
    case = get_case(window.db, number)
    assert case is not None
    shown = client.post(f"/q/{number}", data={"code": case.query_code})
    words = page_text(shown)
    assert "办理中" in words and "承诺办结" in words and f"{case.due_date:%Y年%m月%d日}" in words
    assert 'name="level"' not in shown.text
    refused = client.post(f"/q/{number}/rate", data={"code": case.query_code, "level": "5", "confirm": "1"})
    assert refused.status_code == 400 and "办结后" in refused.text


def test_a_bad_rating_opens_its_rectification_which_the_holder_carries_on(
        center: Center, town: tuple[Station, Actor, TestClient], tmp_path: Path) -> None:
    window, actor, client = town
    director = enrol(center, tmp_path / "d", "09", kind="director", name="主任办公室")
    number, code = closed_case(window, actor)
    missing = client.post(f"/q/{number}/rate", data={"code": code, "level": "2", "confirm": "1"})
    assert missing.status_code == 400 and "至少一项" in missing.text
    wrong = client.post(f"/q/{number}/rate", data={"code": code, "level": "2", "confirm": "1", "reasons": "115"})
    assert wrong.status_code == 400 and "不属于" in wrong.text
    done = client.post(f"/q/{number}/rate", data={"code": code, "level": "2", "confirm": "1",
                                                  "reasons": ["213", "214"], "text": "等了很久"})
    assert done.status_code == 200 and "评价已提交" in done.text
    assert window.sync().ok and director.sync().ok
    with window.db.session() as s:
        fix = s.scalar(select(Rectification).where(Rectification.target_number == number))
        assert fix is not None and fix.status == "pending" and fix.origin_node == "01"
        assert s.scalar(select(Rating.level).where(Rating.id == fix.rating_id)) == 2
        fix_id = fix.id
    assert fix_id in {r.id for r in rectification.missing_callbacks(window.db)}
    assert fix_id in {r.id for r in rectification.missing_callbacks(director.db)}
    # the holder carries on with it as with one opened at its own window, and the centre takes it
    rectification.callback(window.db, actor, fix_id, "已致电群众，说明原因并致歉", satisfied=True)
    rectification.close(window.db, actor, fix_id, "fixed", "已对窗口人员进行业务培训")
    report = window.sync()
    assert report.ok
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT status, called_back FROM rectification WHERE id = :i"),
                            {"i": fix_id}).one() == ("fixed", True)
        assert conn.execute(text("SELECT count(*) FROM quarantine")).scalar_one() == 0
    assert director.sync().ok
    assert fix_id not in {r.id for r in rectification.missing_callbacks(director.db)}


LINK_BASE = "https://zx.example.gov.cn"


def qr_texts(pdf: bytes, dpi: int = 150) -> list[str]:
    return [value for kind, value in barcodes(pdf, dpi) if kind == "QRCode"]


def test_the_qr_becomes_the_public_link_and_a_reprint_keeps_the_issued_one(db: Database, admin: Actor,
                                                                          tmp_path: Path) -> None:
    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=MONDAY)
    case = get_case(db, number)
    assert case is not None
    plain = build_document(db, "receipt", number, now=MONDAY)
    assert qr_texts(plain.pdf) == [f"{number}#{case.query_code}"]  # no address set: as before
    save_settings(db, admin, dataclasses.replace(load_settings(db), public_address=LINK_BASE + "/"))
    with_link = build_document(db, "receipt", number, now=MONDAY)
    link = f"{LINK_BASE}/q/{number}"
    assert qr_texts(with_link.pdf) == [link] and case.query_code not in link  # the code stays on paper only
    assert json.loads(with_link.sheet)["qr"] == link
    assert "手机扫描右上角二维码" in flat(pdf_text(with_link.pdf)) and "手机扫描" not in flat(pdf_text(plain.pdf))
    render(with_link.pdf, 150)[0].save(tmp_path / "receipt.png")
    Path("/tmp/shots").mkdir(exist_ok=True)
    render(with_link.pdf, 150)[0].save("/tmp/shots/B-receipt-qr.png")
    issue(db, admin, with_link, "pdf", now=MONDAY)
    save_settings(db, admin, dataclasses.replace(load_settings(db), public_address="http://10.1.2.3:8443"))
    reprint = build_document(db, "receipt", number, now=MONDAY)
    assert reprint.reprint and qr_texts(reprint.pdf) == [link]  # kept as issued
    decide(db, admin, number, Decision(approve=True, result="准予领取养老金"), now=MONDAY + timedelta(days=1))
    notify(db, admin, number, "pickup", now=MONDAY + timedelta(days=1))
    completion = build_document(db, "completion", number, now=MONDAY + timedelta(days=1))
    assert qr_texts(completion.pdf) == [f"http://10.1.2.3:8443/q/{number}"]
    assert "手机扫描右上角二维码" in flat(pdf_text(completion.pdf))
    render(completion.pdf, 150)[0].save("/tmp/shots/B-completion-qr.png")
    decision = build_document(db, "decision", number, now=MONDAY + timedelta(days=1))
    assert qr_texts(decision.pdf) == [f"{number}#{case.query_code}"]  # other papers keep number#code


def test_the_public_address_is_checked(db: Database, admin: Actor) -> None:
    base = load_settings(db)
    for wrong in ("ftp://zx.example.gov.cn", "zx.example.gov.cn", "https://user:pw@zx.cn", "https://zx.cn/?a=1",
                  "https://中心.cn", "https://zx.cn/a b", "javascript:alert(1)", "https://" + "a" * 100 + ".cn"):
        with pytest.raises(ValidationError) as refused:
            save_settings(db, admin, dataclasses.replace(base, public_address=wrong))
        assert any("中心对外地址" in e for e in refused.value.errors), wrong
    for right in ("https://zx.example.gov.cn", "http://10.1.2.3:8443/", "https://zw.example.gov.cn/zx", ""):
        save_settings(db, admin, dataclasses.replace(base, public_address=right))
        assert load_settings(db).public_address == right.strip()
    assert dataclasses.replace(base, public_address="http://10.1.2.3:8443/").public_link("1") == "http://10.1.2.3:8443/q/1"
    assert base.public_link("1") == ""


def test_the_scanner_reads_the_link_as_the_number() -> None:
    from app.ui.main_window import CASE_SCAN
    from app.ui.scanner import unlink

    number = "2208211000126110200001"
    odd = f"HTTP://10.1.2.3:8443/zx/Q/{number}/"
    for typed, taken in ((f"{LINK_BASE}/q/{number}", 50), ("abc" + odd, len(odd)), (number, 0),
                         (f"{number}#01ABCDEF", 0)):
        code, length = unlink(typed)
        assert re.fullmatch(CASE_SCAN, code) and code.startswith(number) and length == taken
    assert unlink("https://" + "a" * 300 + f"/q/{number}")[1] == 0  # longer than any address: not a link


def test_f10_sets_the_public_address(qapp: object, qtbot: Any, db: Database, admin: Actor, task_runner: Any) -> None:
    from app.ui.department_view import DepartmentView

    view = DepartmentView(db, admin, task_runner)
    qtbot.addWidget(view)
    view.show()
    view.load()
    qtbot.waitUntil(lambda: view.office_hours.text() != "")
    view.public_address.setFocus()
    qtbot.keyClicks(view.public_address, "ftp://zx")
    view.save_settings()  # 保存中心设置
    task_runner.wait()
    assert load_settings(db).public_address == ""  # refused: not an http(s) address
    assert "中心对外地址" in view.settings_form.error_text("public_address")
    view.public_address.clear()
    qtbot.keyClicks(view.public_address, "https://zx.example.gov.cn")
    view.save_settings()
    qtbot.waitUntil(lambda: load_settings(db).public_address == "https://zx.example.gov.cn")


def test_a_scanned_link_names_its_case_wherever_a_number_is_scanned() -> None:
    from app.services.settings import number_in_link, scanned_case_number  # the 移交 scan box reads with it too

    number = "2208211000126110200001"
    assert number_in_link(f"https://zx.example.gov.cn/q/{number}") == number
    assert number_in_link(f"http://10.1.2.3:8765/q/{number}#ABCD1234") == number
    assert number_in_link(number) is None
    assert scanned_case_number(f"https://zx.example.gov.cn/q/{number}") == number  # the 移交 scan box too
    assert scanned_case_number(f"{number}#ABCD1234") == number

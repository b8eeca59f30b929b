"""Hand-overs on one workstation (issue 11): the offer's rules (a whole batch or nothing), the one rule
that stops the sender acting while its offer is open, cancelling, the history in Chinese, the 移交清单
with every barcode decoding, and the command line. Receipts and the centre: test_center_transfers.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.actor import Actor
from app.cli import main
from app.database import Database
from app.models import Case, CaseEvent
from app.services.cases import actions as act
from app.services.cases.deadlines import pause_case
from app.services.cases.history import event_label, event_text
from app.services.cases.records import accept_case, get_case
from app.services.cases.transfers import (
    batch_of,
    cancel_transfer,
    known_nodes,
    offer_transfer,
    receive_transfer,
    transfer_document,
)
from app.services.errors import ValidationError
from app.services.people.auth import login
from app.services.setup import perform_setup
from app.startup import open_workstation
from app.sync.client import remember_nodes
from tests.conftest import ADMIN_PASSWORD, setup_request
from tests.pdf_helpers import barcodes, flat, pdf_text, render
from tests.test_cases import form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=CN)
PNG_DIR = Path("/tmp/transfer_png")
NAMES = ("张桂芳", "李建国", "王秀英")


@pytest.fixture
def agency(data_dir: Path) -> Iterator[Database]:
    """A village agency point that has synced once: it knows the township's windows."""
    db, _ = open_workstation(data_dir)
    perform_setup(db, setup_request(node_code="11", node_name="红旗村代办点", node_kind="agency"))
    with db.engine.begin() as conn:
        remember_nodes(conn, [["01", "1号综合受理窗口", "window"], ["02", "2号窗口", "window"],
                               ["09", "主任办公室", "director"], ["11", "红旗村代办点", "agency"]])
    yield db
    db.dispose()


@pytest.fixture
def agent(agency: Database) -> Actor:
    return login(agency, "admin", ADMIN_PASSWORD)


def accepted(db: Database, actor: Actor, n: int, code: str = "SHJZ-001") -> str:
    return accept_case(db, actor, form(db, code, applicant_name=NAMES[n % 3]), MORNING + timedelta(minutes=n))


def events(db: Database, kind: str) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.kind == kind)) or 0


def test_the_centres_windows_are_the_choices_and_a_bad_batch_changes_nothing(agency: Database, agent: Actor) -> None:
    assert [(n.code, n.name) for n in known_nodes(agency)] == [("01", "1号综合受理窗口"), ("02", "2号窗口")]
    good, closed = accepted(agency, agent, 1), accepted(agency, agent, 2)
    act.withdraw(agency, agent, closed, "申请人不再申请", MORNING + timedelta(hours=1))
    with agency.session() as s:  # a case this point handed on earlier (the centre moved it)
        elsewhere = s.scalar(select(Case).where(Case.number == accepted(agency, agent, 3)))
        assert elsewhere is not None
        elsewhere.owner_node = "02"
        moved = elsewhere.number
    for numbers, to, why in (
        ([good], "11", "不能移交给本机"),
        ([good], "1", "两位节点编号"),
        ([good], "09", "中心没有09号窗口或代办点"),  # a director's workstation holds no cases
        ([good], "05", "中心没有05号窗口或代办点"),
        ([], "01", "请扫描或填写"),
        ([good, closed], "01", f"办件 {closed} 为“已撤回”"),
        ([good, moved], "01", "现由02号节点办理"),
        ([good, "220821100112611239999"], "01", "本机没有办件"),
    ):
        with pytest.raises(ValidationError) as refused:
            offer_transfer(agency, agent, numbers, to, MORNING + timedelta(hours=2))
        assert why in " ".join(refused.value.errors), (numbers, to, refused.value.errors)
    assert events(agency, "transfer_offered") == 0  # the good case did not go either

    batch = offer_transfer(agency, agent, [good, f"{good}#QUERY", " "], "01", MORNING + timedelta(hours=2))
    assert batch.number == "YJ2208211001126112300" + "01" and batch.cases == (good,)  # one case, once
    assert (batch.to_node, batch.to_name, batch.is_return) == ("01", "1号综合受理窗口", False)
    with pytest.raises(ValidationError, match="已移交给01号节点"):
        offer_transfer(agency, agent, [good], "02")
    second = offer_transfer(agency, agent, [accepted(agency, agent, 4)], "02", MORNING + timedelta(hours=3))
    assert second.number.endswith("0002")  # the day's batches are numbered on


def test_the_sender_may_not_act_until_it_cancels(agency: Database, agent: Actor) -> None:
    numbers = [accepted(agency, agent, n) for n in range(2)]
    batch = offer_transfer(agency, agent, numbers, "01", MORNING + timedelta(hours=1))
    approve = act.Decision(approve=True, result="准予享受最低生活保障")
    with pytest.raises(ValidationError, match="等待对方接收"):
        act.decide(agency, agent, numbers[0], approve, MORNING + timedelta(hours=2))
    with pytest.raises(ValidationError, match="撤销移交前本机不能办理"):
        pause_case(agency, agent, numbers[1], "检测", date(2026, 11, 24), 5, now=MORNING + timedelta(hours=2))
    with pytest.raises(ValidationError, match="不是本机"):  # only the named receiver receives
        receive_transfer(agency, agent, numbers[0])
    assert cancel_transfer(agency, agent, numbers[0], MORNING + timedelta(hours=3)) == [numbers[0]]
    assert act.decide(agency, agent, numbers[0], approve, MORNING + timedelta(hours=4)) == "approved"
    with pytest.raises(ValidationError, match="等待对方接收"):
        act.decide(agency, agent, numbers[1], approve, MORNING + timedelta(hours=4))
    assert cancel_transfer(agency, agent, batch.number, MORNING + timedelta(hours=5)) == [numbers[1]]  # the rest
    with pytest.raises(ValidationError, match="无需撤销"):
        cancel_transfer(agency, agent, batch.number)
    again = offer_transfer(agency, agent, numbers, "02", MORNING + timedelta(hours=6))  # free to go elsewhere
    assert again.number != batch.number and batch_of(agency, numbers[0]).batch == again.number


def test_the_history_names_each_step_in_chinese(agency: Database, agent: Actor) -> None:
    number = accepted(agency, agent, 1)
    offer_transfer(agency, agent, [number], "01", MORNING + timedelta(hours=1))
    cancel_transfer(agency, agent, number, MORNING + timedelta(hours=2))
    record = get_case(agency, number)
    assert record is not None and record.status == "accepted"  # not lifecycle steps: the state stays
    lines = [(event_label(kind), event_text(details)) for _at, kind, _staff, details in record.events]
    assert lines[1][0] == "移交" and lines[2][0] == "撤销移交"
    assert "接收方：1号综合受理窗口" in lines[1][1] and "移交批次：YJ" in lines[1][1]
    assert all("offer" not in text and "transfer" not in label for label, text in lines)


def test_the_transfer_list_carries_every_barcode(agency: Database, agent: Actor) -> None:
    numbers = [accepted(agency, agent, n, code) for n, code in enumerate(("SHJZ-001", "LL-001", "CL-001"))]
    batch = offer_transfer(agency, agent, numbers, "01", MORNING + timedelta(hours=1))
    pdf, reprint = transfer_document(agency, numbers[1])  # found by any of its cases
    assert not reprint and pdf == transfer_document(agency, batch.number)[0]  # byte for byte
    text = flat(pdf_text(pdf))
    for words in ("办件移交清单", batch.number, "11号节点（红旗村代办点）", "01号节点（1号综合受理窗口）", "移交人（签字）",
                  "接收人（签字）", "本批3件", "城乡居民最低生活保障申请", "张桂芳", "220821********", "高龄津贴申领"):
        assert words in text, words
    assert "19850312" not in text  # ID numbers masked as in lists
    found = barcodes(pdf)
    assert ("Code128", batch.number) in found and ("QRCode", batch.number) in found
    assert sorted(t for kind, t in found if kind == "Code128" and t != batch.number) == sorted(numbers)
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    for index, image in enumerate(render(pdf, 110)):
        image.save(PNG_DIR / f"transfer_list_{index + 1}.png")


def test_a_batch_of_many_runs_over_pages_and_every_case_still_scans(agency: Database, agent: Actor) -> None:
    numbers = [accepted(agency, agent, n) for n in range(22)]
    batch = offer_transfer(agency, agent, numbers, "02", MORNING + timedelta(hours=1))
    pdf, _ = transfer_document(agency, batch.number)
    pages = render(pdf, 110)
    assert len(pages) >= 2
    pages[-1].save(PNG_DIR / "transfer_list_last_page.png")
    assert {t for _k, t in barcodes(pdf)} >= set(numbers)


def test_the_command_line_hands_over_prints_and_takes_back(agency: Database, agent: Actor, data_dir: Path,
                                                          tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    numbers = [accepted(agency, agent, n) for n in range(2)]
    base = ["--data-dir", str(data_dir), "cases"]
    assert main([*base, "transfer", *numbers, "--to", "01", "-o", str(tmp_path / "x.txt")]) == 1  # refused first
    assert events(agency, "transfer_offered") == 0
    assert main([*base, "transfer", *numbers, "--to", "01", "-o", str(tmp_path / "list.pdf")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    batch = out[-1]
    assert batch.startswith("YJ") and "已移交 2 件给01号节点（1号综合受理窗口）" in out[0]
    assert (tmp_path / "list.pdf").read_bytes().startswith(b"%PDF")
    assert main(["--data-dir", str(data_dir), "print", "transfer", numbers[0], "-o", str(tmp_path / "again.pdf")]) == 0
    assert "（补打）" in capsys.readouterr().out
    assert "补打" in pdf_text((tmp_path / "again.pdf").read_bytes())
    assert main([*base, "receive", numbers[0]]) == 1
    assert "不是本机" in capsys.readouterr().err
    assert main([*base, "cancel-transfer", batch]) == 0
    assert capsys.readouterr().out.count("已撤销移交") == 2
    assert main([*base, "decide", numbers[0], "--approve", "--result", "准予"]) == 0


def test_a_batch_number_is_never_given_twice_even_by_an_older_copy(agency: Database, agent: Actor) -> None:
    first = offer_transfer(agency, agent, [accepted(agency, agent, 1)], "01", MORNING)
    with agency.engine.begin() as conn:  # a backup from before that batch, put back by hand
        conn.exec_driver_sql("DELETE FROM doc_sequence WHERE kind = 'transfer'")
    again = offer_transfer(agency, agent, [accepted(agency, agent, 2)], "01", MORNING + timedelta(hours=1))
    assert first.number.endswith("0001") and again.number.endswith("0002")

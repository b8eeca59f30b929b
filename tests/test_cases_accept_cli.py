"""`cases accept --json FILE`: the F6 screen's validation from a file; the number on the last line,
and a bad file changes nothing, exits 1 and says why field by field (issue 9)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.database import Database
from app.models import Case, OutboxEntry
from app.services.cases.records import get_case
from app.services.catalog import items as catalog
from app.services.id_numbers import id_check_digit
from app.services.numbering import CASE_NUMBER

pytestmark = pytest.mark.usefixtures("china_time")
ROOT = Path(__file__).resolve().parent.parent
ID = "22082119850312" + "123"
ID += id_check_digit(ID)


def application(db: Database, code: str, case_class: str | None = None, **extra: Any) -> dict[str, Any]:
    item = catalog.load_item(db, code)
    assert item is not None
    values: dict[str, Any] = {
        "item_code": code, "case_class": case_class or item.default_case_class, "applicant_kind": "individual",
        "applicant_name": "张桂芳", "applicant_id_type": "resident", "applicant_id_number": ID,
        "applicant_phone": "13904367788", "applicant_address": "镇赉镇红旗村三组",
        "received": list(range(1, len(item.materials) + 1)),
    }
    values.update(extra)
    return values


def accept(data_dir: Path, tmp_path: Path, content: Any, *extra: str) -> int:
    path = tmp_path / "application.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False),
                    encoding="utf-8")
    return main(["--data-dir", str(data_dir), "cases", "accept", "--json", str(path), *extra])


def case_rows(db: Database) -> int:
    with db.session() as s:
        cases = s.scalar(select(func.count()).select_from(Case)) or 0
        outbox = s.scalar(select(func.count()).where(OutboxEntry.table_name.in_(["case_file", "case_event"]))) or 0
        return cases + outbox


@pytest.mark.parametrize(("code", "case_class", "extra", "status"), [
    ("SB-003", "immediate", {}, "accepted"),
    ("SB-002", "promised", {}, "accepted"),
    ("HJ-001", "joint", {"lead_window": "3号户籍窗口", "co_departments": ["镇医疗保障服务站", "镇卫生院"]}, "accepted"),
    ("SB-002", "rejected", {"received": [], "rejection_reason": "不符合《社会保险法》第十六条规定的领取条件"},
     "rejected"),
    ("SB-002", "supplement", {"received": [1]}, "supplementing"),
])
def test_a_good_file_of_each_class_is_accepted_and_its_number_is_the_last_line(
        db: Database, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        code: str, case_class: str, extra: dict[str, Any], status: str) -> None:
    assert accept(data_dir, tmp_path, application(db, code, case_class, **extra)) == 0
    number = capsys.readouterr().out.strip().splitlines()[-1]
    assert CASE_NUMBER.match(number)
    case = get_case(db, number)
    assert case is not None and (case.case_class, case.status) == (case_class, status)
    assert case.applicant_name == "张桂芳" and case.staff_name == "命令行管理"
    if case_class == "joint":
        assert case.lead_window == "3号户籍窗口" and case.co_departments == ("镇医疗保障服务站", "镇卫生院")


def test_counts_agent_and_clerk_are_taken_from_the_file_and_options(
        db: Database, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    item = catalog.load_item(db, "SB-002")
    assert item is not None
    received: list[Any] = list(range(2, len(item.materials) + 1))
    received.append({"seq": 1, "originals": 1, "copies": 3, "electronic": True})
    content = application(db, "SB-002", received=received, agent_name="李明", agent_relation="子女",
                          agent_id_number=ID, agent_phone="0436-1234567")
    assert accept(data_dir, tmp_path, content, "--staff-no", "admin") == 0
    case = get_case(db, capsys.readouterr().out.splitlines()[-1])
    assert case is not None and case.staff_no == "admin" and case.agent_relation == "子女"
    first = next(r for r in case.received if r["seq"] == 1)
    assert (first["originals_kept"], first["copies"], first["electronic"]) == (1, 3, True)
    second = next(r for r in case.received if r["seq"] == 2)
    assert second["copies"] == item.materials[1].copies  # as the catalogue asks
    assert accept(data_dir, tmp_path, content, "--staff-no", "nobody") == 1
    assert "工号 nobody 不存在或已停用" in capsys.readouterr().err


def good(db: Database, **changes: Any) -> dict[str, Any]:
    values = application(db, "SB-002")
    values.update(changes)
    return values


@pytest.mark.parametrize(("make", "reasons"), [
    (lambda db: "{\"item_code\": \"SB-002\",", ["不是有效的 JSON"]),
    (lambda db: "[1, 2, 3]", ["应为一个 JSON 对象"]),
    (lambda db: "\"SB-002\"", ["应为一个 JSON 对象"]),
    (lambda db: json.dumps(good(db, applicant_address="址" * 1_000_000)), ["过大", "1 MB"]),
    (lambda db: "[" * 100_000 + "]" * 100_000, ["嵌套层数过多"]),
    (lambda db: good(db, notice_number="x", applicant_age=30), ["\"notice_number\"：不是受理表单的字段",
                                                                 "\"applicant_age\"：不是受理表单的字段"]),
    (lambda db: good(db, applicant_name=["张桂芳"], applicant_phone=13904367788, received={"1": True}),
     ["applicant_name：应为文本", "applicant_phone：应为文本", "received：应为材料序号的列表"]),
    (lambda db: good(db, received=[1, "2", {"copies": 1}, {"seq": 3, "copies": 1.5}, {"seq": 4, "colour": 1}]),
     ["received 第2项", "received 第3项：缺少材料序号", "received 第4项：copies 应为整数", "received 第5项：未知的字段"]),
    (lambda db: good(db, applicant_phone="1390", applicant_name="张\x00三", applicant_kind="robot"),
     ["applicant_kind：请选择申请人类型"]),
    (lambda db: good(db, applicant_phone="1390", applicant_name="张\u202e三"),
     ["applicant_name：申请人姓名含有不可见或控制字符", "applicant_phone：联系电话格式不正确"]),
    (lambda db: good(db, case_class="joint", lead_window="窗" * 100, co_departments=["镇卫生院"],
                     class_reason="需多部门联办"), ["lead_window：牵头窗口不能超过60个字"]),
    (lambda db: good(db, agent_name="李明", agent_relation="亲" * 30, agent_id_number=ID),
     ["agent_relation：代理人与申请人的关系不能超过20个字"]),
    (lambda db: good(db, item_code="NO-SUCH", case_class="urgent"), ["item_code：事项清单中没有编码为 NO-SUCH 的事项"]),
    (lambda db: good(db, case_class="urgent"), ["case_class：请选择办件类型"]),
    (lambda db: good(db, received=[99, {"seq": 1, "copies": 2**70}]), ["received："]),
    (lambda db: good(db, received=[]), ["missing_reason：缺少必要材料"]),
    (lambda db: "{\"item_code\": NaN}", ["不是有效的 JSON"]),
])
def test_a_bad_file_changes_nothing_and_says_why_field_by_field(
        db: Database, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        make: Any, reasons: list[str]) -> None:
    before = case_rows(db)
    assert accept(data_dir, tmp_path, make(db)) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("失败：")
    for reason in reasons:
        assert reason in err, err
    assert "Traceback" not in err
    assert case_rows(db) == before == 0


def test_the_command_line_contract_in_a_real_process(db: Database, data_dir: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "main.py", "--data-dir", str(data_dir), "cases", "accept", *args],
                              capture_output=True, text=True, cwd=ROOT, env=env)

    path = tmp_path / "a.json"
    path.write_text(json.dumps(application(db, "SB-002")), encoding="utf-8")
    done = run("--json", str(path))
    assert done.returncode == 0, done.stderr
    number = done.stdout.rstrip("\n").splitlines()[-1]
    assert CASE_NUMBER.match(number) and get_case(db, number) is not None
    missing = run("--json", str(tmp_path / "none.json"))
    assert missing.returncode == 1 and "找不到文件" in missing.stderr and missing.stdout == ""
    usage = run()
    assert usage.returncode == 2 and "--json" in usage.stderr
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1  # the failures wrote nothing


def test_a_case_accepted_on_the_command_line_belongs_to_this_nodes_window(db: Database) -> None:
    """Without --staff-no the command line works as this node: the case lists and the public board show
    the node's name as its window, not 未注明窗口."""
    from app.actor import Actor
    from app.cases_cli import clerk
    from app.services.node import load_identity

    identity = load_identity(db)
    assert identity is not None
    actor = clerk(db, None, Actor(staff_id=None, staff_no="cli", name="命令行管理", role="system"))
    assert actor.workplace == identity.node_name and actor.name == "命令行管理"

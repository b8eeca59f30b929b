"""`complaints add/list/reply/close/flagged`: a file checked before anything changes, the number on the
last line, the list streamed with states, due dates and lights, and failures in Chinese (issue 12)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

import app.clock
from app.actor import Actor
from app.cli import main
from app.database import Database
from app.models import Complaint, ComplaintEvent
from tests.conftest import add_staff

pytestmark = pytest.mark.usefixtures("china_time")
MONDAY = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 09:00 in China


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", MONDAY)


@pytest.fixture(autouse=True)
def known_staff(db: Database, admin: Actor, stopped_clock: None) -> None:
    add_staff(db, admin, "A001")


def complaint(**extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"category": 1, "channel": "来信", "name": "刘淑兰", "phone": "13904361234",
                              "anonymous": False, "confidential": False, "staff_no": "A001",
                              "case_number": "", "content": "窗口人员态度生硬"}
    values.update(extra)
    return values


def run(data_dir: Path, *argv: str) -> int:
    return main(["--data-dir", str(data_dir), "complaints", *argv])


def add(data_dir: Path, tmp_path: Path, content: Any) -> int:
    path = tmp_path / "complaint.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False),
                        encoding="utf-8")
    return run(data_dir, "add", "--json", str(path))


def count(db: Database) -> int:
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(Complaint)) or 0) + (
            s.scalar(select(func.count()).select_from(ComplaintEvent)) or 0)


def test_a_complaint_goes_from_file_to_closed(db: Database, data_dir: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert add(data_dir, tmp_path, complaint()) == 0
    said, number = capsys.readouterr().out.strip().splitlines()[-2:]
    assert number == "TS220821100012611300001"
    assert said == "已登记投诉：第1类 窗口工作人员服务态度较差"
    assert add(data_dir, tmp_path, complaint(confidential=True, name="赵秘密")) == 0
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert add(data_dir, tmp_path, complaint(anonymous=True, name="", phone="", channel="来电")) == 0
    anonymous = capsys.readouterr().out.strip().splitlines()[-1]
    assert run(data_dir, "list", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["number"] for r in rows] == [number, secret, anonymous]  # real-name first
    assert all(r["id"] and r["status"] == "registered" and r["due_date"] == "2026-12-07" and r["light"] == "green"
               for r in rows)
    assert rows[1]["name"] == "（保密）"  # the command line is no director
    assert run(data_dir, "reply", number, "--text", "经核实已批评教育", "--oral") == 1
    assert "书面投诉应书面答复" in capsys.readouterr().err
    assert run(data_dir, "reply", number, "--text", "经核实已批评教育", "--written") == 0
    assert run(data_dir, "close", number, "--finding", "upheld") == 1
    assert "请先回访投诉人" in capsys.readouterr().err
    assert run(data_dir, "satisfaction", number, "--satisfied") == 0
    assert run(data_dir, "close", number, "--finding", "upheld") == 0
    assert "属实" in capsys.readouterr().out
    assert run(data_dir, "flagged", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []
    assert run(data_dir, "handle", anonymous, "--mode", "self") == 0
    assert run(data_dir, "close", anonymous, "--finding", "unfounded") == 0
    capsys.readouterr()
    assert add(data_dir, tmp_path, complaint()) == 0
    again = capsys.readouterr().out.strip().splitlines()[-1]
    assert run(data_dir, "reply", again, "--text", "已答复", "--written") == 0
    assert run(data_dir, "satisfaction", again, "--satisfied") == 0
    assert run(data_dir, "close", again, "--finding", "upheld") == 0
    capsys.readouterr()
    assert run(data_dir, "flagged", "--json") == 0
    flagged = json.loads(capsys.readouterr().out)
    assert [(f["staff_no"], f["upheld"], f["numbers"]) for f in flagged] == [("A001", 2, [number, again])]
    assert run(data_dir, "list") == 0
    out = capsys.readouterr().out
    assert "已办结" in out and "匿名" in out and "赵秘密" not in out


def test_the_list_shows_red_when_overdue(db: Database, data_dir: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert add(data_dir, tmp_path, complaint()) == 0
    monkeypatch.setattr(app.clock, "_fixed", MONDAY + timedelta(days=8))
    capsys.readouterr()
    assert run(data_dir, "list", "--json") == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["light"], row["working_days_left"]) == ("red", -1)


@pytest.mark.parametrize(("content", "message"), [
    (complaint(category=12), "投诉类别应为1至11"),
    (complaint(category="1"), "category"),
    (complaint(content=""), "请填写投诉内容"),
    (complaint(anonymous="yes"), "anonymous"),
    (complaint(extra="x"), "无法识别的字段"),
    ("[1, 2]", "JSON 对象"),
    ("{not json", "JSON"),
    (b"\xff\xfe{}", "UTF-8"),
    (json.dumps(complaint(content="长" * 30_000), ensure_ascii=False), "投诉文件过大"),
])
def test_a_bad_file_changes_nothing(db: Database, data_dir: Path, tmp_path: Path, content: Any, message: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert add(data_dir, tmp_path, content) == 1
    assert message in capsys.readouterr().err
    assert count(db) == 0


def test_unknown_complaints_and_bad_arguments_are_refused(db: Database, data_dir: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert run(data_dir, "close", "TS0000", "--finding", "upheld") == 1
    assert "找不到投诉" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        run(data_dir, "close", "TS0000", "--finding", "maybe")
    assert exited.value.code == 2
    assert "参数错误" in capsys.readouterr().err
    assert run(data_dir, "add", "--json", str(data_dir / "missing.json")) == 1
    assert "找不到文件" in capsys.readouterr().err

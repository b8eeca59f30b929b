"""`queue take|call|status` as an acceptance check runs them: workstations on the centre's real HTTP service."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.center.nodes import make_enroll_code
from app.center.runtime import Center
from app.cli import main
from app.startup import open_workstation
from app.sync.join import join
from tests.sync_helpers import LiveServer


@pytest.fixture
def live(center: Center) -> Iterator[LiveServer]:
    server = LiveServer(center)
    yield server
    server.stop()


def _joined(center: Center, live: LiveServer, folder: Path, code: str) -> Path:
    db, _ = open_workstation(folder)
    join(db, live.url, make_enroll_code(center.engine, code, f"{code}号窗口", "window"))
    db.dispose()
    return folder


def _run(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(folder), "queue", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_take_call_and_status_from_the_command_line(center: Center, live: LiveServer, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    kiosk = _joined(center, live, tmp_path / "kiosk", "09")
    window = _joined(center, live, tmp_path / "w1", "01")
    assert _run(capsys, kiosk, "take", "--category", "综合")[:2] == (0, "A001\n")
    code, out, err = _run(capsys, kiosk, "take", "--category", "综合")
    assert (code, out) == (0, "A002\n") and "前面还有 1 人等候" in err
    code, out, err = _run(capsys, window, "call", "--window", "02")
    assert code == 1 and "只能为本窗口叫号，不能替节点 02 叫号" in err
    code, out, err = _run(capsys, kiosk, "take", "--category", "社保")
    assert code == 1 and "没有“社保”这个排队类别" in err
    assert _run(capsys, window, "call", "--window", "01")[:2] == (0, "A001\n")
    code, out, _ = _run(capsys, kiosk, "status", "--json")
    shown = json.loads(out)
    assert shown["categories"]["综合"]["waiting"] == 1 and shown["categories"]["综合"]["prefix"] == "A"
    assert [(t["number"], t["window"], t["window_name"]) for t in shown["called"]] == [("A001", "01", "01号窗口")]
    assert shown["called"][0]["called_at"]
    assert _run(capsys, window, "call", "--window", "01")[:2] == (0, "A002\n")
    assert _run(capsys, window, "call", "--window", "01")[:2] == (0, "当前没有等候的号\n")
    live.stop()
    code, out, err = _run(capsys, window, "call", "--window", "01")
    assert code == 1 and "暂时无法连接中心的排队叫号服务" in err

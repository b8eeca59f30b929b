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


def _joined(center: Center, live: LiveServer, folder: Path, code: str, kind: str = "window") -> Path:
    db, _ = open_workstation(folder)
    join(db, live.url, make_enroll_code(center.engine, code, f"{code}号窗口", kind))
    db.dispose()
    return folder


def _run(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(folder), "queue", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_take_call_and_status_from_the_command_line(center: Center, live: LiveServer, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    kiosk = _joined(center, live, tmp_path / "kiosk", "09", "kiosk")
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


def test_categories_are_listed_and_replaced_from_a_file_by_a_proven_person_all_or_nothing(
        center: Center, live: LiveServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from tests.sync_helpers import CENTER_ADMIN_PASSWORD

    window = _joined(center, live, tmp_path / "w1", "01")
    _joined(center, live, tmp_path / "w2", "02")
    code, out, _ = _run(capsys, window, "categories")
    assert code == 0 and out.splitlines()[1] == "综合\tA\t0\t全部窗口"
    code, out, _ = _run(capsys, window, "categories", "--json")
    listed = json.loads(out)
    assert listed == {"categories": [{"name": "综合", "prefix": "A", "windows": [], "every_window": True,
                                      "waiting": 0}]}
    listed["categories"].append({"name": "社保医保", "prefix": "b", "windows": ["02"]})
    wanted = tmp_path / "categories.json"
    wanted.write_text(json.dumps(listed, ensure_ascii=False), encoding="utf-8")
    code, _, err = _run(capsys, window, "categories", "--set", str(wanted))
    assert code == 1 and "--prove 工号" in err  # no person, nothing sent

    def password(text: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(text + "\n"))

    password("wrong-password-1")
    code, _, err = _run(capsys, window, "categories", "--set", str(wanted), "--prove", "8000")
    assert code == 1 and "中心未能核验身份" in err
    password(CENTER_ADMIN_PASSWORD)
    code, out, err = _run(capsys, window, "categories", "--set", str(wanted), "--prove", "8000")
    assert (code, err) == (0, "") and "共 2 个：综合（A）、社保医保（B）" in out
    code, out, _ = _run(capsys, window, "categories")
    assert out.splitlines()[1:] == ["综合\tA\t0\t全部窗口", "社保医保\tB\t0\t02 02号窗口"]
    bad = tmp_path / "bad.json"  # one bad category: the file is refused whole, before anyone is asked
    bad.write_text(json.dumps([{"name": "综合", "prefix": "A"}, {"name": "民政", "prefix": "A"}]), encoding="utf-8")
    code, _, err = _run(capsys, window, "categories", "--set", str(bad), "--prove", "8000")
    assert code == 1 and "号头重复：A" in err
    bad.write_text(json.dumps([{"name": "民政", "prefix": "C", "windows": ["1"]}]), encoding="utf-8")
    code, _, err = _run(capsys, window, "categories", "--set", str(bad), "--prove", "8000")
    assert code == 1 and "第 1 个类别（民政）" in err and "两位数字" in err
    bad.write_text(json.dumps([{"name": "民政", "prefix": "C", "counter": 1}]), encoding="utf-8")
    assert "不认识的字段：counter" in _run(capsys, window, "categories", "--set", str(bad), "--prove", "8000")[2]
    bad.write_bytes(b"[" + b" " * 70_000 + b"]")
    assert "超过 64 KB" in _run(capsys, window, "categories", "--set", str(bad), "--prove", "8000")[2]
    bad.write_bytes(b"\xff\xfe")
    assert "不是 UTF-8 编码的 JSON" in _run(capsys, window, "categories", "--set", str(bad), "--prove", "8000")[2]
    assert _run(capsys, window, "categories")[1].count("\n") == 3  # still the two categories set above


def test_main_sync_at_the_booking_workstation_marks_a_kiosk_arrival(
        center: Center, live: LiveServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`main.py sync` does what the desktop's sync does after the pull: the booking workstation learns of the
    kiosk's check-in (it used to, only from the desktop's scheduler, so the 预约 stayed 已预约)."""
    from datetime import date, datetime, timedelta, timezone

    import app.clock
    from app.services.appointments.booking import AppointmentForm, book, day_appointments
    from app.services.people.auth import login
    from tests.sync_helpers import CENTER_ADMIN_PASSWORD

    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 30, 8, 10, tzinfo=timezone(timedelta(hours=8))))
    kiosk = _joined(center, live, tmp_path / "kiosk", "09", "kiosk")
    booking = _joined(center, live, tmp_path / "w2", "02")
    assert main(["--data-dir", str(booking), "sync"]) == 0  # the centre's people arrive
    db, _ = open_workstation(booking)
    made = book(db, login(db, "8000", CENTER_ADMIN_PASSWORD), AppointmentForm(
        "SHJZ-001", "李建国", "13904360001", date(2026, 11, 30), "08:30-09:30", window="2号窗口"))
    db.dispose()
    assert main(["--data-dir", str(booking), "sync"]) == 0  # the centre learns of the booking
    capsys.readouterr()
    assert _run(capsys, kiosk, "take", "--category", "综合", "--appointment", "13904360001")[0] == 0
    code = main(["--data-dir", str(booking), "sync"])
    out, err = capsys.readouterr()
    assert code == 0 and "1 个预约已在大厅取号机签到，已标记为到达" in out, (out, err)
    db, _ = open_workstation(booking)
    [shown] = [a for a in day_appointments(db, date(2026, 11, 30)) if a.number == made.number]
    db.dispose()
    assert shown.status == "arrived" and shown.arrived_at == datetime(2026, 11, 30, 8, 10, tzinfo=timezone(timedelta(hours=8)))


def test_take_writes_the_ticket_paper_as_a_pdf_on_the_kiosks_paper_or_the_one_asked(
        center: Center, live: LiveServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.services.queue.kiosk_settings import PAPER_KEY
    from tests.pdf_helpers import flat, pdf_text, render

    kiosk = _joined(center, live, tmp_path / "kiosk", "09", "kiosk")
    db, _ = open_workstation(kiosk)
    from app.models import AppMeta

    with db.session() as s:  # this kiosk's paper, as the administrator set it: the 58 mm roll
        s.add(AppMeta(key=PAPER_KEY, value="58"))
    db.dispose()
    code, out, err = _run(capsys, kiosk, "take", "--category", "综合", "-o", str(tmp_path / "A001.pdf"))
    assert (code, out) == (0, "A001\n") and "已生成排队小票（58毫米热敏小票）" in err
    data = (tmp_path / "A001.pdf").read_bytes()
    assert "A001" in flat(pdf_text(data)) and "您前面没有人等候" in flat(pdf_text(data))
    assert abs(render(data, dpi=72)[0].width - 58 / 25.4 * 72) < 2
    code, out, _ = _run(capsys, kiosk, "take", "--category", "综合", "-o", str(tmp_path / "a.pdf"), "--paper", "A6")
    assert (code, out) == (0, "A002\n") and abs(render((tmp_path / "a.pdf").read_bytes(), dpi=72)[0].width
                                                - 105 / 25.4 * 72) < 2
    for bad, why in ((("-o", str(tmp_path / "t.png")), "应以 .pdf 结尾"), (("--paper", "58"), "--paper 只与 -o 同用"),
                     (("-o", str(tmp_path / "t.pdf"), "--paper", "76"), "--paper 应为 58、80 或 a6")):
        code, out, err = _run(capsys, kiosk, "take", "--category", "综合", *bad)
        assert (code, out) == (1, "") and why in err
    assert _run(capsys, kiosk, "take", "--category", "综合")[1] == "A003\n"  # the refused ones took no number

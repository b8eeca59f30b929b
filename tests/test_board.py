"""Issue 11: the 超期公示 board — overdue and recently completed cases by window, names masked."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

import app.clock
from app.actor import Actor
from app.cli import main
from app.database import Database
from app.services.cases import actions as act
from app.services.cases.board import NO_WINDOW, board_document, load_board
from app.services.cases.records import accept_case
from app.services.masking import mask_name
from tests.test_cases import ID, form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
WINDOW1 = Actor(staff_id=None, staff_no="8001", name="张丽华", role="clerk", workplace="1号综合受理窗口")
WINDOW2 = Actor(staff_id=None, staff_no="8002", name="李秀兰", role="clerk", workplace="2号综合受理窗口")
WINDOW10 = Actor(staff_id=None, staff_no="8010", name="赵刚", role="clerk", workplace="10号窗口")
PNG_DIR = Path("/tmp/board_png")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CN)


def test_names_are_masked_as_the_hall_expects() -> None:
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_name(" 王 ") == "王"
    assert mask_name("买买提·艾力") == "买****力"


@pytest.fixture
def hall(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Seen on Thursday 2026-11-19: window 1 has two overdue cases and one completed late this week,
    window 2 one overdue and one completed on time, window 10 one completed long ago."""
    monkeypatch.setattr(app.clock, "_fixed", at("2026-10-20T09:00"))
    old = accept_case(db, WINDOW10, form(db, "SB-003", "immediate", applicant_name="孙悟空"), now=at("2026-10-20T09:00"))
    act.complete_on_spot(db, WINDOW10, old, "当场发放", now=at("2026-10-20T09:10"))
    monkeypatch.setattr(app.clock, "_fixed", at("2026-11-02T09:00"))
    a1 = accept_case(db, WINDOW1, form(db, "SB-002", "promised", applicant_name="张桂芳"), now=at("2026-11-02T09:00"))
    a2 = accept_case(db, WINDOW1, form(db, "SB-002", "promised", applicant_name="刘备"), now=at("2026-11-04T09:00"))
    b1 = accept_case(db, WINDOW2, form(db, "SB-002", "promised", applicant_name="欧阳小明"), now=at("2026-11-03T09:00"))
    late = accept_case(db, WINDOW1, form(db, "SB-002", "promised", applicant_name="关羽"), now=at("2026-11-02T10:00"))
    act.decide(db, WINDOW1, late, act.Decision(True, result="准予", late_reason="材料复核"), now=at("2026-11-18T09:00"))
    act.deliver(db, WINDOW1, late, act.Delivery("pickup", receiver="关羽", receiver_id=ID), now=at("2026-11-18T15:00"))
    on_time = accept_case(db, WINDOW2, form(db, "SB-003", "immediate", applicant_name="诸葛亮"),
                          now=at("2026-11-16T09:00"))
    act.complete_on_spot(db, WINDOW2, on_time, "当场发放", now=at("2026-11-16T09:30"))
    monkeypatch.setattr(app.clock, "_fixed", at("2026-11-19T10:00"))
    return {"a1": a1, "a2": a2, "b1": b1, "late": late, "on_time": on_time, "old": old}


def test_the_board_lists_overdue_and_recent_by_window(db: Database, hall: dict[str, str]) -> None:
    board = load_board(db)
    assert board.day == date(2026, 11, 19) and board.since == date(2026, 11, 13)
    assert [w.window for w in board.windows] == ["1号综合受理窗口", "2号综合受理窗口"]  # 10号: nothing recent
    first, second = board.windows
    assert [(line.number, line.applicant, line.overdue_days) for line in first.overdue] == [
        (hall["a1"], "张*芳", 3), (hall["a2"], "刘*", 1)]  # most overdue first; due 11-16 and 11-18
    assert first.overdue[0].overdue_text == "超期3个工作日" and first.overdue[0].staff_name == "张丽华"
    assert [(line.number, line.applicant, line.completed, line.overdue_days) for line in first.completed] == [
        (hall["late"], "关*", date(2026, 11, 18), 2)]
    assert first.completed[0].overdue_text == "超期2个工作日办结"
    assert [line.applicant for line in second.overdue] == ["欧**明"]
    assert [(line.number, line.overdue_text) for line in second.completed] == [(hall["on_time"], "按时办结")]
    assert (board.overdue_total, board.completed_total, board.completed_late) == (3, 2, 1)
    assert "超期未办结 3 件" in board.summary and "超期办结 1 件" in board.summary
    assert board.supervise_phone == "12345"


def test_a_long_list_is_bounded_but_its_totals_are_true(db: Database, hall: dict[str, str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    board = load_board(db, per_window=1)
    first = board.windows[0]
    assert len(first.overdue) == 1 and first.overdue_total == 2 and first.overdue_hidden == 1
    assert board.overdue_total == 3
    wider = load_board(db, recent_days=60)
    assert [w.window for w in wider.windows] == ["1号综合受理窗口", "2号综合受理窗口", "10号窗口"]  # numbers in order
    assert wider.windows[2].completed[0].applicant == "孙*空"
    with pytest.raises(ValueError):
        load_board(db, recent_days=0)


def test_a_case_without_a_window_is_still_shown(db: Database, admin: Actor, hall: dict[str, str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", at("2026-11-02T09:00"))
    nowhere = accept_case(db, Actor(None, "cli", "命令行管理", "system"), form(db, "SB-002", "promised"),
                          now=at("2026-11-02T09:00"))
    monkeypatch.setattr(app.clock, "_fixed", at("2026-11-19T10:00"))
    board = load_board(db)
    assert board.windows[-1].window == NO_WINDOW and board.windows[-1].overdue[0].number == nowhere


def test_the_printed_board_masks_names_and_lists_every_case(db: Database, hall: dict[str, str], tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    import pypdfium2 as pdfium

    pdf = board_document(db, now=at("2026-11-19T10:00"))
    assert pdf == board_document(db, now=at("2026-11-19T10:00"))
    document = pdfium.PdfDocument(pdf)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    for shown in ("超期办件公示", "1号综合受理窗口", "2号综合受理窗口", "张*芳", "欧**明", "超期3个工作日", "按时办结",
                  hall["a1"], "监督电话 12345", "2026年11月19日"):
        assert shown in text.replace("\r\n", ""), shown
    for hidden in ("张桂芳", "欧阳小明", "关羽", ID):
        assert hidden not in text
    PNG_DIR.mkdir(exist_ok=True)
    document[0].render(scale=1.5).to_pil().save(PNG_DIR / "board-pdf-1.png")
    out = tmp_path / "公示.pdf"
    assert main(["--data-dir", str(db.path.parent), "cases", "board", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF") and "已生成超期公示" in capsys.readouterr().out
    assert main(["--data-dir", str(db.path.parent), "cases", "board", "--days", "0", "-o", str(out)]) == 1
    assert main(["--data-dir", str(db.path.parent), "cases", "board", "-o", str(tmp_path / "公示.xlsx")]) == 1
    assert "应以 .pdf 结尾" in capsys.readouterr().err

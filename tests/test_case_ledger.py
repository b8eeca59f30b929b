"""Issue 11: the 办件登记簿 — every case a filter matches, to Excel and to print, with no row cap."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

import app.clock
from app.actor import Actor
from app.cli import main
from app.database import Database
from app.progress import Cancelled, Progress
from app.services.cases import actions as act
from app.services.cases import ledger
from app.services.cases.ledger import LedgerFilter, count_ledger, export_ledger, iter_ledger, ledger_document
from app.services.cases.records import accept_case
from app.services.errors import ValidationError
from tests.test_cases import ID, form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
CLERK2 = Actor(staff_id=None, staff_no="8002", name="李秀兰", role="clerk", workplace="2号综合受理窗口")
PNG_DIR = Path("/tmp/board_png")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CN)


def sheet_rows(path: Path) -> list[tuple[object, ...]]:
    """Every row of the workbook's sheet, header included (the read-only workbook closed again)."""
    workbook = load_workbook(path, read_only=True)
    try:
        assert workbook.sheetnames == ["办件登记簿"]
        return list(workbook.active.iter_rows(values_only=True))
    finally:
        workbook.close()


@pytest.fixture
def cases(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Four cases of November 2026, seen on Thursday the 19th: one overdue and open, one done on the spot
    by another clerk, one collected at the window, one decided three working days late."""
    monkeypatch.setattr(app.clock, "_fixed", at("2026-11-02T09:00"))
    late_open = accept_case(db, admin, form(db, "SB-002", "promised"), now=at("2026-11-02T09:00"))  # due 11-16
    late_done = accept_case(db, admin, form(db, "SB-002", "promised", applicant_name="欧阳小明"),
                            now=at("2026-11-02T10:00"))
    on_spot = accept_case(db, CLERK2, form(db, "SB-003", "immediate", applicant_name="王五"),
                          now=at("2026-11-03T09:00"))
    act.complete_on_spot(db, CLERK2, on_spot, "当场发放", now=at("2026-11-03T09:20"))
    collected = accept_case(db, admin, form(db, "SB-002", "promised", applicant_name="赵六"),
                            now=at("2026-11-04T09:00"))
    act.decide(db, admin, collected, act.Decision(True, result="准予"), now=at("2026-11-05T09:00"))
    act.deliver(db, admin, collected, act.Delivery("pickup", receiver="赵六", receiver_id=ID), now=at("2026-11-06T15:00"))
    act.decide(db, admin, late_done, act.Decision(True, result="准予", late_reason="材料复核"),
               now=at("2026-11-19T09:00"))
    monkeypatch.setattr(app.clock, "_fixed", at("2026-11-19T10:00"))
    return {"late_open": late_open, "late_done": late_done, "on_spot": on_spot, "collected": collected}


def test_each_line_carries_the_cases_projection(db: Database, cases: dict[str, str]) -> None:
    lines = {line.number: line for line in iter_ledger(db)}
    assert [line.seq for line in iter_ledger(db)] == [1, 2, 3, 4]
    assert [line.number for line in iter_ledger(db)] == [cases[k] for k in ("late_open", "late_done", "on_spot",
                                                                           "collected")]  # oldest first
    open_late = lines[cases["late_open"]]
    assert (open_late.status, open_late.due_date, open_late.overdue_days, open_late.ended) == (
        "办理中", date(2026, 11, 16), 3, None)  # 17, 18, 19: three working days past
    assert open_late.applicant == "张桂芳" and open_late.applicant_id.startswith("220821") and "*" in open_late.applicant_id
    decided_late = lines[cases["late_done"]]
    assert decided_late.status == "已决定（准予）" and decided_late.overdue_days == 3  # as recorded at the decision
    spot = lines[cases["on_spot"]]
    assert (spot.case_class, spot.status, spot.ended, spot.staff_no, spot.overdue_days) == (
        "即办件", "已办结", date(2026, 11, 3), "8002", 0)
    picked = lines[cases["collected"]]
    assert picked.ended == date(2026, 11, 6) and picked.trips == 2  # acceptance and collection at the window


def test_filters_by_dates_state_class_staff_and_item(db: Database, cases: dict[str, str]) -> None:
    def numbers(**kw: object) -> list[str]:
        return [line.number for line in iter_ledger(db, LedgerFilter(**kw))]  # type: ignore[arg-type]

    assert numbers(date_from=date(2026, 11, 3), date_to=date(2026, 11, 3)) == [cases["on_spot"]]
    assert numbers(date_to=date(2026, 11, 2)) == [cases["late_open"], cases["late_done"]]
    assert numbers(status="done") == numbers(status="已办结") == [cases["on_spot"], cases["collected"]]
    assert numbers(case_class="immediate") == numbers(case_class="即办件") == [cases["on_spot"]]
    assert numbers(staff_no="8002") == [cases["on_spot"]]
    assert numbers(item_code="sb-003") == [cases["on_spot"]]
    assert numbers(date_from=date(2026, 12, 1)) == []
    assert count_ledger(db, LedgerFilter(status="accepted")) == 1
    with pytest.raises(ValidationError, match="状态“办完了”不存在"):
        list(iter_ledger(db, LedgerFilter(status="办完了")))
    with pytest.raises(ValidationError, match="起始日期不能晚于截止日期"):
        count_ledger(db, LedgerFilter(date_from=date(2026, 11, 5), date_to=date(2026, 11, 1)))
    with pytest.raises(ValidationError, match="年份"):
        count_ledger(db, LedgerFilter(date_from=date(1900, 1, 1)))


def test_the_spreadsheet_reads_back_every_case(db: Database, cases: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "登记簿.xlsx"
    assert export_ledger(db, path) == 4
    rows = sheet_rows(path)
    assert rows[0] == ledger.COLUMNS
    by_number = {r[1]: r for r in rows[1:]}
    late = by_number[cases["late_open"]]
    assert late[0] == 1 and late[5] == "张桂芳" and "*" in str(late[6]) and late[8] == "2026-11-16"
    assert late[9] == "办理中" and late[14] == 3 and late[10] is None
    spot = by_number[cases["on_spot"]]
    assert spot[7] == "即办件" and spot[10].date() == date(2026, 11, 3) and spot[12] == "8002"
    assert by_number[cases["collected"]][13] == 2
    with pytest.raises(ValidationError, match=".xlsx"):
        export_ledger(db, tmp_path / "登记簿.csv")


def test_no_row_cap_and_memory_in_chunks(db: Database, admin: Actor, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """More cases than a chunk (and than a screen's page): every one is written, numbered in order."""
    from app.services.paging import PAGE_SIZE, STREAM_CHUNK
    from tests.benchmarks.case_data import fill

    total = STREAM_CHUNK * 2 + PAGE_SIZE + 7
    fill(db, total)
    path = tmp_path / "all.xlsx"
    steps: list[int] = []
    assert export_ledger(db, path, progress=Progress(lambda step: steps.append(step.done), interval=0)) == total
    rows = sheet_rows(path)[1:]
    assert len(rows) == total and [r[0] for r in rows] == list(range(1, total + 1))
    assert len({r[1] for r in rows}) == total and total in steps
    dates = [r[2] for r in rows]
    assert dates == sorted(dates)


def test_a_cancelled_export_writes_nothing(db: Database, cases: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "cancelled.xlsx"
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        export_ledger(db, path, progress=progress)
    assert not path.exists() and not list(tmp_path.glob("*.part"))


def test_the_printed_ledger_repeats_its_header_and_counts_pages(db: Database, admin: Actor,
                                                               cases: dict[str, str]) -> None:
    import pypdfium2 as pdfium

    for n in range(60):  # enough rows for three pages
        accept_case(db, admin, form(db, "SB-002", "promised", applicant_name=f"测试{n:02d}"),
                    now=at("2026-11-18T09:00") + timedelta(minutes=n))
    pdf = ledger_document(db, LedgerFilter(date_from=date(2026, 11, 1), date_to=date(2026, 11, 30)), "王管理（admin）",
                          now=at("2026-11-19T10:00"))
    assert pdf == ledger_document(db, LedgerFilter(date_from=date(2026, 11, 1), date_to=date(2026, 11, 30)),
                                  "王管理（admin）", now=at("2026-11-19T10:00"))  # byte for byte
    document = pdfium.PdfDocument(pdf)
    pages = len(document)
    assert pages >= 2
    PNG_DIR.mkdir(exist_ok=True)
    for index in range(pages):
        page = document[index]
        text = page.get_textpage().get_text_range()
        assert f"第 {index + 1} 页" in text and f"共 {pages} 页" in text
        assert "办件编号" in text and "超期" in text  # the column header on every page
        page.render(scale=1.5).to_pil().save(PNG_DIR / f"case-ledger-{index + 1}.png")
    first = document[0].get_textpage().get_text_range()
    assert "镇赉镇民生服务中心办件登记簿" in first and "共 64 件" in first and "2026-11-01 至 2026-11-30" in first
    assert "张桂芳" in first and "220821********" in first
    assert "测试59" in document[pages - 1].get_textpage().get_text_range()


def test_the_command_line_writes_excel_and_pdf(db: Database, cases: dict[str, str], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(db.path.parent)]
    out = tmp_path / "ledger.xlsx"
    assert main([*data, "cases", "ledger", "--from", "2026-11-03", "--to", "2026-11-30", "--status", "done",
                          "-o", str(out)]) == 0
    assert "已导出 2 件" in capsys.readouterr().out
    rows = sheet_rows(out)[1:]
    assert [r[1] for r in rows] == [cases["on_spot"], cases["collected"]]
    pdf = tmp_path / "ledger.pdf"
    assert main([*data, "cases", "ledger", "--class", "即办件", "--staff", "8002", "-o", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert main([*data, "cases", "ledger", "--status", "办完了", "-o", str(out)]) == 1
    assert "状态“办完了”不存在" in capsys.readouterr().err
    assert main([*data, "cases", "ledger", "-o", str(tmp_path / "ledger.txt")]) == 1
    with pytest.raises(SystemExit) as bad_date:
        main([*data, "cases", "ledger", "--from", "2026-13-01", "-o", str(out)])
    assert bad_date.value.code == 2 and "不是有效的日期" in capsys.readouterr().err


def test_an_empty_ledger_says_so_and_a_cancelled_one_stops(db: Database, cases: dict[str, str]) -> None:
    import pypdfium2 as pdfium

    empty = pdfium.PdfDocument(ledger_document(db, LedgerFilter(date_from=date(2026, 12, 1)), "王管理（admin）"))
    text = empty[0].get_textpage().get_text_range()
    assert len(empty) == 1 and "没有符合条件的办件" in text and "共 0 件" in text and "共 1 页" in text
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        ledger_document(db, None, "王管理（admin）", progress)

"""差评整改台账: every bad rating with its state, due date, light, call-back, outcome and appeal, exported
to Excel without a row cap and printed as a landscape ledger (header on every page, page x of y,
totals); an excluded rating stays on it marked 申诉成立（不计入）; the CLI and its Chinese refusals."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

import app.clock
from app.actor import Actor
from app.cli import main
from app.database import Database
from app.progress import Cancelled, Progress
from app.services.ratings import ledger
from app.services.ratings import rectification as rect
from app.services.ratings.ledger import rectification_ledger_pdf, write_rectification_ledger_xlsx
from app.services.ratings.ratings import add_rating
from tests.pdf_helpers import flat, pdf_text, render
from tests.test_ratings import CN, immediate_done

pytestmark = pytest.mark.usefixtures("china_time")
CLERK = Actor(staff_id=None, staff_no="1002", name="王晓东", role="clerk", workplace="社保窗口")
DIRECTOR = Actor(staff_id=None, staff_no="8004", name="刘国庆", role="director", workplace="镇民生服务中心")
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=CN)
TODAY = datetime(2026, 11, 20, 9, 0, tzinfo=CN)  # a Friday: the first rectifications are overdue
SHOTS = Path("/tmp/shots")


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", TODAY.astimezone(UTC))


def bad(db: Database, admin: Actor, when: datetime = MONDAY, level: int = 2, text: str = "") -> str:
    number = immediate_done(db, admin, when)
    record = add_rating(db, admin, number, level, ["213", "214"] if level == 2 else ["115"], text, now=when)
    key = next(r.id for r in rect.list_rectifications(db) if r.rating_id == record.id)
    return key


def four(db: Database, admin: Actor) -> dict[str, str]:
    """A fixed one, an excluded one (upheld appeal), an overdue open one and an unfixable one."""
    keys = {"fixed": bad(db, admin, text="等了很久，电话13904361234"), "excluded": bad(db, admin, level=1),
            "open": bad(db, admin), "unfixable": bad(db, admin, MONDAY + timedelta(days=3))}
    rect.verify(db, CLERK, keys["fixed"], "核实属实")
    rect.callback(db, DIRECTOR, keys["fixed"], "已致歉并说明整改措施", satisfied=True)
    rect.close(db, CLERK, keys["fixed"], "fixed", "已组织窗口业务培训")
    rect.appeal(db, admin, keys["excluded"], "群众误点了不满意", "评价器录像")
    rect.decide_appeal(db, DIRECTOR, keys["excluded"], True, "录像证实为误操作")
    rect.callback(db, CLERK, keys["unfixable"], "群众仍有意见", satisfied=False)
    rect.close(db, CLERK, keys["unfixable"], "unfixable", "系统由省里统一建设", date(2026, 12, 31))
    return keys


def sheet_rows(path: Path) -> list[tuple[object, ...]]:
    workbook = load_workbook(path, read_only=True)
    try:
        width = len(ledger.COLUMNS)  # a read-only sheet leaves out a row's empty cells at its end
        return [(*row, *(None,) * (width - len(row))) for row in workbook.active.iter_rows(values_only=True)]
    finally:
        workbook.close()


def test_the_excel_ledger_has_every_line_with_its_history(db: Database, admin: Actor, tmp_path: Path) -> None:
    four(db, admin)
    path = tmp_path / "台账.xlsx"
    assert write_rectification_ledger_xlsx(db, path) == 4
    rows = sheet_rows(path)
    assert rows[0] == ledger.COLUMNS and len(rows) == 5
    by_state = {r[9]: dict(zip(ledger.COLUMNS, r, strict=True)) for r in rows[1:]}
    assert set(by_state) == {"已整改", "申诉成立（不计入）", "待核实", "无法整改"}
    fixed = by_state["已整改"]
    assert fixed["评价等级"] == "不满意" and fixed["评价原因"] == "213 窗口人员业务不熟练、214 服务态度生硬"
    assert (fixed["回访人"], fixed["回访情况"], fixed["群众是否满意"]) == ("刘国庆", "已致歉并说明整改措施", "满意")
    assert fixed["整改说明"] == "已整改：已组织窗口业务培训" and fixed["亮灯"] is None
    assert fixed["被评价人"] and fixed["工号"] and fixed["评价日期"].date() == date(2026, 11, 2)
    excluded = by_state["申诉成立（不计入）"]
    assert excluded["申诉复核"].startswith("申诉成立：录像证实为误操作（刘国庆 2026-11-20）")
    assert excluded["群众是否满意"] == "无需回访"  # as the 好差评 screen says
    overdue = by_state["待核实"]
    assert overdue["亮灯"] == "超期4个工作日" and overdue["整改期限"].date() == date(2026, 11, 16)
    unfixable = by_state["无法整改"]
    assert unfixable["整改说明"] == "无法整改：系统由省里统一建设（新期限 2026-12-31）"
    assert unfixable["整改期限"].date() == date(2026, 12, 31) and unfixable["群众是否满意"] == "不满意"


def test_no_row_cap_and_the_date_filter(db: Database, admin: Actor, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    for day in range(7):
        bad(db, admin, MONDAY + timedelta(days=day, hours=day))
    monkeypatch.setattr(ledger, "STREAM_CHUNK", 3)  # several chunks, one of them partial
    path = tmp_path / "all.xlsx"
    assert write_rectification_ledger_xlsx(db, path) == 7
    rows = sheet_rows(path)[1:]
    assert [r[0] for r in rows] == list(range(1, 8)) and len({r[2] for r in rows}) == 7
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)  # oldest rating first
    some = tmp_path / "some.xlsx"
    assert write_rectification_ledger_xlsx(db, some, date_from=date(2026, 11, 3), date_to=date(2026, 11, 4)) == 2
    with pytest.raises(Exception, match="起始日期不能晚于截止日期"):
        write_rectification_ledger_xlsx(db, some, date_from=date(2026, 11, 5), date_to=date(2026, 11, 4))
    with pytest.raises(Exception, match=r"\.xlsx"):
        write_rectification_ledger_xlsx(db, tmp_path / "x.csv")


def test_a_cancelled_export_leaves_no_file(db: Database, admin: Actor, tmp_path: Path) -> None:
    bad(db, admin)
    progress = Progress()
    progress.cancel()
    path = tmp_path / "cancelled.xlsx"
    with pytest.raises(Cancelled):
        write_rectification_ledger_xlsx(db, path, progress)
    assert not path.exists()
    with pytest.raises(Cancelled):
        rectification_ledger_pdf(db, "王管理", progress=progress)


def test_the_printed_ledger(db: Database, admin: Actor) -> None:
    four(db, admin)
    for day in range(14):  # enough long lines for a second page
        bad(db, admin, MONDAY + timedelta(days=day % 5, hours=day), text="办事等候时间过长，窗口人员解释不清楚。" * 7)
    seen: list[int] = []
    data = rectification_ledger_pdf(db, "王管理", now=TODAY, progress=Progress(lambda step: seen.append(step.done)))
    assert data == rectification_ledger_pdf(db, "王管理", now=TODAY)  # byte for byte
    reader = PdfReader(io.BytesIO(data))
    count = len(reader.pages)
    assert count >= 2 and seen and max(seen) == 18
    pages = [flat(page.extract_text()) for page in reader.pages]
    assert "镇赉镇民生服务中心差评整改台账" in pages[0] and "共18条打印：王管理2026年11月20日09:00" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert "评价日期／评价对象编号" in text and f"差评整改台账第{number}页共{count}页" in text  # header on every page
    whole = "".join(pages)
    assert "申诉成立（不计入）" in whole and "139****1234" in whole and "13904361234" not in whole
    assert ("合计：差评18条，其中计入统计17条、申诉成立（不计入）1条。计入统计的：待核实15条、整改中0条、已整改1条、"
            "无法整改1条；已回访2条、未回访15条；超期13条。") in whole
    SHOTS.mkdir(parents=True, exist_ok=True)
    images = render(data, 110)
    for i in (1, 2, count):
        images[i - 1].save(SHOTS / f"C-rectification-ledger-{i}.png")


def test_an_empty_ledger_prints(db: Database) -> None:
    text = flat(pdf_text(rectification_ledger_pdf(db, "王管理", now=TODAY)))
    assert "没有符合条件的差评" in text and "合计：差评0条" in text


def run(data_dir: Path, *argv: str) -> int:
    return main(["--data-dir", str(data_dir), *argv])


def test_the_commands(db: Database, admin: Actor, data_dir: Path, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    four(db, admin)
    pdf = tmp_path / "台账.pdf"
    assert run(data_dir, "print", "rectification-ledger", "-o", str(pdf)) == 0
    assert capsys.readouterr().out.strip() == f"已生成差评整改台账：{pdf}"
    assert "差评整改台账" in flat(pdf_text(pdf.read_bytes()))
    xlsx = tmp_path / "台账.xlsx"
    assert run(data_dir, "rectifications", "export", str(xlsx), "--from", "2026-11-05") == 0
    assert capsys.readouterr().out.strip() == f"已导出 1 条差评整改到 {xlsx}"
    assert len(sheet_rows(xlsx)) == 2
    assert run(data_dir, "rectifications", "export", str(tmp_path / "a.csv")) == 1
    assert "导出文件应以 .xlsx 结尾" in capsys.readouterr().err and not (tmp_path / "a.csv").exists()
    with pytest.raises(SystemExit) as usage:
        run(data_dir, "rectifications", "export", str(xlsx), "--from", "2026-13-01")
    assert usage.value.code == 2
    assert "日期格式应为" in capsys.readouterr().err
    out = tmp_path / "bad.pdf"
    assert run(data_dir, "print", "rectification-ledger", "--from", "2026-11-20", "--to", "2026-11-01",
               "-o", str(out)) == 1
    assert "起始日期不能晚于截止日期" in capsys.readouterr().err and not out.exists()
    assert run(data_dir, "print", "rectification-ledger", "-o", str(tmp_path / "a.txt")) == 1
    assert ".pdf" in capsys.readouterr().err


def test_a_bad_rating_the_citizen_replaced_with_a_follow_up_is_not_counted(db: Database, admin: Actor) -> None:
    key = bad(db, admin)
    kept = bad(db, admin)
    number = next(r.target_number for r in rect.list_rectifications(db) if r.id == key)
    add_rating(db, admin, number, 5, channel="window", now=MONDAY + timedelta(hours=1))  # the 追评
    lines = {line.id: line for line in ledger.iter_lines(db)}
    assert (lines[key].superseded, lines[kept].superseded) == (True, False)
    assert lines[key].state_label == "待核实（已被追评取代，不计入）"
    text = flat(pdf_text(rectification_ledger_pdf(db, "王管理")))
    assert "计入统计1条" in text and "已被追评取代（不计入）1条" in text


def test_an_excluded_rating_needs_no_call_back_in_the_ledger_as_on_screen(db: Database, admin: Actor) -> None:
    from app.services.ratings.listing import page_rectifications

    keys = four(db, admin)
    lines = {line.id: line for line in ledger.iter_lines(db)}
    on_screen = {item.id: item.callback_label for item in page_rectifications(db).rows}
    assert lines[keys["excluded"]].callback_text == on_screen[keys["excluded"]] == "无需回访"
    assert lines[keys["open"]].callback_text == on_screen[keys["open"]] == "未回访"

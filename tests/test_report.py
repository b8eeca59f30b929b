"""The monthly and quarterly statistics report (issue 13): `report --period … -o F.pdf|F.xlsx` from
generated data; the PDF names only the embedded font (no Helvetica or other base-14 face, in the pages
or the charts), is byte-for-byte repeatable and carries the figures; the workbook has one sheet per table
with numbers as numbers and shares as percentages; bad periods and file names are refused in Chinese."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from app.actor import Actor
from app.database import Database
from app.services.errors import ValidationError
from app.services.stats.monthly import check_output, gather, report_sheet, top_items
from app.services.stats.periods import parse_report_period
from app.services.stats.report import figures_for, format_value
from tests.pdf_helpers import flat, pdf_text, render, unembedded_fonts
from tests.test_stats import FIRST, LAST, TODAY, Generated, generate

pytestmark = pytest.mark.usefixtures("china_time")
BASE14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


@pytest.fixture
def generated(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> Iterator[Generated]:
    yield generate(db, admin, monkeypatch)


def font_names(data: bytes) -> set[str]:
    """Every /BaseFont named anywhere in the file (pages, forms, charts): all objects, not just pages."""
    reader = PdfReader(io.BytesIO(data))
    names: set[str] = set()
    seen: set[int] = set()

    def walk(obj: object) -> None:
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                return
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            if "/BaseFont" in obj:
                names.add(str(obj["/BaseFont"]))
            for value in obj.values():
                walk(value)
        elif isinstance(obj, list):
            for value in obj:
                walk(value)

    walk(reader.trailer)
    return names


def run(db: Database, *argv: str) -> int:
    from app.cli import main

    return main(["--data-dir", str(db.path.parent), *argv])


def test_the_monthly_pdf_has_the_figures_charts_and_only_the_embedded_font(
        db: Database, generated: Generated, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "2026-11.pdf"
    assert run(db, "report", "--period", "2026-11", "-o", str(out)) == 0
    assert "统计报表" in capsys.readouterr().out
    data = out.read_bytes()
    fonts = font_names(data)
    assert fonts and all(re.fullmatch(r"/[A-Z]{6}\+WenQuanYiZenHei-\d+", name) for name in fonts), fonts
    assert unembedded_fonts(data) == []
    assert not any(base in name for name in fonts for base in BASE14)
    text = flat(pdf_text(data))
    assert "民生服务工作情况统计报表（2026年11月）" in text
    total = figures_for(db, FIRST, LAST).total.values
    for needle in ("全镇主要指标", "按窗口（代办点）", "按工作人员", "按事项", "1号窗口", "2号窗口", "测试人员1（1001）",
                   "指标说明", "平均办结用时", "一次办结率", "整改率", "回访率", "各窗口（代办点）受理量与办结量",
                   "近12个月受理量与办结量", "满意度构成", "非常满意", "默认评价", "第1页共", "10月", "11月",
                   f"{format_value('satisfaction', total['satisfaction'])}"):
        assert flat(needle) in text, needle
    assert f"受理量{total['accepted']}件" in text
    assert run(db, "report", "--period", "2026-11", "-o", str(tmp_path / "again.pdf")) == 0
    assert (tmp_path / "again.pdf").read_bytes() == data  # byte for byte, same data and clock
    pages = render(data, 60)
    assert len(pages) >= 3
    if os.environ.get("REPORT_PNG_DIR"):  # for looking at the pages by eye
        for index, page in enumerate(render(data, 110), start=1):
            page.save(Path(os.environ["REPORT_PNG_DIR"]) / f"report-{index}.png")


def test_the_quarter_and_its_title(db: Database, generated: Generated, tmp_path: Path) -> None:
    named = parse_report_period("2026-Q4")
    assert (named.period.first, named.period.last, named.title) == (date(2026, 10, 1), date(2026, 12, 31),
                                                                     "2026年第四季度")
    data = gather(db, named, today=TODAY)
    quarter = figures_for(db, date(2026, 10, 1), date(2026, 12, 31), today=TODAY).total.values
    assert data.township.values == quarter and quarter["accepted"] > figures_for(db, FIRST, LAST).total.values["accepted"]
    assert [p.month for p in data.trend][-3:] == ["2026-10", "2026-11", "2026-12"]
    out = tmp_path / "q4.pdf"
    assert run(db, "report", "--period", "2026-Q4", "-o", str(out)) == 0
    assert "统计报表（2026年第四季度）" in flat(pdf_text(out.read_bytes()))


def test_top_items_and_the_rest_as_other(db: Database, generated: Generated) -> None:
    items = figures_for(db, FIRST, LAST, "item")
    assert len(items.rows) >= 2
    top = top_items(items, 1)
    assert len(top) == 2 and top[0].values["accepted"] == max(r.values["accepted"] or 0 for r in items.rows)
    other = top[1]
    assert other.label.startswith("其他")
    for key in ("accepted", "completed", "ratings", "complaints"):
        assert other.values[key] == sum(int(r.values[key] or 0) for r in items.rows) - int(top[0].values[key] or 0)
    rest = [r for r in items.rows if r is not top[0]]
    done = sum(int(r.values["completed"] or 0) for r in rest)
    on_time = sum(int(r.values["completed_on_time"] or 0) for r in rest)
    assert other.values["on_time_rate"] == (round(100 * on_time / done, 1) if done else None)
    assert top_items(items, 50) == tuple(sorted(items.rows, key=lambda r: (-int(r.values["accepted"] or 0), r.key)))
    sheet = report_sheet(gather(db, "2026-11", today=TODAY), "测试中心", "测试")
    assert [t.title for t in sheet.tables] == ["按窗口（代办点）", "按工作人员", "按事项"]
    assert len(sheet.trend) == 12 and sheet.window_bars[0][0] == "1号窗口"


def test_the_workbook_has_one_sheet_per_table(db: Database, generated: Generated, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "2026-11.xlsx"
    assert run(db, "report", "--period", "2026-11", "-o", str(out)) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["全镇", "按窗口", "按人员", "按事项", "月度趋势", "满意度构成", "指标说明"]
    total = figures_for(db, FIRST, LAST).total.values
    township = {row[3].value: row[1] for row in book["全镇"].iter_rows(min_row=2)}
    assert township["accepted"].value == total["accepted"] and isinstance(township["accepted"].value, int)
    assert township["satisfaction"].value == pytest.approx((total["satisfaction"] or 0) / 100)
    assert township["satisfaction"].number_format == "0.0%"
    assert all(cell.font.b for cell in book["按窗口"][1])
    windows = list(book["按窗口"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in windows] == ["1号窗口", "2号窗口", None] and windows[-1][1] == "全镇合计"
    header = [c.value for c in book["按窗口"][1]]
    accepted = header.index("受理量（件）")
    assert windows[0][accepted] + windows[1][accepted] == windows[2][accepted] == total["accepted"]
    trend = list(book["月度趋势"].iter_rows(min_row=2, values_only=True))
    assert len(trend) == 12 and trend[-1][0] == "2026-11" and trend[-1][1] == total["accepted"]
    split = {r[0]: r[1] for r in book["满意度构成"].iter_rows(min_row=2, values_only=True)}
    assert sum(v for k, v in split.items() if k != "默认评价") == total["ratings"]
    assert split["默认评价"] == total["ratings_default"]
    assert len(list(book["指标说明"].iter_rows(min_row=2))) >= 20


@pytest.mark.parametrize("satisfaction", [(None,) * 12, (None,) * 11 + (80.0,)])
def test_charts_without_data_or_with_one_point_still_print(satisfaction: tuple[float | None, ...]) -> None:
    """A quarter with no windows, no ratings or one month of ratings: reportlab cannot draw a one-point
    line, so such a series is drawn as markers; nothing falls back to Helvetica."""
    from app.printing.stats_report_pdf import StatsReportSheet, stats_report_pdf

    levels = (("非常满意", 0), ("满意", 0), ("基本满意", 0), ("不满意", 0), ("非常不满意", 0), ("默认评价", 0))
    sheet = StatsReportSheet("测试中心", "2026年第四季度", "2026-10-01 至 2026-12-31", "数据截至 2026-12-31 09:58",
                             "2026-12-31 10:00", "主任", (("受理量", "0 件"),), "—", (),
                             (), tuple((f"{m}月", 0.0, 0.0, s) for m, s in zip(range(1, 13), satisfaction)),
                             levels, (("受理量", "件", "统计期内受理的办件数"),))
    data = stats_report_pdf(sheet)
    text = flat(pdf_text(data))
    assert "本期没有窗口数据" in text and "本期没有计入的评价" in text
    assert not any(base in name for name in font_names(data) for base in BASE14)


@pytest.mark.parametrize(("period", "output", "message"), [
    ("2026-13", "r.pdf", "月份应为 01—12"),
    ("2026-1", "r.pdf", "格式不对"),
    ("2026-q4", "r.pdf", "格式不对"),
    ("2026-Q5", "r.pdf", "格式不对"),
    ("1999-11", "r.pdf", "年份应在"),
    ("2026-11", "r.docx", "报表文件应以 .pdf 或 .xlsx 结尾"),
])
def test_bad_input_is_refused_and_nothing_written(db: Database, tmp_path: Path, period: str, output: str,
                                                  message: str, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / output
    assert run(db, "report", "--period", period, "-o", str(out)) != 0
    assert message in capsys.readouterr().err
    assert list(folder.iterdir()) == []
    with pytest.raises(ValidationError, match=message):
        parse_report_period(period)
        check_output(out)


def test_the_report_says_as_of_when_its_figures_were_counted(db: Database, generated: Generated,
                                                             tmp_path: Path) -> None:
    """超期件数 counts cases still undecided "as of today": a closed month printed on another day differs, so
    the header, the running head, the notes and the workbook's first sheet all say 数据截至 that moment."""
    from datetime import datetime, timedelta, timezone

    from openpyxl import load_workbook

    from app.printing.stats_report_pdf import stats_report_pdf
    from app.services.stats.monthly import write_report

    moment = datetime(2026, 12, 10, 9, 30, 41, tzinfo=timezone(timedelta(hours=8)))
    data = gather(db, "2026-11", today=moment)
    assert all(table.as_of == moment.replace(second=0) for table in data.tables.values())
    sheet = report_sheet(data, "测试中心", "测试")
    assert sheet.as_of == "数据截至 2026-12-10 09:30" and "数据截至 2026-12-10 09:30" in sheet.as_of_note
    pdf = stats_report_pdf(sheet)
    assert flat("统计期间：2026-11-01 至 2026-11-30　数据截至 2026-12-10 09:30") in flat(pdf_text(pdf))
    assert flat(pdf_text(pdf)).count("数据截至2026-12-1009:30") >= 3  # header, running heads, notes
    out = tmp_path / "r.xlsx"
    write_report(data, out, "测试中心", "测试")
    first = load_workbook(out).worksheets[0]
    rows = {row[3]: row[1] for row in first.iter_rows(min_row=2, values_only=True)}
    assert rows["as_of"] == "2026-12-10 09:30"
    assert [r[0] for r in first.iter_rows(min_row=2, max_row=3, values_only=True)] == ["统计期间", "数据截至"]
    # the same closed month counted later: a case still undecided is more working days overdue, and says so
    later = gather(db, "2026-11", today=moment + timedelta(days=7))
    assert report_sheet(later, "测试中心", "测试").as_of == "数据截至 2026-12-17 09:30"
    if data.township.values["overdue"]:
        assert (later.township.values["overdue_days"] or 0) >= (data.township.values["overdue_days"] or 0)

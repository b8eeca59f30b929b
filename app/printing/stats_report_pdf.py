"""民生服务工作情况统计报表: the monthly or quarterly report as A4 portrait pages, from plain data.

The township's figures first, then the tables by window (窗口和代办点), by clerk and by item (the 20
items most accepted, and the rest as 其他), then the charts (bars per window, the 12-month trend, the
satisfaction split; charts.py) and the notes giving every figure's written definition. Pages after the
first carry a running head; every footer says 第 N 页 共 M 页 (one form drawn once the last page is laid
out, as in the ledgers). The values arrive formatted: this module lays out and never counts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.printing import charts
from app.printing.case_ledger_pdf import _TotalPagesCanvas, decorate
from app.printing.fonts import register_pdf_font
from app.printing.layout import GREY, LIGHT, Paragraph, draw_text, grid, styles
from app.printing.text import para

MARGINS = {"leftMargin": 16 * mm, "rightMargin": 16 * mm, "topMargin": 16 * mm, "bottomMargin": 16 * mm}
WIDTH_MM = 178  # portrait A4 less the margins
LABEL_MM = 34  # the first column of a table (window, clerk or item name)


@dataclass(frozen=True)
class TableBlock:
    """One grid of a scope's table: a set of figures for its groups, the township's line last."""

    caption: str  # 办件、评价和投诉 | 预约、上门、延时服务和考勤
    columns: tuple[str, ...]  # the figure headings
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (name, formatted values in `columns` order)
    total: tuple[str, ...]  # the township's line, same columns


@dataclass(frozen=True)
class ReportTable:
    title: str  # 按窗口（代办点）
    scope: str  # the first column's heading: 窗口（代办点）
    blocks: tuple[TableBlock, ...]
    note: str = ""


@dataclass(frozen=True)
class StatsReportSheet:
    center_name: str
    period_title: str  # 2026年11月 | 2026年第四季度
    period_text: str  # 2026-11-01 至 2026-11-30
    as_of: str  # 数据截至 2026-12-10 09:30: when the figures were counted (超期 counts "undecided as of then")
    printed: str
    printed_by: str
    township: tuple[tuple[str, str], ...]  # (figure label, value with unit)
    class_counts: str  # 受理量 by class: 即办件 3、承诺件 5
    tables: tuple[ReportTable, ...]
    window_bars: tuple[tuple[str, float, float], ...]  # (window, 受理量, 办结量)
    trend: tuple[tuple[str, float, float, float | None], ...]  # (month label, 受理量, 办结量, 满意度 %)
    split: tuple[tuple[str, int], ...]  # (level label, counted ratings), 非常满意 first, then 默认评价
    definitions: tuple[tuple[str, str, str], ...]  # (label, unit, definition)
    as_of_note: str = ""  # what the as-of moment means for the figures, printed in the notes
    training: bool = False
    area: str = "全镇"  # what the whole is called: 全镇 at a township, 全县 at the county
    bars_title: str = "各窗口（代办点）受理量与办结量"  # the bars of the report's first table

    @property
    def title(self) -> str:
        return f"{self.center_name}民生服务工作情况统计报表（{self.period_title}）"


def _cell_styles() -> dict[str, ParagraphStyle]:
    st = styles()
    return {"head": ParagraphStyle("stats_head", parent=st["tiny_center"], fontSize=7, leading=8.5),
            "name": ParagraphStyle("stats_name", parent=st["tiny"], fontSize=7.5, leading=9),
            "value": ParagraphStyle("stats_value", parent=st["tiny_center"], fontSize=7.5, leading=9)}


def _township(sheet: StatsReportSheet) -> Table:
    """The township's figures two to a line: 指标 | 数值 | 指标 | 数值."""
    st = styles()
    pairs = list(sheet.township)
    rows: list[list[object]] = [["指标", "数值", "指标", "数值"]]
    half = (len(pairs) + 1) // 2
    for left, right in zip(pairs[:half], [*pairs[half:], ("", "")], strict=False):
        rows.append([Paragraph(para(left[0]), st["cell"]), left[1], Paragraph(para(right[0]), st["cell"]), right[1]])
    table = grid(rows, [54 * mm, 35 * mm, 54 * mm, 35 * mm])
    table.setStyle(TableStyle([("ALIGN", (1, 0), (1, -1), "CENTER"), ("ALIGN", (3, 0), (3, -1), "CENTER"),
                               ("ALIGN", (0, 0), (-1, 0), "CENTER")]))
    return table


def _grid(scope: str, block: TableBlock, area: str) -> Table:
    """A name column and the block's figures, the township's line last and shaded."""
    st = _cell_styles()
    value_mm = (WIDTH_MM - LABEL_MM) / max(1, len(block.columns))
    widths = [LABEL_MM * mm, *([value_mm * mm] * len(block.columns))]
    rows: list[list[object]] = [[Paragraph(para(scope), st["head"]),
                                 *(Paragraph(para(c), st["head"]) for c in block.columns)]]
    for name, values in block.rows:
        rows.append([Paragraph(para(name), st["name"]), *values])
    rows.append([Paragraph(f"{area}合计", st["name"]), *block.total])
    body = grid(rows, widths)
    body.setStyle(TableStyle([("FONTSIZE", (0, 1), (-1, -1), 7.5), ("ALIGN", (1, 1), (-1, -1), "CENTER"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                              ("BACKGROUND", (0, -1), (-1, -1), LIGHT)]))
    return body


def _table(table: ReportTable, area: str) -> list[Flowable]:
    """One scope's table: a grid per block (case figures, then service figures), each with its caption."""
    out: list[Flowable] = [CondPageBreak(40 * mm), Paragraph(para(table.title), styles()["heading"])]
    for index, block in enumerate(table.blocks):
        caption = Paragraph(f"<b>{para(block.caption)}</b>", styles()["small"])
        if index:
            out.append(Spacer(1, 2 * mm))
        out += [CondPageBreak(30 * mm), caption, _grid(table.scope, block, area)]
        if not block.rows and index == 0:
            out.append(Paragraph("（本期没有数据）", styles()["small"]))
    if table.note:
        out.append(Paragraph(para(table.note), styles()["small"]))
    return out


def _charts(sheet: StatsReportSheet) -> list[Flowable]:
    months = [m for m, *_ in sheet.trend]
    bars = charts.bar_chart(sheet.bars_title, [w for w, _, _ in sheet.window_bars],
                            [("受理量", [a for _, a, _ in sheet.window_bars]),
                             ("办结量", [c for _, _, c in sheet.window_bars])], height=70 * mm)
    counts = charts.line_chart("近12个月受理量与办结量", months,
                               [("受理量", [a for _, a, _, _ in sheet.trend]),
                                ("办结量", [c for _, _, c, _ in sheet.trend])], "件", height=58 * mm)
    satisfaction = charts.line_chart("近12个月满意度", months, [("满意度", [s for *_, s in sheet.trend])], "%",
                                     height=48 * mm, top=100.0)
    rated = sum(n for label, n in sheet.split if label != "默认评价")
    pie = charts.pie_chart(f"满意度构成（计入评价 {rated} 条）", [p for p in sheet.split if p[0] != "默认评价"],
                           note="默认评价 " + str(next((n for label, n in sheet.split if label == "默认评价"), 0))
                           + " 条，另计，不在饼图内", height=58 * mm)
    heading = Paragraph("图表", styles()["heading"])
    return [PageBreak(), KeepTogether([heading, bars, Spacer(1, 3 * mm), counts]), Spacer(1, 3 * mm),
            KeepTogether([satisfaction, Spacer(1, 3 * mm), pie])]


def _notes(sheet: StatsReportSheet) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [CondPageBreak(30 * mm), Paragraph("指标说明", st["heading"])]
    for label, unit, definition in sheet.definitions:
        out.append(Paragraph(f"<b>{para(label)}</b>（{para(unit)}）：{para(definition)}", st["small"]))
    out.append(Spacer(1, 2 * mm))
    out.append(Paragraph(f"受理量分件类（{sheet.area}）：{para(sheet.class_counts)}", st["small"]))
    if sheet.as_of_note:
        out.append(Paragraph(para(sheet.as_of_note), st["small"]))
    return out


def stats_report_pdf(sheet: StatsReportSheet) -> bytes:
    """The report as PDF bytes: the same data and clock give the same bytes."""
    font = register_pdf_font()
    st = styles()
    story: list[Flowable] = [
        NextPageTemplate("later"),
        Paragraph(para(sheet.title), ParagraphStyle("stats_title", parent=st["title"], fontSize=16, leading=22)),
        Paragraph(f"统计期间：{para(sheet.period_text)}　<b>{para(sheet.as_of)}</b>", st["subtitle"]),
        Paragraph(f"打印：{para(sheet.printed_by)} {para(sheet.printed)}", st["subtitle"]),
        Spacer(1, 3 * mm),
        Paragraph(f"一、{sheet.area}主要指标", st["heading"]),
        _township(sheet),
    ]
    for index, table in enumerate(sheet.tables, start=2):
        numbered = ReportTable(f"{'一二三四五六七八'[index - 1]}、{table.title}", table.scope, table.blocks,
                               table.note)
        story += _table(numbered, sheet.area)
    story += _charts(sheet)
    story += _notes(sheet)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, title=sheet.title, author="民生服务工作站", creator="民生服务工作站",
                          initialFontName=font, **MARGINS)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)

    def on_first(canvas: Canvas, document: Any) -> None:
        decorate("统计报表", sheet.training, canvas, document)

    def on_later(canvas: Canvas, document: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(GREY)
        below = 13.5 * mm if sheet.training else 10 * mm  # under the training line, not through it
        head = f"{sheet.title}　{sheet.as_of}"
        draw_text(canvas, document.leftMargin, document.pagesize[1] - below, head, 8)
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.3)
        top = document.pagesize[1] - below - 1.5 * mm
        canvas.line(document.leftMargin, top, document.pagesize[0] - document.rightMargin, top)
        canvas.restoreState()
        decorate("统计报表", sheet.training, canvas, document)

    doc.addPageTemplates([PageTemplate("first", [frame], onPage=on_first),
                          PageTemplate("later", [frame], onPage=on_later)])
    doc.build(story, canvasmaker=_TotalPagesCanvas)
    return buffer.getvalue()

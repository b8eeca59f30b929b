"""月度考勤表: landscape A4, one row per person, the month's days 1..31 as narrow columns with the short
marks (√ 迟 早 旷 假 — 未), the totals at the right, the legend beneath, the column header on every page
and 第 N 页 共 M 页 in the footer (the landscape builder of the 办件登记簿, app.printing.case_ledger_pdf).

Rest days are shaded in the header and the body, so a 调休 working Saturday stands out as a white
column. Built from plain data, byte-for-byte repeatable, the CJK font embedded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, NextPageTemplate, Spacer, Table, TableStyle

from app.printing.case_ledger_pdf import build_ledger
from app.printing.fonts import register_pdf_font
from app.printing.layout import RED, Paragraph, grid, styles
from app.printing.text import para

TITLE = "考勤表"
ROWS_PER_TABLE = 25
NAME_MM, WINDOW_MM, TOTAL_MM = 20, 22, 9.5
BODY_MM = 265  # landscape A4 less the margins
REST_SHADE = colors.HexColor("#e4e4e4")
BAD_MARKS = ("迟", "早", "旷", "未")  # printed in red


@dataclass(frozen=True)
class PrintDay:
    day: int
    weekday: str  # 一 … 日
    workday: bool


@dataclass(frozen=True)
class PrintRow:
    staff_no: str
    name: str
    workplace: str
    marks: tuple[str, ...]  # one per day
    totals: tuple[int, ...]  # in the order of AttendancePrint.total_labels


@dataclass(frozen=True)
class AttendancePrint:
    center_name: str
    month: str  # 2026年11月
    printed: str
    printed_by: str
    days: tuple[PrintDay, ...]
    rows: tuple[PrintRow, ...]
    total_labels: tuple[str, ...]
    legend: str
    training: bool = False


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    base = styles()["tiny_center"]
    return {"cell": ParagraphStyle("att_cell", parent=styles()["tiny"], fontSize=7, leading=8.5),
            "center": ParagraphStyle("att_center", parent=base, fontSize=7, leading=8.5),
            "mark": ParagraphStyle("att_mark", parent=base, fontSize=6.5, leading=7.5),
            "bad": ParagraphStyle("att_bad", parent=base, fontSize=6.5, leading=7.5, textColor=RED)}


def _widths(sheet: AttendancePrint) -> list[float]:
    day_mm = (BODY_MM - NAME_MM - WINDOW_MM - TOTAL_MM * len(sheet.total_labels)) / max(len(sheet.days), 28)
    return [NAME_MM * mm, WINDOW_MM * mm, *(day_mm * mm for _d in sheet.days),
            *(TOTAL_MM * mm for _t in sheet.total_labels)]


def _style(table: Table, sheet: AttendancePrint) -> Table:
    """Small print with narrow padding (31 day columns on a landscape page) and rest days shaded."""
    first_day = 2
    commands: list[tuple[object, ...]] = [
        ("FONTSIZE", (0, 0), (-1, -1), 7), ("LEADING", (0, 0), (-1, -1), 8.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 1), ("RIGHTPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    for index, day in enumerate(sheet.days):
        if not day.workday:
            commands.append(("BACKGROUND", (first_day + index, 0), (first_day + index, -1), REST_SHADE))
    table.setStyle(TableStyle(commands))  # type: ignore[arg-type]
    return table


def _header(sheet: AttendancePrint) -> Table:
    st = _styles()
    cells: list[object] = [Paragraph("姓名<br/>工号", st["center"]), Paragraph("所在窗口", st["center"])]
    cells += [Paragraph(f"{d.day}<br/>{d.weekday}", st["mark"]) for d in sheet.days]
    cells += [Paragraph(para(label), st["center"]) for label in sheet.total_labels]
    return _style(grid([cells], _widths(sheet)), sheet)


def _cells(row: PrintRow) -> list[object]:
    st = _styles()
    cells: list[object] = [Paragraph(f"{para(row.name)}<br/>{para(row.staff_no)}", st["cell"]),
                           Paragraph(para(row.workplace), st["cell"])]
    cells += [Paragraph(para(m), st["bad"] if any(b in m for b in BAD_MARKS) else st["mark"]) for m in row.marks]
    cells += [Paragraph(str(n), st["center"]) for n in row.totals]
    return cells


def attendance_pdf(sheet: AttendancePrint) -> bytes:
    register_pdf_font()  # before the styles that name the font
    st = styles()
    story: list[Flowable] = [
        NextPageTemplate("later"),
        Paragraph(f"{para(sheet.center_name)}{para(sheet.month)}{TITLE}", st["title"]),
        Paragraph(f"共 {len(sheet.rows)} 人　打印：{para(sheet.printed_by)} {para(sheet.printed)}", st["subtitle"]),
        Spacer(1, 3 * mm),
        _header(sheet),
    ]
    for start in range(0, len(sheet.rows), ROWS_PER_TABLE):
        chunk = [_cells(r) for r in sheet.rows[start:start + ROWS_PER_TABLE]]
        story.append(_style(grid(chunk, _widths(sheet), header=False), sheet))
    if not sheet.rows:
        story.append(Paragraph("（没有需要考勤的人员）", st["subtitle"]))
    story += [Spacer(1, 3 * mm), Paragraph(f"图例：{para(sheet.legend)}", st["small"]), Spacer(1, 1 * mm),
              Paragraph("说明：按中心设置的办公时间和节假日安排（含调休）计算，灰色为休息日；迟到、早退超过15分钟的"
                        "按迟到、早退计，超过30分钟的按旷工计（考勤管理制度）。请假以请假记录为准。", st["small"])]
    return build_ledger(story, TITLE, lambda: _header(sheet), sheet.training)

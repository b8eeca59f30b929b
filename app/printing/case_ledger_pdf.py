"""办件登记簿: the case ledger as landscape A4 pages, the column header on every page, 第 N 页 共 M 页.

Rows go into small tables of ROWS_PER_TABLE (one table of a year's cases would be measured again for
every page it is split over); the header is the first page's opening row and, on every later page, is
drawn by the page itself, so it never appears in the middle of a page. The page count is not known
until the last page is laid out: each footer refers to one form that is drawn when the document is
saved, so the ledger is laid out once. The ID number is masked; an overdue case and more than one
trip (the reform's 最多跑一次) are printed in red. Building changes nothing and reports its progress
(app.progress) per row prepared and per row placed on a page, so it may be cancelled anywhere.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.printing.fonts import register_pdf_font
from app.printing.layout import (
    CELL_SIDE_PADDING,
    GREY,
    RED,
    TRAINING_MARK,
    Paragraph,
    draw_text,
    fitted,
    grid,
    styles,
)
from app.printing.ledger_pdf import _CountedCell
from app.printing.text import para
from app.progress import NO_PROGRESS, Progress

TITLE = "办件登记簿"
PREPARING = "正在准备办件登记簿"
HEADER = ("序号", "办件编号", "受理日期", "事项", "申请人", "证件号码", "办件类型", "承诺/到期日", "状态", "办结日期",
          "经办人", "跑动", "超期")
# 265 mm: landscape A4 less the margins; a 22-digit number, a date and a masked ID each fit on one line.
WIDTHS_MM = (11, 38, 17, 43, 16, 31, 13, 17, 21, 17, 25, 8, 8)
CELL_PADDING = 3  # points each side: the ledger is dense, a receipt's 6 would wrap its dates
ROWS_PER_TABLE = 40
TOTAL_PAGES_FORM = "ledgerTotalPages"
MARGINS = {"leftMargin": 16 * mm, "rightMargin": 16 * mm, "topMargin": 14 * mm, "bottomMargin": 16 * mm}


@dataclass(frozen=True)
class CaseLedgerRow:
    number: str
    accepted: str
    item: str
    applicant: str
    applicant_id: str  # masked
    case_class: str
    due: str
    status: str
    ended: str
    staff: str
    trips: int
    overdue_days: int


@dataclass(frozen=True)
class CaseLedgerSheet:
    center_name: str
    period: str  # "2026-11-01 至 2026-11-30" or "全部"
    conditions: str  # the rest of the filter in words
    printed: str
    printed_by: str
    total: int  # rows that will follow (what progress counts against)
    training: bool = False


class _TotalPagesCanvas(Canvas):
    """Draws the one "共 M 页" form every footer refers to, once the last page is done."""

    def save(self) -> None:
        font = register_pdf_font()
        self.beginForm(TOTAL_PAGES_FORM)
        self.setFont(font, 8)
        self.setFillColor(GREY)
        self.drawString(0, 0, f"共 {self.getPageNumber() - 1} 页")
        self.endForm()
        super().save()


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    """The ledger's cells: 7.5 pt, left, centred, and centred in red for overdue days and more than
    one trip (made once; read-only, like layout.styles())."""
    tiny = styles()["tiny"]
    return {"cell": ParagraphStyle("ledger_cell", parent=tiny, fontSize=7.5, leading=9.5),
            "center": ParagraphStyle("ledger_center", parent=styles()["tiny_center"], fontSize=7.5, leading=9.5),
            "red": ParagraphStyle("ledger_red", parent=styles()["tiny_center"], fontSize=7.5, leading=9.5,
                                  textColor=RED)}


def _widths() -> list[float]:
    return [w * mm for w in WIDTHS_MM]


def dense(table: Table) -> Table:
    """A ledger's small print: 7.5 pt with narrow padding, so a landscape row keeps its dates on one line."""
    table.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 7.5), ("LEADING", (0, 0), (-1, -1), 9.5),
                               ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                               ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING)]))
    return table


def _header() -> Table:
    return dense(grid([[Paragraph(para(h), _styles()["center"]) for h in HEADER]], _widths()))


def decorate(title: str, training: bool, canvas: Canvas, doc: BaseDocTemplate) -> None:
    """A ledger page's footer, 〈title〉 第 N 页 共 M 页, and the training watermark on a training copy."""
    font = register_pdf_font()
    width, height = doc.pagesize
    canvas.saveState()
    canvas.setFillColor(GREY)
    left = f"{title}　第 {doc.page} 页　"
    start = width / 2 - (stringWidth(left, font, 8) + stringWidth("共 99 页", font, 8)) / 2
    draw_text(canvas, start, 9 * mm, left, 8)
    canvas.translate(start + stringWidth(left, font, 8), 9 * mm)
    canvas.doForm(TOTAL_PAGES_FORM)
    canvas.restoreState()
    if training:
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.16))
        canvas.translate(width / 2, height / 2)
        canvas.rotate(35)
        canvas.setFont(font, 150)
        canvas.drawCentredString(0, -50, TRAINING_MARK)
        canvas.restoreState()
        canvas.saveState()
        canvas.setFont(font, 10)
        canvas.setFillColor(RED)
        canvas.drawString(doc.leftMargin, height - 9 * mm, "【培训】本页为培训模式打印，不具效力")
        canvas.restoreState()


def build_ledger(story: list[Any], title: str, header: Callable[[], Table], training: bool) -> bytes:
    """A landscape ledger: the column header heads every page after the first (drawn above its frame),
    each page's footer counts 第 N 页 共 M 页; the 办件登记簿 and the 差评整改台账 are both built here."""
    font = register_pdf_font()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=landscape(A4), title=title, author="民生服务工作站",
                          creator="民生服务工作站", initialFontName=font, **MARGINS)
    header_height = header().wrap(doc.width, doc.height)[1]
    first = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="first", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height - header_height, id="later",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def on_first(canvas: Canvas, document: Any) -> None:
        decorate(title, training, canvas, document)

    def on_later(canvas: Canvas, document: Any) -> None:
        drawn = header()
        drawn.wrapOn(canvas, document.width, header_height)
        drawn.drawOn(canvas, document.leftMargin, document.pagesize[1] - document.topMargin - header_height)
        decorate(title, training, canvas, document)

    doc.addPageTemplates([PageTemplate("first", [first], onPage=on_first),
                          PageTemplate("later", [later], onPage=on_later)])
    doc.build(story, canvasmaker=_TotalPagesCanvas)
    return buffer.getvalue()


def _cells(index: int, row: CaseLedgerRow, total: int, progress: Progress) -> list[object]:
    st = _styles()
    cell, center, red = st["cell"], st["center"], st["red"]
    widths = _widths()
    late = red if row.overdue_days else center
    texts = (row.number, row.accepted, row.item, row.applicant, row.applicant_id, row.case_class, row.due,
             row.status, row.ended, row.staff)
    cells: list[object] = [_CountedCell(str(index), center, index, total, progress)]
    # fitted() reserves a receipt's padding: with the ledger's narrower padding a plain cell always fits
    cells += [fitted(text, cell, widths[i + 1] + 2 * (CELL_SIDE_PADDING - CELL_PADDING))
              for i, text in enumerate(texts)]
    cells.append(Paragraph(str(row.trips), red if row.trips > 1 else center))
    cells.append(Paragraph(str(row.overdue_days) if row.overdue_days else "", late))
    return cells


def _row_table(rows: list[list[object]]) -> Table:
    """A chunk of rows without a header; plain-text cells in the tiny style's size and leading."""
    return dense(grid(rows, _widths(), header=False))


def case_ledger_pdf(sheet: CaseLedgerSheet, rows: Iterable[CaseLedgerRow], progress: Progress = NO_PROGRESS) -> bytes:
    register_pdf_font()  # before the styles that name the font
    st = styles()
    total = sheet.total
    story: list[Flowable] = [
        NextPageTemplate("later"),
        Paragraph(f"{para(sheet.center_name)}{TITLE}", st["title"]),
        Paragraph(f"受理日期：{para(sheet.period)}　{para(sheet.conditions)}", st["subtitle"]),
        Paragraph(f"共 {total} 件　打印：{para(sheet.printed_by)} {para(sheet.printed)}", st["subtitle"]),
        Spacer(1, 3 * mm),
        _header(),
    ]
    chunk: list[list[object]] = []
    progress.step(0, total, PREPARING)
    count = 0
    for count, row in enumerate(rows, start=1):
        progress.step(count, max(total, count), PREPARING)
        progress.check()
        chunk.append(_cells(count, row, max(total, count), progress))
        if len(chunk) == ROWS_PER_TABLE:
            story.append(_row_table(chunk))
            chunk = []
    if chunk:
        story.append(_row_table(chunk))
    if not count:
        story.append(Paragraph("（没有符合条件的办件）", st["subtitle"]))
    story += [Spacer(1, 2 * mm), Paragraph(
        "说明：证件号码已作部分隐藏。“跑动”为申请人为该办件跑动的次数，超过一次的以红色标出；“超期”为超过承诺"
        "办结日期的工作日数（未决定的按今日计，已决定的按决定之日计）。",
        st["small"])]
    return build_ledger(story, TITLE, _header, sheet.training)


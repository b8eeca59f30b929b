"""超期公示 on paper: the hall board's overdue and recently completed cases by window, for the notice wall.

Plain data in (names already masked by the service), A4 pages out, every case listed: paper has no
"next page" button, so nothing is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from app.printing.layout import RED, PageSetup, Paragraph, build_pdf, fitted, grid, styles
from app.printing.text import para

TITLE = "超期办件公示"
WIDTHS_MM = (10, 42, 42, 16, 20, 30, 18)  # 178 mm: the frame of a portrait A4 page


@dataclass(frozen=True)
class BoardRow:
    number: str
    item: str
    applicant: str  # masked
    day: str  # 承诺办结日期 (overdue) or 办结日期 (completed)
    status: str  # "超期3个工作日", "按时办结"
    staff: str
    late: bool


@dataclass(frozen=True)
class BoardWindowSheet:
    window: str
    overdue: tuple[BoardRow, ...]
    overdue_total: int
    completed: tuple[BoardRow, ...]
    completed_total: int
    completed_late: int


@dataclass(frozen=True)
class BoardSheet:
    center_name: str
    as_of: str  # "2026年11月19日 09:00"
    summary: str
    recent: str  # "11月13日以来办结"
    windows: tuple[BoardWindowSheet, ...]
    supervise_phone: str
    training: bool = False


def _table(rows: tuple[BoardRow, ...], day_title: str) -> Flowable:
    st = styles()
    cell, center, red = st["tiny"], st["tiny_center"], _red()
    widths = [w * mm for w in WIDTHS_MM]
    header: list[object] = [Paragraph(h, center) for h in ("序号", "办件编号", "事项", "申请人", day_title, "办理情况", "经办人")]
    body: list[list[object]] = [header]
    for index, row in enumerate(rows, start=1):
        status = Paragraph(para(row.status), red) if row.late else fitted(row.status, cell, widths[5])
        body.append([str(index), fitted(row.number, cell, widths[1]), fitted(row.item, cell, widths[2]),
                     fitted(row.applicant, cell, widths[3]), fitted(row.day, cell, widths[4]), status,
                     fitted(row.staff, cell, widths[6])])
    table = grid(body, widths)
    table.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 8), ("LEADING", (0, 0), (-1, -1), 10)]))
    return table


@lru_cache(maxsize=1)
def _red() -> ParagraphStyle:
    """A late case's 办理情况, in red (made once; read-only, like layout.styles())."""
    return ParagraphStyle("board_red", parent=styles()["tiny"], textColor=RED)


def board_pdf(sheet: BoardSheet) -> bytes:
    st = styles()
    story: list[Flowable] = [
        Paragraph(para(sheet.center_name), st["subtitle"]),
        Paragraph(TITLE, st["title"]),
        Paragraph(f"截至 {para(sheet.as_of)}　{para(sheet.summary)}", st["subtitle"]),
        Spacer(1, 4 * mm),
    ]
    if not sheet.windows:
        story.append(Paragraph("目前没有超期办件，也没有近期办结的办件。", st["subtitle"]))
    for window in sheet.windows:
        heading = (f"{para(window.window)}　超期未办结 {window.overdue_total} 件　{para(sheet.recent)} "
                   f"{window.completed_total} 件（其中超期办结 {window.completed_late} 件）")
        story.append(Paragraph(heading, st["heading"]))
        if window.overdue:
            story.append(KeepTogether([Paragraph("超期未办结", st["body"]), _table(window.overdue, "承诺办结")]))
        else:
            story.append(Paragraph("超期未办结：无", st["body"]))
        if window.completed:
            story.append(Spacer(1, 2 * mm))
            story.append(KeepTogether([Paragraph(para(sheet.recent), st["body"]), _table(window.completed, "办结日期")]))
        story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(f"说明：超期按工作日计算；为保护个人信息，申请人姓名已作部分隐藏。对办件有疑问或意见，"
                           f"请拨打监督电话 {para(sheet.supervise_phone)}。", st["small"]))
    return build_pdf(story, PageSetup(title=TITLE, training=sheet.training, footer=TITLE))

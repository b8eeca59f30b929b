"""What every printed page shares: A4, the embedded CJK fonts, styles, footer and training watermark.

Output is repeatable byte for byte for the same data (reportlab's invariant mode, set when the
font is registered), because a document is rebuilt from stored data whenever it is reprinted.
Text drawn outside a Paragraph (plain table cells, the footer) goes through the same split into
main-face and fallback-face runs as paragraphs do (text.py), so a rare character never vanishes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from app.printing.fonts import register_pdf_font
from app.printing.kinsoku import install as install_kinsoku
from app.printing.text import needs_fallback, para, printable_runs

RED = colors.HexColor("#b00020")
GREY = colors.HexColor("#666666")
LIGHT = colors.HexColor("#eef0f8")
GRID_COLOR = colors.HexColor("#888888")
TRAINING_MARK = "培训"


@dataclass(frozen=True)
class PageSetup:
    title: str
    training: bool = False
    landscape: bool = False
    footer: str = ""


def styles() -> dict[str, ParagraphStyle]:
    font = register_pdf_font()
    install_kinsoku()  # every document gets its styles here: Chinese line-breaking rules for all wrapped text
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12, textColor=GREY),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "cell_center": ParagraphStyle("cell_center", parent=base, fontSize=9, leading=12, alignment=TA_CENTER),
        "tiny": ParagraphStyle("tiny", parent=base, fontSize=8, leading=10),
        "tiny_center": ParagraphStyle("tiny_center", parent=base, fontSize=8, leading=10, alignment=TA_CENTER),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12, leading=18, spaceBefore=6, spaceAfter=2),
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=26, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, leading=15, alignment=TA_CENTER),
        "alert": ParagraphStyle("alert", parent=base, fontSize=11, leading=16, textColor=RED),
    }


def _drawable(cell: object) -> object:
    """A plain-text cell is drawn with one font: one with rare characters becomes a Paragraph."""
    if isinstance(cell, str) and needs_fallback(cell):
        return Paragraph(para(cell), styles()["cell"])
    return cell


def grid(rows: Sequence[Sequence[object]], widths: Sequence[float], header: bool = True,
         heights: Sequence[float | None] | None = None) -> Table:
    """A bordered table; the first row shaded when it is a header."""
    table = Table([[_drawable(c) for c in r] for r in rows], colWidths=list(widths),
                  rowHeights=list(heights) if heights else None, repeatRows=1 if header else 0)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), register_pdf_font()),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), LIGHT))
    table.setStyle(TableStyle(commands))
    return table


def title_block(center_name: str, title: str, reprint_at: str | None) -> list[Flowable]:
    """Centre name, document title and, on a reprint, the 补打 line with its time."""
    from app.printing.text import para

    st = styles()
    lines: list[Flowable] = [Paragraph(para(center_name), st["subtitle"]), Paragraph(para(title), st["title"])]
    if reprint_at:
        lines.append(Paragraph(f"（补打　{para(reprint_at)}）", st["subtitle"]))
    return lines


def band(cells: Sequence[object], widths: Sequence[float | None]) -> Table:
    """One borderless row (title beside barcode); our font set, so no default Helvetica sneaks in."""
    table = Table([[_drawable(c) for c in cells]], colWidths=list(widths))
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_pdf_font()),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (-1, 0), (-1, 0), "RIGHT"),
            ]
        )
    )
    return table


def draw_text(canvas: Canvas, x: float, y: float, text: str, size: float, anchor: str = "start") -> None:
    """drawString for mixed faces: anchor "start", "middle" or "end" of the whole line at x."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pieces = printable_runs(text)
    width = sum(stringWidth(chunk, face, size) for face, chunk in pieces)
    x -= {"start": 0.0, "middle": width / 2, "end": width}[anchor]
    for face, chunk in pieces:
        canvas.setFont(face, size)
        canvas.drawString(x, y, chunk)
        x += stringWidth(chunk, face, size)


def _decorate(setup: PageSetup, canvas: Canvas, doc: SimpleDocTemplate) -> None:
    font = register_pdf_font()
    width, height = doc.pagesize
    canvas.saveState()
    canvas.setFillColor(GREY)
    draw_text(canvas, width / 2, 9 * mm, f"{setup.footer}　第 {doc.page} 页".strip(), 8, "middle")
    if setup.training:
        canvas.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.16))
        canvas.translate(width / 2, height / 2)
        canvas.rotate(35)
        canvas.setFont(font, 150)
        canvas.drawCentredString(0, -50, TRAINING_MARK)
        canvas.setFont(font, 22)
        canvas.drawCentredString(0, -100, "培训模式打印件　不作正式凭证")
    canvas.restoreState()
    if setup.training:
        canvas.saveState()
        canvas.setFont(font, 10)
        canvas.setFillColor(RED)
        canvas.drawString(doc.leftMargin, height - 9 * mm, "【培训】本页为培训模式打印，不具效力")
        canvas.restoreState()


def build_pdf(story: list[Flowable], setup: PageSetup) -> bytes:
    font = register_pdf_font()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4) if setup.landscape else A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=setup.title,
        author="民生服务工作站",
        creator="民生服务工作站",
        initialFontName=font,  # else the template hands the canvas an unembedded Helvetica
    )
    decorate = partial(_decorate, setup)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()

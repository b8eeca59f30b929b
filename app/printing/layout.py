"""What every printed page shares: A4, the embedded CJK fonts, styles, footer and training watermark.

Output is repeatable byte for byte for the same data (reportlab's invariant mode, set when the
font is registered), because a document is rebuilt from stored data whenever it is reprinted.
Text drawn outside a Paragraph (plain table cells, the footer) goes through the same split into
main-face and fallback-face runs as paragraphs do (text.py), so a rare character never vanishes.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.paraparser import ParaFrag, ParaParser

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
    """The documents' paragraph styles (made once per process; read-only, as reportlab treats them)."""
    return dict(_styles())


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
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


class Paragraph(rl_paragraph.Paragraph):
    """reportlab's Paragraph, with the same output for less work: the same page, byte for byte
    (tests/test_perf_documents.py builds every document both ways).

    Text without markup skips the XML parser: parsing every cell as markup was a fifth of the time a
    receipt took to lay out. It gets the fragment the parser would give it (the style's fragment for
    a plain character, with this text); text with "<" or "&" (markup, an escaped character) is parsed
    as before. And a table wraps each cell twice, measuring its rows and drawing them, at the same
    width: the second wrap reuses the first one's lines."""

    _wrapped: tuple[float, float, float] | None = None  # (available width, width, height) of the last wrap

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any,  # noqa: N803 (reportlab's names)
               cleaner: Callable[[str], str]) -> None:
        if frags is None and PLAIN_TEXT_FAST and isinstance(text, str) and "<" not in text and "&" not in text:
            cleaned = cleaner(text)
            if cleaned and not getattr(style, "textTransform", None):
                text, frags = cleaned, [_plain_fragment(style, cleaned)]
        super()._setup(text, style, bulletText, frags, cleaner)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """A table wraps each cell when it measures its rows and again when it draws them, at the same
        width: the lines broken the first time are used the second (reportlab's wrap depends on the
        width alone)."""
        if PLAIN_TEXT_FAST and self._wrapped is not None and self._wrapped[0] == availWidth:
            return self._wrapped[1], self._wrapped[2]
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, width, height) if availWidth >= rl_paragraph._FUZZ else None
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        self._wrapped = None  # splitting rewraps and may change this paragraph's lines
        return list(super().split(availWidth, availHeight))


PLAIN_TEXT_FAST = True  # tests turn it off to compare the output with the parser's
_fragments: dict[int, tuple[ParagraphStyle, ParaFrag]] = {}
_fragments_lock = threading.Lock()


def _plain_fragment(style: ParagraphStyle, text: str) -> ParaFrag:
    """A new fragment for plain `text` in `style`, as ParaParser makes it (lists not shared)."""
    with _fragments_lock:
        known = _fragments.get(id(style))
    if known is None or known[0] is not style:
        _style, parsed, _bullet = ParaParser().parse("x", style)
        if parsed is None or len(parsed) != 1:
            raise ValueError("a plain character did not parse as one fragment")
        known = (style, parsed[0])
        with _fragments_lock:
            if len(_fragments) > 64:  # styles made outside styles(): keep a few, never grow for ever
                _fragments.clear()
            _fragments[id(style)] = known
    fragment = ParaFrag()
    fragment.__dict__.update({k: list(v) if isinstance(v, list) else v for k, v in known[1].__dict__.items()})
    fragment.text = text
    return fragment


CELL_SIDE_PADDING = 6  # reportlab's default left and right padding of a table cell, in points


def fitted(text: str, style: ParagraphStyle, column_width: float) -> str | Paragraph:
    """A table cell for `text` in a column `column_width` wide: a plain string when it fits on one line,
    else a wrapping Paragraph.

    A plain cell is one drawString instead of a paragraph's wrapping and text object, several times
    cheaper, and with the paragraph's leading (the table's LEADING, see case_parts.PLAIN_CELLS) it lands
    on the same baseline and gives the row the same height: the page looks the same, pixel for pixel.
    Text a paragraph would change (line breaks, runs of spaces) or draw with the fallback face stays
    a paragraph."""
    room = column_width - 2 * CELL_SIDE_PADDING
    if (text == " ".join(text.split()) and not needs_fallback(text)
            and stringWidth(text, style.fontName, style.fontSize) <= room - 1):  # a point to spare
        return text
    return Paragraph(para(text), style)


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

"""The queue ticket (排队小票) from the kiosk: 58 mm or 80 mm receipt roll, or A6 on the laser printer.

The number is the largest thing on it (read at arm's length and compared with the hall screen), then
the category, how many wait ahead, the time, and a QR code to the citizen page (or the number itself
while the centre has no public address). Drawn on one page sized to the paper: a roll ticket is as
long as its content, so the receipt printer cuts no blank paper. Same data, same bytes (fonts.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.printing.barcodes import QrCode
from app.printing.fonts import register_pdf_font
from app.printing.layout import draw_text
from app.printing.text import printable_runs

PAPERS: dict[str, str] = {"58": "58毫米热敏小票", "80": "80毫米热敏小票", "a6": "A6纸（激光打印机）"}
DEFAULT_PAPER = "80"
A6 = (105 * mm, 148 * mm)


@dataclass(frozen=True)
class TicketSlip:
    center_name: str
    number: str  # A012
    category: str
    ahead: int  # people waiting before this ticket when it was taken
    taken_at: str  # "2026-11-30 09:12", local time as the kiosk showed it
    qr: str  # the citizen page's link, or the ticket number when the centre has no public address
    priority: bool = False  # an appointment checked in: served before walk-ins
    training: bool = False


@dataclass(frozen=True)
class _Geometry:
    width: float
    margin: float
    number_cap: float  # the number's largest type, in points
    text: float  # ordinary lines
    qr: float
    fixed_height: float | None  # A6; a roll ticket is as long as its content


GEOMETRY = {
    "58": _Geometry(58 * mm, 4 * mm, 64, 9.5, 26 * mm, None),
    "80": _Geometry(80 * mm, 5 * mm, 84, 11, 30 * mm, None),
    "a6": _Geometry(A6[0], 8 * mm, 110, 13, 36 * mm, A6[1]),
}


def _width(text: str, size: float) -> float:
    return sum(stringWidth(chunk, face, size) for face, chunk in printable_runs(text))


def _fit(text: str, size: float, room: float) -> float:
    """The largest type up to `size` at which the line fits in `room`."""
    width = _width(text, size)
    return size if width <= room else max(5.0, size * room / width)


def _lines(slip: TicketSlip) -> list[tuple[str, str]]:
    """(style, text) from the top down, after the number."""
    waiting = f"您前面还有 {slip.ahead} 人等候" if slip.ahead > 0 else "您前面没有人等候，请留意叫号"
    lines = [("category", slip.category)]
    if slip.priority:
        lines.append(("priority", "预约优先"))
    lines += [("text", waiting), ("small", f"取号时间　{slip.taken_at}")]
    return lines


def _bold_number(canvas: Canvas, font: str, number: str, size: float, x: float, y: float) -> None:
    """The number filled and stroked: the face has no bold, and a thin numeral fades on thermal paper."""
    text = canvas.beginText()
    text.setFont(font, size)
    text.setTextRenderMode(2)  # fill, then stroke the outline
    text.setTextOrigin(x - stringWidth(number, font, size) / 2, y)
    text.textOut(number)
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(size * 0.035)
    canvas.drawText(text)
    canvas.restoreState()


def ticket_pdf(slip: TicketSlip, paper: str = DEFAULT_PAPER) -> bytes:
    """One ticket on `paper` ("58", "80" or "a6")."""
    font = register_pdf_font()
    geo = GEOMETRY.get(paper, GEOMETRY[DEFAULT_PAPER])
    room = geo.width - 2 * geo.margin
    number_size = _fit(slip.number, geo.number_cap, room)
    t = geo.text
    heights = {"title": t * 1.6, "label": t * 1.5, "category": t * 2.1, "priority": t * 2.0, "text": t * 1.7,
               "small": t * 1.5, "note": t * 1.3}
    lines = _lines(slip)
    notes = ["请留意大厅屏幕和语音叫号", "扫码查看叫号进度" if slip.qr != slip.number else "过号请到服务台咨询"]
    content = (geo.margin + heights["title"] + heights["label"] + number_size * 1.05
               + sum(heights[style] for style, _ in lines) + 2 * mm + geo.qr + 2 * mm
               + heights["note"] * len(notes) + geo.margin)
    height = geo.fixed_height or content
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(geo.width, height), initialFontName=font)
    canvas.setTitle(f"排队小票 {slip.number}")
    canvas.setAuthor("民生服务工作站")
    canvas.setCreator("民生服务工作站")
    centre = geo.width / 2
    y = height - geo.margin - (height - content) / 2  # A6: the block sits in the middle of the card

    def line(text: str, size: float, gap: float, colour: colors.Color = colors.black) -> None:
        nonlocal y
        y -= gap
        canvas.setFillColor(colour)
        draw_text(canvas, centre, y + (gap - size) / 2, text, _fit(text, size, room), "middle")

    line(slip.center_name, t * 0.95, heights["title"], colors.HexColor("#444444"))
    line("排队号", t, heights["label"])
    y -= number_size * 1.05
    _bold_number(canvas, font, slip.number, number_size, centre, y + number_size * 0.14)
    for style, text in lines:
        size = {"category": t * 1.45, "priority": t * 1.3, "text": t * 1.1, "small": t * 0.9}[style]
        line(f"【{text}】" if style == "priority" else text, size, heights[style],
             colors.HexColor("#b00020") if style == "priority" else colors.black)
    y -= 2 * mm + geo.qr
    code = QrCode(slip.qr, geo.qr)
    code.drawOn(canvas, centre - geo.qr / 2, y)
    y -= 2 * mm
    for note in notes:
        line(note, t * 0.85, heights["note"], colors.HexColor("#444444"))
    if slip.training:
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.25))
        canvas.translate(centre, height / 2)
        canvas.rotate(35)
        canvas.setFont(font, geo.width / 4)
        canvas.drawCentredString(0, 0, "培训")
        canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()

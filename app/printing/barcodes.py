"""Code128 barcodes drawn as vector bars: python-barcode encodes, reportlab draws.

0.33 mm per module decodes from pages rendered at 150 dpi and more (platform-notes), so a
scanner at the window reads the printed slip reliably; the number is also printed below it.
"""

from __future__ import annotations

from barcode import get as get_barcode
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from app.printing.fonts import register_pdf_font

MODULE = 0.33 * mm
QUIET_MODULES = 10


class Code128(Flowable):
    def __init__(self, value: str, bar_height: float = 11 * mm, caption: str | None = None) -> None:
        super().__init__()
        self.value = value
        self.caption = value if caption is None else caption
        self.modules: str = get_barcode("code128", value).build()[0]
        self.bar_height = bar_height
        self.width = (len(self.modules) + 2 * QUIET_MODULES) * MODULE
        self.height = bar_height + (4 * mm if self.caption else 0)

    def wrap(self, _avail_width: float, _avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        base = self.height - self.bar_height
        x = QUIET_MODULES * MODULE
        run = 0
        for i, bit in enumerate(self.modules + "0"):
            if bit == "1":
                run += 1
                continue
            if run:
                start = i - run
                canvas.rect(x + start * MODULE, base, run * MODULE, self.bar_height, stroke=0, fill=1)
                run = 0
        if self.caption:
            canvas.setFont(register_pdf_font(), 8.5)
            canvas.drawCentredString(self.width / 2, 0.5 * mm, self.caption)
        canvas.restoreState()


class QrCode(Flowable):
    """A QR code drawn as plain rectangles (reportlab's graphics renderer would add a Helvetica)."""

    QUIET = 2  # modules of white border; the cell padding adds more

    def __init__(self, value: str, size: float = 24 * mm) -> None:
        super().__init__()
        from reportlab.graphics.barcode import qrencoder

        qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        qr.addData(value)
        qr.make()
        count = qr.getModuleCount()
        self.value = value
        self.dark = [[qr.isDark(r, c) for c in range(count)] for r in range(count)]
        self.width = self.height = size

    def wrap(self, _avail_width: float, _avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        count = len(self.dark)
        module = self.width / (count + 2 * self.QUIET)
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        for r, row in enumerate(self.dark):
            for c, dark in enumerate(row):
                if dark:
                    x = (c + self.QUIET) * module
                    y = self.height - (r + 1 + self.QUIET) * module
                    canvas.rect(x, y, module, module, stroke=0, fill=1)
        canvas.restoreState()

"""PDF pages as images, and painting them onto a printer.

pypdfium2 (PDFium, the engine QtPdf wraps) renders each page on white at the printer's resolution;
the images are painted through QPainter, so any printer Qt knows can print, and the Code128 bars
still decode from the printed output at 150 dpi and more.
"""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

MAX_PRINT_DPI = 300


def page_count(data: bytes) -> int:
    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def render_pages(data: bytes, dpi: int) -> list[QImage]:
    """Every page as an RGB image on white (a transparent background would print black)."""
    document = pdfium.PdfDocument(data)
    images = []
    try:
        for page in document:
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True, fill_color=(255, 255, 255, 255))
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888)
            images.append(image.copy())  # detach from PDFium's buffer before it is freed
            page.close()
    finally:
        document.close()
    return images


def paint_to_printer(printer: QPrinter, data: bytes) -> bool:
    """Paint every page onto the printer; False when the printer cannot be opened (offline, none)."""
    dpi = min(MAX_PRINT_DPI, max(150, printer.resolution()))
    pages = render_pages(data, dpi)
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        for index, image in enumerate(pages):
            if index:
                if not printer.newPage():
                    return False
            target = printer.pageRect(QPrinter.Unit.DevicePixel)
            scaled = image.size().scaled(target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(0, 0, scaled.width(), scaled.height()), image)
    finally:
        painter.end()
    return True


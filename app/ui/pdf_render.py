"""PDF pages as images, one at a time, and painting them onto a printer.

pypdfium2 (PDFium, the engine QtPdf wraps) renders a page on white at the printer's resolution; the
image is painted through QPainter, so any printer Qt knows can print, and the Code128 bars still
decode from the printed output at 150 dpi and more. A page at 300 dpi is about 26 MB, so a 155-page
ledger rendered up front would hold some 4 GB: pages are rendered one at a time and each is dropped
before the next is drawn.
"""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

MAX_PRINT_DPI = 300
POINTS_PER_INCH = 72


def page_count(data: bytes) -> int:
    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def page_sizes(document: pdfium.PdfDocument) -> list[tuple[float, float]]:
    """Each page's (width, height) in points, read without rendering anything."""
    return [document.get_page_size(index) for index in range(len(document))]


def pixel_size(points: tuple[float, float], dpi: float, device_pixel_ratio: float = 1.0) -> QSize:
    """Device pixels a page needs at `dpi` on a screen with this ratio (2.0 on a 200 % display), so the
    preview is sharp instead of an upscaled low-resolution image."""
    scale = dpi / POINTS_PER_INCH * device_pixel_ratio
    return QSize(max(1, round(points[0] * scale)), max(1, round(points[1] * scale)))


def render_page(document: pdfium.PdfDocument, index: int, size: QSize) -> QImage:
    """One page as an RGB image of `size` on white (a transparent background would print black)."""
    page = document[index]
    try:
        bitmap = page.render(scale=size.width() / page.get_width(), rev_byteorder=True, fill_color=(255, 255, 255, 255))
        try:
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGB888)
            return image.copy()  # detach from PDFium's buffer before it is freed
        finally:
            bitmap.close()
    finally:
        page.close()


def paint_to_printer(printer: QPrinter, data: bytes) -> bool:
    """Paint every page onto the printer, rendering each just before it is drawn and dropping it right
    after, so memory stays at one page whatever the length; False when the printer cannot be opened
    (offline, none) or refuses a new page."""
    dpi = min(MAX_PRINT_DPI, max(150, printer.resolution()))
    document = pdfium.PdfDocument(data)
    try:
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            for index, points in enumerate(page_sizes(document)):
                if index and not printer.newPage():
                    return False
                image = render_page(document, index, pixel_size(points, dpi))
                target = printer.pageRect(QPrinter.Unit.DevicePixel)
                scaled = image.size().scaled(target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRectF(0, 0, scaled.width(), scaled.height()), image)
                del image  # free this page before the next one is rendered
        finally:
            painter.end()
    finally:
        document.close()
    return True

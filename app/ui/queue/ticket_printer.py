"""A queue ticket onto the kiosk's printer through Qt, at the ticket's own size.

The page is the PDF's (a 58 or 80 mm roll ticket as long as its content, or A6) with no margins, so a
receipt printer prints it edge to edge and cuts after it. The printer is the one set for the kiosk
(app.services.queue.kiosk_settings), else the system's default.
"""

from __future__ import annotations

from collections.abc import Callable

import pypdfium2 as pdfium
from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from app.ui.pdf_render import page_sizes, paint_to_printer

PrinterFactory = Callable[[str], "QPrinter | str"]


def system_printer(name: str) -> QPrinter | str:
    """The named printer (or the default one), or why there is none (Chinese)."""
    printers = QPrinterInfo.availablePrinters()
    if not printers:
        return "这台电脑没有可用的打印机"
    info = next((p for p in printers if p.printerName() == name), None) if name else QPrinterInfo.defaultPrinter()
    if info is None or info.isNull():
        info = printers[0] if not name else None
    if info is None:
        return f"找不到取号机设置的打印机“{name}”"
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def print_ticket(pdf: bytes, printer_name: str, make_printer: PrinterFactory = system_printer) -> str | None:
    """Print the ticket; None when it went to the printer, else why not (Chinese, for the citizen's screen)."""
    printer = make_printer(printer_name)
    if isinstance(printer, str):
        return printer
    document = pdfium.PdfDocument(pdf)
    try:
        width, height = page_sizes(document)[0]
    finally:
        document.close()
    size = QPageSize(QSizeF(width, height), QPageSize.Unit.Point, "排队小票", QPageSize.SizeMatchPolicy.ExactMatch)
    printer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)
    printer.setDocName("排队小票")
    if not paint_to_printer(printer, pdf):
        return f"打印机“{printer.printerName() or '默认打印机'}”不可用或已脱机"
    return None

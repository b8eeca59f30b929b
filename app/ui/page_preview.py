"""The pages of a PDF in a scrollable column, rendered only when they come into view.

Every page gets its place from its size in points (read without rendering), so the scroll bar is
right from the start; a page is rendered when it is first painted, at the screen's device pixel
ratio so it is sharp on a scaled display, and only the last few pages are kept.
"""

from __future__ import annotations

import time
from collections import OrderedDict

import pypdfium2 as pdfium
from PySide6.QtCore import QRect, QSize, Signal
from PySide6.QtGui import QColor, QHideEvent, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.ui.pdf_render import page_sizes, pixel_size, render_page

PREVIEW_DPI = 96
CACHED_PAGES = 4  # a screenful is one to three pages; scrolling back a page costs no new render
GAP = 12


class PagePreview(QWidget):
    """Put it in a QScrollArea. PDFium opens the document on the first paint; `set_data` swaps the
    document (the 补打 version after a print).

    `first_painted` fires, and `painted_at` (time.perf_counter) is set, when a page of the current
    document first reaches the screen: the moment the clerk sees the document, which `make bench`
    times from Ctrl+Enter or Ctrl+P."""

    first_painted = Signal()

    def __init__(self, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.cache: OrderedDict[int, QImage] = OrderedDict()
        self.document: pdfium.PdfDocument | None = None
        self.sizes: list[QSize] = []
        self.painted_at: float | None = None
        self.set_data(data)

    def set_data(self, data: bytes) -> None:
        self.close_document()
        self.data = data
        self.painted_at = None
        document = pdfium.PdfDocument(data)
        try:
            self.sizes = [pixel_size(points, PREVIEW_DPI) for points in page_sizes(document)]
        finally:
            document.close()
        self.updateGeometry()
        self.setMinimumHeight(self.sizeHint().height())
        self.setMinimumWidth(self.sizeHint().width())  # a landscape ledger scrolls sideways, never cut off
        self.update()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        """A closed dialog keeps neither PDFium's document nor rendered pages."""
        self.close_document()
        super().hideEvent(event)

    def close_document(self) -> None:
        """Release PDFium's document and the rendered pages; both come back when a page is painted."""
        self.cache.clear()
        if self.document is not None:
            self.document.close()
            self.document = None

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        width = max((size.width() for size in self.sizes), default=0)
        height = sum(size.height() + GAP for size in self.sizes)
        return QSize(width + 2 * GAP, height + GAP)

    def page_rects(self) -> list[QRect]:
        """Where each page sits in logical pixels, centred in the widget's width."""
        rects = []
        top = GAP
        for size in self.sizes:
            rects.append(QRect(max(GAP, (self.width() - size.width()) // 2), top, size.width(), size.height()))
            top += size.height() + GAP
        return rects

    def page_image(self, index: int) -> QImage:
        """The page at the widget's current device pixel ratio, from the cache or rendered now."""
        ratio = self.devicePixelRatioF()
        image = self.cache.get(index)
        if image is None or image.devicePixelRatio() != ratio:
            if self.document is None:
                self.document = pdfium.PdfDocument(self.data)
            points = self.document.get_page_size(index)
            image = render_page(self.document, index, pixel_size(points, PREVIEW_DPI, ratio))
            image.setDevicePixelRatio(ratio)
            self.cache[index] = image
            while len(self.cache) > CACHED_PAGES:
                self.cache.popitem(last=False)
        self.cache.move_to_end(index)
        return image

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        drawn = False
        try:
            painter.fillRect(event.rect(), QColor("#d8d8d8"))
            for index, rect in enumerate(self.page_rects()):
                if rect.top() > event.rect().bottom():
                    break
                if rect.intersects(event.rect()):
                    painter.drawImage(rect, self.page_image(index))
                    painter.setPen(QColor("#999999"))
                    painter.drawRect(rect.adjusted(-1, -1, 0, 0))
                    drawn = True
        finally:
            painter.end()
        if drawn and self.painted_at is None:
            self.painted_at = time.perf_counter()
            self.first_painted.emit()

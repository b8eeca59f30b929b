"""Print and preview render pages as they are needed: a long ledger must not be rendered up front."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from app.ui import pdf_render
from app.ui.document_dialog import DocumentDialog

PAGES = 60


def many_pages(count: int = PAGES) -> bytes:
    out = BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for number in range(1, count + 1):
        canvas.setFont("Helvetica", 28)
        canvas.drawString(72, 760, f"Ledger page {number}")
        canvas.rect(72, 400, 300, 200, fill=1)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def count_renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every PDFium page render (whichever function asks for it) appends one entry."""
    calls: list[int] = []
    original = pdfium.PdfPage.render

    def counting(page: pdfium.PdfPage, *args: object, **kwargs: object) -> pdfium.PdfBitmap:
        calls.append(1)
        return original(page, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pdfium.PdfPage, "render", counting)
    return calls


def show(dialog: DocumentDialog, qtbot: QtBot) -> None:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab()  # paints what is on screen, as the window system would
    QApplication.processEvents()


def test_preview_renders_only_the_pages_in_view(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_renders(monkeypatch)
    dialog = DocumentDialog("登记簿", many_pages(), "登记簿.pdf", lambda _t: None)
    show(dialog, qtbot)
    assert 1 <= len(calls) <= 3
    bar = dialog.pages_area.verticalScrollBar()
    assert bar.maximum() > 50 * 1000  # every page has its place before it is rendered
    bar.setValue(bar.maximum())
    dialog.grab()
    assert len(calls) <= 6
    assert PAGES - 1 in dialog.preview.cache  # the last page is shown once scrolled to
    assert len(dialog.preview.cache) <= 4


def test_printing_renders_each_page_once_and_one_at_a_time(qtbot: QtBot, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = DocumentDialog("登记簿", many_pages(), "登记簿.pdf", lambda _t: None)
    qtbot.addWidget(dialog)
    calls = count_renders(monkeypatch)
    live: list[int] = [0, 0]  # [now, most at once]
    original: Callable[..., QImage] = pdf_render.render_page

    def tracked(*args: object) -> QImage:
        image = original(*args)
        live[0] += 1
        live[1] = max(live[1], live[0])
        weakref.finalize(image, lambda: live.__setitem__(0, live[0] - 1))
        return image

    monkeypatch.setattr(pdf_render, "render_page", tracked)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "out.pdf"))
    assert dialog.send_to(printer)
    assert len(calls) == PAGES
    assert live[1] <= 2
    printed = pdfium.PdfDocument((tmp_path / "out.pdf").read_bytes())
    try:
        assert len(printed) == PAGES
    finally:
        printed.close()


def test_preview_is_sharp_on_a_scaled_display(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui.page_preview import PagePreview

    assert pdf_render.pixel_size(A4, 96, 2.0) == QSize(1587, 2245)
    assert pdf_render.pixel_size(A4, 96) == QSize(794, 1123)
    monkeypatch.setattr(PagePreview, "devicePixelRatioF", lambda _self: 2.0)
    dialog = DocumentDialog("登记簿", many_pages(3), "登记簿.pdf", lambda _t: None)
    show(dialog, qtbot)
    image = dialog.preview.cache[0]
    assert image.devicePixelRatio() == 2.0
    assert abs(image.width() - 2 * dialog.preview.sizes[0].width()) <= 1
    assert abs(image.height() - 2 * dialog.preview.sizes[0].height()) <= 1
    assert dialog.preview.page_rects()[0].size() == QSize(794, 1123)  # same place on screen, twice the pixels


def test_a_landscape_ledger_is_shown_whole_or_scrolls_sideways(qtbot: QtBot) -> None:
    from reportlab.lib.pagesizes import landscape

    out = BytesIO()
    canvas = Canvas(out, pagesize=landscape(A4))
    canvas.drawString(72, 500, "landscape")
    canvas.showPage()
    canvas.save()
    dialog = DocumentDialog("差评整改台账", out.getvalue(), "台账.pdf", lambda _t: None)
    show(dialog, qtbot)
    page = dialog.preview.sizes[0].width()
    assert page == 1123 and dialog.preview.minimumWidth() >= page  # never squeezed narrower than the page
    room = dialog.screen().availableGeometry().width()
    assert dialog.width() == min(page + 48, room)  # as wide as the page where the screen allows


def test_without_a_documents_folder_saves_start_at_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QStandardPaths

    from app.ui import pdf_folder

    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _kind: str(tmp_path / "没有这个文件夹"))
    monkeypatch.setattr(pdf_folder, "_session", "")
    pdf_folder.use_settings(None)
    assert pdf_folder.start_path("台账.xlsx") == str(Path.home() / "台账.xlsx")  # never the program folder

"""The shipped TrueType CJK font is licensed for redistribution and embedded in PDFs."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from app.paths import FONT_FILE
from app.printing.fonts import register_pdf_font


def test_font_and_licence_ship_in_resources() -> None:
    assert FONT_FILE.exists() and FONT_FILE.suffix == ".ttf"
    licences = list(FONT_FILE.parent.glob("LICENSE*"))
    assert licences and "Apache License" in licences[0].read_text(encoding="utf-8")


def _pdf(text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    name = register_pdf_font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, initialFontName=name)
    page.setFont(name, 14)
    page.drawString(72, 760, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_pdf_embeds_the_font_and_is_repeatable(tmp_path: Path) -> None:
    data = _pdf("城乡居民最低生活保障申请 一次性告知书")
    assert data == _pdf("城乡居民最低生活保障申请 一次性告知书")
    reader = PdfReader(io.BytesIO(data))
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            fonts.append((str(font["/BaseFont"]), descriptor is not None and "/FontFile2" in descriptor.get_object()))
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert all(name.endswith("+DroidSansFallback") for name, _ in fonts)  # a subset of the shipped font
    assert "最低生活保障" in reader.pages[0].extract_text()

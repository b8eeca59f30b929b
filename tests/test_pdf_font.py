"""The shipped TrueType CJK font is licensed for redistribution and embedded in PDFs."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from app.paths import FONT_FILE
from app.printing.fonts import register_pdf_font


def test_font_and_licence_ship_in_resources() -> None:
    assert FONT_FILE.exists() and FONT_FILE.suffix in {".ttf", ".ttc"}
    licences = list(FONT_FILE.parent.glob("LICENSE*"))
    text = licences[0].read_text(encoding="utf-8")
    assert "Font embedding exception" in text and "GNU GENERAL PUBLIC LICENSE" in text


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
    text = "城乡居民最低生活保障申请 一次性告知书 GZ2208211000126112200012 2026年11月22日"
    data = _pdf(text)
    assert data == _pdf(text)
    reader = PdfReader(io.BytesIO(data))
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            fonts.append((str(font["/BaseFont"]), descriptor is not None and "/FontFile2" in descriptor.get_object()))
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert all("+WenQuanYiZenHei" in name for name, _ in fonts)  # a subset of the shipped font
    extracted = reader.pages[0].extract_text()
    assert "最低生活保障" in extracted and "GZ2208211000126112200012" in extracted and "2026" in extracted


def test_font_has_latin_digits_and_common_chinese() -> None:
    """A PDF embeds only this font: digits, letters and punctuation must be in it, not only Chinese."""
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(register_pdf_font()).face
    needed = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz:-/（）、。，；：" + "低保特困临时救助民生服务龘"
    missing = [ch for ch in needed if ord(ch) not in face.charToGlyph]
    assert missing == []

"""The shipped TrueType CJK fonts are licensed for redistribution and embedded in PDFs."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from app.paths import FONT_FILE, RARE_FONT_FILE
from app.printing.fonts import RARE_FONT_NAME, register_pdf_font, register_rare_font


def test_font_and_licence_ship_in_resources() -> None:
    assert FONT_FILE.exists() and FONT_FILE.suffix in {".ttf", ".ttc"}
    text = (FONT_FILE.parent / "LICENSE-WenQuanYi-ZenHei.txt").read_text(encoding="utf-8")
    assert "Font embedding exception" in text and "GNU GENERAL PUBLIC LICENSE" in text


def test_rare_font_and_its_licence_ship_in_resources() -> None:
    """The fallback face is a renamed subset (the OFL reserves "HanaMinB") with both licence texts."""
    assert RARE_FONT_FILE.exists() and RARE_FONT_FILE.suffix == ".ttf"
    assert RARE_FONT_FILE.stat().st_size < 40_000_000
    text = (RARE_FONT_FILE.parent / "LICENSE-Hanazono.txt").read_text(encoding="utf-8")
    assert "Hanazono Font License" in text and "SIL OPEN FONT LICENSE Version 1.1" in text
    assert (RARE_FONT_FILE.parent / "build_rare_font.py").exists()


def _pdf(text: str, rare: str = "") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    name = register_pdf_font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, initialFontName=name)
    page.setFont(name, 14)
    page.drawString(72, 760, text)
    if rare:
        page.setFont(register_rare_font(), 14)
        page.drawString(72, 700, rare)
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


def _fonts(data: bytes) -> list[tuple[str, bool]]:
    fonts = []
    for font in PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        fonts.append((str(font["/BaseFont"]), descriptor is not None and "/FontFile2" in descriptor.get_object()))
    return fonts


def test_pdf_embeds_the_rare_font_with_a_valid_to_unicode_map() -> None:
    """Characters beyond U+FFFF extract as themselves: the ToUnicode map writes surrogate pairs."""
    data = _pdf("申请人", rare="𠮷𪜀𫝀𫠠𬺰")
    assert data == _pdf("申请人", rare="𠮷𪜀𫝀𫠠𬺰")
    fonts = _fonts(data)
    assert sorted(name.split("+")[1] for name, _ in fonts) == [RARE_FONT_NAME, "WenQuanYiZenHei-0"]
    assert all(embedded for _, embedded in fonts)
    assert "𠮷𪜀𫝀𫠠𬺰" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_font_has_latin_digits_and_common_chinese() -> None:
    """A PDF embeds only this font: digits, letters and punctuation must be in it, not only Chinese."""
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(register_pdf_font()).face
    needed = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz:-/（）、。，；：" + "低保特困临时救助民生服务龘"
    missing = [ch for ch in needed if ord(ch) not in face.charToGlyph]
    assert missing == []

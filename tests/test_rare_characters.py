"""Rare characters (生僻字) on paper: 𠮷 is drawn with the fallback face, never silently dropped.

Before the fallback face "𠮷野家" printed as "野家"; a character no face has is printed as □ and
reported, so the clerk can correct it by hand.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from app.actor import Actor
from app.database import Database
from app.printing.fonts import PDF_FONT_NAME, RARE_FONT_NAME, main_face_chars
from app.printing.layout import PageSetup, build_pdf, grid, styles
from app.printing.text import (
    MISSING_MARK,
    collect_unprintable,
    para,
    printable_runs,
    unprintable,
    unprintable_warning,
)
from app.services.cases.records import accept_case
from app.services.documents import receipt_document, slip_document
from tests.pdf_helpers import flat, pdf_text, render, unembedded_fonts
from tests.test_cases import at, form

RARE_NAME = "𠮷野家"  # U+20BB7, CJK Extension B
BIANG = "𰻞"  # U+30EDE, Extension G: newer than every shipped face
EXTENSION_SAMPLES = "𠀀𪜀𫝀𫠠𬺰鿏"  # first of Ext-B, C, D, E, F; U+9FCF (URO, missing from the main face)


def font_names(data: bytes) -> list[tuple[str, bool]]:
    """(BaseFont, embedded) of every font the pages use."""
    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found.append((str(font["/BaseFont"]), embedded))
    return found


def test_the_main_face_lacks_what_the_fallback_draws() -> None:
    """The premise: WenQuanYi Zen Hei has none of these, so without the fallback they vanish."""
    assert all(ord(c) not in main_face_chars() for c in EXTENSION_SAMPLES)
    assert printable_runs(RARE_NAME) == [(RARE_FONT_NAME, "𠮷"), (PDF_FONT_NAME, "野家")]
    assert printable_runs(EXTENSION_SAMPLES) == [(RARE_FONT_NAME, EXTENSION_SAMPLES)]
    assert unprintable(EXTENSION_SAMPLES + RARE_NAME) == []


@pytest.mark.usefixtures("china_time")
def test_receipt_prints_a_rare_name_with_both_fonts_embedded(db: Database, admin: Actor) -> None:
    number = accept_case(db, admin, form(db, "SB-002", applicant_name=RARE_NAME,
                                         applicant_address="镇赉镇𠮷家村𬺰组"), now=at("2026-11-18T10:00"))
    data, _ = receipt_document(db, number)
    text = flat(pdf_text(data))
    assert RARE_NAME in text and "镇赉镇𠮷家村𬺰组" in text and MISSING_MARK not in text
    fonts = font_names(data)
    assert any("+WenQuanYiZenHei" in name for name, _ in fonts), fonts
    assert any("+MinshengRareCJK" in name for name, _ in fonts), fonts
    assert all(embedded for _, embedded in fonts) and unembedded_fonts(data) == []
    assert receipt_document(db, number)[0] == data  # byte for byte, as every reprint
    slip, _ = slip_document(db, number)
    assert f"{RARE_NAME}：您申请的" in flat(pdf_text(slip))


def _ink(image: Image.Image) -> Image.Image:
    """White where the page is dark: getbbox() and histogram() then measure the ink."""
    return image.convert("L").point(lambda p: 255 if p < 128 else 0)


def test_rendered_rare_character_has_ink_like_its_neighbours() -> None:
    """The page shows a glyph where 𠮷 stands (pdfium draws what is embedded, not boxes or nothing)."""

    def ink(text: str) -> int:
        page = render(build_pdf([Paragraph(para(text), styles()["title"])], PageSetup(title="t")), dpi=100)[0]
        return _ink(page).histogram()[255]

    blank = ink("")
    rare, common = ink("𠮷") - blank, ink("吉") - blank
    assert common > 100 and 0.4 * common < rare < 2.5 * common, (rare, common)  # a thinner Mincho 吉, but there


def test_wrapping_measures_rare_characters_in_their_own_face() -> None:
    """20 full-width characters at 10 pt in 100 pt: two lines of ten, whichever face draws them."""
    style = styles()["body"].clone("probe", fontSize=10, leading=12)
    for text in ("吉" * 20, "𠮷" * 20, "𠮷吉" * 10):
        paragraph = Paragraph(para(text), style)
        _, height = paragraph.wrap(100.5, 1000)
        assert height == pytest.approx(24), text


def test_unprintable_characters_are_reported_and_marked() -> None:
    assert unprintable(f"{BIANG}{BIANG}面\ue000") == [BIANG, "\ue000"]
    assert unprintable("张\u200b三\ufe0f") == []  # invisible and format characters are not "missing"
    assert unprintable("") == [] and unprintable("王芳 ABC 123（）") == []
    warning = unprintable_warning(unprintable(f"{BIANG}{BIANG}面"))
    assert warning is not None and BIANG in warning and "U+30EDE" in warning and "手写补正" in warning
    assert unprintable_warning([]) is None
    with collect_unprintable() as missing:
        data = build_pdf([Paragraph(para(f"{BIANG}{BIANG}面"), styles()["body"])], PageSetup(title="t"))
    assert missing == [BIANG]
    assert f"{MISSING_MARK}{MISSING_MARK}面" in flat(pdf_text(data))


def test_plain_table_cells_and_footer_use_the_fallback() -> None:
    """Strings outside paragraphs (the staff grid, the page footer) are split into runs too."""
    story = [grid([["经办人：𠮷田", "窗口：1号"]], [60 * mm, 60 * mm], header=False)]
    data = build_pdf(story, PageSetup(title="t", footer="𠮷野家 登记簿"))
    text = flat(pdf_text(data))
    assert "经办人：𠮷田" in text and "𠮷野家登记簿第1页" in text
    assert any("+MinshengRareCJK" in name for name, _ in font_names(data))
    assert unembedded_fonts(data) == []


def test_ordinary_documents_do_not_embed_the_fallback() -> None:
    data = build_pdf([Paragraph(para("张桂芳 城乡居民养老"), styles()["body"])], PageSetup(title="t", footer="X1"))
    assert [name for name, _ in font_names(data) if "MinshengRareCJK" in name] == []

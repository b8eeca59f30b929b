"""The font every PDF embeds: the TrueType font shipped in resources/fonts (CJK and Latin).

It must hold Latin letters and digits as well as Chinese: a PDF embeds only this font, so a
CJK-only font (such as Droid Sans Fallback) prints every number and code as nothing at all.

reportlab subsets and embeds TrueType fonts, so a slip renders the same on a machine with no Chinese
font at all; the built-in CID fonts (STSong-Light) are never embedded and show as boxes or nothing.
A canvas must be created with initialFontName=register_pdf_font(): otherwise reportlab lists its
default Helvetica, unembedded, in every page's resources.
"""

from __future__ import annotations

from app.paths import FONT_FACE_INDEX, FONT_FILE

PDF_FONT_NAME = "MinshengCJK"
_registered = False


def register_pdf_font() -> str:
    """Register the shipped font with reportlab once per process; returns the name to use."""
    global _registered
    if not _registered:
        from reportlab import rl_config
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        rl_config.invariant = 1  # byte-for-byte repeatable output for the same data and clock
        pdfmetrics.registerFont(TTFont(PDF_FONT_NAME, str(FONT_FILE), subfontIndex=FONT_FACE_INDEX))
        _registered = True
    return PDF_FONT_NAME

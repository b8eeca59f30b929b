"""The fonts every PDF embeds: the main TrueType face and a fallback face for rare characters.

The main face (resources/fonts/wqy-zenhei.ttc) must hold Latin letters and digits as well as
Chinese: a PDF embeds only our fonts, so a CJK-only font (such as Droid Sans Fallback) prints every
number and code as nothing at all. It has no CJK Extension B-F, and reportlab silently drops a
character its font lacks, so "𠮷野家" printed as "野家". The fallback face (minsheng-rare.ttf, a
subset of Hanazono Mincho built by resources/fonts/build_rare_font.py) holds exactly the ideographs
the main face misses; text.py draws such characters with it. It is 30 MB and takes about 0.5 s to
parse, so it is registered only when a text first needs it: ordinary documents never load it.

reportlab subsets and embeds TrueType fonts, so a slip renders the same on a machine with no Chinese
font at all; the built-in CID fonts (STSong-Light) are never embedded and show as boxes or nothing.
A canvas must be created with initialFontName=register_pdf_font(): otherwise reportlab lists its
default Helvetica, unembedded, in every page's resources.
"""

from __future__ import annotations

import threading

from app.paths import FONT_FACE_INDEX, FONT_FILE, RARE_FONT_FILE

PDF_FONT_NAME = "MinshengCJK"
RARE_FONT_NAME = "MinshengRareCJK"

_lock = threading.Lock()  # documents are built on worker threads
_main_chars: frozenset[int] | None = None
_rare_chars: frozenset[int] | None = None


def _utf16_hex(code: int) -> str:
    return f"{code:04X}" if code <= 0xFFFF else chr(code).encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16 surrogate pairs.

    reportlab 5.1 writes 𠮷 as <20BB7>, an odd-length hex string that PDF readers reject, so the
    character could not be copied or searched in the PDF. Otherwise the text is reportlab's, line for
    line, so documents without such characters keep their bytes.
    """
    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{index:02X}> <{_utf16_hex(code)}>" for index, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])


def _patch_to_unicode() -> None:
    """Installed in reportlab's ttfonts module, which looks the function up when it writes a font."""
    from reportlab.pdfbase import ttfonts

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def _register(name: str, path: str, face_index: int = 0) -> frozenset[int]:
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    rl_config.invariant = 1  # byte-for-byte repeatable output for the same data and clock
    rl_config.useA85 = 0  # binary streams: ASCII85 made every PDF a quarter larger and cost a receipt 2 ms
    _patch_to_unicode()
    font = TTFont(name, path, subfontIndex=face_index)
    pdfmetrics.registerFont(font)  # also maps <b>/<i> in a paragraph to this face (no bold face)
    return frozenset(code for code, glyph in font.face.charToGlyph.items() if glyph)  # 0 draws a box


def register_pdf_font() -> str:
    """Register the shipped main font with reportlab once per process; returns the name to use."""
    global _main_chars
    if _main_chars is None:
        with _lock:
            if _main_chars is None:
                _main_chars = _register(PDF_FONT_NAME, str(FONT_FILE), FONT_FACE_INDEX)
    return PDF_FONT_NAME


def register_rare_font() -> str:
    """Register the fallback face for rare characters once per process; returns its name."""
    global _rare_chars
    if _rare_chars is None:
        with _lock:
            if _rare_chars is None:
                _rare_chars = _register(RARE_FONT_NAME, str(RARE_FONT_FILE))
    return RARE_FONT_NAME


def main_face_chars() -> frozenset[int]:
    """Code points the main face draws."""
    register_pdf_font()
    assert _main_chars is not None
    return _main_chars


def rare_face_chars() -> frozenset[int]:
    """Code points the fallback face draws (loads it: call only for what the main face lacks)."""
    register_rare_font()
    assert _rare_chars is not None
    return _rare_chars


def face_for(char: str) -> str | None:
    """The registered font that draws this character, the main face first; None when neither can."""
    code = ord(char)
    if code in main_face_chars():
        return PDF_FONT_NAME
    if code in rare_face_chars():
        return RARE_FONT_NAME
    return None

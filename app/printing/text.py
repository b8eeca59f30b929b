"""Text for reportlab: escaping, masking, and splitting runs between the main and the fallback face.

reportlab draws a whole string with one font and silently drops what that font lacks, so a rare
character (𠮷, U+20BB7) vanished from receipts. Text is split into runs by glyph coverage: what the
main face draws stays as it is, what only the fallback face draws goes into <font name=...> markup
(paragraphs) or its own drawString (canvas). A character neither face draws is printed as □, a
visible gap the clerk can correct by hand, and unprintable() lists such characters so the clerk is
told before the citizen leaves with a wrong name on paper. collect_unprintable() gathers those met
while a whole document is built, whatever field they came from, for the preview's warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from html import escape

from app.printing.fonts import PDF_FONT_NAME, RARE_FONT_NAME, face_for, main_face_chars
from app.services.masking import mask_id, mask_phone

_ID_IN_TEXT = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?!\d)")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
MISSING_MARK = "□"  # in the main face; stands where a character cannot be drawn

Run = tuple[str | None, str]  # (font name, text); font None: characters no face draws
_collected: ContextVar[list[str] | None] = ContextVar("unprintable_collected", default=None)


@contextmanager
def collect_unprintable() -> Iterator[list[str]]:
    """The characters drawn as the missing mark while the block runs (on this thread), each once."""
    found: list[str] = []
    token = _collected.set(found)
    try:
        yield found
    finally:
        _collected.reset(token)


def _ignorable(char: str) -> bool:
    """Line breaks, controls, format characters and variation selectors have no glyph of their own."""
    code = ord(char)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return True
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def runs(text: str) -> list[Run]:
    """Consecutive characters grouped by the face that draws them; ignorable characters join any run."""
    main = main_face_chars()
    result: list[Run] = []
    current: str | None = PDF_FONT_NAME
    chunk: list[str] = []
    for char in text:
        if ord(char) in main:
            face: str | None = PDF_FONT_NAME
        elif _ignorable(char):
            face = current if chunk else PDF_FONT_NAME
        else:
            face = face_for(char)
        if face != current and chunk:
            result.append((current, "".join(chunk)))
            chunk = []
        current = face
        chunk.append(char)
    if chunk:
        result.append((current, "".join(chunk)))
    return result


def unprintable(text: str) -> list[str]:
    """Characters neither the main nor the fallback face can draw, each once, in order of appearance."""
    found: list[str] = []
    for face, chunk in runs(text):
        if face is None:
            for char in chunk:
                if not _ignorable(char) and char not in found:
                    found.append(char)
    return found


def unprintable_warning(missing: list[str]) -> str | None:
    """The clerk's one-line warning about characters that will not print; None when there are none."""
    if not missing:
        return None
    listed = "、".join(f"{c}（U+{ord(c):04X}）" for c in missing)
    return f"以下字符无法打印：{listed}，打印件上显示为“{MISSING_MARK}”，请核对或手写补正。"


def printable_runs(text: str) -> list[tuple[str, str]]:
    """Runs ready to draw: an unprintable run becomes the missing mark in the main face."""
    drawn: list[tuple[str, str]] = []
    collected = _collected.get()
    for face, chunk in runs(text):
        if face is None:
            if collected is not None:
                collected += [c for c in dict.fromkeys(chunk) if not _ignorable(c) and c not in collected]
            marks = "".join(MISSING_MARK for c in chunk if not _ignorable(c))
            face, chunk = PDF_FONT_NAME, marks
        if not chunk:
            continue
        if drawn and drawn[-1][0] == face:
            drawn[-1] = (face, drawn[-1][1] + chunk)
        else:
            drawn.append((face, chunk))
    return drawn


def needs_fallback(text: str) -> bool:
    """True when some character of the text is not in the main face (cheap: no fallback loaded)."""
    main = main_face_chars()
    return any(ord(c) not in main and not _ignorable(c) for c in text)


def markup(text: str) -> str:
    """Escaped paragraph markup of one line, with rare characters in the fallback face."""
    if not needs_fallback(text):
        return escape(text)
    parts = []
    for face, chunk in printable_runs(text):
        escaped = escape(chunk)
        parts.append(escaped if face == PDF_FONT_NAME else f'<font name="{RARE_FONT_NAME}">{escaped}</font>')
    return "".join(parts)


def para(text: str) -> str:
    """Plain text made safe for a Paragraph, with line breaks kept and rare characters drawable."""
    return "<br/>".join(markup(line) for line in text.split("\n"))


def mask_free_text(text: str) -> str:
    """ID and mobile numbers typed into free text (咨询内容) are masked on printed ledgers too."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id(m.group(1)), text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group(1)), text)

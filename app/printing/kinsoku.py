"""Chinese line breaking (禁则) for every wrapped paragraph in our PDFs.

reportlab's CJK wrapping (wordWrap="CJK") knows only a few Japanese closing marks: a full-width
"，", "；", "：" or "》" may start a line, and an opening bracket may end one. Citizens read that as
sloppy, and a lawyer reads "（" alone at a line end as a typo. install() replaces the two splitting
functions reportlab's Paragraph uses for CJK text (both are module globals looked up at wrap time)
with one rule set: the character that overflows goes to the next line, and if that would put a
closing mark at the line start or leave an opening mark at the line end, characters are carried
down with it (推出, never hanging into the cell border). A run of Latin letters and digits (a case
number, a phone number) is not broken when it can move whole to the next line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.rl_config import _FUZZ

CANNOT_START = frozenset(
    "，。、；：！？）」』】》〉〕］｝〗〙”’…‥—～·・％‰℃°′″"
    ",.;:!?)]}%"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー々"
)
CANNOT_END = frozenset("（「『【《〈〔［｛〖〘“‘([{￥＄$#＃@＠§")
_MAX_CARRY = 6  # characters carried down at most; beyond that the rule gives way to the width


def _is_word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "-_./*#@+")


def break_at(chars: Sequence[str], start: int, overflow: int) -> int:
    """Where the line starting at `start` ends, given that chars[overflow] no longer fits.

    Returns the index of the first character of the next line, always > start (progress)."""
    if overflow <= start + 1:
        return max(overflow, start + 1)
    end = overflow
    if _is_word_char(chars[end]) and _is_word_char(chars[end - 1]):  # inside a Latin word or number
        word_start = end
        while word_start > start and _is_word_char(chars[word_start - 1]):
            word_start -= 1
        if word_start > start:
            end = word_start
    carried = 0
    while end > start + 1 and carried < _MAX_CARRY and (chars[end] in CANNOT_START or chars[end - 1] in CANNOT_END):
        end -= 1
        carried += 1
    if chars[end] in CANNOT_START or chars[end - 1] in CANNOT_END:
        return overflow  # nothing better within reach: keep the plain break
    return end


def split_widths(chars: Sequence[str], widths: Sequence[float], max_widths: Sequence[float],
                 forced: Callable[[int], bool] = lambda _i: False) -> list[tuple[int, int, float]]:
    """Lines as (start, end, used width); forced(i) ends a line after character i (<br/>)."""
    lines: list[tuple[int, int, float]] = []
    start, used, i, n = 0, 0.0, 0, len(chars)
    while i < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        used += widths[i]
        if forced(i):
            lines.append((start, i + 1, used))
            start, used, i = i + 1, 0.0, i + 1
            continue
        if used > max_width + _FUZZ and i > start:
            end = break_at(chars, start, i)
            width = sum(widths[start:end])
            lines.append((start, end, width))
            start, used, i = end, 0.0, end
            continue
        i += 1
    if start < n:
        lines.append((start, n, sum(widths[start:n])))
    return lines


def word_split(word: str, maxWidths: object, fontName: str, fontSize: float,  # noqa: N803 (reportlab's names)
               encoding: str = "utf8") -> list[list[object]]:
    """reportlab.lib.textsplit.wordSplit with our rules: [[extra space, line text], ...]."""
    text = word.decode(encoding) if isinstance(word, bytes) else word
    max_widths = [float(w) for w in (maxWidths if isinstance(maxWidths, (list, tuple)) else [maxWidths])]  # type: ignore[arg-type]
    widths = [stringWidth(c, fontName, fontSize) for c in text]
    result: list[list[object]] = []
    for index, (start, end, used) in enumerate(split_widths(text, widths, max_widths)):
        max_width = max_widths[min(index, len(max_widths) - 1)]
        result.append([max_width - used, text[start:end]])
    return result


def cjk_frag_split(frags: list[object], maxWidths: Sequence[float], calcBounds: bool,  # noqa: N803
                   encoding: str = "utf8") -> object:
    """reportlab.platypus.paragraph.cjkFragSplit with our rules (mixed fonts, colours, <br/>)."""
    glyphs: list = []  # type: ignore[type-arg]  # reportlab's cjkU: one character with .width and .frag
    for f in frags:
        text = getattr(f, "text", "")
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if text:
            glyphs.extend(rl_paragraph.cjkU(t, f, encoding) for t in text)
        else:
            glyphs.append(rl_paragraph.cjkU(text, f, encoding))
    max_widths = list(maxWidths)
    widths: list[float] = []
    for index, u in enumerate(glyphs):
        w = u.width
        if hasattr(w, "normalizedValue"):
            limit = max_widths[min(index, len(max_widths) - 1)]
            w._normalizer = limit
            w = w.normalizedValue(limit)
        widths.append(w)
    chars = [str(u) or "\u200b" for u in glyphs]
    lines = []
    spans = split_widths(chars, widths, max_widths, lambda i: hasattr(glyphs[i].frag, "lineBreak"))
    for index, (start, end, used) in enumerate(spans):
        max_width = max_widths[min(index, len(max_widths) - 1)]
        line_break = hasattr(glyphs[end - 1].frag, "lineBreak")
        lines.append(rl_paragraph.makeCJKParaLine(glyphs[start:end], max_width, used, max_width - used,
                                                  line_break, calcBounds))
    return rl_paragraph.ParaLines(kind=1, lines=lines)


def install() -> None:
    """Make every CJK-wrapped Paragraph follow the rules above (idempotent)."""
    rl_paragraph.cjkFragSplit = cjk_frag_split  # type: ignore[assignment]
    rl_paragraph.wordSplit = word_split  # type: ignore[assignment]

"""Pinyin search keys, computed when an item is written so that searching never loads pypinyin."""

from __future__ import annotations


def pinyin_keys(*texts: str) -> tuple[str, str]:
    """(initials, full pinyin) for each text, space-separated, lower case: 低保申请 -> dbsq, dibaoshenqing."""
    from pypinyin import lazy_pinyin

    initials = []
    full = []
    for text in texts:
        if not text:
            continue
        # One conversion per text: the initials are the syllables' first letters (the same as
        # Style.FIRST_LETTER for every character from U+3400 to U+9FFF), at half the cost on import.
        syllables = lazy_pinyin(text, errors="ignore")
        initials.append("".join(s[0] for s in syllables if s).lower())
        full.append("".join(syllables).lower())
    return " ".join(initials), " ".join(full)

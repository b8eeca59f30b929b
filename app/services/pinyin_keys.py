"""Pinyin search keys, computed when an item is written so that searching never loads pypinyin."""

from __future__ import annotations


def pinyin_keys(*texts: str) -> tuple[str, str]:
    """(initials, full pinyin) for each text, space-separated, lower case: 低保申请 -> dbsq, dibaoshenqing."""
    from pypinyin import Style, lazy_pinyin

    initials = []
    full = []
    for text in texts:
        if not text:
            continue
        initials.append("".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")).lower())
        full.append("".join(lazy_pinyin(text, errors="ignore")).lower())
    return " ".join(initials), " ".join(full)

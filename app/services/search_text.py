"""What a search box's text becomes before it reaches a query (cases, inquiries, the catalogue).

Searches are typed, pasted or scanned as the clerk goes, so odd characters are dropped rather than
refused: control characters (a NUL from a paste, a group separator from a barcode scanner), format
characters such as bidi overrides, and lone surrogates. A NUL used to end SQLite's pattern early (an
inquiry search for "\\0" listed everything) or break the full-text query (a traceback in the case
list). Length is bounded too: nobody searches with a page of text.
"""

from __future__ import annotations

import unicodedata

MAX_SEARCH = 100
_DROPPED = {"Cc", "Cf", "Cs"}  # private-use characters stay: old systems put rare name characters there


def clean_search(text: str, limit: int = MAX_SEARCH) -> str:
    """The text without control/format characters, runs of spaces collapsed, at most `limit` characters."""
    kept = "".join(" " if c in "\t\r\n" else c for c in text[: limit * 4]
                   if c in "\t\r\n" or unicodedata.category(c) not in _DROPPED)
    return " ".join(kept.split())[:limit]


def like_pattern(text: str) -> str:
    """'%text%' for LIKE ... ESCAPE '\\', with % and _ in the text matched literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

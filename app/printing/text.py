"""Escaping and masking for text that goes into reportlab paragraphs."""

from __future__ import annotations

import re
from html import escape

from app.services.masking import mask_id, mask_phone

_ID_IN_TEXT = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?!\d)")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")


def para(text: str) -> str:
    """Plain text made safe for a Paragraph, with line breaks kept."""
    return escape(text).replace("\n", "<br/>")


def mask_free_text(text: str) -> str:
    """ID and mobile numbers typed into free text (咨询内容) are masked on printed ledgers too."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id(m.group(1)), text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group(1)), text)

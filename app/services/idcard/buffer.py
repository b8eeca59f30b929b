"""The card's text as readers hand it over, in one place: the 256-byte base message (GA/T 490, UCS-2LE,
fixed widths, space-padded) that sdtapi.dll's SDT_ReadBaseMsg returns, and the GBK strings of termb.dll's
GetPeople… functions (NUL-terminated, sometimes space-padded).

A reader that returns a short buffer, odd bytes or text that does not decode is refused here with a Chinese
reason, never half-parsed.
"""

from __future__ import annotations

from app.services.errors import ValidationError
from app.services.idcard.card import IdCard

# (field, bytes) in the order the chip stores them; 36 reserved bytes follow the validity
BASE_LAYOUT = (("name", 30), ("sex", 2), ("nation", 4), ("birth", 16), ("address", 70), ("id_number", 36),
               ("authority", 30), ("valid_from", 16), ("valid_to", 16))
BASE_TEXT_BYTES = 256
BAD_BUFFER = "读卡器返回的身份证文字信息不完整或无法识别，请重新放卡"


def parse_base_message(raw: bytes, photo: bytes = b"") -> IdCard:
    """The card in a base message; raises ValidationError for a buffer that is not one."""
    if len(raw) < sum(width for _name, width in BASE_LAYOUT):
        raise ValidationError(BAD_BUFFER)
    values: dict[str, str] = {}
    offset = 0
    for name, width in BASE_LAYOUT:
        try:
            text = raw[offset:offset + width].decode("utf-16-le")
        except UnicodeDecodeError:
            raise ValidationError(BAD_BUFFER) from None
        values[name] = text.replace("\x00", " ").strip()
        offset += width
    return IdCard(photo=photo, **values)


def decode_gbk(raw: bytes) -> str:
    """One GetPeople… value: GBK up to the first NUL, padding removed; garbage is refused, not guessed."""
    text = raw.split(b"\x00", 1)[0]
    try:
        return text.decode("gb18030").strip()
    except UnicodeDecodeError:
        raise ValidationError(BAD_BUFFER) from None


def build_base_message(card: IdCard) -> bytes:
    """The base message a chip holding this card would give (tests and the benchmark build readers' answers
    from it; it is the inverse of parse_base_message)."""
    out = bytearray()
    for name, width in BASE_LAYOUT:
        encoded = str(getattr(card, name)).encode("utf-16-le")[:width]
        out += encoded + " ".encode("utf-16-le") * ((width - len(encoded)) // 2)
    return bytes(out) + " ".encode("utf-16-le") * ((BASE_TEXT_BYTES - len(out)) // 2)

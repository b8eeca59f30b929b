"""Images for the 电子件 tests: a photographed page made in memory, with or without an EXIF orientation."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from app.clock import utc_now
from app.database import Database
from app.services.attachments.pages import PageRef
from app.services.attachments.store import attachments_dir, store_image


def page_image(width: int = 1600, height: int = 1200, label: str = "1", orientation: int | None = None,
               fmt: str = "JPEG") -> bytes:
    """A landscape 'photo' with a dark block in its top-left corner (to see which way is up) and a label."""
    image = Image.new("RGB", (width, height), (250, 250, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width // 4, height // 4), fill=(20, 20, 20))
    for y in range(height // 3, height, 40):
        draw.line((width // 10, y, width - width // 10, y), fill=(90, 90, 90), width=3)
    draw.text((width // 2, height // 8), label, fill=(200, 0, 0))
    out = io.BytesIO()
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def captured(db: Database, seq: int, label: str = "1", source: str = "camera") -> PageRef:
    """A page stored as the capture panel stores it, ready to record with a case."""
    stored = store_image(attachments_dir(db.path), page_image(label=label))
    return PageRef(seq, stored.sha256, stored.size, stored.width, stored.height, utc_now(), source)

"""Registers the shipped CJK fonts so Chinese renders on machines without any Chinese font.

The main font file is a collection; its first face (WenQuanYi Zen Hei) becomes the application
font, the same face every PDF embeds, so the screen and the printed page agree. The fallback face
for rare characters (minsheng-rare.ttf: CJK Extensions B-F, such as 𠮷 in "𠮷野家") is registered
too but not set: Qt falls back to it for each character the main face lacks, as the PDFs do.
Registering it costs about 6 ms; Qt reads its glyphs only when one is drawn.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.paths import FONT_FILE, RARE_FONT_FILE

_family: str | None = None


def _add(path: Path) -> str:
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        raise RuntimeError(f"无法加载字体文件：{path}")
    return families[0]


def install_app_font(app: QApplication, point_size: int = 10) -> str:
    """Register resources/fonts and make the main face the application font; returns its family."""
    global _family
    if _family is None:
        family = _add(FONT_FILE)
        _add(RARE_FONT_FILE)
        _family = family
    app.setFont(QFont(_family, point_size))
    return _family

"""Registers the shipped CJK font so Chinese renders on machines without any Chinese font.

The font file is a collection; its first face (WenQuanYi Zen Hei) becomes the application font,
the same face every PDF embeds, so the screen and the printed page agree.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.paths import FONT_FILE

_family: str | None = None


def install_app_font(app: QApplication, point_size: int = 10) -> str:
    """Register resources/fonts and make it the application font; returns the family name."""
    global _family
    if _family is None:
        font_id = QFontDatabase.addApplicationFont(str(FONT_FILE))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            raise RuntimeError(f"无法加载字体文件：{FONT_FILE}")
        _family = families[0]
    app.setFont(QFont(_family, point_size))
    return _family

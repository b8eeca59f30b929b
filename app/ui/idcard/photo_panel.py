"""A small panel beside the applicant: the card's photo for comparing the face, and what was read.

The photo lives in this widget's pixmap only: never written to a file or the database, and dropped when the
form is cleared. While a reader is configured and no card has been read, the panel says where a card goes.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from app.services.idcard.card import CardFill
from app.services.masking import mask_id

PHOTO_SIZE = (102, 126)  # the chip photo's own size, shown at that size: comparing, not enlarging
RULE = "放身份证读入申请人；光标在代理人栏时读入代理人"


class PhotoPanel(QFrame):
    def __init__(self, rule: str = RULE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("idcardPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedHeight(PHOTO_SIZE[1] + 10)  # no taller than the applicant's four rows beside it
        self._rule = rule
        self.photo = QLabel()
        self.photo.setObjectName("idcardPhoto")
        self.photo.setFixedSize(*PHOTO_SIZE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setStyleSheet("background:#f4f4f4; color:#888; border:1px solid #ccc;")
        self.caption = QLabel()
        self.caption.setObjectName("idcardCaption")
        self.caption.setWordWrap(True)
        self.caption.setFixedWidth(170)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        self.clear()
        self.setVisible(False)

    def clear(self) -> None:
        """Forget the card (the next citizen's form starts without the last one's face)."""
        self.photo.clear()
        self.photo.setText("请放\n身份证")
        self.caption.setText(f"<span style='color:#666'>{escape(self._rule)}</span>")

    def show_card(self, fill: CardFill, target: str) -> None:
        """The photo (or a note that the card gave none) and who was read into which section."""
        pixmap = QPixmap()
        if fill.photo and pixmap.loadFromData(fill.photo):
            self.photo.setPixmap(pixmap.scaled(*PHOTO_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation))
        else:
            self.photo.clear()
            self.photo.setText("无照片")
        lines = [f"已读入{escape(target)}：<b>{escape(fill.name)}</b>", escape(mask_id(fill.id_number)),
                 escape(" · ".join(filter(None, (fill.sex, fill.nation, f"{fill.birth:%Y.%m.%d}")))),
                 f"有效期 {escape(fill.validity)}" if fill.validity else ""]
        if fill.expired:
            lines.append("<b style='color:#b00020'>证件已过有效期</b>")
        lines.append("<span style='color:#666'>照片仅供核对，不保存</span>")
        self.caption.setText("<br>".join(line for line in lines if line))
        self.setVisible(True)

    def has_photo(self) -> bool:
        pixmap = self.photo.pixmap()
        return pixmap is not None and not pixmap.isNull()

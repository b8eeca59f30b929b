"""The simulated reader (模拟读卡器) for tests and training: a card is "on the reader" while its JSON file
exists, and is read from that file.

The file holds the card's fields as the chip does (name, sex, nation, birth, address, id_number, authority,
valid_from, valid_to) and optionally a photo: `photo_file` (a PNG or BMP beside it, or a full path) or
`photo_base64`. It is bounded before it is parsed and every value passes the same checks as a real card's,
so a trainer's typo is refused exactly as a damaged card would be. Example:

    {"name": "张三", "sex": "1", "nation": "01", "birth": "19900307",
     "address": "吉林省白城市镇赉县镇赉镇民主街1号", "id_number": "220821199003071234",
     "authority": "镇赉县公安局", "valid_from": "20150601", "valid_to": "20350601", "photo_file": "zp.png"}
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Any

from app.services.errors import ValidationError
from app.services.idcard.card import PHOTO_MAX_BYTES, IdCard
from app.services.input_limits import check_file_size, parse_json, read_text_file

CARD_FILE_MAX_BYTES = 400_000  # the text and a base64 photo of at most PHOTO_MAX_BYTES
TEXT_FIELDS = ("name", "sex", "nation", "birth", "address", "id_number", "authority", "valid_from", "valid_to")
FIELD_MAX_CHARS = 200  # longer than any field on a chip; the card's own rules then say what is too long
KIND = "模拟身份证"


def load_card_file(path: Path) -> IdCard:
    """The card in the file, unchecked (check_card decides); ValidationError when the file is not one."""
    document = parse_json(read_text_file(path, CARD_FILE_MAX_BYTES, KIND), max_depth=2)
    if not isinstance(document, dict):
        raise ValidationError("模拟身份证文件应为一个 JSON 对象（如 {\"name\": \"张三\", …}）")
    unknown = sorted(set(document) - {*TEXT_FIELDS, "photo_file", "photo_base64"})
    if unknown:
        raise ValidationError(f"模拟身份证文件中有无法识别的项目：{'、'.join(unknown[:5])}")
    values: dict[str, str] = {}
    for name in TEXT_FIELDS:
        value = document.get(name, "")
        if not isinstance(value, str) or len(value) > FIELD_MAX_CHARS:
            raise ValidationError(f"模拟身份证文件中的 {name} 应为不超过{FIELD_MAX_CHARS}字的文字")
        values[name] = value
    return IdCard(photo=_photo(document, path.parent), **values)


def _photo(document: dict[str, Any], folder: Path) -> bytes:
    file_name, encoded = document.get("photo_file"), document.get("photo_base64")
    if file_name is not None and encoded is not None:
        raise ValidationError("模拟身份证的照片只能给 photo_file 或 photo_base64 其中一项")
    if isinstance(file_name, str) and file_name:
        photo_path = folder / file_name
        check_file_size(photo_path, PHOTO_MAX_BYTES, "照片")
        data = photo_path.read_bytes()
    elif isinstance(encoded, str) and encoded:
        if len(encoded) > PHOTO_MAX_BYTES * 4 // 3 + 4:
            raise ValidationError(f"照片过大，不能超过{PHOTO_MAX_BYTES // 1000} KB")
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError("模拟身份证的 photo_base64 不是有效的 Base64 文字") from None
    elif file_name in (None, "") and encoded in (None, ""):
        return b""
    else:
        raise ValidationError("模拟身份证的 photo_file 和 photo_base64 应为文字")
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"BM")):
        raise ValidationError("模拟身份证的照片应为 PNG 或 BMP 图片")
    return data


class SimulatedReader:
    """A card is placed by creating the file and taken away by deleting (or renaming) it."""

    label = "模拟读卡器"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def open(self) -> None:
        from app.services.idcard.reader import ReaderError

        if not self.path.parent.is_dir():
            raise ReaderError(f"模拟读卡器的文件夹不存在：{self.path.parent}")

    def poll(self) -> bool:
        return self.path.is_file()

    def read(self) -> IdCard:
        return load_card_file(self.path)

    def close(self) -> None:
        return None

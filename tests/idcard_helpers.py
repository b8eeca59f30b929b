"""Cards and fake vendor libraries for the ID card reader tests and the benchmark."""

from __future__ import annotations

import ctypes
import json
import struct
from pathlib import Path
from typing import Any

from app.services.idcard.buffer import build_base_message
from app.services.idcard.card import IdCard

APPLICANT_ID = "220821199003071232"
AGENT_ID = "220821196508152026"
OTHER_ID = "220821198801010042"


def card(**overrides: Any) -> IdCard:
    values: dict[str, Any] = dict(name="张三", sex="1", nation="01", birth="19900307",
                                  address="吉林省白城市镇赉县镇赉镇民主街1号", id_number=APPLICANT_ID,
                                  authority="镇赉县公安局", valid_from="20150601", valid_to="20350601")
    values.update(overrides)
    return IdCard(**values)


def tiny_bmp(width: int = 4, height: int = 5, colour: bytes = b"\x20\x80\xd0") -> bytes:
    """A small real BMP (Qt decodes it), standing in for a chip photo."""
    row = colour * width
    stride = (len(row) + 3) & ~3
    body = (row + b"\x00" * (stride - len(row))) * height
    return (struct.pack("<2sIHHI", b"BM", 54 + len(body), 0, 0, 54)
            + struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(body), 3780, 3780, 0, 0) + body)


def write_card_file(path: Path, photo: Path | None = None, **overrides: Any) -> Path:
    c = card(**overrides)
    document: dict[str, Any] = {name: getattr(c, name) for name in ("name", "sex", "nation", "birth", "address",
                                                                   "id_number", "authority", "valid_from",
                                                                   "valid_to")}
    if photo is not None:
        document["photo_file"] = photo.name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _put(buffer: Any, length: Any, data: bytes) -> None:
    ctypes.memmove(buffer, data, len(data))
    length.contents.value = len(data)


class FakeTermb:
    """termb.dll as the SDK describes it; `auth` is the sequence of CVR_Authenticate results."""

    def __init__(self, the_card: IdCard, auth: list[int] | None = None, read_code: int = 1,
                 photo: bytes = b"", name_bytes: bytes | None = None) -> None:
        self.card = the_card
        self.auth = list(auth or [1])
        self.read_code = read_code
        self.photo = photo
        self.name_bytes = name_bytes
        self.calls: list[str] = []

    def CVR_InitComm(self, port: int) -> int:  # noqa: N802 (the vendor's names)
        self.calls.append(f"init {port}")
        return 1 if port == 1001 else 2

    def CVR_Authenticate(self) -> int:  # noqa: N802
        return self.auth.pop(0) if len(self.auth) > 1 else self.auth[0]

    def CVR_Read_FPContent(self) -> int:  # noqa: N802
        return self.read_code

    def CVR_CloseComm(self) -> int:  # noqa: N802
        self.calls.append("close")
        return 1

    def _text(self, value: str) -> Any:
        def getter(buffer: Any, length: Any) -> int:
            _put(buffer, length, value.encode("gbk") + b"\x00")
            return 1
        return getter

    def __getattr__(self, name: str) -> Any:
        fields = {"GetPeopleName": self.card.name, "GetPeopleSex": {"1": "男", "2": "女"}[self.card.sex],
                  "GetPeopleNation": "汉", "GetPeopleBirthday": self.card.birth,
                  "GetPeopleAddress": self.card.address, "GetPeopleIDCode": self.card.id_number,
                  "GetDepartment": self.card.authority, "GetStartDate": self.card.valid_from,
                  "GetEndDate": self.card.valid_to}
        if name == "GetPeopleName" and self.name_bytes is not None:
            raw = self.name_bytes

            def garbage(buffer: Any, length: Any) -> int:
                _put(buffer, length, raw)
                return 1
            return garbage
        if name in fields:
            return self._text(fields[name])
        if name == "GetBMPData" and self.photo:
            photo = self.photo

            def bmp(buffer: Any, length: Any) -> int:
                _put(buffer, length, photo)
                return 1
            return bmp
        raise AttributeError(name)


class FakeSdtapi:
    """sdtapi.dll: `find` is the sequence of SDT_StartFindIDCard results."""

    def __init__(self, the_card: IdCard, find: list[int] | None = None, read_code: int = 0x90,
                 text: bytes | None = None) -> None:
        self.text = build_base_message(the_card) if text is None else text
        self.find = list(find or [0x9F])
        self.read_code = read_code
        self.opened: list[int] = []

    def SDT_OpenPort(self, port: int) -> int:  # noqa: N802
        self.opened.append(port)
        return 0x90 if port == 1001 else 0x01

    def SDT_ClosePort(self, port: int) -> int:  # noqa: N802
        return 0x90

    def SDT_StartFindIDCard(self, port: int, scratch: Any, if_open: int) -> int:  # noqa: N802
        return self.find.pop(0) if len(self.find) > 1 else self.find[0]

    def SDT_SelectIDCard(self, port: int, scratch: Any, if_open: int) -> int:  # noqa: N802
        return 0x90

    def SDT_ReadBaseMsg(self, port: int, text: Any, text_len: Any, photo: Any, photo_len: Any,  # noqa: N802
                        if_open: int) -> int:
        if self.read_code == 0x90:
            _put(text, text_len, self.text)
            _put(photo, photo_len, b"\x57\x4c" * 512)  # a WLT photo's size; no decoder is installed
        return self.read_code


def loader_of(**libraries: Any) -> Any:
    """A loader that finds only the given fakes (by file name), like a machine with only those DLLs."""
    from app.services.idcard.reader import ReaderError

    def load(name: str) -> Any:
        key = name.lower().replace(".dll", "")
        if key not in libraries:
            raise ReaderError(f"找不到或无法加载 {name}")
        return libraries[key]
    return load

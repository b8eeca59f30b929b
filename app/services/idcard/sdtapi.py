"""Readers through sdtapi.dll, the security-module interface (GA/T 467) that 神思, 新中新, 精伦 and others ship.

Sequence: SDT_OpenPort(port) → 0x90; per card SDT_StartFindIDCard(port, buf, 1) → 0x9F (0x80: no card),
SDT_SelectIDCard(port, buf, 1) → 0x90 (0x81: selection failed, the card is still settling), then
SDT_ReadBaseMsg(port, text, &text_len, photo, &photo_len, 1) → 0x90 with the 256-byte UCS-2LE base message
and the 1024-byte WLT photo; SDT_ClosePort(port). All __stdcall (WinDLL); ports 1001–1016 USB, 1–16 serial.

The WLT photo needs the vendor's decoder to become a picture. With dewlt.dll (`unpack(wlt, rgb, 0)`, in
memory) it is decoded without touching the disk; with WltRS.dll (`GetBmp(path, 2)`, file to file) it is
decoded in a private temporary folder that is deleted at once; with neither, the card is read without a photo.
"""

from __future__ import annotations

import contextlib
import ctypes
import shutil
import struct
import sys
import tempfile
from pathlib import Path
from typing import Any

from app.services.idcard.buffer import BASE_TEXT_BYTES, parse_base_message
from app.services.idcard.card import IdCard
from app.services.idcard.dll import Loader, bounded, function, port_label, ports, windows_loader
from app.services.idcard.reader import ReaderError

LIBRARY = "sdtapi.dll"
OK = 0x90
FOUND = 0x9F
NO_CARD = (0x80, 0x81)
WLT_BYTES = 1024
TEXT_BUFFER = 512  # some drivers append the fingerprint flag or the new-address block
PHOTO_WIDTH, PHOTO_HEIGHT = 102, 126
MESSAGES = {
    0x01: "读卡器端口打开失败：请检查读卡器的USB线，或在读卡器设置中选择正确的端口",
    0x02: "读卡器响应超时：请检查读卡器连接后重新放卡",
    0x03: "读卡器数据传输错误，请重新放卡",
    0x05: "读卡器的安全模块不可用：请重新插拔读卡器",
    0x10: "读卡器数据校验错误，请重新放卡",
    0x11: "读卡器数据长度错误，请重新放卡",
    0x21: "读卡器不支持该指令：驱动版本不符",
    0x23: "读卡器越权操作：驱动版本不符",
    0x24: "读卡器无法识别该指令：驱动版本不符",
    0x31: "证件认证失败：请确认放的是二代身份证或居住证",
    0x32: "读卡器的安全模块认证失败：请联系读卡器厂商",
    0x33: "证件信息验证错误，请重新放卡",
    0x40: "无法识别的卡：请放二代身份证、港澳台居民居住证或外国人永久居留身份证",
    0x41: "读取身份证失败：请把证件平放在读卡区，不要移动",
    0x47: "读卡器取随机数失败，请重新放卡",
    0x60: "读卡器的安全模块自检失败：请联系读卡器厂商",
    0x66: "读卡器的安全模块未经授权：请联系读卡器厂商",
}


def message(code: int, step: str) -> str:
    return MESSAGES.get(code, f"读卡器{step}返回了无法识别的结果（0x{code & 0xFFFFFFFF:02X}），请重新插拔读卡器")


class SdtapiReader:
    label = "sdtapi.dll"

    def __init__(self, port: int, loader: Loader = windows_loader) -> None:
        self.port = port
        self.port_in_use = 0
        self._loader = loader
        self._lib: Any = None

    def open(self) -> None:
        lib = self._loader(LIBRARY)
        open_port = function(lib, "SDT_OpenPort", (ctypes.c_int,))
        code = 0
        for port in ports(self.port):
            code = open_port(port)
            if code == OK:
                self._lib, self.port_in_use = lib, port
                return
        raise ReaderError(f"无法连接读卡器（端口 {port_label(self.port)}）：{message(code, '打开端口时')}")

    def poll(self) -> bool:
        lib = self._library()
        scratch = ctypes.create_string_buffer(16)
        code = function(lib, "SDT_StartFindIDCard", (ctypes.c_int, ctypes.c_char_p, ctypes.c_int))(
            self.port_in_use, scratch, 1)
        if code in NO_CARD:
            return False
        if code != FOUND:
            raise ReaderError(message(code, "找卡时"))
        code = function(lib, "SDT_SelectIDCard", (ctypes.c_int, ctypes.c_char_p, ctypes.c_int))(
            self.port_in_use, scratch, 1)
        if code in NO_CARD:
            return False
        if code != OK:
            raise ReaderError(message(code, "选卡时"))
        return True

    def read(self) -> IdCard:
        text = ctypes.create_string_buffer(TEXT_BUFFER)
        photo = ctypes.create_string_buffer(WLT_BYTES * 2)
        text_len, photo_len = ctypes.c_uint(0), ctypes.c_uint(0)
        code = function(self._library(), "SDT_ReadBaseMsg",
                        (ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint), ctypes.c_char_p,
                         ctypes.POINTER(ctypes.c_uint), ctypes.c_int))(
            self.port_in_use, text, ctypes.pointer(text_len), photo, ctypes.pointer(photo_len), 1)
        if code != OK:
            raise ReaderError(message(code, "读卡时"))
        raw = bounded(text, text_len.value)
        wlt = bounded(photo, photo_len.value)
        return parse_base_message(raw[:BASE_TEXT_BYTES], decode_wlt(wlt, self._loader))

    def close(self) -> None:
        if self._lib is not None:
            lib, self._lib = self._lib, None
            function(lib, "SDT_ClosePort", (ctypes.c_int,))(self.port_in_use)

    def _library(self) -> Any:
        if self._lib is None:
            raise ReaderError("读卡器尚未打开")
        return self._lib


def decode_wlt(wlt: bytes, loader: Loader = windows_loader) -> bytes:
    """The photo as a BMP, or b"" when no decoder is installed or it fails (the text is read anyway)."""
    if len(wlt) < WLT_BYTES:
        return b""
    wlt = wlt[:WLT_BYTES]
    with contextlib.suppress(ReaderError):
        return _dewlt(loader("dewlt.dll"), wlt)
    with contextlib.suppress(ReaderError):
        return _wltrs(loader("WltRS.dll"), wlt)
    return b""


def _dewlt(lib: Any, wlt: bytes) -> bytes:
    rgb = ctypes.create_string_buffer(PHOTO_WIDTH * PHOTO_HEIGHT * 3)
    code = function(lib, "unpack", (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int))(wlt, rgb, 0)
    if code != 1:
        raise ReaderError("相片解码失败")
    return bmp_from_bgr(rgb.raw, PHOTO_WIDTH, PHOTO_HEIGHT)


def _wltrs(lib: Any, wlt: bytes) -> bytes:
    """WltRS decodes file to file only: a private folder, removed whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix="minsheng-idcard-"))
    try:
        source = folder / "zp.wlt"
        source.write_bytes(wlt)
        path = str(source).encode("mbcs" if sys.platform == "win32" else "utf-8")  # an ANSI library
        code = function(lib, "GetBmp", (ctypes.c_char_p, ctypes.c_int))(path, 2)
        picture = folder / "zp.bmp"
        if code != 1 or not picture.is_file():
            raise ReaderError("相片解码失败")
        data = picture.read_bytes()
        return data if data.startswith(b"BM") else b""
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bmp_from_bgr(pixels: bytes, width: int, height: int) -> bytes:
    """A 24-bit BMP around rows of BGR pixels (bottom row first, as BMP stores them), each row padded to 4."""
    row = width * 3
    stride = (row + 3) & ~3
    body = b"".join(pixels[y * row:(y + 1) * row] + b"\x00" * (stride - row) for y in range(height))
    header = struct.pack("<2sIHHI", b"BM", 54 + len(body), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(body), 3780, 3780, 0, 0)
    return header + info + body

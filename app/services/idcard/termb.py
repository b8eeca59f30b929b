"""华视 (Chinavision) readers through termb.dll, the CVR_* interface most Chinese ID readers ship.

Sequence (vendor SDK): CVR_InitComm(port) → 1; then per card CVR_Authenticate() → 1 when a card was found
and selected (2 no card, 3 selection failed: the card is still settling; 4 reader not connected);
CVR_Read_FPContent() (or CVR_Read_Content(4) on older drivers) → 1; then GetPeopleName, GetPeopleSex,
GetPeopleNation, GetPeopleBirthday, GetPeopleAddress, GetPeopleIDCode, GetDepartment, GetStartDate and
GetEndDate, each (char *buffer, int *length) → 1, the text in GBK; GetBMPData(buffer, &length) → 1 with
the photo as a BMP in memory. Ports: 1001–1016 USB, 1–16 serial. All __stdcall (WinDLL).

The driver also writes wz.txt and zp.bmp beside itself on every read: they are deleted right after.
"""

from __future__ import annotations

import ctypes
from typing import Any

from app.services.idcard.buffer import decode_gbk
from app.services.idcard.card import NATIONS, IdCard
from app.services.idcard.dll import (
    Loader,
    bounded,
    function,
    has_function,
    library_folder,
    port_label,
    ports,
    remove_vendor_files,
    windows_loader,
)
from app.services.idcard.reader import ReaderError

LIBRARY = "termb.dll"
OK = 1
NO_CARD = (2, 3)  # 寻卡失败, 选卡失败: nothing (or not yet) on the reader
TEXT_BYTES = 256
PHOTO_BYTES = 40960  # the SDK's own buffer; a chip photo is a 38,862-byte BMP
_TEXT = (ctypes.c_char_p, ctypes.POINTER(ctypes.c_int))
GETTERS = (("name", "GetPeopleName"), ("sex", "GetPeopleSex"), ("nation", "GetPeopleNation"),
           ("birth", "GetPeopleBirthday"), ("address", "GetPeopleAddress"), ("id_number", "GetPeopleIDCode"),
           ("authority", "GetDepartment"), ("valid_from", "GetStartDate"), ("valid_to", "GetEndDate"))
# termb gives the sex and nation as text; the card record keeps the chip's codes
SEX_NAMES = {"男": "1", "女": "2"}
NATION_CODES = {name: f"{code:02d}" for code, name in NATIONS.items()}


class TermbReader:
    label = "华视 termb.dll"

    def __init__(self, port: int, loader: Loader = windows_loader) -> None:
        self.port = port
        self._loader = loader
        self._lib: Any = None
        self.port_in_use = 0

    def open(self) -> None:
        self._lib = self._loader(LIBRARY)
        init = function(self._lib, "CVR_InitComm", (ctypes.c_int,))
        codes = []
        for port in ports(self.port):
            code = init(port)
            if code == OK:
                self.port_in_use = port
                return
            codes.append(code)
        self._lib = None
        raise ReaderError(f"无法连接华视读卡器（端口 {port_label(self.port)}，返回 {codes[-1]}）："
                          "请检查读卡器的USB线，或在读卡器设置中选择正确的端口")

    def poll(self) -> bool:
        code = function(self._library(), "CVR_Authenticate", ())()
        if code == OK:
            return True
        if code in NO_CARD:
            return False
        if code == 4:
            raise ReaderError("华视读卡器未连接：请检查读卡器的USB线")
        raise ReaderError(f"华视读卡器返回了无法识别的结果（{code}），请重新插拔读卡器")

    def read(self) -> IdCard:
        lib = self._library()
        try:
            if has_function(lib, "CVR_Read_FPContent"):
                code = function(lib, "CVR_Read_FPContent", ())()
            else:
                code = function(lib, "CVR_Read_Content", (ctypes.c_int,))(4)
            if code != OK:
                raise ReaderError(f"读取身份证失败（华视读卡器返回 {code}）：请把证件平放在读卡区，不要移动")
            values = {field: self._text(lib, name) for field, name in GETTERS}
            values["sex"] = SEX_NAMES.get(values["sex"], values["sex"])
            values["nation"] = NATION_CODES.get(values["nation"].removesuffix("族"), values["nation"])
            return IdCard(photo=self._photo(lib), **values)
        finally:
            remove_vendor_files([library_folder(lib)])

    def _text(self, lib: Any, name: str) -> str:
        buffer = ctypes.create_string_buffer(TEXT_BYTES)
        length = ctypes.c_int(TEXT_BYTES)
        code = function(lib, name, _TEXT)(buffer, ctypes.pointer(length))
        if code != OK:
            raise ReaderError(f"读取身份证失败（{name} 返回 {code}），请重新放卡")
        return decode_gbk(bounded(buffer, length.value))

    def _photo(self, lib: Any) -> bytes:
        """The BMP, or nothing: a photo the driver cannot give leaves the text usable."""
        if not has_function(lib, "GetBMPData"):
            return b""
        buffer = ctypes.create_string_buffer(PHOTO_BYTES)
        length = ctypes.c_int(PHOTO_BYTES)
        code = function(lib, "GetBMPData", _TEXT)(buffer, ctypes.pointer(length))
        data = bounded(buffer, length.value)
        return data if code == OK and data.startswith(b"BM") else b""

    def close(self) -> None:
        if self._lib is not None:
            lib, self._lib = self._lib, None
            function(lib, "CVR_CloseComm", ())()

    def _library(self) -> Any:
        if self._lib is None:
            raise ReaderError("读卡器尚未打开")
        return self._lib

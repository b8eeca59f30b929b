"""Loading a vendor's reader library through ctypes, only on Windows and only where the file is found.

The vendors' libraries (termb.dll, sdtapi.dll, WltRS.dll) export __stdcall functions, so they load as
ctypes.WinDLL; every function gets its argument and result types before its first call, so a mismatch is
a ctypes error here rather than a corrupted stack. A missing library, a missing function or any other
loading trouble is a ReaderError in Chinese; nothing is loaded at import time, so the workstation starts
the same without any reader.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app.services.idcard.reader import ReaderError

Loader = Callable[[str], Any]  # a library name or path → the loaded library (tests pass a fake)
USB_PORTS = range(1001, 1017)  # the vendors' USB ports 1001–1016; serial ports are 1–16 (COM1–COM16)
SERIAL_PORTS = range(1, 17)
AUTO_PORT = 0  # try the USB ports in turn
VENDOR_FILES = ("wz.txt", "zp.bmp", "xp.wlt", "zp.wlt", "fp.dat")  # what some drivers write on every read


def windows_loader(name: str) -> Any:
    """The library by name (the DLL search path: the program's folder, then PATH) or by full path."""
    if sys.platform != "win32":
        raise ReaderError(f"{name} 只能在 Windows 上使用；本机请选择“无”或“模拟读卡器”")
    try:
        return ctypes.WinDLL(name)  # type: ignore[attr-defined]
    except OSError:
        raise ReaderError(f"找不到或无法加载 {name}：请安装读卡器厂商的驱动程序，或把 {name} "
                          "及其附带文件复制到本程序所在的文件夹") from None


def function(library: Any, name: str, argtypes: Sequence[Any], restype: Any = ctypes.c_int) -> Any:
    """One exported function with its types set; ReaderError when this version of the library lacks it."""
    try:
        fn = getattr(library, name)
    except AttributeError:
        raise ReaderError(f"读卡器驱动中没有 {name} 函数：驱动版本不符，请安装厂商的最新驱动") from None
    with contextlib.suppress(AttributeError, TypeError):  # a test's stand-in may not take ctypes' attributes
        fn.argtypes = list(argtypes)
        fn.restype = restype
    return fn


def has_function(library: Any, name: str) -> bool:
    try:
        getattr(library, name)
    except AttributeError:
        return False
    return True


def ports(port: int) -> Sequence[int]:
    """The ports to try: the configured one, or every USB port when it is AUTO_PORT."""
    return list(USB_PORTS) if port == AUTO_PORT else [port]


def port_label(port: int) -> str:
    if port == AUTO_PORT:
        return "自动（USB 1001–1016）"
    return f"USB {port}" if port in USB_PORTS else f"串口 COM{port}"


def library_folder(library: Any) -> Path | None:
    """Where the loaded library lives (the vendors' drivers write their files there)."""
    name = getattr(library, "_name", None)
    if not isinstance(name, str):
        return None
    path = Path(name)
    return path.parent if path.parent != Path(".") else None


def remove_vendor_files(folders: Sequence[Path | None]) -> None:
    """Delete the text and photo files a driver wrote while reading, so no citizen's photo stays on disk."""
    for folder in {f for f in (*folders, Path.cwd()) if f is not None}:
        for name in VENDOR_FILES:
            with contextlib.suppress(OSError):
                (folder / name).unlink(missing_ok=True)


def int_out() -> ctypes.c_int:
    return ctypes.c_int(0)


def bounded(buffer: ctypes.Array[ctypes.c_char], length: int) -> bytes:
    """The bytes a driver says it wrote, never more than the buffer holds (a wild length is garbage)."""
    size = ctypes.sizeof(buffer)
    if length < 0 or length > size:
        return buffer.raw
    return buffer.raw[:length]

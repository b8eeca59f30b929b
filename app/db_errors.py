"""Turning failures caused by the machine (disk full, read-only, locked, no permission) into advice.

These are not bugs in the program, so the clerk gets a plain Chinese explanation of what to do
instead of a crash dialog or a traceback. One function serves the command line and the desktop;
it recognises operating-system errors by their number (not their English text) and SQLite's
errors by their message, anywhere in the chain of causes.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

_NEARLY_FULL_BYTES = 1_000_000  # SQLite needs room for its WAL and shared-memory index
_NOT_SAVED = "本次操作未保存，已有数据不受影响。"
FULL = "磁盘空间已满，数据无法保存。请清理磁盘空间（或换一个有空间的位置）后重试。" + _NOT_SAVED
READ_ONLY = "数据文件夹或目标位置是只读的，无法写入。请检查磁盘或U盘是否写保护、文件夹是否允许写入。" + _NOT_SAVED
NO_PERMISSION = "没有读写权限，无法访问数据文件夹或文件。请用安装本程序的 Windows/系统账号运行，或请管理员开放权限。"
LOCKED = "数据库正被其他程序占用，请稍后重试；如反复出现，请关闭其他打开本工作站的程序。"
FILE_IN_USE = "文件正被其他程序占用（例如已在 Excel 或 PDF 阅读器中打开），请关闭该程序后重试。" + _NOT_SAVED
CANNOT_OPEN = "无法打开数据库文件，请检查数据文件夹是否存在、是否有访问权限。"
CORRUPT = "数据库文件已损坏。请勿继续使用，并联系管理员从备份文件夹恢复。"
IO_ERROR = "读写磁盘出错，请检查磁盘或U盘是否正常连接。" + _NOT_SAVED

_ERRNO_ADVICE: dict[int, str] = {
    errno.ENOSPC: FULL,
    errno.EROFS: READ_ONLY,
    errno.EACCES: NO_PERMISSION,
    errno.EPERM: NO_PERMISSION,
    errno.EIO: IO_ERROR,
    errno.EBUSY: FILE_IN_USE,
    errno.ETXTBSY: FILE_IN_USE,
}
if hasattr(errno, "EDQUOT"):
    _ERRNO_ADVICE[errno.EDQUOT] = "磁盘配额已用完，数据无法保存。请清理文件或请管理员增加配额后重试。" + _NOT_SAVED

# Windows error codes (OSError.winerror) that Python maps to a vaguer errno.
_WINERROR_ADVICE: dict[int, str] = {
    32: FILE_IN_USE,  # ERROR_SHARING_VIOLATION
    33: FILE_IN_USE,  # ERROR_LOCK_VIOLATION
    39: FULL,  # ERROR_HANDLE_DISK_FULL
    112: FULL,  # ERROR_DISK_FULL
    19: READ_ONLY,  # ERROR_WRITE_PROTECT
    5: NO_PERMISSION,  # ERROR_ACCESS_DENIED
    21: IO_ERROR,  # ERROR_NOT_READY (USB stick pulled)
}

_SQLITE_ADVICE: tuple[tuple[tuple[str, ...], str], ...] = (
    (("database or disk is full", "disk is full", "no space"), FULL),
    (("readonly", "read-only"), READ_ONLY),
    (("database is locked", "database table is locked"), LOCKED),
    (("unable to open database",), CANNOT_OPEN),
    (("malformed", "not a database"), CORRUPT),
    (("disk i/o error",), IO_ERROR),
    (("authorization denied", "access permission denied"), NO_PERMISSION),
)


def _os_advice(exc: OSError) -> str | None:
    where = f"（{exc.filename}）" if exc.filename else ""
    winerror = getattr(exc, "winerror", None)
    advice = _WINERROR_ADVICE.get(winerror) if isinstance(winerror, int) else None
    advice = advice or _ERRNO_ADVICE.get(exc.errno or 0)
    if advice is not None:
        return advice.replace("。", f"{where}。", 1)  # the place, at the end of the first sentence
    if exc.errno == errno.ENOENT:
        return f"找不到文件或文件夹{where}。请检查路径是否正确、U盘或网络盘是否已连接。"
    return None


def _is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith("sqlalchemy") \
        or "sqlite" in str(exc).lower()


def friendly_error(exc: BaseException, data_dir: Path | None = None) -> str | None:
    """A Chinese explanation for an environmental failure, or None for anything else (a bug).

    SQLite reports a full disk under its WAL as a plain "disk I/O error"; given the data folder,
    an I/O error there with (almost) no free space left is explained as the full disk it is."""
    advice = _advice(exc)
    if advice == IO_ERROR and data_dir is not None and _nearly_full(data_dir):
        return FULL
    return advice


def _nearly_full(folder: Path) -> bool:
    for candidate in (folder, *folder.parents):
        try:
            return shutil.disk_usage(candidate).free < _NEARLY_FULL_BYTES
        except OSError:
            continue
    return False


def _advice(exc: BaseException) -> str | None:
    current: BaseException | None = exc
    seen = 0
    while current is not None and seen < 8:
        if isinstance(current, OSError) and not isinstance(current, (ConnectionError, TimeoutError)):
            advice = _os_advice(current)
            if advice is not None:
                return advice
        if _is_database_error(current):
            text = str(current).lower()
            for needles, advice in _SQLITE_ADVICE:
                if any(n in text for n in needles):
                    return advice
        current = current.__cause__ or current.__context__
        seen += 1
    return None


friendly_db_error = friendly_error  # the older name, kept for callers that only handle database errors

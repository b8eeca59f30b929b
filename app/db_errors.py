"""Turning database failures caused by the machine (disk full, read-only, locked) into advice.

These are not bugs in the program, so the clerk gets a plain Chinese explanation of what to do
instead of a crash dialog with a traceback.
"""

from __future__ import annotations

import sqlite3


def friendly_db_error(exc: BaseException) -> str | None:
    """A Chinese explanation for an environmental database error, or None for anything else."""
    current: BaseException | None = exc
    seen = 0
    while current is not None and seen < 5:
        text = str(current).lower()
        if isinstance(current, (sqlite3.OperationalError, sqlite3.DatabaseError)) or "sqlite" in text or (
            type(current).__module__.startswith("sqlalchemy")
        ):
            if "disk is full" in text or "database or disk is full" in text or "no space" in text:
                return "磁盘空间已满，数据无法保存。请清理磁盘空间后重试，本次操作未保存。"
            if "readonly" in text or "read-only" in text or "attempt to write a readonly database" in text:
                return "数据库文件为只读，无法保存。请检查数据文件夹的写入权限，本次操作未保存。"
            if "database is locked" in text or "database table is locked" in text:
                return "数据库正被其他程序占用，请稍后重试；如反复出现，请关闭其他打开本工作站的程序。"
            if "unable to open database" in text:
                return "无法打开数据库文件，请检查数据文件夹是否存在、是否有访问权限。"
            if "malformed" in text or "not a database" in text:
                return "数据库文件已损坏。请勿继续使用，并联系管理员从备份文件夹恢复。"
            if "disk i/o error" in text:
                return "读写磁盘出错，请检查磁盘或U盘是否正常，本次操作未保存。"
        current = current.__cause__ or current.__context__
        seen += 1
    return None

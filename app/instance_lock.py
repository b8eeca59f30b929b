"""One desktop workstation per database: an operating-system lock on a file in the data folder.

Two copies of the program on one database fight over the numbering files and the clerk sees
errors that look like crashes, so the second copy is refused at start. An OS lock (flock on
POSIX, msvcrt.locking on Windows) rather than a PID file, because the operating system drops it
whenever the holder dies, however it dies (kill -9, a power cut): a stale lock never blocks anyone.
The real and the training database have separate locks: a training window beside the real one is
fine because they share no database and no numbering file.
"""

from __future__ import annotations

import contextlib
import os
import sys
from types import TracebackType

from app.paths import DataLayout, make_private_dir


class AlreadyRunningError(RuntimeError):
    """Another process holds the lock of this database; `message` is shown as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def running_message(layout: DataLayout) -> str:
    mode = "培训模式的工作站" if layout.training else "工作站"
    return (f"本机已有一个{mode}程序在使用这个数据文件夹（{layout.data_dir}），不能再打开一个。"
            "请切换到已打开的窗口（可在任务栏中找到）；如果看不到它，请注销或重启电脑后再打开。")


class InstanceLock:
    """Held from acquire() until release() or the end of the process."""

    def __init__(self, layout: DataLayout) -> None:
        self.layout = layout
        self.path = layout.lock_file
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunningError; OSError when the folder cannot be written."""
        if self._fd is not None:
            return
        make_private_dir(self.layout.data_dir)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError as exc:
            os.close(fd)
            if _is_contention(exc):
                raise AlreadyRunningError(running_message(self.layout)) from exc
            raise
        self._fd = fd
        with contextlib.suppress(OSError):  # who holds it, for an administrator; not needed for the lock
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):  # closing the file below releases the lock anyway
            _unlock(fd)
        os.close(fd)

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


if sys.platform == "win32":
    import errno
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # byte 0 only; the PID is written after the lock

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _is_contention(exc: OSError) -> bool:
        return exc.errno in (errno.EACCES, errno.EDEADLK) or getattr(exc, "winerror", None) in (32, 33)
else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # per open file: a second open in-process conflicts too

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _is_contention(exc: OSError) -> bool:
        return isinstance(exc, BlockingIOError)

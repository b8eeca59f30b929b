"""Writing a user's output file (a PDF, an export) so that a failure leaves no half-written file.

On a full disk `Path.write_bytes` leaves a truncated file that looks like a good PDF in the folder
and reports an error without a file name. Here the bytes go to a temporary file beside the target,
which replaces it only once complete; on failure the temporary file is removed and the error names
the target, so the message can say where.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Create or replace path with data, whole or not at all; raises OSError naming path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):  # the original error is the one to report
            tmp.unlink(missing_ok=True)
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def fsync_file(path: Path) -> None:
    """Flush a file written by another process (sqlite's backup, pg_dump) to disk before it is renamed
    into place, so a power cut leaves the old file or the whole new one."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""Rotating log files in the data folder, and crash logs that a clerk can send to support.

Logging must never become the failure: on a full disk or a read-only log folder Python's handlers
print a "--- Logging error ---" traceback on the console for every record. The file handler here
drops a record it cannot write instead, and a log folder that cannot be opened at all falls back
to a console handler that shows errors as one line, without tracebacks, so a command's own
one-line Chinese reason stays the only thing the user reads.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from app.clock import local_now
from app.paths import make_private_dir

_configured: set[Path] = set()
_fallback: logging.Handler | None = None
# Libraries that log every request at INFO: the hall display polls the queue every 1.5 s, and a line
# per poll would bury the log (and rotate away the lines that matter). Their warnings still show.
CHATTY_LIBRARIES = ("httpx", "httpcore")


def quiet_chatty_libraries() -> None:
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)


class QuietRotatingFileHandler(RotatingFileHandler):
    """A rotating file whose write failures (disk full, file system gone read-only) lose the
    record quietly; the next record tries again, so logging resumes once space is freed."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        with contextlib.suppress(OSError):  # the disk that failed the write may fail the close too
            if self.stream is not None:
                self.stream.close()
        self.stream = None  # type: ignore[assignment]  # reopened by the next emit


class OneLineFormatter(logging.Formatter):
    """Message only: the traceback stays out of the console."""

    def formatException(self, ei: object) -> str:  # noqa: N802
        return ""

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return ""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_text
        record.exc_text = None
        try:
            return super().format(record).rstrip()
        finally:
            record.exc_text = saved


class _ConsoleHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (it may be replaced or absent, as under pythonw)."""

    def emit(self, record: logging.LogRecord) -> None:
        if sys.stderr is None:
            return
        self.stream = sys.stderr
        super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802
        pass  # the console was closed: nothing more to do


QT_QUIET_RULES = ("qt.multimedia.*=false",)  # QtMultimedia's FFmpeg back end reports each library it probes


def quiet_qt_logging() -> None:
    """Keep Qt's multimedia chatter ("Couldn't load va library" and the like, about ten lines at every start)
    off the console a clerk or an installer reads. Must run before the QApplication is made; rules the user
    set in QT_LOGGING_RULES stay and come after ours, so they win."""
    own = [rule for rule in os.environ.get("QT_LOGGING_RULES", "").split(";") if rule.strip()]
    os.environ["QT_LOGGING_RULES"] = ";".join([*(r for r in QT_QUIET_RULES if r not in own), *own])


def console_fallback() -> logging.Handler:
    """The stderr handler used when no log file can be written: errors only, one line each.

    Installed once on the root logger; it also keeps Python's last-resort handler (which prints
    whole tracebacks) from speaking for loggers that have no file yet."""
    global _fallback
    if _fallback is None:
        handler = _ConsoleHandler(sys.stderr)
        handler.setLevel(logging.ERROR)
        handler.setFormatter(OneLineFormatter("%(levelname)s %(name)s: %(message)s"))
        _fallback = handler
    root = logging.getLogger()
    if _fallback not in root.handlers:
        root.addHandler(_fallback)
    return _fallback


def setup_logging(log_dir: Path, level: int = logging.INFO) -> bool:
    """Log into log_dir/workstation.log; False (and the console fallback) when it cannot be written."""
    target = log_dir / "workstation.log"
    if target in _configured:
        return True
    root = logging.getLogger()
    quiet_chatty_libraries()
    try:
        make_private_dir(log_dir)  # messages can name citizens and cases
        handler = QuietRotatingFileHandler(target, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        console_fallback()
        root.setLevel(level)
        return False
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    if _fallback is not None:  # the file has it now; the console stays for the program's own messages
        root.removeHandler(_fallback)
    _configured.add(target)
    return True


def write_crash_log(
    log_dir: Path,
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
) -> Path:
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / f"crash-{local_now().strftime('%Y%m%d-%H%M%S-%f')}.log"
    path.write_text("".join(traceback.format_exception(exc_type, exc, tb)), encoding="utf-8")
    return path

"""The subscriptions' last errors, read from the embedded server's log: PostgreSQL keeps error counts
(pg_stat_subscription_stats) but not the text, which says what conflicted and where to skip to.

A worker's lines share its process id; an apply error's CONTEXT names the subscription's replication
origin (pg_<oid>) and the transaction's finish LSN, other lines name the subscription itself. The county's
own server logs each error's SQLSTATE (log_line_prefix, app.county.runtime): a subscription made with
disable_on_error also stops when its township's connection drops, which is no conflict, and the code
tells the two apart (class 08, connection exception).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

TAIL_BYTES = 4 * 1024 * 1024  # the end of the log is where the last errors are
LOG_LINE_PREFIX = "%m [%p] %e "  # time, process, SQLSTATE
_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [A-Za-z0-9+:-]+)?) \[(\d+)\] "
                   r"(?:([0-9A-Z]{5}) )?([A-Z]+):\s+(.*)$")
_DISABLED = re.compile(r'^subscription "([^"]{1,63})" has been disabled because of an error')
_STARTED = re.compile(r'^logical replication apply worker for subscription "([^"]{1,63})" has started')
TRANSIENT = ("57P01", "57P02", "57P03", "53300")  # besides class 08: the township shut down or was full
_SUBSCRIPTION = re.compile(r'subscription "([^"]{1,63})"')
_ORIGIN = re.compile(r'replication origin "pg_(\d+)"')
_RELATION = re.compile(r'replication target relation "(?:[^".]+\.)?([^".]+)"')
_COPY = re.compile(r"^COPY (\w+), line")
_KEY = re.compile(r"^Key \((\w+)\)=\((.*)\) already exists\.$")
_FINISH = re.compile(r"finished at ([0-9A-F]{1,8}/[0-9A-F]{1,8})")


@dataclass
class LoggedError:
    at: str  # the log's timestamp
    message: str
    code: str = ""  # SQLSTATE, when the log carries it
    detail: str = ""
    context: str = ""

    @property
    def transient(self) -> bool:
        """A lost or refused connection to the township, not something wrong with its data."""
        return self.code.startswith("08") or self.code in TRANSIENT

    @property
    def relation(self) -> str:
        """The table the error happened on ('' when the log does not say)."""
        found = _RELATION.search(self.context) or _COPY.match(self.context)
        return found.group(1) if found else ""

    @property
    def key(self) -> tuple[str, str] | None:
        """(column, value) of a row that already existed (a duplicate key)."""
        found = _KEY.match(self.detail)
        return (found.group(1), found.group(2)) if found else None

    @property
    def finish_lsn(self) -> str:
        """Where the failed remote transaction ends: what ALTER SUBSCRIPTION … SKIP takes."""
        found = _FINISH.search(self.context)
        return found.group(1) if found else ""

    def text(self) -> str:
        return "；".join(p for p in (self.message, self.detail) if p)[:500]


@dataclass
class SubscriptionLog:
    """What the log says of one subscription: its last error, and the error that disabled it if it has
    not started since."""

    last: LoggedError | None = None
    stopped_by: LoggedError | None = None


def _entries(lines: list[str]) -> list[tuple[str, str, str, str, str]]:
    """(time, pid, SQLSTATE, severity, text) per log entry, continuation lines joined to their entry."""
    out: list[tuple[str, str, str, str, str]] = []
    for line in lines:
        found = _LINE.match(line)
        if found:
            out.append((found.group(1), found.group(2), found.group(3) or "", found.group(4), found.group(5)))
        elif out:
            at, pid, code, severity, text = out[-1]
            out[-1] = (at, pid, code, severity, f"{text} {line.strip()}")
    return out


def read_log(log: Path | None, origins: dict[str, str]) -> dict[str, SubscriptionLog]:
    """Each subscription's errors found in the log's tail, by subscription name; `origins` maps a
    subscription's oid (as text) to its name."""
    if log is None or not log.exists():
        return {}
    with open(log, "rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - TAIL_BYTES))
        lines = handle.read().decode("utf-8", "replace").splitlines()
    worker: dict[str, str] = {}  # pid → subscription, from the worker's own lines
    found: dict[str, SubscriptionLog] = {}

    def of(name: str) -> SubscriptionLog:
        return found.setdefault(name, SubscriptionLog())

    current: dict[str, tuple[LoggedError, bool]] = {}  # pid → its latest error, whether it is placed yet
    for at, pid, code, severity, text in _entries(lines):
        named = _SUBSCRIPTION.search(text)
        if named and severity == "LOG":
            worker[pid] = named.group(1)
            if _STARTED.match(text):
                of(named.group(1)).stopped_by = None
            elif _DISABLED.match(text) and pid in current:
                of(named.group(1)).stopped_by = current[pid][0]
        if severity in ("ERROR", "FATAL"):
            error = LoggedError(at, text, code)
            current[pid] = (error, False)
            if pid in worker:
                of(worker[pid]).last = error
                current[pid] = (error, True)
            continue
        if pid not in current or severity not in ("DETAIL", "CONTEXT", "HINT"):
            continue
        error, placed = current[pid]
        if severity == "DETAIL":
            error.detail = text
        elif severity == "CONTEXT":
            error.context = text
            origin = _ORIGIN.search(text)
            if origin and origin.group(1) in origins and not placed:
                of(origins[origin.group(1)]).last = error
                current[pid] = (error, True)
    return found

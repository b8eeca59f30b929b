"""Locally generated, time-ordered keys (UUIDv7, RFC 9562).

Every replicated row gets its key on the machine that wrote it, so offline workstations never
collide and keys sort roughly by creation time, which keeps SQLite's B-tree inserts at the end.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_last_seq = 0


def uuid7() -> str:
    """A UUIDv7 string; monotonic within this process even for keys made in the same millisecond."""
    global _last_ms, _last_seq
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms = ms
            _last_seq = secrets.randbits(11)  # leave head-room for increments within the millisecond
        else:
            _last_seq += 1
            if _last_seq >= 1 << 12:
                _last_ms += 1
                _last_seq = 0
        ms, seq = _last_ms, _last_seq
    rand_b = secrets.randbits(62)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= seq << 64
    value |= 0b10 << 62
    value |= rand_b
    return str(uuid.UUID(int=value))

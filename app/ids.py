"""Locally generated, time-ordered keys that say which node made them (RFC 9562 layout).

Every replicated row gets its key on the machine that wrote it, so offline workstations never
collide and keys sort roughly by creation time, which keeps SQLite's B-tree inserts at the end.

A key made for a node is "node-stamped": UUIDv7's layout (48-bit millisecond timestamp first, then
a 12-bit counter that keeps keys monotonic within the process) with version 8 (RFC 9562's custom
version) and the node code (00-99) in the top 7 bits of the random part. The centre then knows who
created a row from its key alone, so no node can take over another node's row that has not reached
the centre yet (the first writer of an id owns it). Keys made before this (version 7) carry no node
and keep the old rule.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_last_seq = 0
STAMPED_VERSION = 8
_NODE_BITS = 7
_RANDOM_BITS = 62 - _NODE_BITS
_NODE = re.compile(r"\d{2}")


def uuid7(node: str | None = None) -> str:
    """A time-ordered key, monotonic within this process even for keys made in the same millisecond;
    stamped with `node` (a two-digit node code) when given."""
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
    value = (ms & ((1 << 48) - 1)) << 80
    value |= seq << 64
    value |= 0b10 << 62
    if node is None:
        value |= 0x7 << 76
        value |= secrets.randbits(62)
    else:
        if not isinstance(node, str) or not _NODE.fullmatch(node):
            raise ValueError(f"node code should be two digits, not {node!r}")
        value |= STAMPED_VERSION << 76
        value |= int(node) << _RANDOM_BITS
        value |= secrets.randbits(_RANDOM_BITS)
    return str(uuid.UUID(int=value))


def id_node(key: object) -> str | None:
    """The node code a node-stamped key names; None for any other key (older keys, other formats)."""
    if not isinstance(key, str) or len(key) != 36:
        return None
    try:
        value = uuid.UUID(key).int
    except ValueError:
        return None
    if (value >> 76) & 0xF != STAMPED_VERSION or (value >> 62) & 0b11 != 0b10:
        return None
    code = (value >> _RANDOM_BITS) & ((1 << _NODE_BITS) - 1)
    return f"{code:02d}" if code <= 99 else None

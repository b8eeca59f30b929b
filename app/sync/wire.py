"""Bodies on the wire: compact JSON compressed with zstd (about 7x smaller for case rows).

Whoever sends a body may be hostile, so unpacking is bounded before anything big is allocated:
the output is read from a streaming decompressor in small pieces up to a cap, whatever size the
zstd frame header declares (a one-shot decompress allocates the declared size: a 128 KB body once
asked for 4 GB), the window the frame may demand is capped, and the JSON's nesting depth and number
of values are counted on the raw bytes before json.loads builds a single object (64 MB of `{},`
would otherwise become 1.8 GB of dicts).
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass
from typing import Any

import zstandard

FAST = 3
# Pushes leave village laptops on slow mobile links: a strong level costs ~0.8 ms of CPU per case and
# saves a quarter of the bytes (zstd 19: ~130 bytes per accepted case against ~170 at level 3).
STRONG = 19
# A ZstdCompressor is not thread-safe (the centre packs replies in several worker threads at once:
# shared, one answer in a few hundred failed with "Operation not authorized"): one per thread.
_local = threading.local()
# zstd 19 uses an 8 MB window for large inputs; a frame asking for more is refused, not allocated.
MAX_WINDOW = 1 << 23
_READ = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """What one body may hold once decompressed: bytes of JSON, nesting depth, and values."""

    size: int
    depth: int = 32
    values: int = 100_000


# A push of 1000 changes is about 1.4 MB of JSON and 20,000 values (1000 case rows: 3.8 MB, 42,000);
# a client whose batch does not fit halves it, so the cap costs at most an extra round trip.
PUSH = Limits(4 * 1024 * 1024, values=100_000)
SMALL = Limits(64 * 1024, values=1_000)  # handshake, pull requests
ENROLL = Limits(4 * 1024, depth=4, values=100)  # the only request without a device token
# Replies come from the centre this workstation chose to trust; a pull page of 5000 rows fits easily.
REPLY = Limits(64 * 1024 * 1024, depth=64, values=5_000_000)


class WireError(ValueError):
    """A body that is not a compressed JSON object."""


class TooLarge(WireError):
    """A body over its size limit (HTTP 413: a client sends smaller batches)."""


def encode(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode("utf-8")


def pack(obj: Any, level: int = FAST, limit: Limits | None = None) -> bytes:
    """Compressed JSON; with a limit, TooLarge when the receiver would refuse it (before compressing)."""
    text = encode(obj)
    if limit is not None:
        check_structure(text, limit)
    return _compressor(level).compress(text)


def _compressor(level: int) -> zstandard.ZstdCompressor:
    compressors: dict[int, zstandard.ZstdCompressor] | None = getattr(_local, "compressors", None)
    if compressors is None:
        compressors = _local.compressors = {}
    if level not in compressors:
        compressors[level] = zstandard.ZstdCompressor(level=level)
    return compressors[level]


def decompress(body: bytes, limit: int) -> bytes:
    """The body's content, read in pieces and refused as soon as it passes `limit` bytes."""
    try:
        declared = zstandard.get_frame_parameters(body).content_size
    except zstandard.ZstdError as exc:
        raise WireError("请求内容无法解压") from exc
    if declared != zstandard.CONTENTSIZE_UNKNOWN and declared > limit:
        raise TooLarge("请求内容过大")
    out = bytearray()
    try:
        reader = zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW).stream_reader(body, read_size=_READ)
        with reader:
            while chunk := reader.read(_READ):
                out += chunk
                if len(out) > limit:
                    raise TooLarge("请求内容过大")
    except zstandard.ZstdError as exc:
        raise WireError("请求内容无法解压") from exc
    return bytes(out)


# A JSON string with its escapes; what is left between strings is structure, numbers and literals.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def check_structure(raw: bytes, limit: Limits) -> None:
    """Refuse JSON over the limits without parsing it: size, number of values, nesting depth.

    Values are at most the commas outside strings plus the containers plus one; keys are counted
    with them (each key is followed by a colon). For valid JSON stripping strings this way is exact;
    invalid JSON is refused by json.loads at the point where the two could first differ.
    """
    if len(raw) > limit.size:
        raise TooLarge("请求内容过大")
    skeleton = _STRING.sub(b"", raw)
    brackets = skeleton.translate(None, _NOT_BRACKETS)
    values = skeleton.count(b",") + skeleton.count(b":") + len(brackets) + 1
    if values > limit.values:
        raise TooLarge("请求内容包含的数据项过多")
    depth = deepest = 0
    for byte in brackets:
        depth += _STEP[byte]
        deepest = max(deepest, depth)
    if deepest > limit.depth:
        raise WireError("请求内容嵌套过深")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise WireError("请求内容含有超出范围的数字")
    return value


def _no_constant(text: str) -> Any:
    raise WireError("请求内容含有非法数字（NaN 或 Infinity）")


def unpack(body: bytes, limit: Limits = REPLY) -> dict[str, Any]:
    raw = decompress(body, limit.size)
    check_structure(raw, limit)
    try:
        obj = json.loads(raw.decode("utf-8"), parse_float=_finite, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        if isinstance(exc, WireError):
            raise
        raise WireError("请求内容不是有效的 JSON") from exc
    if not isinstance(obj, dict):
        raise WireError("请求内容应为 JSON 对象")
    return obj

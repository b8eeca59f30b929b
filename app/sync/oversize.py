"""A change too large for the centre: sent as a small stub that the centre quarantines.

The outbox is a high-water mark (the centre acknowledges "everything up to seq N"), so a change
cannot simply be left out: everything after it would wait for ever. When one change alone is over
the centre's limit, the push carries instead a stub naming it (table, key, size, the first
characters of each value) in its place. The centre quarantines the stub like any change it cannot
apply and acknowledges the batch as usual, so the queue moves on in order; the workstation records
the same quarantined change at once, under the id the centre will use, so the clerk sees it even
before the next download and the download does not show it twice. Once the record is corrected
(shortened), its next change travels normally.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.ids import uuid7
from app.sync import wire

PREVIEW_CHARS = 200
FIELDS = 6  # [seq, table, row id, size in bytes, quarantine id, preview]


def reason(size: int) -> str:
    """The reason shown to the clerk and the director (the same text at both ends)."""
    mb = size / (1024 * 1024)
    amount = f"{mb:.1f} MB" if mb >= 1 else f"{max(1, size // 1024)} KB"
    return f"记录过大（约 {amount}），超出中心可接收的上限，未上传；请核对并改正该记录后再同步"


def preview(cols: list[str], values: list[Any]) -> dict[str, Any]:
    """Each value as it is, long texts cut to their first characters (with their full length)."""
    shown: dict[str, Any] = {}
    for col, value in zip(cols, values):
        if isinstance(value, str) and len(value) > PREVIEW_CHARS:
            value = f"{value[:PREVIEW_CHARS]}…（共 {len(value)} 字）"
        shown[col] = value
    return shown


def payload_text(shown: dict[str, Any]) -> str:
    return json.dumps(shown, ensure_ascii=False, default=str)[:100_000]


@dataclass
class Stub:
    """The push to send instead, and the quarantined changes to record here."""

    body: dict[str, Any]
    items: list[list[Any]]


def make_stub(body: dict[str, Any], node: str | None) -> Stub | None:
    """The batch with each row replaced by its stub; None when it holds no row (nothing to shrink)."""
    items: list[list[Any]] = []
    for group in body.get("groups", []):
        cols = group["c"]
        for values, seq in zip(group["r"], group["s"]):
            size = len(wire.encode(values))
            items.append([seq, group["t"], str(values[cols.index("id")]), size, uuid7(node),
                          preview(cols, values)])
    if not items:
        return None
    return Stub({**body, "groups": [], "oversized": items}, items)

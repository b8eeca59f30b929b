"""The highest printed numbers the centre holds for a node, per document kind and day.

A workstation restored from a backup, or a new machine joining under an old node code, cannot know
which numbers the lost copy printed after the backup. The centre can, for everything that reached
it: the handshake hands these sequences down and the workstation raises its floor above them before
it issues another number (app.services.numbering.raise_floors). Numbers belong to the node that
printed them (origin_node), also after the case was handed to another node.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection, text

from app.clock import utc_now

WINDOW = timedelta(days=62)  # as long as the workstation's floor file remembers days
# kind, table, pattern of a well-formed number, where its yymmdd and sequence stand (1-based)
_SOURCES = (
    ("case", "case_file", "^[0-9]{22}$", 12, 18, 5),
    ("notice", "notice", "^GZ[0-9]{21}$", 14, 20, 4),
    ("inquiry", "inquiry", "^SW[0-9]{21}$", 14, 20, 4),
    ("complaint", "complaint", "^TS[0-9]{21}$", 14, 20, 4),
    ("appointment", "appointment", "^YY[0-9]{21}$", 14, 20, 4),
    ("supervision", "supervision", "^DB[0-9]{21}$", 14, 20, 4),
)


def numbers_held(conn: Connection, node_code: str) -> dict[str, int]:
    """{"case:2026-11-29": 17, ...} for the recent days on which this node's numbers reached the centre."""
    since = (utc_now() - WINDOW).replace(tzinfo=None)
    held: dict[str, int] = {}
    for kind, table, pattern, day_at, seq_at, seq_len in _SOURCES:
        rows = conn.execute(text(
            f"SELECT substr(number, {day_at}, 6) AS d, max(substr(number, {seq_at}, {seq_len})::int) AS s "
            f"FROM {table} WHERE origin_node = :node AND created_at >= :since AND number ~ :pattern GROUP BY 1"),
            {"node": node_code, "since": since, "pattern": pattern})
        for day, seq in rows:
            held[f"{kind}:20{day[0:2]}-{day[2:4]}-{day[4:6]}"] = int(seq)
    return held

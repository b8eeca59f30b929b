"""Document numbers: kind prefix, centre division code, node code, date, per-day sequence.

Numbers carry the centre and node, so workstations that are offline for days never collide; the
sequence row is taken in the same transaction as the document, so a rolled-back document does not
leave a gap that another could fill.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import DocSequence, NodeInfo

PREFIXES = {"notice": "GZ", "inquiry": "SW"}
NUMBER_PATTERN = re.compile(r"^(GZ|SW)(\d{9})(\d{2})(\d{6})(\d{4})$")


def next_number(session: Session, kind: str, day: date) -> str:
    """The next number of this kind for the day, e.g. GZ22082110001261122 0007 (without the space)."""
    node = session.scalars(select(NodeInfo)).one()
    row = session.get(DocSequence, (kind, day))
    if row is None:
        row = DocSequence(kind=kind, day=day, last=0)
        session.add(row)
    row.last += 1
    if row.last > 9999:
        raise RuntimeError("本机当日文书编号已用完（9999）")
    return f"{PREFIXES[kind]}{node.center_code}{node.node_code}{day:%y%m%d}{row.last:04d}"


def looks_like(number: str, kind: str) -> bool:
    match = NUMBER_PATTERN.match(number.strip().upper())
    return bool(match and match.group(1) == PREFIXES[kind])


def spaced(number: str) -> str:
    """The number grouped for reading aloud on the phone: GZ 220821100 01 261122 0007."""
    match = NUMBER_PATTERN.match(number)
    return " ".join(match.groups()) if match else number

"""Document numbers: kind prefix, centre division code, node code, date, per-day sequence.

Numbers carry the centre and node, so workstations that are offline for days never collide; the
sequence row is taken in the same transaction as the document, so a rolled-back document does not
leave a gap that another could fill.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import DocSequence, NodeInfo

PREFIXES = {"notice": "GZ", "inquiry": "SW"}
NUMBER_PATTERN = re.compile(r"^(GZ|SW)(\d{9})(\d{2})(\d{6})(\d{4})$")


def next_number(session: Session, kind: str, day: date, floor: NumberFloor) -> str:
    """The next number of this kind for the day, e.g. GZ22082110001261122 0007 (without the space)."""
    node = session.scalars(select(NodeInfo)).one()
    seq = _take(session, kind, day, floor, 9999)
    return f"{PREFIXES[kind]}{node.center_code}{node.node_code}{day:%y%m%d}{seq:04d}"


def looks_like(number: str, kind: str) -> bool:
    match = NUMBER_PATTERN.match(number.strip().upper())
    return bool(match and match.group(1) == PREFIXES[kind])


def spaced(number: str) -> str:
    """The number grouped for reading aloud on the phone: GZ 220821100 01 261122 0007."""
    match = NUMBER_PATTERN.match(number)
    return " ".join(match.groups()) if match else number


CASE_NUMBER = re.compile(r"^(\d{9})(\d{2})(\d{6})(\d{5})$")
_QUERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud on the phone


class NumberFloor:
    """The highest sequence used per kind and day, kept in a small file beside the database.

    It is written (and synced) before the case's transaction commits, so a crash leaves at worst a
    gap, and restoring an older backup of the database can never hand out a number already printed.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict[str, int]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): int(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def raise_to(self, kind: str, day: date, seq: int) -> None:
        floors = self.read()
        key = f"{kind}:{day.isoformat()}"
        if floors.get(key, 0) >= seq:
            return
        floors[key] = seq
        cutoff = (day - timedelta(days=62)).isoformat()  # two months is plenty to outlast a restore
        recent = {k: v for k, v in floors.items() if k.split(":", 1)[-1] >= cutoff}
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(recent, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)


def floor_for(db_path: Path) -> NumberFloor:
    return NumberFloor(db_path.with_name(db_path.stem + "-numbers.json"))


def _take(session: Session, kind: str, day: date, floor: NumberFloor, limit: int) -> int:
    """The day's next sequence: above both the database and the floor file, recorded in both."""
    row = session.get(DocSequence, (kind, day))
    if row is None:
        row = DocSequence(kind=kind, day=day, last=0)
        session.add(row)
    row.last = max(row.last, floor.read().get(f"{kind}:{day.isoformat()}", 0)) + 1
    if row.last > limit:
        raise RuntimeError("本机当日编号已用完")
    floor.raise_to(kind, day, row.last)
    return row.last


def next_case_number(session: Session, day: date, floor: NumberFloor) -> str:
    """22 digits: centre code, node code, yymmdd, a 5-digit daily sequence never used before."""
    node = session.scalars(select(NodeInfo)).one()
    seq = _take(session, "case", day, floor, 99999)
    return f"{node.center_code}{node.node_code}{day:%y%m%d}{seq:05d}"


def new_query_code(node_code: str) -> str:
    """Node code and six random characters, e.g. 01K7M3QP; the caller checks uniqueness."""
    return node_code + "".join(secrets.choice(_QUERY_ALPHABET) for _ in range(6))


def spaced_case_number(number: str) -> str:
    match = CASE_NUMBER.match(number)
    return " ".join(match.groups()) if match else number

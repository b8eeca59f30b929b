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
from datetime import date
from pathlib import Path

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


CASE_NUMBER = re.compile(r"^(\d{9})(\d{2})(\d{6})(\d{5})$")
_QUERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud on the phone


class NumberFloor:
    """The highest case sequence used per day, kept in a small file beside the database.

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

    def raise_to(self, day: date, seq: int) -> None:
        floors = self.read()
        key = day.isoformat()
        if floors.get(key, 0) >= seq:
            return
        floors[key] = seq
        recent = dict(sorted(floors.items())[-60:])  # two months is plenty to outlast a restore
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(recent, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)


def next_case_number(session: Session, day: date, floor: NumberFloor) -> str:
    """22 digits: centre code, node code, yymmdd, a 5-digit daily sequence never used before."""
    node = session.scalars(select(NodeInfo)).one()
    row = session.get(DocSequence, ("case", day))
    if row is None:
        row = DocSequence(kind="case", day=day, last=0)
        session.add(row)
    row.last = max(row.last, floor.read().get(day.isoformat(), 0)) + 1
    if row.last > 99999:
        raise RuntimeError("本机当日办件编号已用完")
    floor.raise_to(day, row.last)
    return f"{node.center_code}{node.node_code}{day:%y%m%d}{row.last:05d}"


def new_query_code(node_code: str) -> str:
    """Node code and six random characters, e.g. 01K7M3QP; the caller checks uniqueness."""
    return node_code + "".join(secrets.choice(_QUERY_ALPHABET) for _ in range(6))


def spaced_case_number(number: str) -> str:
    match = CASE_NUMBER.match(number)
    return " ".join(match.groups()) if match else number

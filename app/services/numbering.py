"""Document numbers: kind prefix, centre division code, node code, date, per-day sequence.

Numbers carry the centre and node, so workstations that are offline for days never collide; the
sequence row is taken in the same transaction as the document, so a rolled-back document does not
leave a gap that another could fill. A number once handed out is never handed out again: the floor
file (app.number_floor) outlasts a restored database, every backup carries it, and a restored
workstation joined to a centre waits for the centre's count before issuing any (raise_floors).
"""

from __future__ import annotations

import re
import secrets
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models import AppMeta, DocSequence, NodeInfo, SyncState
from app.number_floor import NumberFloor, floor_for, floor_key, parse_key
from app.services.errors import UserError

if TYPE_CHECKING:
    from app.database import Database

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


RESTORED_AT_KEY = "restored_at"  # app_meta: when this database was restored from a backup
NUMBERS_VERIFIED_KEY = "numbers_verified"  # app_meta: "0" until the centre has confirmed the numbers used
SEQUENCE_LIMITS = {"case": 99999, "notice": 9999, "inquiry": 9999}
NOT_VERIFIED_MESSAGE = ("本机由备份恢复，须先与中心同步一次、核对已用编号后才能出具新编号"
                        "（以免重复出具恢复前已打印过的编号）。请接通网络后点“立即同步”或运行 main.py sync。")


class NumbersNotVerified(UserError):
    """A restored, joined workstation has not yet heard from its centre which numbers it used."""


def _take(session: Session, kind: str, day: date, floor: NumberFloor, limit: int) -> int:
    """The day's next sequence: above both the database and the floor file, recorded in both.

    The first statement is an upsert, so the transaction holds SQLite's write lock (waiting for it
    through busy_timeout) before anything is read: another process on the same data folder cannot
    take the same sequence, and the floor file is read and raised only by the lock's holder.
    """
    upsert = (
        sqlite_insert(DocSequence)
        .values(kind=kind, day=day, last=1)
        .on_conflict_do_update(index_elements=["kind", "day"], set_={"last": DocSequence.last + 1})
        .returning(DocSequence.last)
    )
    last = int(session.execute(upsert).scalar_one())
    _refuse_if_unverified(session)
    above = floor.read().get(floor_key(kind, day), 0)
    if above >= last:
        last = above + 1
        session.execute(
            update(DocSequence).where(DocSequence.kind == kind, DocSequence.day == day).values(last=last),
            execution_options={"synchronize_session": False},
        )
    if last > limit:
        raise UserError("本机当日编号已用完")
    floor.raise_to(kind, day, last)
    return last


def numbers_unverified(db: Database) -> bool:
    """Whether the next handshake must bring the centre's count of the numbers this node used
    (restored, or (re-)joined, since it last did); asked only then, not on every sync."""
    with db.session() as session:
        return session.scalar(select(AppMeta.value).where(AppMeta.key == NUMBERS_VERIFIED_KEY)) == "0"


def mark_unverified(target: Session | Connection) -> None:
    """This database turned out to be a restored copy: no new number before the centre's count."""
    stmt = sqlite_insert(AppMeta).values(key=NUMBERS_VERIFIED_KEY, value="0")
    target.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": "0"}))


def _refuse_if_unverified(session: Session) -> None:
    """Restored from a backup and joined to a centre: wait for the centre's word on used numbers.

    A workstation that never joined a centre has only the floor carried in its backup to go by.
    """
    verified = session.scalar(select(AppMeta.value).where(AppMeta.key == NUMBERS_VERIFIED_KEY))
    if verified == "0" and session.scalar(select(SyncState.id)) is not None:
        raise NumbersNotVerified(NOT_VERIFIED_MESSAGE)


def raise_floors(target: Session | Database, held: dict[str, int]) -> None:
    """Raise the sequences to what the centre holds for this node, and clear the restored mark.

    Called from the sync handshake with keys like the floor's ("case:2026-11-29") and the highest
    sequence the centre has for this node on that day. Never lowers anything; unknown keys are ignored.
    """
    if isinstance(target, Session):
        _raise_floors(target, held)
        return
    with target.session() as session:
        _raise_floors(session, held)


def _raise_floors(session: Session, held: dict[str, int]) -> None:
    # first statement is a write: the rest happens under the database's write lock
    session.execute(
        update(AppMeta).where(AppMeta.key == NUMBERS_VERIFIED_KEY).values(value="1"),
        execution_options={"synchronize_session": False},
    )
    wanted: dict[str, int] = {}
    for key, value in held.items():
        parsed = parse_key(key)
        if (parsed is None or parsed[0] not in SEQUENCE_LIMITS or isinstance(value, bool)
                or not isinstance(value, int) or not 0 < value <= SEQUENCE_LIMITS[parsed[0]]):
            continue  # not a sequence this node could have printed
        wanted[floor_key(*parsed)] = max(value, wanted.get(floor_key(*parsed), 0))
        stmt = sqlite_insert(DocSequence).values(kind=parsed[0], day=parsed[1], last=value)
        session.execute(stmt.on_conflict_do_update(
            index_elements=["kind", "day"], set_={"last": func.max(DocSequence.last, stmt.excluded.last)}))
    bind = session.get_bind()
    database = bind.url.database if isinstance(bind, Engine) else bind.engine.url.database
    if wanted and database:
        floor_for(Path(database)).raise_many(wanted)


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

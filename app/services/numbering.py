"""Document numbers: kind prefix, centre division code, node code, date, per-day sequence.

Numbers carry the centre and node, so workstations that are offline for days never collide; the
sequence row is taken in the same transaction as the document, so a rolled-back document does not
leave a gap that another could fill. A number once handed out is never handed out again: the floor
file (app.number_floor) outlasts a restored database, every backup carries it, and a restored
workstation joined to a centre waits for the centre's count before issuing any (raise_floors).

The floor file is written (and synced, with its folder: 5-15 ms on a clerk's hard disk) only when a
day's sequence goes beyond what this database has reserved: it is then raised a block ahead (BLOCK
numbers) and the reservation is recorded in doc_sequence.reserved, in the document's transaction.
A file above that reservation knows numbers this copy of the database never reserved (an older copy
put back, or a reservation whose transaction never committed): the next number then goes above the
file, as it always did. So a crash or a rollback after the file was raised leaves at worst a gap of
up to a block, never a number twice; and the backup and restore commands carry the floor into the
copy, so a restored backup starts above every number reserved before it was made.
Within a block the floor cannot tell the live database from a copy of its file put back by hand (one
not made by `backup` or at start-up, which carry the floor inside): the last-numbers witness beside
it can (app.number_floor.LastNumbers: rewritten for every number, in place and unsynced, so it costs
microseconds). Only if that witness is lost too (a power cut or a crash just as it was written, and
then such a copy put back) may the copy reissue numbers of its block; a workstation joined to a
centre still recognises the copy at its next sync (app.sync.client) and waits for the centre's count.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, bindparam, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models import AppMeta, DocSequence, NodeInfo, SyncState
from app.models.base import table_of
from app.number_floor import NumberFloor, floor_for, floor_key, parse_key
from app.services.errors import UserError

if TYPE_CHECKING:
    from app.database import Database

PREFIXES = {"notice": "GZ", "inquiry": "SW", "complaint": "TS", "appointment": "YY", "supervision": "DB"}
NUMBER_PATTERN = re.compile(r"^(GZ|SW|TS|YY|DB)(\d{9})(\d{2})(\d{6})(\d{4})$")
# Every number names its township: the centre's division code follows the kind's prefix (a case number has
# none and begins with it). A county that holds several townships' records tells them apart by it alone.
DIVISION_CODE_DIGITS = 9


def division_code_offset(kind: str) -> int:
    """Where the division code begins (0-based) in a number of this kind ("case" or a PREFIXES key)."""
    return 0 if kind == "case" else len(PREFIXES[kind])


def division_code_of(number: str, kind: str) -> str:
    """The township's division code a number carries ('' when the number is too short to hold one)."""
    start = division_code_offset(kind)
    code = number[start:start + DIVISION_CODE_DIGITS]
    return code if len(code) == DIVISION_CODE_DIGITS and code.isdigit() else ""


def next_number(session: Session, kind: str, day: date, floor: NumberFloor) -> str:
    """The next number of this kind for the day, e.g. GZ22082110001261122 0007 (without the space)."""
    taken = _take(session, kind, day, floor)
    return f"{PREFIXES[kind]}{taken.center_code}{taken.node_code}{day:%y%m%d}{taken.seq:04d}"


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
SEQUENCE_LIMITS = {"case": 99999, "notice": 9999, "inquiry": 9999, "complaint": 9999, "appointment": 9999,
                   "supervision": 9999}
BLOCK = 20  # numbers reserved in the floor file per write: one synced write per 20 documents of a kind
NOT_VERIFIED_MESSAGE = ("本机由备份恢复，须先与中心同步一次、核对已用编号后才能出具新编号"
                        "（以免重复出具恢复前已打印过的编号）。请接通网络后点“立即同步”或运行 main.py sync。")


class NumbersNotVerified(UserError):
    """A restored, joined workstation has not yet heard from its centre which numbers it used."""


@dataclass(frozen=True)
class _Taken:
    seq: int
    center_code: str
    node_code: str


_SEQUENCES = table_of(DocSequence)
# One statement per number in the usual case: it takes the write lock (an upsert, so before anything
# is read another process waits for it through busy_timeout), counts the day on, and brings back with
# the count what the number needs to be checked and spelt: this database's reservation, whether it
# waits for the centre's count (restored or joined, not yet verified) and the centre and node codes.
# Read here rather than from a cache: the same transaction, so never older than the data it numbers,
# whoever wrote it (a `join` or `sync` in another process, a restore through plain sqlite3).
_TAKE = (
    sqlite_insert(_SEQUENCES)
    .values(kind=bindparam("kind"), day=bindparam("day"), last=1, reserved=0)
    .on_conflict_do_update(index_elements=["kind", "day"], set_={"last": _SEQUENCES.c.last + 1})
    .returning(
        _SEQUENCES.c.last,
        _SEQUENCES.c.reserved,
        select(AppMeta.value).where(AppMeta.key == NUMBERS_VERIFIED_KEY).scalar_subquery().label("verified"),
        select(SyncState.id).exists().label("joined"),
        select(NodeInfo.center_code).limit(1).scalar_subquery().label("center_code"),
        select(NodeInfo.node_code).limit(1).scalar_subquery().label("node_code"),
    )
)


def _take(session: Session, kind: str, day: date, floor: NumberFloor) -> _Taken:
    """The day's next sequence: above both the database and the floor file, and within a block the
    file has reserved (synced) before this transaction commits; see the module docstring.

    Everything after the first statement happens under SQLite's write lock, so processes on the same
    data folder never take the same sequence, and the floor file is read and raised only by the lock's
    holder. A refusal or an error rolls the count back with the document.
    """
    conn = session.connection()
    row = conn.execute(_TAKE, {"kind": kind, "day": day}).one()
    if row.verified == "0" and row.joined:  # a workstation never joined has only its floor to go by
        raise NumbersNotVerified(NOT_VERIFIED_MESSAGE)
    if row.center_code is None or row.node_code is None:
        raise UserError("本机尚未完成初始设置，不能出具编号")
    key = floor_key(kind, day)
    taken, reserved = int(row.last), int(row.reserved)
    in_file = floor.read().get(key, 0)
    handed_out = floor.last_numbers.read()
    last = max(taken, handed_out.get(key, 0) + 1)  # above a number printed since this copy was taken
    if in_file > reserved:  # the file knows numbers this copy never reserved: an older copy, or a rollback
        last = max(last, in_file + 1)
    limit = SEQUENCE_LIMITS[kind]
    if last > limit:
        raise UserError("本机当日编号已用完")
    changed: dict[str, int] = {} if last == taken else {"last": last}
    if last > min(reserved, in_file):  # beyond the block, or the file lost it (a restore on a new PC)
        reserved = max(reserved, min(last + BLOCK - 1, limit))
        floor.raise_to(kind, day, reserved)  # synced before the document can commit
        changed["reserved"] = reserved
    if changed:
        conn.execute(update(_SEQUENCES).where(_SEQUENCES.c.kind == kind, _SEQUENCES.c.day == day).values(**changed))
    handed_out[key] = last
    floor.last_numbers.write(handed_out)
    return _Taken(last, str(row.center_code), str(row.node_code))


def numbers_unverified(db: Database) -> bool:
    """Whether the next handshake must bring the centre's count of the numbers this node used
    (restored, or (re-)joined, since it last did); asked only then, not on every sync."""
    with db.session() as session:
        return session.scalar(select(AppMeta.value).where(AppMeta.key == NUMBERS_VERIFIED_KEY)) == "0"


def mark_unverified(target: Session | Connection) -> None:
    """This database turned out to be a restored copy: no new number before the centre's count."""
    stmt = sqlite_insert(AppMeta).values(key=NUMBERS_VERIFIED_KEY, value="0")
    target.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": "0"}))


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
    taken = _take(session, "case", day, floor)
    return f"{taken.center_code}{taken.node_code}{day:%y%m%d}{taken.seq:05d}"


def new_query_code(node_code: str) -> str:
    """Node code and six random characters, e.g. 01K7M3QP; the caller checks uniqueness."""
    return node_code + "".join(secrets.choice(_QUERY_ALPHABET) for _ in range(6))


def spaced_case_number(number: str) -> str:
    match = CASE_NUMBER.match(number)
    return " ".join(match.groups()) if match else number

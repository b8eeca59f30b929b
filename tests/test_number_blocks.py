"""Numbers reserved in blocks: one synced floor write per BLOCK numbers, never a number twice.

Also what else a number no longer costs: its checks and codes come back with the count (one statement,
read fresh, so a restored or joined workstation is refused at once however many numbers it issued
before), and a case with its first event share one audit and one outbox insert.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from app.clock import utc_now
from app.database import Database
from app.models import AuditEntry, CenterSetting, Department, DocSequence, OutboxEntry, SyncState
from app.models.tracking import insert_tracked, row_id
from app.number_floor import NumberFloor
from app.services.errors import UserError
from app.services.numbering import (
    BLOCK,
    NOT_VERIFIED_MESSAGE,
    NumbersNotVerified,
    floor_for,
    next_case_number,
    next_number,
    raise_floors,
)

DAY = date(2026, 11, 20)
KEY = "notice:2026-11-20"


def take(db: Database, kind: str = "notice") -> int:
    """The next sequence of `kind`, taken and committed as a document's transaction takes it."""
    with db.session() as s:
        number = next_case_number(s, DAY, floor_for(db.path)) if kind == "case" \
            else next_number(s, kind, DAY, floor_for(db.path))
    return int(number[-5:] if kind == "case" else number[-4:])


def stored(db: Database, kind: str = "notice") -> tuple[int, int]:
    """(last, reserved) of the day's row, as committed."""
    with closing(sqlite3.connect(db.path)) as conn, conn:
        row = conn.execute("SELECT last, reserved FROM doc_sequence WHERE kind = ? AND day = ?",
                           (kind, DAY.isoformat())).fetchone()
    return (row[0], row[1]) if row else (0, 0)


@pytest.fixture
def synced_writes(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, int]]:
    """Every synced write of the floor file, with what it wrote."""
    writes: list[dict[str, int]] = []
    original = NumberFloor._write

    def counting(self: NumberFloor, floors: dict[str, int]) -> None:
        writes.append(dict(floors))
        original(self, floors)

    monkeypatch.setattr(NumberFloor, "_write", counting)
    return writes


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def put_back(db: Database, copy: Path) -> None:
    """A copy of the database file put back by hand over the live one (not through `restore`)."""
    db.dispose()
    shutil.copy(copy, db.path)
    for suffix in ("-wal", "-shm"):
        Path(f"{db.path}{suffix}").unlink(missing_ok=True)


def copy_of(db: Database, target: Path) -> Path:
    db.dispose()
    shutil.copy(db.path, target)
    return target


# ---------------------------------------------------------------- blocks

def test_the_floor_is_synced_once_per_block(db: Database, synced_writes: list[dict[str, int]]) -> None:
    numbers = [take(db) for _ in range(BLOCK + 5)]
    assert numbers == list(range(1, BLOCK + 6))  # no gap, none twice
    assert [w[KEY] for w in synced_writes] == [BLOCK, 2 * BLOCK]
    assert floor_for(db.path).read()[KEY] == 2 * BLOCK
    assert stored(db) == (BLOCK + 5, 2 * BLOCK)  # the reservation is committed with the number
    assert floor_for(db.path).last_numbers.read()[KEY] == BLOCK + 5


def test_kinds_and_days_have_blocks_of_their_own(db: Database, synced_writes: list[dict[str, int]]) -> None:
    assert [take(db, "notice"), take(db, "inquiry"), take(db, "case"), take(db, "notice")] == [1, 1, 1, 2]
    assert floor_for(db.path).read() == {KEY: BLOCK, "inquiry:2026-11-20": BLOCK, "case:2026-11-20": BLOCK}
    assert len(synced_writes) == 3


def test_a_number_within_a_block_is_one_statement_and_no_synced_write(
        db: Database, synced_writes: list[dict[str, int]]) -> None:
    take(db)
    before = len(synced_writes)
    with db.session() as s, statements(db) as seen:
        next_number(s, "notice", DAY, floor_for(db.path))
    assert len(seen) == 1 and seen[0].lstrip().upper().startswith("INSERT INTO DOC_SEQUENCE"), seen
    assert len(synced_writes) == before


def test_the_block_stops_at_the_kinds_limit(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO doc_sequence (kind, day, last, reserved) VALUES ('notice', ?, 9990, 9990)",
                             (DAY.isoformat(),))
    floor_for(db.path).raise_to("notice", DAY, 9990)
    assert [take(db) for _ in range(9)] == list(range(9991, 10000))
    assert floor_for(db.path).read()[KEY] == 9999 and stored(db) == (9999, 9999)
    with pytest.raises(UserError, match="已用完"):
        take(db)
    assert stored(db) == (9999, 9999)


def test_a_day_begun_before_the_upgrade_goes_on_without_a_gap(db: Database) -> None:
    """Migration 0009 leaves reserved at 0 and the floor holding the last number used, as it was kept."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO doc_sequence (kind, day, last) VALUES ('notice', ?, 7)", (DAY.isoformat(),))
    floor_for(db.path).raise_to("notice", DAY, 7)
    assert take(db) == 8
    assert stored(db) == (8, 8 + BLOCK - 1) and floor_for(db.path).read()[KEY] == 8 + BLOCK - 1


# ---------------------------------------------------------------- never twice

def test_an_older_copy_goes_on_above_the_floor(db: Database, tmp_path: Path) -> None:
    """The file above this database's reservation: numbers reserved by a copy this one never saw."""
    assert take(db) == 1
    copy = copy_of(db, tmp_path / "copy.sqlite3")
    assert [take(db) for _ in range(BLOCK + 2)][-1] == BLOCK + 3  # into the next block: the floor says 2 × BLOCK
    put_back(db, copy)
    floor_for(db.path).last_numbers.path.unlink()  # even without the witness of the last number
    assert take(db) == 2 * BLOCK + 1
    assert stored(db) == (2 * BLOCK + 1, 3 * BLOCK)


def test_a_copy_put_back_within_its_block_goes_on_above_what_was_printed(db: Database, tmp_path: Path) -> None:
    assert take(db) == 1
    copy = copy_of(db, tmp_path / "copy.sqlite3")
    assert [take(db) for _ in range(3)] == [2, 3, 4]  # printed within the block: the floor is not written
    put_back(db, copy)
    assert stored(db) == (1, BLOCK) and floor_for(db.path).read()[KEY] == BLOCK
    assert take(db) == 5  # the last-numbers witness knows 4
    assert stored(db) == (5, BLOCK)


def test_a_rollback_after_the_floor_was_raised_leaves_a_gap_never_a_repeat(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as s:
        assert next_number(s, "notice", DAY, floor_for(db.path)).endswith("0001")
        raise RuntimeError("the document failed after its number")
    assert stored(db) == (0, 0) and floor_for(db.path).read()[KEY] == BLOCK
    assert take(db) == BLOCK + 1  # the reservation may have been printed under: skipped
    with pytest.raises(RuntimeError), db.session() as s:
        next_number(s, "notice", DAY, floor_for(db.path))  # within the block: the floor is not written
        raise RuntimeError("failed again")
    assert take(db) == BLOCK + 3  # the witness of the last number handed out: a gap of one, as ever


def test_a_lost_floor_file_is_written_again_at_the_next_number(db: Database) -> None:
    assert take(db) == 1
    floor = floor_for(db.path)
    floor.path.unlink()
    floor.last_numbers.path.unlink()
    assert take(db) == 2  # the database's own count: no gap
    assert floor.read()[KEY] >= 2 and stored(db)[1] == floor.read()[KEY]


def test_an_unreadable_witness_counts_for_nothing(db: Database) -> None:
    assert [take(db) for _ in range(3)] == [1, 2, 3]
    witness = floor_for(db.path).last_numbers.path
    witness.write_bytes(b'{"notice:2026-11-20": 3')  # torn by a power cut
    assert take(db) == 4
    assert floor_for(db.path).last_numbers.read() == {KEY: 4}


# ---------------------------------------------------------------- read fresh, not cached

def join(db: Database) -> None:
    with db.session() as s:
        s.add(SyncState(id=1, center_url="http://centre.test", center_code="220821100", ca_cert="",
                        device_token="token", generation="g1", joined_at=utc_now(), last_error=""))


def mark_restored_elsewhere(db: Database) -> None:
    """What `restore` (plain sqlite3) or a `sync` in another process writes: unseen by this process's bus."""
    with closing(sqlite3.connect(db.path)) as conn, conn:
        conn.execute("INSERT OR REPLACE INTO app_meta (key, value) VALUES ('numbers_verified', '0')")


def test_restored_joined_workstation_refuses_until_verified_then_issues_at_once(db: Database) -> None:
    join(db)
    assert [take(db) for _ in range(3)] == [1, 2, 3]  # numbers issued: anything cached would be warm
    mark_restored_elsewhere(db)
    for _ in range(2):
        with pytest.raises(NumbersNotVerified) as refused:
            take(db)
        assert refused.value.message == NOT_VERIFIED_MESSAGE
    assert stored(db) == (3, BLOCK)  # the refusals wrote nothing
    raise_floors(db, {KEY: 5})  # the centre's count, at the next handshake
    assert take(db) == 6


def test_a_restored_workstation_that_never_joined_goes_on_by_its_floor(db: Database) -> None:
    assert take(db) == 1
    mark_restored_elsewhere(db)
    assert take(db) == 2


def test_node_and_centre_codes_are_read_with_the_count(db: Database) -> None:
    with db.session() as s:
        assert next_number(s, "notice", DAY, floor_for(db.path)).startswith("GZ22082110001")
    with closing(sqlite3.connect(db.path)) as conn, conn:  # e.g. a `join` in another process took a new node code
        conn.execute("UPDATE node_info SET center_code = '220821200', node_code = '07'")
    with db.session() as s:
        assert next_number(s, "notice", DAY, floor_for(db.path)) == "GZ22082120007261120" + "0002"
        assert next_case_number(s, DAY, floor_for(db.path)) == "22082120007261120" + "00001"


def test_no_number_before_set_up(blank_db: Database) -> None:
    with pytest.raises(UserError, match="尚未完成初始设置"), blank_db.session() as s:
        next_number(s, "notice", DAY, floor_for(blank_db.path))
    with blank_db.session() as s:
        assert s.scalars(select(DocSequence)).all() == []


# ---------------------------------------------------------------- one audit and one outbox insert

def _department(name: str) -> dict[str, Any]:
    return {"name": name, "duties": "", "address": "一楼", "phone": "0436-1", "office_hours": "8:30", "active": True}


def _tracked_rows(db: Database, together: bool) -> tuple[list[tuple[str, str, str, str]], int]:
    """(table, row, op, audit action and details) of every outbox pointer written, and the statements."""
    with db.session() as s:
        since = s.scalar(select(func.max(OutboxEntry.seq))) or 0
    with db.session() as s, statements(db) as seen:
        parent = {"id": row_id(s), **_department("县民政局")}
        setting = {"key": "parent_department", "value": parent["id"]}
        if together:
            insert_tracked(s, Department, [parent], then=[(CenterSetting, [setting])])
        else:
            insert_tracked(s, Department, [parent])
            insert_tracked(s, CenterSetting, [setting])
    with db.session() as s:
        audits = {a.id: a for a in s.scalars(select(AuditEntry))}
        ids = {parent["id"]: "PARENT", setting["id"]: "SETTING"}
        written = []
        for pointer in s.scalars(select(OutboxEntry).where(OutboxEntry.seq > since).order_by(OutboxEntry.seq)):
            entry = audits.get(pointer.row_id)
            what = f"{entry.table_name} {ids[entry.row_id]} {entry.action} {entry.details}" if entry else ""
            written.append((pointer.table_name, ids.get(pointer.row_id, "audit"), pointer.op,
                            what.replace(parent["id"], "PARENT").replace(setting["id"], "SETTING")))
    with db.engine.begin() as conn:  # room for the other way
        conn.exec_driver_sql("DELETE FROM center_setting WHERE key = 'parent_department'")
        conn.exec_driver_sql("DELETE FROM department WHERE name = '县民政局'")
    return written, len(seen)


def test_rows_of_several_tables_share_one_audit_and_one_outbox_insert(db: Database) -> None:
    apart, apart_statements = _tracked_rows(db, together=False)
    together, together_statements = _tracked_rows(db, together=True)
    assert together == apart  # the same audit entries and outbox pointers, in the same order
    assert [(table, row, op) for table, row, op, _ in together] == [
        ("department", "PARENT", "insert"), ("audit_log", "audit", "insert"),
        ("center_setting", "SETTING", "insert"), ("audit_log", "audit", "insert")]
    assert '"value": "PARENT"' in together[3][3] and '"name": "县民政局"' in together[1][3]
    assert (apart_statements, together_statements) == (6, 4)

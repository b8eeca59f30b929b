"""Backups and restores: the numbers floor travels, secrets stay home, a restore never reissues a number.

The floor is raised a block (BLOCK numbers) ahead of the last number used, so a restored copy goes on
above the block that was current when its backup was made.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.actor import Actor
from app.backup import BackupError, read_backup, restore, write_backup
from app.cli import main
from app.clock import local_now, utc_now
from app.database import Database
from app.migrations import _backed_up_today, backup_database, prepare
from app.models import Case, DocSequence, SyncState
from app.paths import DataLayout
from app.services.cases.form import CaseForm, as_catalogued
from app.services.cases.records import accept_case
from app.services.catalog import items as catalog
from app.services.id_numbers import id_check_digit
from app.services.numbering import BLOCK, NOT_VERIFIED_MESSAGE, NumbersNotVerified, floor_for, raise_floors
from app.services.people.auth import login
from app.services.setup import perform_setup
from app.startup import open_workstation
from tests.conftest import ADMIN_PASSWORD, setup_request

pytestmark = pytest.mark.usefixtures("china_time")
MOMENT = datetime(2026, 11, 20, 9, 0, tzinfo=timezone(timedelta(hours=8)))
DAY_KEY = "case:2026-11-20"
TOKEN = "device-secret-token-0123456789"
ID = "22082119850312123" + id_check_digit("22082119850312123")


def accept(db: Database, actor: Actor) -> str:
    item = catalog.load_item(db, "SB-003")
    assert item is not None
    form = CaseForm(item_code="SB-003", case_class=item.default_case_class, applicant_name="张桂芳",
                    applicant_id_number=ID, applicant_phone="13904367788",
                    applicant_address="镇赉镇红旗村三组",
                    received=as_catalogued(item, list(range(1, len(item.materials) + 1))))
    return accept_case(db, actor, form, MOMENT)


def mark_joined(db: Database) -> None:
    """What join() leaves behind, without a centre: the state row with this device's token."""
    with db.session() as s:
        s.add(SyncState(id=1, center_url="http://centre.test", center_code="220821100", ca_cert="",
                        device_token=TOKEN, generation="g1", joined_at=utc_now(), last_error=""))


def cli(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def token_in(path: Path) -> str | None:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT device_token FROM sync_state").fetchone()
    return row[0] if row else None


def sequence_in(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT last FROM doc_sequence WHERE kind='case' AND day='2026-11-20'").fetchone()
    return row[0] if row else 0


def case_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Case)) or 0


def seq(number: str) -> int:
    return int(number[-5:])


def test_floor_travels_in_the_backup_to_a_replacement_pc(db: Database, admin: Actor, tmp_path: Path) -> None:
    first = accept(db, admin)
    db.dispose()
    shutil.copy(db.path, tmp_path / "yesterday.sqlite3")
    second = accept(db, admin)  # printed; then the database is put back to yesterday's copy in place
    db.dispose()
    shutil.copy(tmp_path / "yesterday.sqlite3", db.path)
    for suffix in ("-wal", "-shm"):
        Path(f"{db.path}{suffix}").unlink(missing_ok=True)
    assert sequence_in(db.path) == 1 and floor_for(db.path).read()[DAY_KEY] == BLOCK  # only the floor knows
    backup = tmp_path / "usb" / "备份.sqlite3"
    assert cli(db.path.parent, "backup", "-o", str(backup)) == 0
    assert sequence_in(backup) == BLOCK  # the floor is inside the file
    fresh = tmp_path / "new-pc"
    assert cli(fresh, "restore", str(backup)) == 0
    new_db, _ = open_workstation(fresh)
    try:
        third = accept(new_db, login(new_db, "admin", ADMIN_PASSWORD))
    finally:
        new_db.dispose()
    assert seq(third) == BLOCK + 1 and third not in {first, second}


def test_start_up_backups_carry_the_floor_and_keep_the_token_at_home(db: Database, admin: Actor) -> None:
    accept(db, admin)
    floor_for(db.path).raise_to("case", MOMENT.date(), 40)  # numbers of a database restored earlier
    mark_joined(db)
    layout = DataLayout(db.path.parent)
    report = prepare(layout.database, layout.backups)
    assert report.backup is not None and sequence_in(report.backup) == 40
    assert token_in(report.backup) == TOKEN  # stays in this data folder, for a restore on this machine
    assert read_backup(report.backup).has_token


def test_backup_command_leaves_the_device_token_behind(db: Database, admin: Actor, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    mark_joined(db)
    accept(db, admin)
    proof = "centre-proof-of-the-director-0123456789"
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO authority_proof (staff_id, token, expires_at) VALUES (?, ?, ?)",
                             (admin.staff_id, proof, "2099-01-01 00:00:00"))
    target = tmp_path / "out.sqlite3"
    assert cli(db.path.parent, "backup", "-o", str(target)) == 0
    assert "已备份到" in capsys.readouterr().out
    assert token_in(target) == "" and token_in(db.path) == TOKEN
    raw = target.read_bytes()  # nowhere in the file, not even in a freed page
    assert TOKEN.encode() not in raw and proof.encode() not in raw
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
        assert conn.execute("SELECT count(*) FROM case_file").fetchone()[0] == 1
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    info = read_backup(target)
    assert (info.node_code, info.joined, info.has_token) == ("01", True, False)


def test_backup_never_overwrites_the_database_or_a_foreign_file(db: Database, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    before = db.path.read_bytes()
    assert cli(db.path.parent, "backup", "-o", str(db.path)) == 1
    assert db.path.read_bytes() == before
    other = tmp_path / "notes.txt"
    other.write_text("重要", encoding="utf-8")
    assert cli(db.path.parent, "backup", "-o", str(other)) == 1
    assert other.read_text(encoding="utf-8") == "重要"
    assert "已存在且不是工作站备份" in capsys.readouterr().err


def test_done_when_backup_cases_restore_cases_never_prints_a_number_twice(
        db: Database, admin: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A joined window: back up, keep working, lose the PC, restore on a new one, keep working."""
    mark_joined(db)
    printed = [accept(db, admin) for _ in range(3)]
    backup = tmp_path / "nightly.sqlite3"
    assert cli(db.path.parent, "backup", "-o", str(backup)) == 0
    printed += [accept(db, admin) for _ in range(2)]  # printed and pushed; then the PC dies
    held_at_centre = {DAY_KEY: max(seq(n) for n in printed)}

    fresh = tmp_path / "replacement"
    capsys.readouterr()
    assert cli(fresh, "restore", str(backup)) == 0
    out = capsys.readouterr().out
    assert "center revoke --node-code 01" in out and "enroll-code" in out and "不能出具新编号" in out
    new_db, _ = open_workstation(fresh)
    try:
        clerk = login(new_db, "admin", ADMIN_PASSWORD)
        with pytest.raises(NumbersNotVerified) as refused:
            accept(new_db, clerk)
        assert refused.value.message == NOT_VERIFIED_MESSAGE
        assert case_count(new_db) == 3 and sequence_in(new_db.path) == BLOCK  # the refusal wrote nothing
        raise_floors(new_db, held_at_centre)  # the sync handshake, after joining again
        later = [accept(new_db, clerk) for _ in range(2)]
    finally:
        new_db.dispose()
    assert [seq(n) for n in later] == [BLOCK + 1, BLOCK + 2]  # above the block the backup was made in
    assert len(set(printed + later)) == len(printed + later)


def test_restore_in_place_keeps_the_token_and_the_floor(db: Database, admin: Actor, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    mark_joined(db)
    accept(db, admin)
    backup = tmp_path / "b.sqlite3"
    write_backup(db.path, backup, keep_token=False)
    printed = [accept(db, admin) for _ in range(3)]
    assert cli(db.path.parent, "restore", str(backup)) == 0
    out = capsys.readouterr().out
    assert "恢复前的数据库已另存为" in out and "main.py sync" in out
    assert token_in(db.path) == TOKEN  # this machine's credential, not the blank one in the file
    assert case_count(db) == 1
    with pytest.raises(NumbersNotVerified):
        accept(db, admin)
    raise_floors(db, {})  # the centre holds nothing newer: the folder's own floor still counts
    assert seq(accept(db, admin)) == BLOCK + 1 > seq(printed[-1])
    safety = sorted(DataLayout(db.path.parent).backups.glob("*before-restore*"))
    assert len(safety) == 1 and read_backup(safety[0]).has_token


def test_unjoined_workstation_restores_and_goes_on_numbering(db: Database, admin: Actor, tmp_path: Path) -> None:
    first = accept(db, admin)
    backup = write_backup(db.path, tmp_path / "b.sqlite3", keep_token=False)
    report = restore(backup, tmp_path / "other" / "workstation.sqlite3", tmp_path / "other" / "backups")
    assert not report.must_rejoin and not report.replaced
    new_db = Database(tmp_path / "other" / "workstation.sqlite3")
    try:
        assert seq(accept(new_db, login(new_db, "admin", ADMIN_PASSWORD))) == BLOCK + 1 > seq(first)
    finally:
        new_db.dispose()


def test_raise_floors_never_lowers_and_clears_the_mark(db: Database, admin: Actor, tmp_path: Path) -> None:
    mark_joined(db)
    accept(db, admin)
    restore(write_backup(db.path, tmp_path / "b.sqlite3", keep_token=False), db.path, tmp_path / "bk")
    held = BLOCK + 9  # above the block the backup was made in
    raise_floors(db, {DAY_KEY: held, "notice:2026-11-20": 4, "case:2026-11-19": 0, "junk": 5, "case:not-a-day": 3,
                     "inquiry:2026-11-20": True, "case:2026-11-21": 100000})
    with db.session() as s:
        rows = {(r.kind, r.day.isoformat()): r.last for r in s.scalars(select(DocSequence))}
    assert rows == {("case", "2026-11-20"): held, ("notice", "2026-11-20"): 4}
    assert floor_for(db.path).read() == {DAY_KEY: held, "notice:2026-11-20": 4}
    raise_floors(db, {DAY_KEY: 2})
    assert seq(accept(db, admin)) == held + 1


@pytest.mark.parametrize("damage", ["text", "plain_database", "corrupt"])
def test_restore_refuses_what_is_not_an_intact_backup(db: Database, admin: Actor, tmp_path: Path, damage: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    accept(db, admin)
    bad = tmp_path / "bad.sqlite3"
    if damage == "text":
        bad.write_text("不是数据库", encoding="utf-8")
    elif damage == "plain_database":
        db.dispose()
        shutil.copy(db.path, bad)  # a raw file copy: no floor in it, not a backup
    else:
        write_backup(db.path, bad, keep_token=False)
        data = bytearray(bad.read_bytes())
        data[4096 * 3: 4096 * 3 + 2000] = b"\xff" * 2000  # a page in the middle overwritten
        bad.write_bytes(bytes(data))
    accept(db, admin)
    before = case_count(db)
    capsys.readouterr()
    assert cli(db.path.parent, "restore", str(bad)) == 1
    err = capsys.readouterr().err
    assert err.startswith("失败：") and ("不是工作站备份" in err or "已损坏" in err) and "Traceback" not in err
    assert case_count(db) == before
    assert not list(DataLayout(db.path.parent).backups.glob("*before-restore*"))


def test_restore_refuses_another_node_or_training_data(db: Database, tmp_path: Path) -> None:
    other, _ = open_workstation(tmp_path / "node02")
    perform_setup(other, setup_request(node_code="02", node_name="2号窗口"))
    other_backup = write_backup(other.path, tmp_path / "node02.sqlite3", keep_token=False)
    other.dispose()
    with pytest.raises(BackupError, match="02 号节点.*01 号节点"):
        restore(other_backup, db.path, tmp_path / "bk")
    with pytest.raises(BackupError, match="培训模式"):
        restore(other_backup, db.path, tmp_path / "bk", training=True)
    assert read_backup(write_backup(db.path, tmp_path / "mine.sqlite3", keep_token=False)).node_code == "01"


def test_restore_waits_for_the_desktop_to_close(db: Database, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from app.instance_lock import InstanceLock

    backup = write_backup(db.path, tmp_path / "b.sqlite3", keep_token=False)
    with InstanceLock(DataLayout(db.path.parent)):
        assert cli(db.path.parent, "restore", str(backup)) == 1
    assert "退出工作站程序" in capsys.readouterr().err


def test_failed_start_up_backup_leaves_nothing_that_counts(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    layout = DataLayout(db.path.parent)
    today = local_now().strftime("%Y%m%d")
    (layout.backups / f"{db.path.stem}-{today}-080000-daily.sqlite3").write_bytes(b"")  # left by an older version
    assert not _backed_up_today(db.path, layout.backups)

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr("app.backup._seal", disk_full)
        with pytest.raises(OSError):
            backup_database(db.path, layout.backups, "daily")
    assert not _backed_up_today(db.path, layout.backups)
    assert not [p for p in layout.backups.iterdir() if p.name.startswith(".")]
    report = prepare(layout.database, layout.backups)
    assert report.backup is not None and report.backup.stat().st_size > 0
    assert _backed_up_today(db.path, layout.backups)

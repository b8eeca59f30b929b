"""A restored workstation: every case reaches the centre exactly once and no number is printed twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.backup import restore, write_backup
from app.center.nodes import make_enroll_code, revoke
from app.center.runtime import Center
from app.models import Case
from app.services.numbering import NumbersNotVerified
from app.startup import open_workstation
from app.sync.join import join
from app.sync.transport import LocalTransport
from tests.sync_helpers import Station, accept, enrol

pytestmark = pytest.mark.usefixtures("china_time")


def _accept_five(station: Station, start: int) -> list[str]:
    actor = station.actor()
    return [accept(station, actor, n) for n in range(start, start + 5)]


def _centre_numbers(center: Center) -> list[str]:
    with center.engine.connect() as conn:
        return list(conn.execute(text("SELECT number FROM case_file WHERE _owner = '01'")).scalars())


def _quarantined(center: Center) -> list[str]:
    with center.engine.connect() as conn:
        return list(conn.execute(text("SELECT reason FROM quarantine")).scalars())


def test_backup_more_cases_restore_in_place_more_cases(center: Center, tmp_path: Path) -> None:
    station = enrol(center, tmp_path / "w1", "01")
    assert station.sync().ok
    actor = station.actor()  # logged in once, as a clerk stays logged in: nothing is written after the restore
    printed = [accept(station, actor, n) for n in range(0, 5)]
    assert station.sync().ok
    backup = write_backup(station.db.path, tmp_path / "w1.backup", keep_token=False)
    printed += [accept(station, actor, n) for n in range(5, 10)]
    assert station.sync().ok
    station.db.dispose()

    restore(backup, station.db.path, tmp_path / "w1" / "backups")
    db, _ = open_workstation(tmp_path / "w1")
    station = Station(db, station.transport, "01")
    with pytest.raises(NumbersNotVerified):  # restored and joined: the centre speaks first
        accept(station, actor, 10)
    report = station.sync()
    assert report.ok, report.message
    printed += [accept(station, actor, n) for n in range(10, 15)]
    report = station.sync()
    assert report.ok and report.pushed > 0, report

    centre = _centre_numbers(center)
    assert sorted(centre) == sorted(printed) and len(set(printed)) == 15
    assert _quarantined(center) == []
    with db.session() as s:  # the cases made after the backup came back from the centre
        assert set(s.scalars(select(Case.number))) == set(printed)


def test_replacement_pc_restores_the_backup_rejoins_and_never_reuses_a_number(
        center: Center, tmp_path: Path) -> None:
    station = enrol(center, tmp_path / "old-pc", "01")
    assert station.sync().ok
    printed = _accept_five(station, 0)
    assert station.sync().ok
    backup = write_backup(station.db.path, tmp_path / "usb.backup", keep_token=False)
    printed += _accept_five(station, 5)  # printed on the old PC after the backup, then it died
    assert station.sync().ok
    station.db.dispose()

    new_pc = tmp_path / "new-pc"
    report = restore(backup, new_pc / "workstation.sqlite3", new_pc / "backups")
    assert report.must_rejoin
    assert revoke(center.engine, "01")
    code = make_enroll_code(center.engine, "01", "1号窗口", "window")
    db, _ = open_workstation(new_pc)
    transport = LocalTransport(center.api.handle)
    join(db, "http://centre.test", code, transport)
    station = Station(db, transport, "01")
    assert station.sync().ok
    printed += _accept_five(station, 10)
    assert station.sync().ok
    assert sorted(_centre_numbers(center)) == sorted(printed) and len(set(printed)) == 15
    assert _quarantined(center) == []


def test_a_copy_put_back_by_hand_is_recognised_and_its_numbers_raised(center: Center, tmp_path: Path) -> None:
    """Without the restore command (a file copied back over the database): the handshake still sees it."""
    import shutil

    station = enrol(center, tmp_path / "w1", "01")
    assert station.sync().ok
    actor = station.actor()
    printed = [accept(station, actor, n) for n in range(0, 5)]
    assert station.sync().ok
    copy = write_backup(station.db.path, tmp_path / "copy.sqlite3", keep_token=True)
    printed += [accept(station, actor, n) for n in range(5, 10)]
    assert station.sync().ok
    station.db.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{station.db.path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(copy, station.db.path)
    (tmp_path / "w1" / "workstation-numbers.json").unlink(missing_ok=True)  # the floor lost too

    db, _ = open_workstation(tmp_path / "w1")
    station = Station(db, station.transport, "01")
    assert station.sync().ok
    printed += [accept(station, actor, n) for n in range(10, 15)]
    assert station.sync().ok
    assert sorted(_centre_numbers(center)) == sorted(printed) and len(set(printed)) == 15
    assert _quarantined(center) == []

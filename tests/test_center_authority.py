"""Centre data changes only with a person the centre itself verified, never on a device's word."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.center.runtime import Center
from app.models import Staff
from app.services.errors import AuthError
from app.services.inquiries.departments import DepartmentForm, save_department
from app.services.people.auth import login
from app.services.people.passwords import hash_password
from app.services.people.staff import StaffForm, save_staff
from app.sync import authority
from app.sync.tables import columns, encode_row, table
from app.sync.transport import SyncError
from app.sync.wire import pack, unpack
from tests.sync_helpers import CENTER_ADMIN_PASSWORD, Cable, Station, enrol

pytestmark = pytest.mark.usefixtures("china_time")


def _admin_id(station: Station) -> str:
    with station.db.session() as s:
        return s.scalars(select(Staff.id).where(Staff.staff_no == "8000")).one()


def _forged_admin_row(station: Station) -> tuple[list[str], list[object]]:
    """A new administrator with a password the attacker knows, as a tampered window would send it."""
    cols = columns("staff")
    with station.db.engine.connect() as conn:
        template = conn.execute(select(table("staff")).where(table("staff").c.staff_no == "8000")).mappings().one()
    row = dict(template, id="01900000-0000-7000-8000-000000000666", staff_no="6666", name="冒充管理员",
               password_hash=hash_password("evil12345"), origin_node=station.code)
    return cols, encode_row("staff", row, cols)


def _centre_has_staff(center: Center, staff_no: str) -> bool:
    with center.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM staff WHERE staff_no = :n"), {"n": staff_no}).scalar_one() > 0


def test_a_window_naming_an_admin_as_actor_cannot_create_an_admin(center: Center, tmp_path: Path) -> None:
    w1 = enrol(center, tmp_path / "w1", "01")
    w2 = enrol(center, tmp_path / "w2", "02")
    for s in (w1, w2):
        assert s.sync().ok
    admin_id = _admin_id(w1)
    cols, values = _forged_admin_row(w1)
    forged_proofs: list[object] = [None, ["not-a-proof"]]
    w2.actor()  # a real proof, but for window 02's device
    with w2.db.engine.connect() as conn:
        forged_proofs.append(list(authority.valid_proofs(conn).values()))
    for n, proofs in enumerate(forged_proofs):
        body: dict[str, object] = {"from": 1000 + n, "to": 1000 + n,
                                   "groups": [{"t": "staff", "c": cols, "r": [values], "s": [1000 + n],
                                               "a": [admin_id]}]}
        if proofs is not None:
            body["proofs"] = proofs
        status, reply = center.api.handle("/v1/push", pack(body), w1.token)
        assert status == 200
        rejected = unpack(reply)["rejected"]
        assert len(rejected) == 1 and "核验" in rejected[0][2], rejected
    assert not _centre_has_staff(center, "6666")
    assert w2.sync().ok
    with pytest.raises(AuthError):
        login(w2.db, "6666", "evil12345")


def test_a_proven_admin_edit_is_accepted_and_stops_when_the_account_is_deactivated(
        center: Center, tmp_path: Path) -> None:
    from app.services.people.staff import list_staff

    ws = center.workspace()
    centre_admin = login(ws, "8000", CENTER_ADMIN_PASSWORD)
    save_staff(ws, centre_admin, StaffForm("8001", "赵主任", "admin", password="boss12345"))
    assert center.publish().ok
    w1 = enrol(center, tmp_path / "w1", "01")
    assert w1.sync().ok
    boss = w1.actor("8001", "boss12345")  # logs in and proves itself to the centre, as the desktop does
    save_department(w1.db, boss, DepartmentForm("镇林业站", "镇政府院内", "04366221234", "工作日"))
    assert w1.sync().ok
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM department WHERE name = '镇林业站'")).scalar_one() == 1

    # The centre deactivates the account; the proof the window still holds stops working at once.
    record = next(r for r in list_staff(ws) if r.staff_no == "8001")
    save_staff(ws, centre_admin, StaffForm("8001", "赵主任", "admin", active=False), record.id)
    assert center.publish().ok
    save_department(w1.db, boss, DepartmentForm("镇水利站", "镇政府院内", "04366221235", "工作日"))
    report = w1.sync()
    assert not report.ok and any("核验" in r[2] for r in report.rejected)
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM department WHERE name = '镇水利站'")).scalar_one() == 0


def test_an_offline_admin_edit_waits_for_the_proof_then_goes_up(center: Center, tmp_path: Path) -> None:
    cable = Cable(center)
    w1 = enrol(center, tmp_path / "w1", "01", transport=cable)
    assert w1.sync().ok
    cable.on = False
    admin = login(w1.db, "8000", CENTER_ADMIN_PASSWORD)
    note = authority.prove_after_login(w1.db, admin.role, "8000", CENTER_ADMIN_PASSWORD, cable)
    assert "暂存本机" in note
    save_department(w1.db, admin, DepartmentForm("镇农机站", "镇政府院内", "04366221236", "工作日"))
    cable.on = True
    report = w1.sync()  # the rest goes up; the admin's edit is held, not sent on the device's word
    assert report.ok and not report.rejected
    with w1.db.engine.connect() as conn:
        assert authority.held_count(conn) == 1
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM department WHERE name = '镇农机站'")).scalar_one() == 0

    note = authority.prove_after_login(w1.db, admin.role, "8000", CENTER_ADMIN_PASSWORD, cable)
    assert "1 条" in note
    assert w1.sync().ok
    with w1.db.engine.connect() as conn:
        assert authority.held_count(conn) == 0
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM department WHERE name = '镇农机站'")).scalar_one() == 1


def test_wrong_passwords_lock_the_staff_number_at_the_centre(center: Center, tmp_path: Path) -> None:
    w1 = enrol(center, tmp_path / "w1", "01")
    assert w1.sync().ok
    for _ in range(5):
        with pytest.raises(SyncError, match="不符"):
            authority.vouch(w1.db, "8000", "guess1234", w1.transport)
    with pytest.raises(SyncError, match="锁定"):
        authority.vouch(w1.db, "8000", CENTER_ADMIN_PASSWORD, w1.transport)
    with pytest.raises(SyncError, match="只有中心主任或系统管理员"):
        clerk_vouch(center, w1)


def clerk_vouch(center: Center, station: Station) -> None:
    ws = center.workspace()
    save_staff(ws, login(ws, "8000", CENTER_ADMIN_PASSWORD), StaffForm("1002", "钱前", "clerk", password="px123456"))
    assert center.publish().ok
    assert station.sync().ok
    authority.vouch(station.db, "1002", "px123456", station.transport)


def test_sync_prove_on_the_command_line_sends_held_edits(center: Center, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from app.cli import main
    from tests.sync_helpers import LiveServer

    cable = Cable(center)
    w1 = enrol(center, tmp_path / "w1", "01", transport=cable)
    assert w1.sync().ok
    admin = login(w1.db, "8000", CENTER_ADMIN_PASSWORD)  # offline log-in: no proof
    save_department(w1.db, admin, DepartmentForm("镇文化站", "镇政府院内", "04366221237", "工作日"))
    live = LiveServer(center)
    try:
        with w1.db.engine.begin() as conn:
            conn.execute(text("UPDATE sync_state SET center_url = :u"), {"u": live.url})
        assert main(["--data-dir", str(tmp_path / "w1"), "sync"]) == 1  # not everything is through
        assert "1 条中心数据修改待中心核验身份" in capsys.readouterr().err
        with w1.db.engine.connect() as conn:
            assert authority.held_count(conn) == 1
        monkeypatch.setattr("sys.stdin", io.StringIO("wrong-pass\n"))
        assert main(["--data-dir", str(tmp_path / "w1"), "sync", "--prove", "8000"]) == 1
        assert "不符" in capsys.readouterr().err
        monkeypatch.setattr("sys.stdin", io.StringIO(CENTER_ADMIN_PASSWORD + "\n"))
        assert main(["--data-dir", str(tmp_path / "w1"), "sync", "--prove", "8000"]) == 0
        assert "1 条暂存" in capsys.readouterr().out
    finally:
        live.stop()
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM department WHERE name = '镇文化站'")).scalar_one() == 1

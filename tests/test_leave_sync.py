"""Issue 13: leave requests, their history, the duty roster and inspections reach the centre (node-owned)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import text

from app.actor import Actor
from app.center.runtime import Center
from app.services.people import duty
from app.services.people import leave as lv
from tests.sync_helpers import enrol


def test_leave_and_duty_records_replicate_to_the_centre(center: Center, tmp_path: Path) -> None:
    station = enrol(center, tmp_path / "w1", "01")
    assert station.sync().ok
    admin = station.actor()
    record = lv.request_leave(station.db, admin, lv.LeaveForm(admin.staff_no, "病假", date(2026, 12, 1),
                                                              date(2026, 12, 1), from_half="上午"))
    cli = Actor(staff_id=None, staff_no="cli", name="命令行管理", role="system")
    lv.approve(station.db, cli, record.number, "同意")
    duty.set_roster(station.db, admin, date(2026, 11, 30), admin.staff_no)
    window = "01号窗口"  # the node's name: a window the centre knows
    assert window in duty.known_windows(station.db)
    duty.record_inspection(station.db, admin, duty.InspectionForm(date(2026, 11, 30), window, "桌面整洁", "pass"))
    assert station.sync().ok
    with center.engine.connect() as conn:
        leave = conn.execute(text("SELECT number, status, half_days, _owner FROM leave_request")).all()
        events = conn.execute(text("SELECT kind FROM leave_event ORDER BY at")).scalars().all()
        roster = conn.execute(text("SELECT staff_no, _owner FROM duty_roster")).all()
        found = conn.execute(text("SELECT window_name, result FROM duty_inspection")).all()
    assert [tuple(r) for r in leave] == [(record.number, "approved", 1, "01")]
    assert events == ["requested", "approved"]
    assert [tuple(r) for r in roster] == [(admin.staff_no, "01")]
    assert [tuple(r) for r in found] == [(window, "pass")]


def test_a_directors_decision_at_the_directors_workstation_reaches_the_window(center: Center, tmp_path: Path) -> None:
    """The request is kept by the window it was asked at; the director decides at the director's own
    workstation, and the centre passes that decision (a leave_event) back to the keeper, which folds it in."""
    window = enrol(center, tmp_path / "w1", "01")
    director_node = enrol(center, tmp_path / "d", "09", kind="director", name="主任办公室")
    assert window.sync().ok
    clerk = window.actor()
    record = lv.request_leave(window.db, clerk, lv.LeaveForm(clerk.staff_no, "事假", date(2026, 12, 2),
                                                             date(2026, 12, 2)))
    assert window.sync().ok and director_node.sync().ok
    director = Actor(staff_id=None, staff_no="8004", name="刘国庆", role="director", workplace="镇民生服务中心")
    lv.approve(director_node.db, director, record.number, "同意")
    assert director_node.sync().ok and window.sync().ok
    from app.services.people.leave_handover import run_leave_upkeep

    run_leave_upkeep(window.db)
    assert lv.get_leave(window.db, record.number).status == "approved"

"""Appointments and after-hours service replicate to the centre like the node's other records."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

import app.clock
from app.center.numbers import numbers_held
from app.center.runtime import Center
from app.services.appointments.after_hours import AfterHoursForm, record_after_hours
from app.services.appointments.booking import AppointmentForm, book
from app.services.appointments.checkin import check_in
from tests.sync_helpers import enrol

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))


def test_appointment_and_after_hours_reach_the_centre(center: Center, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 30, 8, 0, tzinfo=CN))
    station = enrol(center, tmp_path / "w1", "01")
    assert station.sync().ok
    actor = station.actor()
    record = book(station.db, actor, AppointmentForm("SHJZ-001", "张桂芳", "13904367788", date(2026, 11, 30),
                                                     "08:30-09:30", window="1号窗口"))
    record_after_hours(station.db, actor, AfterHoursForm(datetime(2026, 11, 29, 9, 0, tzinfo=CN),
                                                         datetime(2026, 11, 29, 10, 0, tzinfo=CN), "周日值班"))
    assert station.sync().ok
    check_in(station.db, actor, record.number)  # a change of status travels as an update
    assert station.sync().ok
    with center.engine.connect() as conn:
        rows = conn.execute(text("SELECT number, status, _owner, notice_number FROM appointment")).all()
        assert [tuple(r) for r in rows] == [(record.number, "arrived", "01", record.notice_number)]
        assert conn.execute(text("SELECT count(*) FROM notice WHERE number = :n"),
                            {"n": record.notice_number}).scalar() == 1
        assert conn.execute(text("SELECT purpose FROM after_hours_service")).scalar() == "周日值班"
        # A workstation restored from an old backup learns from the centre which 预约 numbers it used.
        assert numbers_held(conn, "01")["appointment:2026-11-30"] == int(record.number[-4:])

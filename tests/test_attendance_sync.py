"""考勤 replicates (issue 13): a sign-in travels from the window where it was made to the centre and down
to the director, whose sheet shows it; signed at two windows before they synced, the earliest counts."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

import app.clock
from app.center.runtime import Center
from app.services.people.attendance import sign
from app.services.people.attendance_sheet import attendance_sheet
from tests.sync_helpers import enrol

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
TUESDAY = date(2026, 10, 13)


def test_sign_ins_reach_the_director_and_the_earliest_counts(center: Center, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    w1 = enrol(center, tmp_path / "w1", "01")
    w2 = enrol(center, tmp_path / "w2", "02")
    director = enrol(center, tmp_path / "d", "09", kind="director", name="主任办公室")
    for station in (w1, w2, director):
        assert station.sync().ok
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 10, 13, 8, 50, tzinfo=CN))
    sign(w2.db, w2.actor(), "8000", "sign_in")  # 08:50 at window 02: late
    app.clock._fixed = datetime(2026, 10, 13, 8, 25, tzinfo=CN)
    sign(w1.db, w1.actor(), "8000", "sign_in")  # 08:25 at window 01, before either synced
    for station in (w1, w2, director):
        assert station.sync().ok
    with center.engine.connect() as conn:
        owners = sorted(r[0] for r in conn.execute(text("SELECT _owner FROM attendance WHERE staff_no = '8000'")))
    assert owners == ["01", "02"]
    app.clock._fixed = datetime(2026, 10, 14, 9, 0, tzinfo=CN)
    row = next(r for r in attendance_sheet(director.db, "2026-10").rows if r.staff_no == "8000")
    mark = row.marks[TUESDAY.day - 1]
    assert mark.status == "present" and mark.sign_in is not None and f"{mark.sign_in:%H:%M}" == "08:25" and not mark.late

"""`center report` (issue 13): two workstations work a few November days and sync; the centre counts
every figure from its PostgreSQL with the same queries, and its figures equal the workstations' own
added together (per node, per window and for the township), in the PDF and the workbook too."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.center.report import center_report, center_source
from app.center.runtime import Center
from app.services.cases.actions import Decision, Delivery, decide, deliver, notify
from app.services.cases.records import get_case
from app.services.ratings.ratings import add_rating
from app.services.stats.report import figures_for
from app.services.stats.series import monthly_trend, satisfaction_split
from tests.pdf_helpers import flat, pdf_text
from tests.sync_helpers import Station, accept, enrol, person_id
from tests.test_report import font_names
from tests.test_stats import COUNTED

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)
TODAY = date(2026, 11, 30)


def work(station: Station, cases: int, offset: int) -> None:
    """Cases accepted on early November days; most decided and delivered (one late), some rated."""
    actor = station.actor()
    for n in range(cases):
        moment = datetime(2026, 11, 2 + n, 9, 30, tzinfo=CN)
        number = accept(station, actor, offset + n, code="SB-002", now=moment)
        if n % 4 == 3:
            continue  # left open
        record = get_case(station.db, number)
        assert record is not None and record.due_date is not None
        decided = datetime.combine(record.due_date, datetime.min.time(), CN) + timedelta(hours=10)
        decided = min(decided, moment + timedelta(days=2 + n))
        decide(station.db, actor, number, Decision(True, result="准予领取养老金", late_reason="等待复核"), now=decided)
        notify(station.db, actor, number, "pickup", now=decided)
        delivered = decided + timedelta(hours=2)
        deliver(station.db, actor, number, Delivery("pickup", receiver=record.applicant_name, receiver_id=person_id(offset + n)), now=delivered)
        if n % 2 == 0:
            add_rating(station.db, actor, number, 5 if n % 3 else 2, [] if n % 3 else ["214"],
                       now=delivered + timedelta(hours=1))


def test_the_centre_counts_every_node_with_the_same_figures(center: Center, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    w1, w2 = enrol(center, tmp_path / "w1", "01"), enrol(center, tmp_path / "w2", "02")
    for station in (w1, w2):
        assert station.sync().ok  # the centre's staff and catalogue come down first
    work(w1, 7, 0)
    work(w2, 5, 100)
    for station in (w1, w2):
        assert station.sync().ok
    source = center_source(center)
    at_centre = figures_for(source, FIRST, LAST, "node", today=TODAY)
    here = {s.code: figures_for(s.db, FIRST, LAST, today=TODAY).total.values for s in (w1, w2)}
    assert {r.key for r in at_centre.rows} == {"01", "02"}
    assert {r.label for r in at_centre.rows} == {"01号窗口", "02号窗口"}  # names from the centre's node list
    for row in at_centre.rows:
        for name in (*COUNTED, "satisfaction", "on_time_rate", "avg_workdays", "trips_avg"):
            assert row.values[name] == here[row.key][name], (row.key, name)
    total = at_centre.total.values
    for name in COUNTED:
        assert total[name] == here["01"][name] + here["02"][name], name
    assert total["accepted"] == 12 and total["completed"] > 5 and total["ratings"] > 2 and total["bad_ratings"] > 0
    windows = figures_for(source, FIRST, LAST, "window", today=TODAY)
    assert sum(int(r.values["accepted"] or 0) for r in windows.rows) == 12
    split = satisfaction_split(source, FIRST, LAST)
    assert split.rated == total["ratings"] and split.satisfaction == total["satisfaction"]
    assert monthly_trend(source, LAST, 3, today=TODAY)[-1].values["accepted"] == 12

    pdf = tmp_path / "centre.pdf"
    data = center_report(center, "2026-11", pdf, today=TODAY)
    assert data.township.values == total
    text = flat(pdf_text(pdf.read_bytes()))
    assert "镇赉镇民生服务中心民生服务工作情况统计报表（2026年11月）" in text and "满意度构成" in text
    assert not any("Helvetica" in name for name in font_names(pdf.read_bytes()))
    assert len(PdfReader(io.BytesIO(pdf.read_bytes())).pages) >= 3
    from app.cli import main

    book = tmp_path / "cli" / "centre.xlsx"
    argv = ["--data-dir", str(tmp_path / "cli"), "center", "--db", str(center.db_url), "report"]
    assert main([*argv, "--period", "2026-11", "-o", str(book)]) == 0
    assert "统计报表" in capsys.readouterr().out
    from openpyxl import load_workbook

    township = {row[3].value: row[1].value for row in load_workbook(book)["全镇"].iter_rows(min_row=2)}
    assert township["accepted"] == 12
    assert main([*argv, "--period", "2026-11-31", "-o", str(tmp_path / "cli" / "bad.pdf")]) != 0
    assert "格式不对" in capsys.readouterr().err and not (tmp_path / "cli" / "bad.pdf").exists()
    # The centre fills the case facts of rows it already holds from their events, as c0014 does on upgrade.
    from importlib import import_module

    from sqlalchemy import text

    facts = "SELECT id, decided_at, ended_at, completed_at, supplemented FROM case_file ORDER BY id"
    with center.engine.begin() as conn:
        pushed = conn.execute(text(facts)).all()
        conn.execute(text("UPDATE case_file SET decided_at = NULL, ended_at = NULL, completed_at = NULL,"
                          " supplemented = false"))
        conn.execute(text(import_module("app.migrations.versions.0022_case_facts").fill_sql()))
        assert conn.execute(text(facts)).all() == pushed and any(row.completed_at for row in pushed)
    # Ratings arrive with their case's item and node, and c0016 fills those the centre held before the same way.
    targets = "SELECT r.id, r.item_code, r.target_node, c.item_code, c.origin_node FROM rating r" \
              " JOIN case_file c ON c.number = r.target_number ORDER BY r.id"
    with center.engine.begin() as conn:
        pushed = conn.execute(text(targets)).all()
        assert pushed and all(row[1:3] == row[3:5] == ("SB-002", row[4]) for row in pushed)
        conn.execute(text("UPDATE rating SET item_code = '', target_node = ''"))
        for statement in import_module("app.migrations.versions.0024_rating_target_facts").fill_sql():
            conn.execute(text(statement))
        assert conn.execute(text(targets)).all() == pushed

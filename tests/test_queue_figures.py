"""A ticket's times become 平均等候时长 and 平均办理时长, and what the clerk records while serving it is linked
to it: at the window, and at the centre once the window has synced."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

import app.clock
from app.center.report import center_source
from app.center.runtime import Center
from app.services.queue import client as queue
from app.services.queue import served
from app.services.stats.report import figures_for
from tests.sync_helpers import Station, accept, enrol

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MORNING = datetime(2026, 11, 30, 8, 30, tzinfo=CN)


def _at(monkeypatch: pytest.MonkeyPatch, minutes: float) -> None:
    monkeypatch.setattr(app.clock, "_fixed", MORNING + timedelta(minutes=minutes))


@pytest.fixture
def hall(center: Center, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Station, Station]:
    _at(monkeypatch, 0)
    stations = enrol(center, tmp_path / "kiosk", "09", "kiosk"), enrol(center, tmp_path / "w1", "01")
    for station in stations:
        assert station.sync().ok
        queue.use_transport(station.db, station.transport)
    return stations


def test_wait_and_service_times_are_figures_at_the_window_and_the_centre(
        hall: tuple[Station, Station], center: Center, monkeypatch: pytest.MonkeyPatch) -> None:
    kiosk, w1 = hall
    clerk = w1.actor()
    queue.take(kiosk.db, "综合")  # 08:30
    _at(monkeypatch, 2)
    queue.take(kiosk.db, "综合")  # 08:32
    _at(monkeypatch, 10)
    first = queue.call_next(w1.db, clerk)  # waited 10 minutes
    assert first is not None and first.number == "A001"
    _at(monkeypatch, 12)
    case_number = accept(w1, clerk, 1)  # recorded while serving A001: linked to it
    assert queue.current(w1.db).status == "serving"  # type: ignore[union-attr]
    _at(monkeypatch, 16)
    second = queue.call_next(w1.db, clerk)  # A001 ends with this call: 6 minutes; A002 waited 14
    assert second is not None and second.number == "A002"
    _at(monkeypatch, 20)
    queue.recall(w1.db, clerk, "A002")
    queue.skip(w1.db, clerk, "A002")  # no service time for a no-show
    assert served.links(w1.db, "A001") == [("case", case_number)]
    assert served.links(w1.db, "A002") == []

    here = figures_for(w1.db, "2026-11-30", "2026-11-30", "staff").total.values
    assert (here["queue_wait_avg"], here["queue_service_avg"]) == (12.0, 6.0)
    by_staff = figures_for(w1.db, "2026-11-30", "2026-11-30", "staff")
    assert [(r.key, r.values["queue_service_avg"]) for r in by_staff.rows] == [(clerk.staff_no, 6.0)]
    by_item = figures_for(w1.db, "2026-11-30", "2026-11-30", "item")
    assert all(r.values["queue_wait_avg"] is None for r in by_item.rows)  # tickets name no 事项

    assert w1.sync().ok
    with center.engine.connect() as conn:
        links = conn.execute(text("SELECT ticket_number, record_kind, record_number, _owner FROM queue_link")).all()
        assert [tuple(r) for r in links] == [("A001", "case", case_number, "01")]
    there = figures_for(center_source(center), "2026-11-30", "2026-11-30", "node")
    assert [(r.key, r.values["queue_wait_avg"], r.values["queue_service_avg"]) for r in there.rows] == \
        [("01", 12.0, 6.0)]


def test_nothing_is_linked_when_no_ticket_is_being_served(hall: tuple[Station, Station],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    kiosk, w1 = hall
    clerk = w1.actor()
    accept(w1, clerk, 2)
    queue.take(kiosk.db, "综合")
    ticket = queue.call_next(w1.db, clerk)
    assert ticket is not None
    queue.finish(w1.db, clerk, ticket.number)
    accept(w1, clerk, 3)  # after 办结: a walk-in of its own
    with w1.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM queue_link")).scalar() == 0


def test_the_monthly_report_has_the_queue_times_per_window_and_clerk(
        hall: tuple[Station, Station], center: Center, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from app.services.stats.monthly import QUEUE_BLOCK, gather, report_sheet, write_report
    from tests.pdf_helpers import flat, pdf_text, render

    kiosk, w1 = hall
    clerk = w1.actor()
    queue.take(kiosk.db, "综合")  # 08:30
    _at(monkeypatch, 10)
    ticket = queue.call_next(w1.db, clerk)  # waited 10 minutes
    assert ticket is not None
    accept(w1, clerk, 1)
    _at(monkeypatch, 18)
    queue.finish(w1.db, clerk, ticket.number)  # served 8 minutes
    data = gather(w1.db, "2026-11")
    sheet = report_sheet(data, "镇赉镇民生服务中心", "测试")
    blocks = {table.title: {b.caption: b for b in table.blocks} for table in sheet.tables}
    for title in ("按窗口（代办点）", "按工作人员"):
        block = blocks[title][QUEUE_BLOCK]
        assert block.columns == ("平均等候时长（分钟）", "平均办理时长（分钟）")
        assert [values for _label, values in block.rows] == [("10.0", "8.0")] and block.total == ("10.0", "8.0")
    assert QUEUE_BLOCK not in blocks["按事项"]  # tickets name no 事项
    pdf, book = tmp_path / "report.pdf", tmp_path / "report.xlsx"
    write_report(data, pdf, "镇赉镇民生服务中心", "测试")
    write_report(data, book, "镇赉镇民生服务中心", "测试")
    assert flat(pdf_text(pdf.read_bytes())).count(QUEUE_BLOCK) == 2
    for number, page in enumerate(render(pdf.read_bytes(), dpi=100)):
        page.save(tmp_path / f"report-{number}.png")
    header = [c.value for c in next(load_workbook(book)["按窗口"].iter_rows(max_row=1))]
    assert "平均等候时长（分钟）" in header and "平均办理时长（分钟）" in header

"""The hall's queue through the centre: numbering, calling order, a window acting only as itself, categories."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text

import app.clock
from app.center.runtime import Center
from app.database import Database
from app.services.appointments.booking import AppointmentForm, AppointmentRecord, book
from app.services.errors import UserError
from app.services.queue import client as queue
from app.services.queue.model import QueueUnavailable
from tests.sync_helpers import Cable, Station, enrol

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MORNING = datetime(2026, 11, 30, 8, 30, tzinfo=CN)


@pytest.fixture
def hall(center: Center, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Station, Station, Station]:
    """A kiosk (09) and two windows (01, 02), joined and synced."""
    monkeypatch.setattr(app.clock, "_fixed", MORNING)
    stations = tuple(enrol(center, tmp_path / f"n{code}", code, kind) for code, kind in
                     (("09", "kiosk"), ("01", "window"), ("02", "window")))
    for station in stations:
        assert station.sync().ok
        queue.use_transport(station.db, station.transport)
    return stations  # type: ignore[return-value]


def _later(monkeypatch: pytest.MonkeyPatch, minutes: float) -> None:
    monkeypatch.setattr(app.clock, "_fixed", app.clock.utc_now() + timedelta(minutes=minutes))


def test_numbers_count_per_category_per_day_and_restart_the_next_day(
        hall: tuple[Station, Station, Station], monkeypatch: pytest.MonkeyPatch) -> None:
    kiosk, w1, _w2 = hall
    assert [c.name for c in queue.status(kiosk.db).categories] == ["综合"]  # a fresh centre
    first, second = queue.take(kiosk.db, "综合"), queue.take(kiosk.db, " 综合 ")
    assert (first.number, first.ahead, second.number, second.ahead) == ("A001", 0, "A002", 1)
    assert first.status == "waiting" and first.window == "" and not first.priority
    with pytest.raises(UserError, match="没有“社保”这个排队类别"):
        queue.take(kiosk.db, "社保")
    monkeypatch.setattr(app.clock, "_fixed", MORNING + timedelta(days=1))
    assert queue.take(kiosk.db, "综合").number == "A001"
    assert queue.status(kiosk.db).categories[0].waiting == 1  # yesterday's tickets are not waiting today


def test_a_window_calls_in_order_and_acts_only_on_its_own_ticket(
        hall: tuple[Station, Station, Station], monkeypatch: pytest.MonkeyPatch) -> None:
    kiosk, w1, w2 = hall
    clerk1, clerk2 = w1.actor(), w2.actor()
    for _ in range(3):
        queue.take(kiosk.db, "综合")
    _later(monkeypatch, 5)
    called = queue.call_next(w1.db, clerk1)
    assert called is not None and (called.number, called.status, called.window) == ("A001", "called", "01")
    assert called.window_name == "01号窗口" and called.called_at == app.clock.utc_now()
    assert queue.current(w1.db) == called
    with pytest.raises(UserError, match="A001 号由其他窗口叫号（01号窗口），不是本窗口正在叫的号"):
        queue.recall(w2.db, clerk2, "A001")
    with pytest.raises(UserError, match="请先重呼"):
        queue.skip(w1.db, clerk1, "A001")
    assert queue.recall(w1.db, clerk1, "A001").recalls == 1
    assert queue.skip(w1.db, clerk1, "A001").status == "skipped"
    assert queue.current(w1.db) is None
    assert queue.call_next(w2.db, clerk2).number == "A002"  # type: ignore[union-attr]
    third = queue.call_next(w1.db, clerk1)
    assert third is not None and third.number == "A003"
    done = queue.finish(w1.db, clerk1, "A003")
    assert done.status == "done" and done.finished_at is not None
    assert queue.call_next(w1.db, clerk1) is None
    shown = queue.status(kiosk.db)
    assert [(t.number, t.window) for t in shown.called] == [("A002", "02")]
    assert shown.categories[0].waiting == 0


def test_appointments_and_transfers_are_called_first(
        hall: tuple[Station, Station, Station], center: Center, monkeypatch: pytest.MonkeyPatch) -> None:
    kiosk, w1, w2 = hall
    clerk1, clerk2 = w1.actor(), w2.actor()
    queue.set_categories(w1.db, clerk1, [("综合", "A", []), ("社保", "B", ["02"])])
    booked = book(w1.db, clerk1, AppointmentForm("SHJZ-001", "张桂芳", "13904367788", date(2026, 11, 30),
                                                 "08:30-09:30", window="1号窗口"))
    assert w1.sync().ok
    queue.take(kiosk.db, "综合")
    by_phone = queue.take(kiosk.db, "综合", "139 0436 7788")
    assert by_phone.priority and by_phone.appointment == booked.number and by_phone.ahead == 0
    assert queue.take(kiosk.db, "综合", booked.number) == by_phone  # the same appointment, the same ticket
    with pytest.raises(UserError, match="没有找到 13800000000 的预约"):
        queue.take(kiosk.db, "综合", "13800000000")
    with pytest.raises(UserError, match="11 位手机号或 YY 开头的预约号"):
        queue.take(kiosk.db, "综合", "abc")
    first = queue.call_next(w1.db, clerk1)
    assert first is not None and first.number == by_phone.number
    moved = queue.transfer(w1.db, clerk1, first.number, "社保")
    assert moved.status == "transferred" and moved.window == "01"
    assert queue.current(w1.db) is None
    queue.take(kiosk.db, "社保")
    again = queue.call_next(w2.db, clerk2)  # 02 serves 社保 and 综合: the transferred one comes first
    assert again is not None and (again.number, again.category, again.window) == (first.number, "社保", "02")
    assert queue.call_next(w1.db, clerk1).number == "A001"  # type: ignore[union-attr]


def test_categories_are_changed_only_by_a_proven_director_or_administrator(
        hall: tuple[Station, Station, Station], center: Center) -> None:
    kiosk, w1, _w2 = hall
    admin = w1.actor()
    with pytest.raises(UserError, match="号头重复：A"):
        queue.set_categories(w1.db, admin, [("综合", "A", []), ("社保", "a", [])])
    with pytest.raises(UserError, match="两位数字的节点编码"):
        queue.set_categories(w1.db, admin, [("综合", "A", ["1"])])
    shown = queue.set_categories(w1.db, admin, [("综合", "A", ["01"]), ("社保", "B", [])])
    assert [(c.name, c.prefix, c.windows) for c in shown.categories] == [("综合", "A", ("01",)),
                                                                         ("社保", "B", ("01", "02"))]
    token = w1.token
    from app.sync.transport import call

    with pytest.raises(Exception, match="只有经中心核验身份"):  # a device's word is not enough
        call(w1.transport, "/v1/queue/categories", {"categories": [{"name": "x", "prefix": "C"}]}, token)
    queue.take(kiosk.db, "社保")
    with pytest.raises(UserError, match="“社保”今天还有未办完的号，不能删除"):
        queue.set_categories(w1.db, admin, [("综合", "A", [])])
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM queue_category")).scalar() == 2


def test_an_unreachable_centre_says_so_and_the_window_keeps_working(
        hall: tuple[Station, Station, Station], center: Center) -> None:
    kiosk, w1, _w2 = hall
    clerk = w1.actor()
    queue.take(kiosk.db, "综合")
    assert queue.call_next(w1.db, clerk) is not None
    cable = Cable(center)
    cable.on = False
    queue.use_transport(w1.db, cable)
    with pytest.raises(QueueUnavailable, match="暂时无法连接中心的排队叫号服务.*请先办理现场来人"):
        queue.call_next(w1.db, clerk)
    assert queue.current(w1.db) is not None  # the window still knows whom it serves
    from tests.sync_helpers import accept

    assert accept(w1, clerk, 1)  # and records as before
    queue.use_transport(w1.db, None)  # the real channel: nothing listens at the joined address
    with pytest.raises(QueueUnavailable):
        queue.status(w1.db)


def test_twenty_windows_calling_at_once_never_get_the_same_ticket(center: Center,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from app.center import queue as hall
    from app.center.nodes import Node

    monkeypatch.setattr(app.clock, "_fixed", MORNING)
    kiosk = Node("09", "取号机", "kiosk")
    with center.engine.begin() as conn:
        for _ in range(60):
            hall.take(conn, kiosk, {"category": "综合"})
    got: dict[str, list[str]] = {}
    start = threading.Barrier(20)

    def window(code: str) -> None:
        node = Node(code, f"{code}号窗口", "window")
        mine = got.setdefault(code, [])
        start.wait()
        while True:
            with center.engine.begin() as conn:
                ticket = hall.call(conn, node, {"staff_no": code, "staff_name": "窗口"})["ticket"]
            if ticket is None:
                return
            mine.append(ticket["number"])

    threads = [threading.Thread(target=window, args=(f"{n:02d}",)) for n in range(1, 21)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    numbers = [n for mine in got.values() for n in mine]
    assert sorted(numbers) == [f"A{n:03d}" for n in range(1, 61)]  # each ticket once, none lost
    assert sum(1 for mine in got.values() if mine) > 1


def test_an_offline_finish_keeps_the_service_time_and_tells_the_centre_when_it_is_back(
        hall: tuple[Station, Station, Station], center: Center, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.models.queue import QueueVisit
    from app.services.queue import served

    kiosk, w1, _w2 = hall
    clerk = w1.actor()
    queue.take(kiosk.db, "综合")
    queue.take(kiosk.db, "综合")
    called = queue.call_next(w1.db, clerk)
    assert called is not None and called.number == "A001"
    cable = Cable(center)
    queue.use_transport(w1.db, cable)
    cable.on = False
    _later(monkeypatch, 7)
    finished_at = app.clock.utc_now()
    done = queue.finish_serving(w1.db, clerk, "A001")
    assert done.offline and "无法连接中心" in done.offline and done.ticket.status == "done"
    assert queue.current(w1.db) is None  # the window is free for the next citizen
    with w1.db.session() as s:
        visit = s.scalars(select(QueueVisit)).one()
        assert (visit.status, visit.finished_at) == ("done", finished_at)  # 7 minutes of service, kept
    with pytest.raises(UserError, match="不是本窗口正在办理的号"):
        queue.finish_serving(w1.db, clerk, "A001")
    assert queue.status(kiosk.db).called[0].number == "A001"  # the centre does not know yet
    with pytest.raises(QueueUnavailable):
        queue.window_status(w1.db, clerk)  # still away: the note stays
    assert served.pending(w1.db) is not None
    _later(monkeypatch, 3)
    cable.on = True
    queue.window_status(w1.db, clerk)  # the bar's next look at the hall tells the centre first
    assert served.pending(w1.db) is None
    assert queue.status(kiosk.db).called == ()
    with center.engine.connect() as conn:
        row = conn.execute(text("SELECT status, finished_at FROM queue_ticket WHERE number = 'A001'")).one()
    assert (row.status, row.finished_at) == ("done", finished_at.replace(tzinfo=None))  # the window's, not the telling's
    with w1.db.session() as s:
        assert s.scalars(select(QueueVisit)).one().finished_at == finished_at
    assert queue.call_next(w1.db, clerk).number == "A002"  # type: ignore[union-attr]


def test_a_note_the_centre_no_longer_needs_is_dropped(hall: tuple[Station, Station, Station], center: Center,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.queue import served

    kiosk, w1, _w2 = hall
    clerk = w1.actor()
    queue.take(kiosk.db, "综合")
    queue.call_next(w1.db, clerk)
    cable = Cable(center)
    queue.use_transport(w1.db, cable)
    cable.on = False
    queue.finish_serving(w1.db, clerk, "A001")
    cable.on = True
    monkeypatch.setattr(app.clock, "_fixed", MORNING + timedelta(days=1))  # the next morning: a new day's numbers
    queue.take(kiosk.db, "综合")
    assert queue.call_next(w1.db, clerk).number == "A001"  # type: ignore[union-attr]  # today's A001, not told
    assert served.pending(w1.db) is None


def test_the_centre_keeps_a_finish_time_between_the_call_and_now(hall: tuple[Station, Station, Station],
                                                                 center: Center) -> None:
    from app.center import queue as centre_queue
    from app.center.errors import BadRequest
    from app.center.nodes import Node

    kiosk, _w1, _w2 = hall
    window = Node("03", "03号窗口", "window")
    queue.take(kiosk.db, "综合")
    queue.take(kiosk.db, "综合")
    with center.engine.begin() as conn:
        called = centre_queue.call(conn, window, {})["ticket"]
        with pytest.raises(BadRequest, match="带时区的 ISO 时间"):
            centre_queue.finish(conn, window, {"number": called["number"], "finished_at": "2026-11-30 08:00"})
        early = centre_queue.finish(conn, window, {"number": called["number"],
                                                   "finished_at": "2020-01-01T00:00:00+08:00"})["ticket"]
        assert early["finished_at"] == called["called_at"]  # never before the call
        later = centre_queue.call(conn, window, {})["ticket"]
        future = centre_queue.finish(conn, window, {"number": later["number"],
                                                    "finished_at": "2030-01-01T00:00:00+08:00"})["ticket"]
        assert future["finished_at"] == app.clock.utc_now().isoformat()  # never after now


def test_an_appointment_checked_in_at_the_kiosk_arrives_where_it_was_booked(
        hall: tuple[Station, Station, Station], center: Center, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.appointments.booking import day_appointments
    from app.services.queue import arrivals

    def get_appointment(db: Database, number: str) -> AppointmentRecord | None:
        return next((a for a in day_appointments(db, date(2026, 11, 30)) if a.number == number), None)

    kiosk, w1, w2 = hall
    clerk1, clerk2 = w1.actor(), w2.actor()
    monkeypatch.setattr(app.clock, "_fixed", MORNING - timedelta(minutes=20))
    mine = book(w1.db, clerk1, AppointmentForm("SHJZ-001", "张桂芳", "13904367788", date(2026, 11, 30),
                                               "08:30-09:30", window="1号窗口"))
    theirs = book(w2.db, clerk2, AppointmentForm("SHJZ-001", "李建国", "13904360001", date(2026, 11, 30),
                                                 "08:30-09:30", window="2号窗口"))
    assert w1.sync().ok and w2.sync().ok
    assert arrivals.take_in_arrivals(w2.db) == 0  # booked, not checked in: nothing to mark
    _later(monkeypatch, 25)
    kiosk_time = app.clock.utc_now()
    first = queue.take(kiosk.db, "综合", mine.number)
    second = queue.take(kiosk.db, "综合", theirs.number)
    _later(monkeypatch, 10)
    called = arrivals.call(w1.db, clerk1)  # window 01 calls its own appointment's ticket
    assert called.ticket is not None and called.ticket.number == first.number
    assert called.arrival is not None and called.arrival.number == mine.number
    assert called.arrival.status == "arrived" and called.arrival.arrived_at == kiosk_time  # at the kiosk's time
    other = arrivals.call(w1.db, clerk1)  # 01 calls 02's appointment: 01 cannot write 02's row
    assert other.ticket is not None and other.ticket.number == second.number and other.arrival is None
    assert get_appointment(w1.db, theirs.number) is None  # a window keeps its own appointments only
    assert arrivals.take_in_arrivals(w1.db) == 0  # nothing of 01's still booked
    assert w2.sync().ok
    assert arrivals.take_in_arrivals(w2.db) == 1  # 02, at its next sync: its appointment arrived at the kiosk
    arrived = get_appointment(w2.db, theirs.number)
    assert arrived is not None and arrived.status == "arrived" and arrived.arrived_at == kiosk_time
    assert w2.sync().ok
    assert arrivals.take_in_arrivals(w2.db) == 0  # once
    queue.use_transport(w2.db, Cable(center))
    assert arrivals.take_in_arrivals(w2.db) == 0


def test_the_kiosk_takes_tickets_and_shows_the_hall_but_never_serves(
        hall: tuple[Station, Station, Station], center: Center, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from app.center.cli import _status
    from app.services.cases.transfers import known_nodes

    kiosk, w1, _w2 = hall
    shown = queue.status(kiosk.db)  # the kiosk shows the hall
    assert shown.categories[0].windows == ("01", "02")  # every window: the kiosk is not among them
    assert [code for code, _name in shown.windows] == ["01", "02"]
    assert queue.take(kiosk.db, "综合").number == "A001"
    with pytest.raises(UserError, match="大厅取号机（大厅屏幕），只取号、显示，不叫号"):
        queue.call_next(kiosk.db, kiosk.actor())
    assert queue.status(kiosk.db).categories[0].waiting == 1  # the refused call took nothing
    with pytest.raises(UserError, match="节点 09 是大厅取号机"):
        queue.set_categories(w1.db, w1.actor(), [("综合", "A", ["01", "09"])])
    assert [n.code for n in known_nodes(w1.db)] == ["02"]  # no case is handed to the kiosk
    assert _status(center, argparse.Namespace(json=False)) == 0  # `center status`
    lines = {line.split("\t")[0]: line.split("\t")[2] for line in capsys.readouterr().out.splitlines()[1:]}
    assert (lines["09"], lines["01"]) == ("大厅取号机（大厅屏幕）", "窗口")

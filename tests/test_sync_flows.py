"""Replication against a real PostgreSQL: offline windows, what flows down, security, bad input."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.center.runtime import Center
from app.models import Case, ServiceItem, SyncIssue
from app.services.cases.records import get_case
from app.sync.transport import LocalTransport, SyncError
from app.sync.wire import pack, unpack
from tests.sync_helpers import Cable, LiveServer, Station, accept, enrol

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))


def centre_cases(center: Center) -> list[tuple[str, str, str]]:
    with center.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT id, number, _owner FROM case_file ORDER BY number"))]


def local_numbers(station: Station) -> set[str]:
    with station.db.session() as s:
        return set(s.scalars(select(Case.number)))


def test_two_offline_windows_same_day_never_collide(center: Center, tmp_path: Path) -> None:
    cable = Cable(center)
    w1 = enrol(center, tmp_path / "w1", "01", transport=cable)
    w2 = enrol(center, tmp_path / "w2", "02", transport=cable)
    director = enrol(center, tmp_path / "d", "09", kind="director", name="主任办公室")
    for station in (w1, w2, director):
        assert station.sync().ok
    cable.on = False  # the centre is down all day
    morning = datetime(2026, 11, 23, 9, 0, tzinfo=CN)
    mine = {w1.code: [], w2.code: []}
    for n in range(5):
        for station in (w1, w2):
            mine[station.code].append(accept(station, station.actor(), n, now=morning + timedelta(minutes=n)))
        report = w1.sync()
        assert not report.ok and "无法连接" in report.message
    cable.on = True
    for station in (w1, w2, w1, w2):  # twice: a second sync must change nothing
        assert station.sync().ok
    rows = centre_cases(center)
    numbers = [r[1] for r in rows]
    assert len(numbers) == len(set(numbers)) == 10  # both arrived, nothing twice
    assert sorted(numbers) == sorted(mine["01"] + mine["02"])
    assert {r[2] for r in rows if r[1] in mine["01"]} == {"01"}
    assert all(n[9:11] == "01" for n in mine["01"]) and all(n[9:11] == "02" for n in mine["02"])
    assert director.sync().ok
    assert local_numbers(director) == set(numbers)
    assert local_numbers(w1) == set(mine["01"])  # a clerk sees its own node's cases
    assert local_numbers(w2) == set(mine["02"])


def test_catalogue_change_and_calendar_import_reach_every_workstation(center: Center, tmp_path: Path) -> None:
    from app.actor import SYSTEM_ACTOR
    from app.services.calendar.holidays import import_calendar, read_calendar_file
    from app.services.catalog import items as catalog

    stations = [enrol(center, tmp_path / "w1", "01"), enrol(center, tmp_path / "w2", "02", set_up_first=True),
                enrol(center, tmp_path / "a", "11", kind="agency", name="红旗村代办点")]
    for station in stations:
        assert station.sync().ok
    december = datetime(2026, 12, 28, 9, 0, tzinfo=CN)
    numbers = [accept(s, s.actor(), i, code="SB-002", now=december) for i, s in enumerate(stations)]
    for station, number in zip(stations, numbers):
        assert station.sync().ok
        case = get_case(station.db, number)
        assert case is not None and case.provisional and case.due_date == date(2027, 1, 11)

    ws = center.workspace()
    item = catalog.load_item(ws, "SB-002")
    assert item is not None
    renamed = item.__class__(**{**item.__dict__, "name": item.name + "（2027版）", "version": item.version + 1})
    catalog.apply_items(ws, SYSTEM_ACTOR, [renamed], source="test")
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n2027-01-01,休,元旦\n", encoding="utf-8")
    import_calendar(ws, SYSTEM_ACTOR, read_calendar_file(path), "2027.csv")
    assert center.publish().ok

    for station, number in zip(stations, numbers):
        assert station.sync().ok
        with station.db.session() as s:
            assert s.scalar(select(ServiceItem.name).where(ServiceItem.code == "SB-002")).endswith("（2027版）")
            assert s.scalar(select(func.count()).select_from(ServiceItem).where(ServiceItem.code == "SB-002")) == 1
        case = get_case(station.db, number)
        assert case is not None and not case.provisional and case.due_date == date(2027, 1, 12)
        assert any(e[1] == "deadline_recomputed" for e in case.events)
    for station in stations:  # the recomputed deadlines go up to the centre
        assert station.sync().ok
    with center.engine.connect() as conn:
        dues = conn.execute(text("SELECT due_date FROM case_file")).scalars().all()
    assert dues == [date(2027, 1, 12)] * 3


def test_workstation_set_up_before_joining_keeps_and_pushes_its_data(center: Center, tmp_path: Path) -> None:
    from app.services.errors import UserError
    from app.services.people.auth import login
    from app.services.setup import perform_setup
    from app.startup import open_workstation
    from app.sync.join import join
    from tests.conftest import ADMIN_PASSWORD, setup_request

    db, _ = open_workstation(tmp_path / "w")
    perform_setup(db, setup_request(node_code="03", admin_user="local"))
    station = Station(db, LocalTransport(center.api.handle), "03")
    before = accept(station, login(db, "local", ADMIN_PASSWORD), 1)
    from app.center.nodes import make_enroll_code

    code = make_enroll_code(center.engine, "03", "3号窗口", "window")
    join(db, "http://centre.test", code, station.transport)
    assert station.sync().ok
    assert before in [r[1] for r in centre_cases(center)]
    assert before in local_numbers(station)
    station.actor()  # the centre's accounts work here now, the local set-up account is gone
    with pytest.raises(UserError):
        login(db, "local", ADMIN_PASSWORD)


def test_enrolment_codes_for_another_node_or_centre_are_refused(center: Center, tmp_path: Path) -> None:
    from app.center.nodes import make_enroll_code
    from app.services.setup import perform_setup
    from app.startup import open_workstation
    from app.sync.join import join
    from tests.conftest import setup_request

    db, _ = open_workstation(tmp_path / "w")
    perform_setup(db, setup_request(node_code="04"))
    transport = LocalTransport(center.api.handle)
    other_node = make_enroll_code(center.engine, "05", "5号窗口", "window")
    with pytest.raises(SyncError, match="为 05 号节点签发"):
        join(db, "http://centre.test", other_node, transport)
    other_centre = "220821200-04-" + other_node.split("-", 2)[2]
    with pytest.raises(SyncError, match="属于中心 220821200"):
        join(db, "http://centre.test", other_centre, transport)
    with pytest.raises(SyncError, match="格式不对"):
        join(db, "http://centre.test", "12345", transport)
    code = make_enroll_code(center.engine, "04", "4号窗口", "window")
    join(db, "http://centre.test", code, transport)
    fresh, _ = open_workstation(tmp_path / "w2")
    with pytest.raises(SyncError, match="只能用一次"):
        join(fresh, "http://centre.test", code, transport)


def test_unauthenticated_revoked_and_foreign_pushes_are_refused(center: Center, tmp_path: Path) -> None:
    from app.center.nodes import revoke

    w1 = enrol(center, tmp_path / "w1", "01")
    w2 = enrol(center, tmp_path / "w2", "02")
    for s in (w1, w2):
        assert s.sync().ok
    number = accept(w1, w1.actor(), 1)
    assert w1.sync().ok
    handle = center.api.handle
    status, body = handle("/v1/hello", pack({"protocol": 1, "schema_major": 1, "clock": 0}), None)
    assert status == 401 and "凭据" in unpack(body)["error"]
    status, _ = handle("/v1/push", pack({"from": 1, "to": 1}), "not-a-token")
    assert status == 401

    # w2 pushes w1's case, as if it were its own, and as w1's
    from app.sync.tables import columns, encode_row, table

    with w1.db.engine.connect() as conn:
        cases = table("case_file")
        row = conn.execute(select(cases).where(cases.c.number == number)).mappings().one()

    cols = columns("case_file")
    forged = encode_row("case_file", dict(row, applicant_name="冒名"), cols)
    state = w2.token
    for origin in ("01", "02"):
        forged[cols.index("origin_node")] = origin
        status, body = handle("/v1/push", pack({"from": 900, "to": 900 + int(origin), "groups": [
            {"t": "case_file", "c": cols, "r": [forged], "s": [900], "a": [None]}]}), state)
        assert status == 200
        assert len(unpack(body)["rejected"]) == 1
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT applicant_name FROM case_file")).scalar_one() != "冒名"
        reasons = conn.execute(text("SELECT reason FROM quarantine ORDER BY created_at")).scalars().all()
    assert any("其他节点（01）的记录" in r for r in reasons) and any("其他节点（01）生成" in r for r in reasons), reasons
    w2.sync()
    with w2.db.session() as s:  # the clerk at w2 sees what was refused, with the reason
        assert s.scalar(select(func.count()).select_from(SyncIssue)) == 2

    assert revoke(center.engine, "01")
    report = w1.sync()
    assert not report.ok and "停用" in report.message


def test_malformed_bodies_get_4xx_never_500(center: Center, tmp_path: Path) -> None:
    import httpx
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    w1 = enrol(center, tmp_path / "w1", "01")
    token = w1.token
    live = LiveServer(center)
    client = httpx.Client(base_url=live.url)
    json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                               lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=6), c, max_size=4),
                               max_leaves=20)
    fields = st.fixed_dictionaries({}, optional={
        "from": json_values, "to": json_values, "groups": json_values, "deletes": json_values, "cursor": json_values,
        "limit": json_values, "full": json_values, "code": json_values, "protocol": json_values,
        "schema_major": json_values, "clock": json_values, "backlog": json_values})

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(path=st.sampled_from(["/v1/enroll", "/v1/hello", "/v1/push", "/v1/pull"]), body=fields,
           raw=st.binary(max_size=40), use_raw=st.booleans())
    def check(path: str, body: dict[str, object], raw: bytes, use_raw: bool) -> None:
        content = raw if use_raw else pack(body)
        response = client.post(path, content=content, headers={"authorization": f"Bearer {token}"})
        assert response.status_code < 500, (path, body, unpack(response.content))

    check()
    group = {"t": "case_file", "c": ["id", "number"], "r": [["x", 5]], "s": [1], "a": [None]}
    response = client.post("/v1/push", content=pack({"from": 1, "to": 2, "groups": [group]}),
                           headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200 and "数据格式错误" in unpack(response.content)["rejected"][0][2]
    response = client.post("/v1/push", content=pack({"from": 1, "to": 2})[:5], headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 400 and unpack(response.content)["error"]
    client.close()
    live.stop()


def test_future_timestamps_are_quarantined_and_shown(center: Center, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from app.clock import utc_now

    w1 = enrol(center, tmp_path / "w1", "01")
    assert w1.sync().ok
    actor = w1.actor()
    fast = utc_now() + timedelta(days=3)  # a workstation clock three days fast
    with monkeypatch.context() as patched:
        patched.setattr("app.models.tracking.utc_now", lambda: fast)
        accept(w1, actor, 1, now=fast)
    report = w1.sync()
    assert not report.ok and report.rejected
    with w1.db.session() as s:
        issues = s.scalars(select(SyncIssue)).all()
    assert issues and all("时钟" in i.reason for i in issues)
    assert json.loads(issues[0].payload)  # the payload is kept, nothing lost


def test_old_client_may_push_but_must_upgrade_before_pulling(center: Center, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    w1 = enrol(center, tmp_path / "w1", "01")
    assert w1.sync().ok
    number = accept(w1, w1.actor(), 1)
    monkeypatch.setattr("app.sync.client.SCHEMA_MAJOR", 0)
    report = w1.sync()
    assert not report.ok and "升级" in report.message
    assert number in [r[1] for r in centre_cases(center)]


def test_restored_centre_gets_acknowledged_changes_again(center: Center, tmp_path: Path) -> None:
    from app.center.nodes import new_generation

    w1 = enrol(center, tmp_path / "w1", "01")
    assert w1.sync().ok
    number = accept(w1, w1.actor(), 1)
    assert w1.sync().ok
    with center.engine.begin() as conn:  # what a restore from last night's backup looks like
        conn.execute(text("SET LOCAL session_replication_role = replica"))  # as pg_restore: no triggers
        for t in ("case_event", "case_file", "audit_log"):
            conn.execute(text(f"DELETE FROM {t} WHERE _owner = '01'"))
        conn.execute(text("UPDATE center_node SET acked_seq = 0 WHERE node_code = '01'"))
    new_generation(center.engine)
    assert w1.sync().ok
    assert number in [r[1] for r in centre_cases(center)]


def test_feed_never_skips_a_row_whose_transaction_commits_late(center: Center, tmp_path: Path) -> None:
    """A transaction takes its sequence number first but commits after a later one: the cursor must
    not pass it."""
    director = enrol(center, tmp_path / "d", "09", kind="director", name="主任")
    w1 = enrol(center, tmp_path / "w1", "01")
    for s in (director, w1):
        assert s.sync().ok
    first = accept(w1, w1.actor(), 1)
    second = accept(w1, w1.actor(), 2)
    assert w1.sync().ok
    slow = center.engine.connect()
    slow_tx = slow.begin()
    slow.execute(text("UPDATE case_file SET applicant_address = '慢事务', _seq = nextval('sync_seq'), "
                      "_xid = pg_current_xact_id()::text::bigint WHERE number = :n"), {"n": first})
    with center.engine.begin() as fast:  # later sequence number, commits first
        fast.execute(text("UPDATE case_file SET applicant_address = '快事务', _seq = nextval('sync_seq'), "
                          "_xid = pg_current_xact_id()::text::bigint WHERE number = :n"), {"n": second})
    assert director.sync().ok  # the fast row waits too: it is above the slow transaction's xid
    slow_tx.commit()
    slow.close()
    assert director.sync().ok
    addresses = {n: get_case(director.db, n).applicant_address for n in (first, second)}  # type: ignore[union-attr]
    assert addresses == {first: "慢事务", second: "快事务"}


def test_deletions_reach_workstations_and_a_node_away_too_long_downloads_afresh(center: Center,
                                                                                tmp_path: Path) -> None:
    from app.actor import SYSTEM_ACTOR
    from app.center.schema import tombstone
    from app.models import ItemMaterial
    from app.services.catalog import items as catalog

    w1 = enrol(center, tmp_path / "w1", "01")
    w2 = enrol(center, tmp_path / "w2", "02")
    for s in (w1, w2):
        assert s.sync().ok

    def materials(station: Station) -> int:
        with station.db.session() as s:
            return len(s.scalars(select(ItemMaterial.id).join(ServiceItem).where(ServiceItem.code == "SB-002")).all())

    before = materials(w1)
    ws = center.workspace()
    item = catalog.load_item(ws, "SB-002")
    assert item is not None
    fewer = item.__class__(**{**item.__dict__, "materials": item.materials[:-1], "version": item.version + 1})
    catalog.apply_items(ws, SYSTEM_ACTOR, [fewer], source="test")  # a material dropped: a real delete
    assert center.publish().ok
    assert w1.sync().ok
    assert materials(w1) == before - 1  # the tombstone came down

    with center.engine.begin() as conn:  # 400 days later the tombstones are purged
        conn.execute(tombstone.update().values(deleted_at=func.now() - text("interval '401 days'")))
    assert center.purge_tombstones() >= 1
    assert materials(w2) == before  # w2 was away: it missed the deletion...
    assert w2.sync().ok  # ...is told to download afresh, and drops what the centre no longer has
    assert materials(w2) == before - 1
    # A download afresh of many pages, its cursor still far below the purge, is not sent back to the start.
    pages: list[str] = []

    def count_pages(point: str) -> None:
        pages.extend([point] if point == "pull.send" else [])
        assert len(pages) < 500, "the download keeps starting over"

    w3 = enrol(center, tmp_path / "w3", "03")
    assert w3.sync(page=20, fault=count_pages).ok and len(pages) > 3
    assert materials(w3) == before - 1


def test_admin_edits_at_a_window_reach_the_township_and_a_clerk_cannot_edit_centre_data(
        center: Center, tmp_path: Path) -> None:
    from app.models import Department
    from app.services.inquiries.departments import DepartmentForm, list_departments, save_department
    from app.services.people.auth import login
    from app.services.people.staff import StaffForm, save_staff

    w1 = enrol(center, tmp_path / "w1", "01")
    w2 = enrol(center, tmp_path / "w2", "02")
    for s in (w1, w2):
        assert s.sync().ok
    admin = w1.actor()
    save_staff(w1.db, admin, StaffForm("1001", "李秀兰", "clerk", workplace="2号窗口", password="px123456"))
    save_department(w1.db, admin, DepartmentForm("镇林业站", "镇政府院内", "04366221234", "工作日 8:30-16:30"))
    assert w1.sync().ok
    assert w2.sync().ok
    clerk = login(w2.db, "1001", "px123456")  # the account made at window 01 logs in at window 02
    assert "镇林业站" in [d.name for d in list_departments(w2.db)]

    with w2.db.session(clerk) as s:  # a clerk's change to centre data (as by a tampered client)
        s.scalars(select(Department).where(Department.name == "镇林业站")).one().phone = "04360000000"
    report = w2.sync()
    assert not report.ok and "中心核验" in report.rejected[0][2]
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT phone FROM department WHERE name = '镇林业站'")).scalar_one() == "04366221234"


def test_tls_with_the_centres_own_ca(center: Center, tmp_path: Path) -> None:
    import trustme

    from app.center.nodes import make_enroll_code
    from app.startup import open_workstation
    from app.sync.client import SyncClient
    from app.sync.join import join

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert_file, key_file, ca_file = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    ca.cert_pem.write_to_path(str(ca_file))
    live = LiveServer(center, (str(cert_file), str(key_file)))
    db, _ = open_workstation(tmp_path / "w")
    code = make_enroll_code(center.engine, "01", "1号窗口", "window")
    with pytest.raises(SyncError, match="证书无法验证"):
        join(db, live.url, code)
    join(db, live.url, code, ca_cert=str(ca_file))  # the code was not used up by the refused attempt
    assert SyncClient(db).run().ok
    live.stop()


def test_sync_command_exits_zero_only_when_everything_is_through(center: Center, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    w1 = enrol(center, tmp_path / "w1", "01")
    assert w1.sync().ok
    live = LiveServer(center)
    with w1.db.engine.begin() as conn:
        conn.execute(text("UPDATE sync_state SET center_url = :u"), {"u": live.url})
    accept(w1, w1.actor(), 1)
    assert main(["--data-dir", str(tmp_path / "w1"), "sync"]) == 0
    assert "同步完成" in capsys.readouterr().out
    live.stop()
    accept(w1, w1.actor(), 2)
    assert main(["--data-dir", str(tmp_path / "w1"), "sync"]) == 1
    err = capsys.readouterr().err
    assert "无法连接中心" in err and "仍有 1 条记录待上传" in err

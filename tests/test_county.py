"""The county (issue 14): two township centres, each on its own embedded PostgreSQL, publish to a county
PostgreSQL by logical replication (three servers on this machine, kept for the module). Workstations push
real cases, ratings, 首问, 告知书 and complaints to their township; the rows arrive at the county, whose
report by township equals each township's own `center report` and adds up to its total. A township that
was down catches up; a row written at the county that conflicts with a later township row stops that
township's subscription, `county status` says so with the way to repair, and after the repair it resumes.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest
from openpyxl import load_workbook
from sqlalchemy import text

import app.clock
from app.actor import Actor
from app.center.publication import (
    PUBLICATION,
    PUBLISHED_TABLES,
    READER_ROLE,
    SETTINGS_FILE,
    PublishError,
    PublishOptions,
    check_options,
    publish,
)
from app.center.publication_cli import add_publish_parser, facts_lines, run_publish
from app.center.report import center_source
from app.center.runtime import Center
from app.cli import main
from app.county.report import NOT_PUBLISHED, county_source
from app.county.runtime import County
from app.county.service import serve
from app.county.status import township_status
from app.database import Database
from app.services.errors import ValidationError
from app.services.inquiries.notices import NoticeForm, create_notice
from app.services.stats.report import figures_for
from app.sync.transport import LocalTransport
from tests.county_helpers import CN, Township, make_township, missing_at_county, serve_citizens, start, stop, wait_for
from tests.pdf_helpers import flat, pdf_text
from tests.sync_helpers import Station, accept, enrol
from tests.test_report_center import work
from tests.test_stats import COUNTED

FIRST, LAST, TODAY = date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 30)
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=CN)  # the clock the module runs at (complaints are dated "now")
A, B = "220821100", "220821101"
TIMINGS: dict[str, float] = {}  # printed when the module's servers stop (pytest -s shows them)
SHARES = ("satisfaction", "on_time_rate", "avg_workdays", "trips_avg", "one_visit_rate", "one_trip_share",
          "rectification_rate", "callback_rate", "referral_share")


@dataclass
class Site:
    folder: Path
    towns: dict[str, Township]
    stations: dict[str, Station]
    county: County

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"  # the county's embedded server is <data>/county, as `county` opens it

    def cli(self, *argv: str) -> int:
        return main(["--data-dir", str(self.data_dir), "county", *argv])

    def caught_up(self, code: str) -> float:
        town = self.towns[code]
        return wait_for(lambda: not missing_at_county(self.county.engine, town.center.engine), f"{code} at the county")

    def state(self, code: str) -> str:
        return next(r.state for r in township_status(self.county) if r.code == code)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    # Outside pytest's temporary tree, as sync_helpers' server is: run as root, the servers run as pgserver's
    # own user, and another pytest starting meanwhile closes that tree (0700) to every other user.
    folder = Path(tempfile.mkdtemp(prefix="minsheng-county-"))
    os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="minsheng-run-"))  # pgserver's lock, kept
    old_tz = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    app.clock._fixed = NOW
    began = time.monotonic()
    towns = {A: make_township(folder / "t1", A, "镇赉镇民生服务中心", "127.0.0.2"),
             B: make_township(folder / "t2", B, "建平乡民生服务中心", "127.0.0.3")}
    stations = {"a1": enrol(towns[A].center, folder / "a1", "01"), "a2": enrol(towns[A].center, folder / "a2", "02"),
                "b1": enrol(towns[B].center, folder / "b1", "01")}
    for station in stations.values():
        assert station.sync().ok
    for (name, station), (cases, offset) in zip(stations.items(), ((6, 0), (3, 40), (5, 100)), strict=True):
        work(station, cases, offset)
        serve_citizens(station, station.actor(), 10 + len(name))
        assert station.sync().ok
    TIMINGS["two townships published, three workstations worked and synced (s)"] = round(time.monotonic() - began, 1)
    county = County(folder / "data" / "county")
    try:
        yield Site(folder, towns, stations, county)
    finally:
        print(f"\ncounty timings: {json.dumps(TIMINGS, ensure_ascii=False)}")
        county.close()
        if county.server is not None:
            county.server.cleanup()
        for town in towns.values():
            stop(town)
        for station in stations.values():
            station.db.dispose()
        shutil.rmtree(folder, ignore_errors=True)
        app.clock._fixed = None
        if old_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old_tz
        time.tzset()


def test_publish_sets_up_the_township_once_and_says_the_same_again(site: Site,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    town = site.towns[A]
    facts = town.facts
    assert facts.url == f"postgresql://{READER_ROLE}@127.0.0.2:5432/postgres"
    assert facts.wal_level == "logical" and facts.slot_keep == "10GB" and facts.password
    assert any("重启" in change for change in facts.changed)
    with town.center.engine.connect() as conn:
        assert conn.scalar(text("SHOW listen_addresses")) == "127.0.0.2"
        published = {r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_publication_tables WHERE pubname = :p"), {"p": PUBLICATION})}
        assert published == set(PUBLISHED_TABLES)
        whole = conn.execute(text("SELECT count(*) FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid"
                                  " WHERE p.pubname = :p AND (r.prqual IS NOT NULL OR r.prattrs IS NOT NULL)"),
                             {"p": PUBLICATION}).scalar()
        assert whole == 0  # whole tables: no row filter, no column list
        assert tuple(conn.execute(text("SELECT pubinsert, pubupdate, pubdelete, pubtruncate FROM pg_publication"
                                       " WHERE pubname = :p"), {"p": PUBLICATION}).one()) == (True, True, True, False)
        role = conn.execute(text("SELECT rolcanlogin, rolreplication, rolsuper FROM pg_roles WHERE rolname = :r"),
                            {"r": READER_ROLE}).one()
        assert tuple(role) == (True, True, False)
        assert not conn.scalar(text(f"SELECT has_table_privilege('{READER_ROLE}', 'public.staff', 'SELECT')"))
    # Over TCP only the county's role gets in, with its password: initdb's trust lines are gone.
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect("host=127.0.0.2 port=5432 dbname=postgres user=postgres connect_timeout=5").close()
    with psycopg.connect(f"host=127.0.0.2 port=5432 dbname=postgres user={READER_ROLE} password={town.password}"
                         " connect_timeout=5") as conn:
        assert conn.execute("SELECT value FROM center_info WHERE key = 'center_code'").fetchone() == (A,)

    settings = (town.folder / SETTINGS_FILE).read_bytes()
    again = publish(town.center, town.options())
    assert again.changed == [] and again.password is None and again.to_do == []
    assert facts_lines(again) == facts_lines(facts)
    assert (town.folder / SETTINGS_FILE).read_bytes() == settings

    import argparse

    parser = argparse.ArgumentParser()
    add_publish_parser(parser.add_subparsers(dest="c"))
    args = parser.parse_args(["publish", "--listen", "127.0.0.2", "--allow", "127.0.0.0/8", "--host", "127.0.0.2"])
    assert run_publish(town.center, args) == 0
    out = capsys.readouterr().out
    assert f"main.py county subscribe --township {facts.url}" in out and "本次无改动" in out
    assert town.password not in out and "不再显示" in out
    # The same township through --db (an external server): nothing to restart, the pg_hba line to add is said.
    external = Center(site.folder / "ext", town.center.server.get_uri())
    try:
        told = publish(external, PublishOptions(host="10.9.8.7", allow="10.9.0.0/16"))
        assert told.changed == [] and told.url.startswith(f"postgresql://{READER_ROLE}@10.9.8.7:5432/")
        assert any("host    postgres    county_reader    10.9.0.0/16    scram-sha-256" in t for t in told.to_do)
    finally:
        external.close()


@pytest.mark.parametrize("options, word", [
    (PublishOptions(listen="0.0.0.0 -c ssl=off"), "--listen"), (PublishOptions(listen=""), "--listen"),
    (PublishOptions(listen="x" * 300), "--listen"), (PublishOptions(allow="everyone"), "--allow"),
    (PublishOptions(allow="10.0.0.1"), "--allow"), (PublishOptions(slot_keep="0GB"), "--slot-keep"),
    (PublishOptions(slot_keep="-1"), "--slot-keep"), (PublishOptions(slot_keep="999TB"), "--slot-keep"),
    (PublishOptions(host="a'b"), "--host")])
def test_bad_publish_options_are_refused_before_anything(site: Site, options: PublishOptions, word: str) -> None:
    with pytest.raises(PublishError, match=word):
        check_options(options)
    town = site.towns[A]
    with pytest.raises(PublishError, match=word):
        publish(town.center, options)
    with town.center.engine.connect() as conn:
        assert conn.scalar(text("SHOW listen_addresses")) == "127.0.0.2"
    assert json.loads((town.folder / SETTINGS_FILE).read_text())["listen"] == "127.0.0.2"


def test_the_county_subscribes_and_the_rows_arrive(site: Site, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    urls = [site.towns[A].url, site.towns[B].url]
    # A wrong password is refused before anything is written.
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong-password\n"))
    assert site.cli("subscribe", "--township", urls[0], "--password-stdin") == 1
    assert "无法连接乡镇" in capsys.readouterr().err
    assert site.cli("status") == 0 and "尚未订阅" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{site.towns[A].password}\n{site.towns[B].password}\n"))
    began = time.monotonic()
    assert site.cli("subscribe", "--township", *urls, "--password-stdin") == 0
    out = capsys.readouterr().out
    assert "已订阅镇赉镇民生服务中心（220821100）" in out and "已订阅建平乡民生服务中心（220821101）" in out
    for code in (A, B):
        site.caught_up(code)
    TIMINGS["initial copy of both townships (s)"] = round(time.monotonic() - began, 1)
    with site.county.engine.connect() as conn:
        numbers = {r[0][:9] for r in conn.execute(text("SELECT number FROM case_file"))}
        assert numbers == {A, B}
        # the ratings' outweighed rule is kept at the county by its ALWAYS trigger, as at each township
        here = {r[0] for r in conn.execute(text("SELECT rating_id FROM rating_outweighed"))}
        assert conn.scalar(text("SELECT tgenabled FROM pg_trigger WHERE tgname = 'rating_outweighed_refresh'")) == "A"
    there: set[str] = set()
    for town in site.towns.values():
        with town.center.engine.connect() as conn:
            there |= {r[0] for r in conn.execute(text("SELECT rating_id FROM rating_outweighed"))}
    assert here == there
    assert site.cli("status", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["code"], r["state"], r["tables_ready"], r["tables_total"]) for r in rows] == \
        [(A, "ok", 11, 11), (B, "ok", 11, 11)]
    assert all(r["lag_bytes"] == 0 and r["connected"] and r["apply_errors"] == 0 for r in rows)
    # Subscribing again changes nothing but the address and password it keeps.
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{site.towns[A].password}\n"))
    assert site.cli("subscribe", "--township", urls[0], "--password-stdin") == 0
    assert "已更新订阅地址和密码" in capsys.readouterr().out
    assert site.state(A) in ("ok", "copying")


def test_the_county_tables_hold_every_published_column_and_only_primary_keys(site: Site) -> None:
    query = text("SELECT table_name, column_name, data_type FROM information_schema.columns"
                 " WHERE table_schema = 'public' AND table_name = ANY(:t)")
    with site.towns[A].center.engine.connect() as conn:
        township = set(conn.execute(query, {"t": list(PUBLISHED_TABLES)}).all())
    with site.county.engine.connect() as conn:
        county = set(conn.execute(query, {"t": list(PUBLISHED_TABLES)}).all())
        kinds = {r[0] for r in conn.execute(text(
            "SELECT contype FROM pg_constraint WHERE conrelid = ANY(CAST(:t AS regclass[]))"),
            {"t": list(PUBLISHED_TABLES)})}
        unique_indexes = conn.scalar(text(
            "SELECT count(*) FROM pg_index WHERE indisunique AND NOT indisprimary"
            " AND indrelid = ANY(CAST(:t AS regclass[]))"), {"t": list(PUBLISHED_TABLES)})
    assert township == county
    assert kinds == {"p"} and unique_indexes == 0  # a query code repeats across townships: no unique but the key
    # Nothing is written locally into a subscribed table.
    with pytest.raises(Exception, match="只由乡镇订阅写入"), site.county.engine.begin() as conn:
        conn.execute(text("UPDATE case_file SET applicant_name = '改' WHERE false"))


def test_the_county_report_adds_up_and_equals_each_townships_own(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    source = county_source(site.county)
    by_town = figures_for(source, FIRST, LAST, "township", today=TODAY)
    assert [(r.key, r.label) for r in by_town.rows] == [(A, f"镇赉镇民生服务中心（{A}）"),
                                                        (B, f"建平乡民生服务中心（{B}）")]
    own = {code: figures_for(center_source(town.center), FIRST, LAST, today=TODAY).total.values
           for code, town in site.towns.items()}
    for row in by_town.rows:
        for key, value in own[row.key].items():
            assert row.values[key] == (None if key in NOT_PUBLISHED else value), (row.key, key)
    total = by_town.total
    assert total.label == "全县合计"
    for key in COUNTED:
        assert total.values[key] == sum(int(r.values[key] or 0) for r in by_town.rows), key
    for key in SHARES:
        assert (total.values[key] is None) == all(r.values[key] is None for r in by_town.rows), key
    assert total.values["accepted"] == 14 and total.values["complaints"] == 3 and total.values["inquiries"] == 3
    assert total.values["ratings"] and total.values["bad_ratings"] and total.values["notices"] == 3
    assert all(total.values[key] is None for key in NOT_PUBLISHED)  # not counted, never 0
    items = figures_for(source, FIRST, LAST, "item", today=TODAY)
    with site.towns[A].center.engine.connect() as conn:
        name = conn.scalar(text("SELECT item_name FROM case_file WHERE item_code = 'SB-002' LIMIT 1"))
    assert [r.label for r in items.rows if r.key == "SB-002"] == [name]  # named from the cases: no catalogue here

    assert site.cli("setup", "--name", "镇赉县") == 0
    pdf, book = site.folder / "county.pdf", site.folder / "county.xlsx"
    for path in (pdf, book):
        assert site.cli("report", "--period", "2026-11", "-o", str(path)) == 0
        assert "2 个乡镇，受理 14 件" in capsys.readouterr().out
    words = flat(pdf_text(pdf.read_bytes()))
    assert "镇赉县民生服务工作情况统计报表（2026年11月）" in words and "按乡镇" in words
    assert "建平乡民生服务中心" in words and "不统计" in words
    assert "一、全县主要指标" in words and "全县合计" in words and "各乡镇受理量与办结量" in words
    assert "全镇" not in words and "各窗口" not in words  # a county's paper speaks of the county
    workbook = load_workbook(book)
    try:
        assert workbook.sheetnames[:3] == ["全县", "按乡镇", "按事项"]
        summary = {r[3].value: r[1].value for r in workbook["全县"].iter_rows(min_row=2)}
        assert summary["accepted"] == 14 and summary["appointments"] == "—" and summary["attendance_days"] == "—"
        towns = [[c.value for c in r] for r in workbook["按乡镇"].iter_rows(min_row=2)]
        assert [r[0] for r in towns] == [A, B, None] and towns[-1][1] == "全县合计"
        notes = {r[0].value: r[3].value for r in workbook["指标说明"].iter_rows(min_row=2)}
        assert "预约件数" in notes["uncounted"] and "不统计" in notes["uncounted"]
    finally:
        workbook.close()
    assert site.cli("report", "--period", "2026-13", "-o", str(site.folder / "bad.pdf")) == 1
    assert not (site.folder / "bad.pdf").exists()
    capsys.readouterr()


def test_a_township_that_was_down_catches_up(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    town, station = site.towns[B], site.stations["b1"]
    stop(town)
    # disable_on_error stops the subscription when the connection drops too: no conflict, `county serve` resumes it
    took = wait_for(lambda: site.state(B) == "interrupted", "the county to notice the township is down")
    assert site.state(A) == "ok"
    said: list[str] = []
    serve(site.county, 5, passes=1, say=said.append)
    assert any("建平乡民生服务中心（220821101）：与乡镇的连接中断后订阅停用，已自动恢复" in line for line in said)
    wait_for(lambda: site.state(B) == "unreachable", "the worker to retry while the township is away")
    actor = station.actor()
    made = [accept(station, actor, 200 + n, now=NOW) for n in range(3)]  # at the window, while the centre is down
    assert site.cli("status") == 0
    out = capsys.readouterr().out
    assert "220821101 建平乡民生服务中心：未连接乡镇" in out and "连通后自动补齐" in out and "could not connect" in out
    start(town)
    station.transport = LocalTransport(town.center.api.handle)
    assert station.sync().ok
    caught = site.caught_up(B)
    TIMINGS["township down noticed (s)"], TIMINGS["caught up after the push (s)"] = round(took, 1), round(caught, 1)
    with site.county.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM case_file WHERE number = ANY(:n)"), {"n": made}) == 3
    assert site.state(B) == "ok"

    # The county side stopped instead (its subscription disabled): the township's slot keeps the changes.
    with site.county.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"ALTER SUBSCRIPTION township_{A} DISABLE"))
    wait_for(lambda: site.state(A) == "disabled", "the subscription to stop")
    station = site.stations["a1"]
    made = [accept(station, station.actor(), 300 + n, now=NOW) for n in range(2)]
    assert station.sync().ok
    rows = {r.code: r for r in township_status(site.county)}
    assert rows[A].repair == [f"恢复订阅：main.py county resume {A}"]
    serve(site.county, 5, passes=1, say=said.append)
    assert site.state(A) == "disabled"  # stopped by a person: `county serve` leaves it
    assert site.cli("resume", A) == 0 and "已恢复" in capsys.readouterr().out
    site.caught_up(A)
    with site.county.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM case_file WHERE number = ANY(:n)"), {"n": made}) == 2


def test_a_conflicting_row_stops_the_subscription_and_the_repair_resumes_it(
        site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    station = site.stations["a2"]
    number = accept(station, station.actor(), 400, now=NOW)  # not yet pushed
    with station.db.session() as s:
        case_id = s.execute(text("SELECT id FROM case_file WHERE number = :n"), {"n": number}).scalar()
    row = {"id": case_id, "number": "999999999" + number[9:], "applicant_name": "县级手填"}
    insert = text("INSERT INTO case_file (id, number, applicant_name) VALUES (:id, :number, :applicant_name)")
    with site.county.engine.begin() as conn:  # someone at the county writes into a subscribed table by hand
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(insert, row)
    assert station.sync().ok  # the township takes the case; the county cannot apply it
    wait_for(lambda: site.state(A) == "stopped", "the conflict to stop the subscription")
    status = {r.code: r for r in township_status(site.county)}
    stopped = status[A]
    assert not stopped.enabled and stopped.apply_errors >= 1
    assert "duplicate key" in stopped.last_error and case_id in stopped.last_error
    assert stopped.repair[0].endswith(f"main.py county resume {A} --delete-conflict")
    assert f"case_file 表 id = {case_id}" in stopped.repair[0]
    assert f"main.py county resume {A} --skip-lsn " in stopped.repair[1]
    assert f"ALTER SUBSCRIPTION township_{A} SKIP (lsn = '" in stopped.repair[1]
    assert status[B].state == "ok"  # the other township goes on
    said: list[str] = []
    serve(site.county, 5, passes=1, say=said.append)
    assert site.state(A) == "stopped" and not any("自动恢复" in line for line in said[1:])
    assert site.cli("status") == 0
    out = capsys.readouterr().out
    assert f"{A} 镇赉镇民生服务中心：已停用（出错）" in out and "修复1：" in out and "修复2：" in out

    assert site.cli("resume", A, "--skip-lsn", "not-an-lsn") == 1 and "--skip-lsn" in capsys.readouterr().err
    assert site.cli("resume", A, "--delete-conflict") == 0
    out = capsys.readouterr().out
    assert f"case_file 表中 id = {case_id} 的 1 行" in out and "已恢复" in out
    site.caught_up(A)
    with site.county.engine.connect() as conn:
        assert conn.execute(text("SELECT number, applicant_name FROM case_file WHERE id = :i"),
                            {"i": case_id}).one()[0] == number
    assert site.state(A) == "ok"


@pytest.mark.parametrize("url, word", [
    ("http://county_reader@127.0.0.2/postgres", "订阅地址"), ("postgresql://county_reader@/postgres", "主机名"),
    ("postgresql://county_reader@127.0.0.2:70000/postgres", "订阅地址"), ("postgresql://@127.0.0.2/postgres", "账号"),
    ("postgresql://county_reader@127.0.0.2/postgres?host=/tmp", "sslmode"), ("postgresql://a b@h/db", "订阅地址"),
    ("postgresql://county_reader@127.0.0.2/" + "x" * 600, "订阅地址"),
    ("postgresql://county_reader@127.0.0.2/postgres?sslmode=maybe", "sslmode")])
def test_bad_township_addresses_are_refused_before_anything(site: Site, url: str, word: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    before = len(township_status(site.county))
    assert site.cli("subscribe", "--township", url, "--password-stdin") == 1
    assert word in capsys.readouterr().err
    assert len(township_status(site.county)) == before


@pytest.mark.parametrize("argv, word", [(("resume", "12345"), "9位数字"), (("resume", "999999999"), "没有订阅"),
                                        (("setup", "--name", "县" * 41), "县级名称"),
                                        (("serve", "--interval", "1"), "--interval"),
                                        (("report", "--period", "2026-11", "-o", "x.txt"), ".pdf")])
def test_bad_county_commands_change_nothing(site: Site, argv: tuple[str, ...], word: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert site.cli(*argv) == 1
    assert word in capsys.readouterr().err


# Without servers: the township scope on a workstation, and what the county reads from its server's log.

def test_the_township_scope_reads_the_division_code_from_each_number(db: Database, admin: Actor) -> None:
    from app.services.cases.records import accept_case
    from app.services.numbering import division_code_of
    from tests.test_cases import form

    number = accept_case(db, admin, form(db, "SB-001", "immediate"), now=datetime(2026, 11, 3, 9, 0, tzinfo=CN))
    notice = create_notice(db, admin, NoticeForm("SB-002", "李建国", [1]), now=datetime(2026, 11, 3, 9, 5, tzinfo=CN))
    assert division_code_of(number, "case") == A and division_code_of(notice, "notice") == A
    assert division_code_of("TS22082110001261120001"[:8], "complaint") == ""
    table = figures_for(db, FIRST, LAST, "township", today=TODAY)
    assert [(r.key, r.label) for r in table.rows] == [(A, A)]  # a workstation names no township but its code
    row = table.rows[0]
    assert row.values["accepted"] == 1 and row.values["notices"] == 1
    assert row.values["after_hours"] is None and row.values["attendance_days"] is None  # their records carry no number
    assert {k: v for k, v in row.values.items() if v is not None} == \
        {k: v for k, v in table.total.values.items() if row.values[k] is not None}
    with pytest.raises(ValidationError):
        figures_for(db, FIRST, LAST, "county", today=TODAY)


LOG = """\
2026-11-30 16:04:54.430 UTC [14024] 00000 LOG:  parameter "log_line_prefix" changed to "%m [%p] %e "
2026-11-30 16:04:54.461 UTC [14094] 00000 LOG:  logical replication apply worker for subscription "township_220821100" has started
2026-11-30 16:04:55.100 UTC [14095] 00000 LOG:  logical replication apply worker for subscription "township_220821101" has started
2026-11-30 16:04:56.465 UTC [14095] 00000 LOG:  data stream from publisher has ended
2026-11-30 16:04:56.465 UTC [14095] 08006 ERROR:  could not send end-of-streaming message to primary: server closed the connection unexpectedly
\t\tThis probably means the server terminated abnormally
2026-11-30 16:04:56.466 UTC [14095] 00000 LOG:  subscription "township_220821101" has been disabled because of an error
2026-11-30 16:05:01.000 UTC [14200] 23505 ERROR:  duplicate key value violates unique constraint "pk_case_file"
2026-11-30 16:05:01.000 UTC [14200] 23505 DETAIL:  Key (id)=(019ad6a4-1f0e-7d2b) already exists.
2026-11-30 16:05:01.000 UTC [14200] 23505 CONTEXT:  processing remote data for replication origin "pg_16401" during message type "INSERT" for replication target relation "public.case_file" in transaction 757, finished at 0/1A3B4C8
2026-11-30 16:05:01.001 UTC [14200] 00000 LOG:  subscription "township_220821100" has been disabled because of an error
2026-11-30 16:05:02.000 UTC [14300] 42P01 ERROR:  relation "nothing" does not exist at character 15
"""


def test_the_log_tells_a_conflict_from_a_dropped_connection(tmp_path: Path) -> None:
    from app.county.serverlog import read_log
    from app.county.status import repair_ways

    log = tmp_path / "log"
    log.write_text(LOG, encoding="utf-8")
    found = read_log(log, {"16401": "township_220821100"})
    conflict = found["township_220821100"].stopped_by
    assert conflict is not None and not conflict.transient and conflict.relation == "case_file"
    assert conflict.key == ("id", "019ad6a4-1f0e-7d2b") and conflict.finish_lsn == "0/1A3B4C8"
    dropped = found["township_220821101"].stopped_by
    assert dropped is not None and dropped.transient and "terminated abnormally" in dropped.message
    assert set(found) == {"township_220821100", "township_220821101"}  # a session's own error is nobody's
    ways = repair_ways(A, "township_220821100", conflict, True)
    assert ways[0].endswith(f"main.py county resume {A} --delete-conflict")
    assert "ALTER SUBSCRIPTION township_220821100 SKIP (lsn = '0/1A3B4C8')" in ways[1]
    restarted = LOG + ("2026-11-30 16:06:00.000 UTC [14400] 00000 LOG:  logical replication apply worker for"
                       ' subscription "township_220821101" has started\n')
    log.write_text(restarted, encoding="utf-8")
    assert read_log(log, {})["township_220821101"].stopped_by is None
    assert repair_ways(A, "township_220821100", None, False) == [
        f"排除出错原因（错误详情在县级数据库服务器的日志中，搜索 township_220821100）后恢复订阅：main.py county resume {A}"]

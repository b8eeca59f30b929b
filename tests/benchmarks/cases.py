"""Issue 4's and issue 10's figures: acceptance at 100k cases and the receipt PDF beside same-run
baselines, and (optional, it takes minutes) finding cases at 1M."""

from __future__ import annotations

import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks import lifecycle
from tests.benchmarks.measure import bare_page_builder, percentiles, target, timed

ACCEPT_P99_MS = 10
ACCEPT_VS_BARE = 3
RECEIPT_VS_BARE = 2


def _bare_inserts(folder: Path, rounds: int) -> list[float]:
    conn = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT)")
    counter = iter(range(10**9))

    def one() -> None:
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t VALUES (?, ?)", (str(next(counter)), "x" * 700))
        conn.execute("COMMIT")

    samples = timed(one, rounds)
    conn.close()
    return samples


def _bare_same_rows(database: Path, number: str, rounds: int) -> list[float]:
    """The rows one acceptance writes (its case, first event, two audit entries, four outbox pointers
    and the day's sequence), copied from a real one with new keys and inserted with plain sqlite3 into
    the same tables, indexes and triggers: what SQLite itself needs, without any of our code."""
    import uuid

    conn = sqlite3.connect(database, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    case = dict(conn.execute("SELECT * FROM case_file WHERE number = ?", (number,)).fetchone())
    event = dict(conn.execute("SELECT * FROM case_event WHERE case_id = ?", (case["id"],)).fetchone())
    audits = [dict(r) for r in conn.execute("SELECT * FROM audit_log WHERE row_id IN (?, ?)", (case["id"], event["id"]))]
    outbox = [dict(r) for r in conn.execute("SELECT * FROM outbox WHERE row_id IN (?, ?, ?, ?)",
                                            (case["id"], event["id"], *[a["id"] for a in audits]))]
    counter = iter(range(10**9))

    def insert(table: str, row: dict[str, Any]) -> None:
        names = ", ".join(f'"{c}"' for c in row)
        conn.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))

    def one() -> None:
        n = next(counter)
        ids = {case["id"]: str(uuid.uuid4()), event["id"]: str(uuid.uuid4()),
               **{a["id"]: str(uuid.uuid4()) for a in audits}}
        conn.execute("BEGIN")
        conn.execute("INSERT INTO doc_sequence (kind, day, last) VALUES ('bench', '2099-01-01', 1) "
                     "ON CONFLICT (kind, day) DO UPDATE SET last = last + 1")
        insert("case_file", dict(case, id=ids[case["id"]], number=f"9{n:021d}", query_code=f"Z{n:07d}"))
        insert("case_event", dict(event, id=ids[event["id"]], case_id=ids[case["id"]]))
        for audit in audits:
            insert("audit_log", dict(audit, id=ids[audit["id"]], row_id=ids[audit["row_id"]]))
        for pointer in outbox:
            insert("outbox", {k: v for k, v in dict(pointer, row_id=ids[pointer["row_id"]]).items() if k != "seq"})
        conn.execute("COMMIT")

    samples = timed(one, rounds)
    conn.close()
    return samples


def _floor_writes(folder: Path, rounds: int) -> list[float]:
    """Raising the numbers floor file (written and synced, with its folder, once per block of 20 numbers)."""
    from datetime import date

    from app.number_floor import NumberFloor

    floor = NumberFloor(folder / "bench-numbers.json")
    counter = iter(range(1, 10**9))
    return timed(lambda: floor.raise_to("case", date(2099, 1, 1), next(counter)), rounds)


def run(accept_rounds: int = 200, lookup_total: int = 0) -> dict[str, Any]:
    """`lookup_total` (1M in the full run) fills the database further and times finding cases in it."""
    from app.actor import Actor
    from app.printing.case_pdf import receipt_pdf
    from app.services.cases.form import CaseForm, as_catalogued
    from app.services.cases.records import accept_case, get_case
    from app.services.catalog import items as catalog
    from app.services.documents import case_sheet
    from app.services.id_numbers import id_check_digit
    from app.services.setup import SetupRequest, perform_setup
    from app.startup import open_workstation
    from tests.benchmarks.case_data import fill

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-cases-") as tmp:
        folder = Path(tmp)
        db, _ = open_workstation(folder / "ws")
        perform_setup(db, SetupRequest("220821100", "基准测试中心", "01", "1号窗口", "window", "admin", "abc12345"))
        actor = Actor(staff_id=None, staff_no="bench", name="基准测试", role="clerk", workplace="1号窗口")
        start = time.perf_counter()
        fill(db, 100_000)
        results["fill_100k_s"] = round(time.perf_counter() - start, 1)
        item = catalog.load_item(db, "SB-002")
        assert item is not None
        first17 = "22082119850312123"
        form = CaseForm("SB-002", "promised", applicant_name="何桂兰", applicant_id_number=first17 + id_check_digit(first17),
                        applicant_phone="13604362288", applicant_address="镇赉镇红旗村",
                        received=as_catalogued(item, [1, 2, 3, 4]))
        accept_case(db, actor, form)  # warm: imports, first statements
        numbers: list[str] = []
        accept = timed(lambda: numbers.append(accept_case(db, actor, form)), accept_rounds)
        bare = _bare_inserts(folder, accept_rounds)
        results["accept_at_100k_ms"] = percentiles(accept)
        results["bare_sqlite_insert_ms"] = percentiles(bare)
        results["accept_ratio_p50"] = round(statistics.median(accept) / statistics.median(bare), 1)
        # Where the acceptance's time goes besides our code (informational, beside the target's baseline):
        results["same_rows_plain_sqlite_ms"] = percentiles(_bare_same_rows(db.path, numbers[-1], accept_rounds))
        results["numbers_floor_write_ms"] = percentiles(_floor_writes(folder, accept_rounds))

        # Receipts of different cases, as each Ctrl+Enter prints a new one (nothing is reused between them).
        sheets = []
        for number in numbers[-30:]:
            record = get_case(db, number)
            assert record is not None
            sheets.append(case_sheet(db, record, None))
        bare_page = bare_page_builder(receipt_pdf(sheets[0]))
        rotation = iter(sheets)
        receipt = timed(lambda: receipt_pdf(next(rotation)), len(sheets))
        page = timed(bare_page, len(sheets))
        results["receipt_pdf_warm_ms"] = percentiles(receipt)
        results["bare_reportlab_page_ms"] = percentiles(page)
        results["receipt_ratio_p50"] = round(statistics.median(receipt) / statistics.median(page), 2)
        results["targets"] = {
            "accept_p99": target(results["accept_at_100k_ms"]["p99"], ACCEPT_P99_MS, "ms",
                                 "accepting a case at 100k cases, p99"),
            "accept_vs_bare_insert": target(results["accept_ratio_p50"], ACCEPT_VS_BARE, "×",
                                            "acceptance p50 over a bare SQLite insert transaction p50", True),
            "receipt_vs_bare_page": target(results["receipt_ratio_p50"], RECEIPT_VS_BARE, "×",
                                           "receipt PDF p50 over a bare reportlab page of its text", True),
        }
        results["projection"] = lifecycle.projection(db, actor, numbers[0])
        results["targets"]["projection_p99"] = results["projection"].pop("target")
        if lookup_total:
            results["lookup"] = _lookups(db, lookup_total, accept_rounds)
            results["due_list"] = lifecycle.due_list(db)
            results["targets"]["due_list_p99"] = results["due_list"].pop("target")
        db.dispose()
    return results


def _lookups(db: Any, lookup_total: int, accepted: int) -> dict[str, Any]:
    """Finding cases by number, name and ID fragment once the database holds `lookup_total` cases."""
    from app.services.cases.records import get_case, list_cases, search_numbers
    from tests.benchmarks.case_data import fill

    results: dict[str, Any] = {}
    start = time.perf_counter()
    fill_more = lookup_total - 100_000 - accepted - 1
    if fill_more > 0:
        fill(db, fill_more, first=100_000)
    results["fill_to_1m_s"] = round(time.perf_counter() - start, 1)
    rng = random.Random(3)
    with db.engine.connect() as conn:
        total = conn.exec_driver_sql("SELECT count(*) FROM case_file").scalar()
        numbers = [r[0] for r in conn.exec_driver_sql("SELECT number FROM case_file ORDER BY random() LIMIT 200")]
        names = [r[0] for r in conn.exec_driver_sql("SELECT applicant_name FROM case_file ORDER BY random() LIMIT 100")]
        ids = [r[0] for r in conn.exec_driver_sql(
            "SELECT applicant_id_number FROM case_file ORDER BY random() LIMIT 100")]
    results["cases_in_database"] = total
    results["find_by_number_ms"] = percentiles([timed(lambda n=n: get_case(db, n), 1)[0] for n in numbers])
    two_chars = [n[:2] if rng.random() < 0.5 else n[-2:] for n in names]

    def search(text: str) -> None:
        with db.session() as s:
            search_numbers(s, text, 50)

    results["find_by_2char_name_ms"] = percentiles([timed(lambda t=t: search(t), 1)[0] for t in two_chars])
    results["find_by_id_fragment_ms"] = percentiles([timed(lambda t=t[-6:]: search(t), 1)[0] for t in ids])
    results["list_first_page_2char_ms"] = percentiles(
        [timed(lambda t=t: list_cases(db, t, limit=50), 1)[0] for t in two_chars[:30]])
    return results

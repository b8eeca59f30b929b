"""Issue 4's figures: acceptance at 100k cases, receipt PDF, finding cases at 1M (same run baselines)."""

from __future__ import annotations

import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.measure import bare_page_builder, percentiles, timed


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


def run(accept_rounds: int = 200, lookup_total: int = 1_000_000) -> dict[str, Any]:
    from app.actor import Actor
    from app.printing.case_pdf import receipt_pdf
    from app.services import catalog
    from app.services.case_form import CaseForm, as_catalogued
    from app.services.cases import accept_case, get_case, list_cases, search_numbers
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
        accept_case(db, actor, form)  # warm: calendar, settings, imports
        accept = timed(lambda: accept_case(db, actor, form), accept_rounds)
        bare = _bare_inserts(folder, accept_rounds)
        results["accept_at_100k_ms"] = percentiles(accept)
        results["bare_sqlite_insert_ms"] = percentiles(bare)
        results["accept_ratio_p50"] = round(statistics.median(accept) / statistics.median(bare), 1)

        record = get_case(db, list_cases(db, limit=1)[0].number)
        assert record is not None
        sheet = case_sheet(db, record, None)
        bare_page = bare_page_builder(receipt_pdf(sheet))

        receipt = timed(lambda: receipt_pdf(sheet), 30)
        page = timed(bare_page, 30)
        results["receipt_pdf_warm_ms"] = percentiles(receipt)
        results["bare_reportlab_page_ms"] = percentiles(page)
        results["receipt_ratio_p50"] = round(statistics.median(receipt) / statistics.median(page), 2)

        start = time.perf_counter()
        fill_more = lookup_total - 100_000 - accept_rounds - 1
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
        db.dispose()
    return results

"""Issue 11's ledger figure: the 办件登记簿 of 100k cases to Excel, beside a bare query of the same rows,
with its memory: how far the process's resident memory rises during that export, and the peak Python
allocation (tracemalloc) exporting 5,000 and 20,000 cases. Flat memory means the peaks are about the
same, whatever the number of rows (tracing every export of 100k would triple the section's time)."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import threading
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.benchmarks.measure import target

LEDGER_S = 30
FLAT_RATIO = 2  # the peak for 20,000 cases over the peak for 5,000: rows held in memory would make it 4
RSS_GROWTH_MB = 64  # resident memory added while 100k cases are exported (a list of them would take ~300 MB)


def _done_events(db: Any) -> int:
    """A decision and a delivery for every synthetic case marked done (one in five decided late), so the
    ledger reads completion dates and recorded lateness as it would in a real year."""
    from sqlalchemy import insert, select

    from app.ids import uuid7
    from app.models import Case, CaseEvent

    with db.engine.begin() as conn:
        done = conn.execute(select(Case.id, Case.accepted_at).where(Case.status == "done")).all()
        rows = []
        for n, (case_id, accepted) in enumerate(done):
            decided, delivered = accepted + timedelta(days=12), accepted + timedelta(days=14)
            late = {"overdue_days": 2, "late_reason": "材料复核"} if n % 5 == 0 else {"overdue_days": 0}
            for kind, at, details in (("approved", decided, {"result": "准予", **late}),
                                      ("delivered", delivered, {"method": "pickup", "receiver": "申请人"})):
                rows.append({"id": uuid7(), "origin_node": "01", "created_at": at, "updated_at": at, "case_id": case_id,
                             "kind": kind, "at": at, "staff_name": "李秀兰",
                             "details": json.dumps(details, ensure_ascii=False, sort_keys=True)})
        for start in range(0, len(rows), 20_000):
            conn.execute(insert(CaseEvent), rows[start:start + 20_000])
    return len(done)


def _bare_query(database: Path) -> float:
    """Seconds to read every case row in ledger order with plain sqlite3: what SQLite itself needs."""
    conn = sqlite3.connect(database)
    start = time.perf_counter()
    count = sum(1 for _ in conn.execute("SELECT * FROM case_file ORDER BY accepted_at, number"))
    elapsed = time.perf_counter() - start
    conn.close()
    assert count
    return elapsed


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class _RssPeak:
    """The highest resident memory seen while a block runs (sampled every 20 ms), above where it began."""

    def __enter__(self) -> _RssPeak:
        self.start = self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())

    @property
    def growth(self) -> float:
        return self.peak - self.start


def _peak_mb(fn: Any) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def run(total: int = 100_000) -> dict[str, Any]:
    from app.services.cases.ledger import LedgerFilter, export_ledger
    from app.services.setup import SetupRequest, perform_setup
    from app.startup import open_workstation
    from tests.benchmarks.case_data import fill, synthetic_number

    results: dict[str, Any] = {"cases": total}
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as tmp:
        folder = Path(tmp)
        db, _ = open_workstation(folder / "ws")
        perform_setup(db, SetupRequest("220821100", "基准测试中心", "01", "1号窗口", "window", "admin", "abc12345"))
        fill(db, total)
        results["completed_cases"] = _done_events(db)
        results["bare_query_s"] = round(_bare_query(db.path), 2)
        export_ledger(db, folder / "warm.xlsx", LedgerFilter(date_to=synthetic_number(0)[1]))  # imports, caches
        with _RssPeak() as rss:
            start = time.perf_counter()
            written = export_ledger(db, folder / "ledger.xlsx")
            results["ledger_xlsx_s"] = round(time.perf_counter() - start, 2)
        assert written == total
        results["rss_growth_mb"] = round(rss.growth, 1)
        results["xlsx_mb"] = round((folder / "ledger.xlsx").stat().st_size / 2**20, 1)
        results["ratio_to_bare_query"] = round(results["ledger_xlsx_s"] / max(results["bare_query_s"], 1e-3), 1)
        peaks = {}
        for cases in (5_000, 20_000):
            upto = LedgerFilter(date_to=synthetic_number(cases - 1)[1] - timedelta(days=1))  # whole days only
            peaks[cases] = _peak_mb(lambda f=upto: export_ledger(db, folder / "part.xlsx", f))
        results["tracemalloc_peak_mb"] = {f"{k:,} cases": round(v, 1) for k, v in peaks.items()}
        flat = peaks[20_000] / max(peaks[5_000], 0.1)
        results["peak_ratio_20k_to_5k"] = round(flat, 2)
        results["targets"] = {
            "ledger_100k_xlsx": target(results["ledger_xlsx_s"], LEDGER_S, "s",
                                       f"办件登记簿 of {total:,} cases to Excel (streamed)"),
            "ledger_rss_growth": target(rss.growth, RSS_GROWTH_MB, "MB",
                                        f"resident memory added while exporting {total:,} cases"),
            "ledger_memory_flat": target(flat, FLAT_RATIO, "×",
                                         "peak Python memory exporting 20,000 cases over exporting 5,000", True),
        }
        db.dispose()
    return results

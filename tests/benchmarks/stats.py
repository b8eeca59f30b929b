"""Issue 13's statistics figures: a township's year (1M cases with events, ratings, complaints; see
stats_data.py) and the month's report counted from it.

- every figure of the month's report on the workstation (SQLite) < 2 s: `monthly.gather` (the township,
  window, staff and item tables, the 12-month trend and the satisfaction split), beside the bare count of
  the month's cases (SELECT count(*) FROM case_file WHERE accepted_at in the month) and the ratio;
- the same at the centre on PostgreSQL < 1 s, over a copy of the year in the centre's replica tables;
- the monthly PDF with charts < 3 s (gathering and drawing, as `report --period` does).

A statement running past BUDGET_S is interrupted, so a query that needs an index fails its target
instead of running for hours; the slowest statements of each measurement are printed with their plan.
The year is generated once and kept (stats_data.cache_dir()).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from tests.benchmarks.measure import spread, target
from tests.benchmarks.stats_data import MONTH_FIRST, MONTH_LAST, TODAY

WORKSTATION_S, CENTRE_S, PDF_S = 2, 1, 3
BUDGET_S = 30  # one statement longer than this is stopped: the figure has failed its target anyway
PERIOD = f"{MONTH_FIRST:%Y-%m}"


def _progress(message: str) -> None:
    print(f"[stats] {message}", file=sys.stderr, flush=True)


class Statements:
    """Times every statement an engine runs while `recording`, and stops one that runs past the budget
    (SQLite: a progress handler; PostgreSQL: statement_timeout set on the connection by the caller)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.log: list[tuple[float, str, Any]] = []
        self.deadline = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        conn.info["stats_bench_t0"] = time.perf_counter()
        driver = conn.connection.driver_connection
        if isinstance(driver, sqlite3.Connection):
            self.deadline = time.perf_counter() + BUDGET_S
            driver.set_progress_handler(lambda: int(time.perf_counter() > self.deadline), 100_000)

    def _after(self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        self.log.append((time.perf_counter() - conn.info.pop("stats_bench_t0", time.perf_counter()), statement, params))

    @contextmanager
    def recording(self) -> Iterator[list[tuple[float, str, Any]]]:
        self.log = []
        yield self.log

    def slowest(self, log: list[tuple[float, str, Any]], count: int = 3) -> list[dict[str, Any]]:
        return [{"ms": round(seconds * 1000, 1), "sql": " ".join(sql.split())[:300]}
                for seconds, sql, _ in sorted(log, key=lambda e: -e[0])[:count]]


def _measure(fn: Callable[[], Any], rounds: int = 3) -> tuple[dict[str, float] | None, str | None]:
    """Seconds per call (a first round, then more only when it ran in reasonable time), or the error."""
    samples: list[float] = []
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
            if samples[-1] > 20:
                break
    except Exception as exc:  # noqa: BLE001 - a figure that fails is reported, the bench goes on
        return (spread(samples, 3) if samples else None), f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
    return spread(samples, 3), None


def _plan(engine: Engine, sql: str, params: Any) -> list[str]:
    """The plan of a statement that was slow: where it reads without an index."""
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        if isinstance(driver, sqlite3.Connection):
            return [str(row[3]) for row in driver.execute("EXPLAIN QUERY PLAN " + sql, params)]
        with driver.cursor() as cur:  # type: ignore[union-attr]
            cur.execute("EXPLAIN " + sql, params)
            return [str(row[0]) for row in cur.fetchall()][:40]


def _figures(source: Any, engine: Engine, statements: Statements, bare: Callable[[], int], limit: float,
             label: str) -> dict[str, Any]:
    """The month's report figures from one source, the township table alone, and the bare count."""
    from app.services.stats.monthly import gather
    from app.services.stats.report import figures_for

    out: dict[str, Any] = {}
    start = time.perf_counter()
    out["month_cases"] = bare()
    bare_s = [time.perf_counter() - start]
    for _ in range(4):
        start = time.perf_counter()
        bare()
        bare_s.append(time.perf_counter() - start)
    out["bare_count_ms"] = round(min(bare_s) * 1000, 2)
    with statements.recording() as log:
        out["township_s"], error = _measure(lambda: figures_for(source, MONTH_FIRST, MONTH_LAST, None, today=TODAY))
        if error:
            out["township_error"] = error
        out["township_slowest"] = statements.slowest(log)
    with statements.recording() as log:
        out["report_figures_s"], error = _measure(lambda: gather(source, PERIOD, today=TODAY))
        if error:
            out["report_figures_error"] = error
        out["report_figures_slowest"] = statements.slowest(log, 5)
        slowest = max(log, key=lambda e: e[0], default=None)
    out["report_parts"] = _parts(source, statements)
    if slowest is not None and slowest[0] > limit / 4:
        try:
            out["slowest_plan"] = _plan(engine, slowest[1], slowest[2])
        except Exception as exc:  # noqa: BLE001 - the plan is a help, not a figure
            out["slowest_plan"] = [f"{type(exc).__name__}: {exc}"]
    value = out["report_figures_s"]["p50"] if out["report_figures_s"] and "report_figures_error" not in out \
        else float(BUDGET_S)
    out["ratio_to_bare_count"] = round(value * 1000 / max(out["bare_count_ms"], 0.01), 1)
    _progress(f"{label}: report figures {value:.2f} s, bare count {out['bare_count_ms']} ms")
    return out


def _parts(source: Any, statements: Statements) -> dict[str, Any]:
    """Where the report's time goes: its four tables, the 12-month trend, the satisfaction split (one round)."""
    from app.services.stats.report import tables_for
    from app.services.stats.series import monthly_trend, satisfaction_split

    parts: dict[str, Callable[[], Any]] = {
        "tables": lambda: tables_for(source, MONTH_FIRST, MONTH_LAST, (None, "window", "staff", "item"), TODAY),
        "trend_12_months": lambda: monthly_trend(source, MONTH_LAST, 12, today=TODAY),
        "satisfaction_split": lambda: satisfaction_split(source, MONTH_FIRST, MONTH_LAST),
    }
    out: dict[str, Any] = {}
    for name, fn in parts.items():
        with statements.recording() as log:
            measured, error = _measure(fn, rounds=1)
            out[name] = {"s": measured["p50"] if measured else None, "statements": len(log),
                         "slowest": statements.slowest(log, 1), **({"error": error} if error else {})}
    return out


def _workstation(folder: Path) -> tuple[dict[str, Any], Any]:
    from app.services.stats.periods import make_period
    from app.startup import open_workstation

    db, _ = open_workstation(folder)
    period = make_period(MONTH_FIRST, MONTH_LAST)
    bounds = (period.start.strftime("%Y-%m-%d %H:%M:%S.%f"), period.end.strftime("%Y-%m-%d %H:%M:%S.%f"))
    plain = sqlite3.connect(db.path)

    def bare() -> int:
        return int(plain.execute("SELECT count(*) FROM case_file WHERE accepted_at >= ? AND accepted_at < ?",
                                 bounds).fetchone()[0])

    statements = Statements(db.engine)
    out = _figures(db, db.engine, statements, bare, WORKSTATION_S, "workstation")
    plain.close()
    return out, db


def _centre(db: Any) -> dict[str, Any]:
    """The same report's figures at the centre, through `center report`'s own source (app.center.report)."""
    from sqlalchemy import create_engine, text

    from app.center.report import center_source
    from app.center.runtime import Center
    from app.services.stats.periods import make_period
    from tests.benchmarks.stats_data import CENTRE_DATABASE, cache_dir, ensure_centre

    url, server, info = ensure_centre(db, _progress)
    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:  # new sessions stop a statement past the budget
        conn.execute(text(f'ALTER DATABASE "{CENTRE_DATABASE}" SET statement_timeout = {BUDGET_S * 1000}'))
    admin.dispose()
    center = Center(cache_dir() / "centre", url)
    engine = center.engine
    period = make_period(MONTH_FIRST, MONTH_LAST)

    def bare() -> int:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM case_file WHERE accepted_at >= :a AND accepted_at < :b"),
                                    {"a": period.start.replace(tzinfo=None), "b": period.end.replace(tzinfo=None)})
                       .scalar_one())

    out = {"data": info, "source": "app.center.report.center_source (what `center report` counts from)",
           **_figures(center_source(center), engine, Statements(engine), bare, CENTRE_S, "centre")}
    engine.dispose()
    del server  # stopped at exit; its data folder stays in the cache
    return out


def _pdf(db: Any) -> dict[str, Any]:
    """The month's report PDF as `report --period` makes it: figures gathered, charts and tables drawn."""
    from app.services.stats.monthly import gather, write_report

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-stats-pdf-") as tmp:
        path = Path(tmp) / "report.pdf"

        def build() -> None:
            write_report(gather(db, PERIOD, today=TODAY), path, "镇赉镇民生服务中心", "基准测试")

        out["report_pdf_s"], error = _measure(build)
        if error:
            out["error"] = error
        else:
            data = gather(db, PERIOD, today=TODAY)
            out["draw_only_s"], _ = _measure(lambda: write_report(data, path, "镇赉镇民生服务中心", "基准测试"))
            out["bytes"] = path.stat().st_size
    return out


def run() -> dict[str, Any]:
    from tests.benchmarks.stats_data import cache_dir, check_sample, ensure_year

    folder, info = ensure_year(_progress)
    info["cache"] = str(cache_dir())
    info["cases_checked_against_the_fold"] = check_sample(Path(info["database"]))
    results: dict[str, Any] = {"data": info, "month": PERIOD, "today": TODAY.isoformat()}
    results["workstation"], db = _workstation(folder)
    if "report_figures_error" in results["workstation"]:  # the PDF gathers the same figures: it would fail alike
        results["report_pdf"] = {"error": "not measured: the month's figures did not finish (see workstation)"}
    else:
        results["report_pdf"] = _pdf(db)
    try:
        results["centre"] = _centre(db)
    except Exception as exc:  # noqa: BLE001 - no PostgreSQL: the workstation's figures still count
        results["centre"] = {"error": f"{type(exc).__name__}: {exc}"}
    db.dispose()

    def seconds(section: dict[str, Any], key: str, error_key: str) -> float:
        measured = section.get(key)
        return float(BUDGET_S) if not measured or error_key in section else float(measured["p50"])

    results["targets"] = {
        "workstation_month_figures": target(
            seconds(results["workstation"], "report_figures_s", "report_figures_error"), WORKSTATION_S, "s",
            "工作站（SQLite，100万件）月报全部数字：全镇、按窗口、按人员、按事项、12个月走势、满意度构成"),
        "centre_month_figures": target(
            seconds(results["centre"], "report_figures_s", "report_figures_error"), CENTRE_S, "s",
            "中心（PostgreSQL）同一月报全部数字"),
        "month_report_pdf": target(seconds(results["report_pdf"], "report_pdf_s", "error"), PDF_S, "s",
                                   "月度统计报表PDF（含图表），从统计到成文"),
    }
    return results


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))

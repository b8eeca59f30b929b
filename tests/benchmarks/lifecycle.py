"""Issue 11's figures: projecting one case of 50 events, and a clerk's due-today and overdue list at 1M
cases, each beside a bare query of the same rows."""

from __future__ import annotations

import sqlite3
import statistics
from datetime import date, timedelta
from typing import Any

from tests.benchmarks.measure import percentiles, target, timed

PROJECTION_P99_MS = 2
DUE_LIST_P99_MS = 50


def projection(db: Any, actor: Any, number: str, rounds: int = 300) -> dict[str, Any]:
    """`number` is an accepted case; it is given 49 more events (visits, special procedures) first."""
    from sqlalchemy import func, select

    from app.clock import local_today
    from app.models import Case, CaseEvent
    from app.services.cases.deadlines import pause_case, resume_case
    from app.services.cases.joint import record_visit
    from app.services.cases.records import deadline_rules, project_case

    today = local_today()
    for i in range(21):  # 21 visits + 7 × (pause, its recomputation, resume, its recomputation) = 49
        record_visit(db, actor, number, "咨询进度")
        if i % 3 == 0:
            pause_case(db, actor, number, "专家评审", today, 2)
            resume_case(db, actor, number, today)
    rules = deadline_rules(db)
    with db.session() as s:
        case = s.scalar(select(Case).where(Case.number == number))
        events = s.scalar(select(func.count()).where(CaseEvent.case_id == case.id))
        project_case(s, case, rules, today)  # warm
        samples = timed(lambda: project_case(s, case, rules, today), rounds)
        case_id = case.id
    with sqlite3.connect(db.path) as conn:
        bare = timed(lambda: conn.execute("SELECT kind, at, details FROM case_event WHERE case_id = ? ORDER BY at, id",
                                          (case_id,)).fetchall(), rounds)
    conn.close()
    result: dict[str, Any] = {"events": events, "project_one_case_ms": percentiles(samples),
                              "bare_select_of_its_events_ms": percentiles(bare)}
    result["ratio_p50"] = round(statistics.median(samples) / statistics.median(bare), 1)
    result["target"] = target(result["project_one_case_ms"]["p99"], PROJECTION_P99_MS, "ms",
                              "projecting one case of 50 events from the database, p99")
    return result


def due_list(db: Any, open_share: float = 0.001, rounds: int = 100) -> dict[str, Any]:
    """The 预警 list's first page and the status bar's counts, at whatever the database holds."""
    from app.clock import local_today
    from app.services.cases.records import URGENT, due_summary, page_cases

    today = local_today()
    with db.engine.begin() as conn:  # a real backlog: a few old cases still open, some due within days
        conn.exec_driver_sql("UPDATE case_file SET status = 'accepted', due_date = ? WHERE rowid % ? = 0",
                             ((today - timedelta(days=3)).isoformat(), int(1 / open_share)))
        conn.exec_driver_sql("UPDATE case_file SET status = 'accepted', due_date = ? WHERE rowid % ? = 1",
                             ((today + timedelta(days=1)).isoformat(), int(1 / open_share)))
        total = conn.exec_driver_sql("SELECT count(*) FROM case_file").scalar()
        lit = conn.exec_driver_sql("SELECT count(*) FROM case_file WHERE status = 'accepted' AND due_date <= ?",
                                   ((today + timedelta(days=7)).isoformat(),)).scalar()
    page_cases(db, status=URGENT)  # warm
    page = timed(lambda: page_cases(db, status=URGENT), rounds)
    summary = timed(lambda: due_summary(db), rounds)
    horizon = (today + timedelta(days=4)).isoformat()
    with sqlite3.connect(db.path) as conn:
        def bare() -> None:
            conn.execute("SELECT count(*) FROM case_file WHERE status IN ('accepted') AND due_date <= ?",
                         (horizon,)).fetchone()
            conn.execute("SELECT * FROM case_file WHERE status IN ('accepted') AND due_date <= ? "
                         "ORDER BY due_date, number LIMIT 50", (horizon,)).fetchall()
        bare_samples = timed(bare, rounds)
    conn.close()
    result: dict[str, Any] = {"cases_in_database": total, "lit_cases": lit, "today": date.isoformat(today),
                              "urgent_first_page_ms": percentiles(page), "due_summary_ms": percentiles(summary),
                              "bare_same_rows_ms": percentiles(bare_samples)}
    result["target"] = target(result["urgent_first_page_ms"]["p99"], DUE_LIST_P99_MS, "ms",
                              f"a clerk's due-today and overdue list at {total:,} cases, p99")
    return result

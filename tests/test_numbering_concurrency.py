"""Two or three programs on one data folder (the desktop and the CLI, say) never share a number.

Each worker is a separate process (spawn, as on Windows) with its own engine on the same database
and the same floor file; they start together and accept cases and log inquiries as fast as they can.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.actor import Actor
from app.database import Database
from app.services.numbering import BLOCK, floor_for

WORKERS = 3
ROUNDS = 20
NOW = datetime(2026, 11, 20, 2, 30, tzinfo=UTC)


def _work(db_path: str, password: str, start: Any, results: Any) -> None:
    """One program's worth of acceptances; reports its numbers, or the error it would have shown."""
    from app.services.inquiries.register import InquiryForm, register_inquiry
    from app.services.people.auth import login
    from tests.sync_helpers import Station, accept

    db = Database(Path(db_path))
    station = Station(db, None, "01")  # type: ignore[arg-type]  # no centre: only accept() is used
    numbers: list[str] = []
    try:
        actor: Actor = login(db, "admin", password)
        start.wait(timeout=60)
        for n in range(ROUNDS):
            numbers.append(accept(station, actor, n, now=NOW))
            numbers.append(register_inquiry(db, actor, InquiryForm(
                citizen_name="张桂芳", citizen_phone="13904367788", channel="onsite", question="低保怎么申请？",
                outcome="answered", answer="请带户口簿和身份证到2号窗口。"), now=NOW).number)
        results.put(("ok", numbers))
    except BaseException:  # the test reports what the desktop would have shown as a crash
        results.put(("error", traceback.format_exc()))
    finally:
        db.dispose()


def _outcomes(results: Any, workers: list[Any]) -> list[tuple[str, Any]]:
    """What each worker reported; fails at once, not after minutes, if one died before it could report
    (an import error in a spawned process is raised before _work's own error handling)."""
    outcomes: list[tuple[str, Any]] = []
    deadline = time.monotonic() + 240
    while len(outcomes) < len(workers):
        try:
            outcomes.append(results.get(timeout=1))
        except queue.Empty:
            died = [w.exitcode for w in workers if w.exitcode not in (None, 0)]
            assert not died, f"a worker died without reporting (exit codes {died}); see its stderr above"
            assert time.monotonic() < deadline, "the workers did not finish within 240 s"
    return outcomes


def test_concurrent_processes_take_distinct_numbers(db: Database, admin: Actor) -> None:
    from tests.conftest import ADMIN_PASSWORD

    db.dispose()
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    workers = [ctx.Process(target=_work, args=(str(db.path), ADMIN_PASSWORD, start, results)) for _ in range(WORKERS)]
    for w in workers:
        w.start()
    outcomes = _outcomes(results, workers)
    for w in workers:
        w.join(timeout=60)
    errors = [detail for kind, detail in outcomes if kind == "error"]
    assert not errors, errors[0]
    numbers = [n for _kind, batch in outcomes for n in batch]
    assert len(numbers) == WORKERS * ROUNDS * 2
    assert len(set(numbers)) == len(numbers), "a number was handed out twice"
    cases = sorted(n for n in numbers if not n.startswith("SW"))
    inquiries = sorted(n for n in numbers if n.startswith("SW"))
    assert [int(n[-5:]) for n in cases] == list(range(1, WORKERS * ROUNDS + 1))  # no gaps either
    assert [int(n[-4:]) for n in inquiries] == list(range(1, WORKERS * ROUNDS + 1))
    day = NOW.astimezone().date().isoformat()
    floors = floor_for(db.path).read()
    for kind in ("case", "inquiry"):  # reserved block by block: at most one block beyond the last number
        assert WORKERS * ROUNDS <= floors[f"{kind}:{day}"] < WORKERS * ROUNDS + BLOCK
    leftovers = [p.name for p in db.path.parent.iterdir() if p.suffix == ".tmp"]
    assert leftovers == []

"""Issue 12's default-rating figure: 100k delivered cases, none rated, get 基本满意 in one run of the
default job (< 10 s), and a second run writes nothing (the rows' ids come from the cases)."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.benchmarks.measure import target

DEFAULTS_S = 10


def run(total: int = 100_000) -> dict[str, Any]:
    from sqlalchemy import func, select, text

    from app.models.ratings import Rating
    from app.services.ratings.defaults import apply_default_ratings
    from app.services.setup import SetupRequest, perform_setup
    from app.startup import open_workstation
    from tests.benchmarks.case_data import fill
    from tests.benchmarks.ledger import _done_events

    results: dict[str, Any] = {"cases": total}
    with tempfile.TemporaryDirectory(prefix="bench-ratings-") as tmp:
        db, _ = open_workstation(Path(tmp) / "ws")
        perform_setup(db, SetupRequest("220821100", "基准测试中心", "01", "1号窗口", "window", "admin", "abc12345"))
        fill(db, total)
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE case_file SET status = 'done'"))
        results["delivered_cases"] = _done_events(db)
        later = datetime(2100, 1, 4, 2, 0, tzinfo=UTC)  # every rating period is long over
        start = time.perf_counter()
        written = apply_default_ratings(db, now=later)
        results["defaults_s"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        again = apply_default_ratings(db, now=later)
        results["second_run_s"] = round(time.perf_counter() - start, 2)
        with db.session() as s:
            stored = s.scalar(select(func.count()).select_from(Rating))
        assert written == total == stored and again == 0, (written, stored, again)
        results["second_run_written"] = again
        db.dispose()
    results["targets"] = {
        "default_ratings_100k": target(results["defaults_s"], DEFAULTS_S, "s",
                                       "为10万件办结未评价的办件记默认评价（再次运行不新增）"),
    }
    return results


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))

"""`main.py cases list` as a whole process (start, open, every case printed), on a window's database
after a year (10,000 cases besides the demo's) and on a director's (100,000), output to a pipe."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.measure import spread, target

ROOT = Path(__file__).resolve().parents[2]
CASES_LIST_S = 1.0


def _cases_list(data_dir: Path) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "main.py", "--data-dir", str(data_dir), "cases", "list"], cwd=ROOT,
                          check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, done.stdout.count(b"\n")


def run(rounds: int = 5, window_dir: Path | None = None) -> dict[str, Any]:
    from tests.benchmarks.workstation import make_workstation

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        for label, count in (("window_10k", 10_000), ("director_100k", 100_000)):
            folder = window_dir if window_dir is not None and count == 10_000 else Path(tmp) / label
            if not (folder / "workstation.sqlite3").exists():
                make_workstation(folder, count)
            _cases_list(folder)  # the day's first start makes the daily backup; warms the OS file cache
            runs = [_cases_list(folder) for _ in range(rounds)]
            results[f"cases_list_{label}_s"] = spread([seconds for seconds, _lines in runs], 2)
            results[f"cases_list_{label}_lines"] = runs[0][1]
    results["targets"] = {
        "cases_list_process": target(results["cases_list_window_10k_s"]["p50"], CASES_LIST_S, "s",
                                     "`main.py cases list` as a whole process, a window's 10,000 cases"),
    }
    return results

"""Issue 10's GUI figures, each path timed in fresh processes driving the real widgets offscreen
(tests.benchmarks.gui_probe): login to a usable main window, Ctrl+Enter to the receipt preview on
screen, Ctrl+P to the one-time notice's preview on screen. The workstation holds the demo data and
10,000 cases, as a window's does after a year."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.benchmarks.measure import spread, target

ROOT = Path(__file__).resolve().parents[2]
LOGIN_MS = 500
RECEIPT_MS = 300
NOTICE_MS = 400


def probe(scenario: str, data_dir: Path, rounds: int = 1, warm_ups: list[float] | None = None) -> list[float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-m", "tests.benchmarks.gui_probe", scenario, str(data_dir), str(rounds)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"gui probe {scenario} printed nothing: {done.stderr[-2000:]}")
    result = json.loads(lines[-1])
    if "error" in result:
        raise RuntimeError(f"gui probe {scenario}: {result['error']}")
    if warm_ups is not None:
        warm_ups.append(float(result["warm_up_ms"]))
    return [float(ms) for ms in result["ms"]]


def run(processes: int = 5, prints_per_process: int = 4, data_dir: Path | None = None) -> dict[str, Any]:
    from tests.benchmarks.workstation import make_workstation

    with tempfile.TemporaryDirectory(prefix="bench-gui-") as tmp:
        folder = data_dir or make_workstation(Path(tmp) / "ws")
        probe("login", folder)  # the day's first start makes the daily backup; warms the OS file cache
        warm_ups: list[float] = []
        login = [probe("login", folder, warm_ups=warm_ups)[0] for _ in range(processes)]
        at_once = [probe("login_at_once", folder)[0] for _ in range(max(1, processes // 2))]
        accept_first, accept_later, notice_first, notice_later = [], [], [], []
        for _ in range(max(1, processes // 2)):
            times = probe("accept", folder, prints_per_process)
            accept_first.append(times[0])
            accept_later += times[1:]
            times = probe("notice", folder, prints_per_process)
            notice_first.append(times[0])
            notice_later += times[1:]
    results: dict[str, Any] = {
        "login_to_usable_window_ms": spread(login),
        "login_window_warm_up_ms": spread(warm_ups),
        "login_at_once_to_usable_window_ms": spread(at_once),
        "accept_to_receipt_preview_first_ms": spread(accept_first),
        "accept_to_receipt_preview_later_ms": spread(accept_later),
        "notice_preview_first_ms": spread(notice_first),
        "notice_preview_later_ms": spread(notice_later),
        "note": "fresh process per round; Enter is pressed once the login window's warm-up is done (the clerk "
                "types meanwhile; 'at_once': the moment the window shows); 'first' is the first print after "
                "login, 'later' the ones after it",
    }
    results["targets"] = {
        "login_to_usable_window": target(results["login_to_usable_window_ms"]["p50"], LOGIN_MS, "ms",
                                         "Enter on the login window to the main window shown with its first "
                                         "screen filled and nothing left loading"),
        "accept_to_receipt_preview": target(
            max(results["accept_to_receipt_preview_first_ms"]["p50"], results["accept_to_receipt_preview_later_ms"]["p50"]),
            RECEIPT_MS, "ms", "Ctrl+Enter in F6 to the receipt's first page painted (the slower of first and later)"),
        "notice_preview": target(
            max(results["notice_preview_first_ms"]["p50"], results["notice_preview_later_ms"]["p50"]),
            NOTICE_MS, "ms", "Ctrl+P in F4 to the notice's first page painted (the slower of first and later)"),
    }
    return results

"""Start-up: process start to the login window shown, from the checkout and from the frozen bundle
(`make dist`, which `make bench` builds first), beside a bare Qt window in the same run, and the first
start of training mode (its database made and filled with demo data before the login window)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.measure import spread, target

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "minsheng"
TRAINING_FIRST_START_S = 3.0
BARE_QT = (
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\n"
    "w = QMainWindow(); w.setWindowTitle('bare'); w.show()\n"
    "QTimer.singleShot(0, lambda: (print('LOGIN_SHOWN', flush=True), app.quit()))\n"
    "app.exec()\n"
)


def _time_until_shown(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "LOGIN_SHOWN":
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError(f"window never shown: {command}")
    process.wait(timeout=30)
    return elapsed


def run(rounds: int = 7, training_rounds: int = 3) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MINSHENG_BENCH_STARTUP="1")
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        data = Path(tmp) / "ws"
        subprocess.run(
            [sys.executable, "main.py", "--data-dir", str(data), "setup", "--center-code", "220821100",
             "--center-name", "基准测试中心", "--node-code", "01", "--node-name", "1号窗口",
             "--node-kind", "window", "--admin-user", "admin", "--admin-password-stdin"],
            cwd=ROOT, env=env, check=True, capture_output=True, input=b"abc12345\n",
        )
        app_cmd = [sys.executable, "main.py", "--data-dir", str(data)]
        bare_cmd = [sys.executable, "-c", BARE_QT]
        frozen = BUNDLE / ("minsheng.exe" if sys.platform == "win32" else "minsheng")
        frozen_cmd = [str(frozen), "--data-dir", str(data)] if frozen.exists() else None
        _time_until_shown(app_cmd, env)  # warm the OS file cache once; also makes today's backup
        if frozen_cmd:
            _time_until_shown(frozen_cmd, env)
        app_times, bare_times, frozen_times = [], [], []
        for _ in range(rounds):
            app_times.append(_time_until_shown(app_cmd, env))
            bare_times.append(_time_until_shown(bare_cmd, env))
            if frozen_cmd:
                frozen_times.append(_time_until_shown(frozen_cmd, env))
        training = [_time_until_shown([sys.executable, "main.py", "--data-dir", str(Path(tmp) / f"t{n}"), "--training"],
                                      env) for n in range(training_rounds)]
    app_ms = statistics.median(app_times) * 1000
    bare_ms = statistics.median(bare_times) * 1000
    first_training = spread(training, 2)
    bundle: dict[str, Any] = {"error": "dist/minsheng not built: run `make dist`"}
    if frozen_times:
        size = sum(f.stat().st_size for f in BUNDLE.rglob("*") if f.is_file() and not f.is_symlink())
        bundle = {"startup_to_login_ms_p50": round(statistics.median(frozen_times) * 1000, 1),
                  "ratio_vs_checkout": round(statistics.median(frozen_times) * 1000 / app_ms, 2),
                  "bundle_mb": round(size / 1e6, 1)}
    return {
        "startup_to_login_ms_p50": round(app_ms, 1),
        "frozen_bundle": bundle,
        "bare_qt_window_ms_p50": round(bare_ms, 1),
        "startup_ratio_vs_bare_qt": round(app_ms / bare_ms, 2),
        "rounds": rounds,
        "training_first_start_to_login_s": first_training,
        "targets": {
            "training_first_start": target(first_training["p50"], TRAINING_FIRST_START_S, "s",
                                           "`main.py --training` on a machine without a training database, "
                                           "process start to the login window (database filled with demo data)"),
        },
    }

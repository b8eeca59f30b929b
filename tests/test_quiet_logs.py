"""The workstation's log and console stay quiet where nothing happened: a queue poll (every 1.5 s at the
hall display) writes no log line, and Qt's multimedia back end does not chatter at every start."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.center.nodes import make_enroll_code
from app.center.runtime import Center
from app.logs import quiet_qt_logging, setup_logging
from app.services.queue import client as queue
from app.startup import open_workstation
from app.sync.join import join
from tests.sync_helpers import LiveServer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def live(center: Center) -> Iterator[LiveServer]:
    server = LiveServer(center)
    yield server
    server.stop()


def test_a_queue_poll_writes_no_log_line(center: Center, live: LiveServer, tmp_path: Path) -> None:
    db, _ = open_workstation(tmp_path / "hall")
    join(db, live.url, make_enroll_code(center.engine, "01", "1号窗口", "window"))
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    try:
        assert setup_logging(tmp_path / "logs")
        log_file = tmp_path / "logs" / "workstation.log"
        logging.getLogger("app.test").info("start")  # the log works: this line is in it
        for _ in range(3):
            assert queue.status(db).categories[0].name == "综合"
        for handler in root.handlers:
            handler.flush()
        lines = log_file.read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1 and lines[0].endswith("app.test: start"), lines
        logging.getLogger("httpx").warning("a warning still shows")
        assert "a warning still shows" in log_file.read_text(encoding="utf-8")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)
        db.dispose()


def test_the_quiet_rule_is_added_once_and_the_users_rules_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_LOGGING_RULES", "qt.multimedia.ffmpeg=true")
    quiet_qt_logging()
    quiet_qt_logging()
    assert os.environ["QT_LOGGING_RULES"] == "qt.multimedia.*=false;qt.multimedia.ffmpeg=true"


def test_the_smoke_test_prints_no_multimedia_chatter(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_LOGGING_RULES"}
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path / "d"), "--smoke"],
                         capture_output=True, text=True, cwd=ROOT, env={**env, "QT_QPA_PLATFORM": "offscreen"},
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr[-2000:]
    assert "高拍仪组件已加载" in run.stdout  # the camera stack did load: its silence is not its absence
    assert "qt.multimedia" not in run.stdout + run.stderr, run.stderr

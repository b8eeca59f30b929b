"""The command line shows a long command's progress on a terminal, stays quiet when piped, and Ctrl+C
stops it cleanly: 已取消, exit 130, no file."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cli import EXIT_CANCELLED, main
from app.database import Database
from app.services.inquiries import register as inquiries
from tests.test_lists_paging import add_inquiries

ROOT = Path(__file__).resolve().parent.parent


def export_command(data_dir: Path, path: Path) -> list[str]:
    return [sys.executable, "main.py", "--data-dir", str(data_dir), "inquiries", "export", str(path)]


def test_piped_output_has_no_progress_line(db: Database, data_dir: Path, tmp_path: Path) -> None:
    add_inquiries(db, 1500)
    result = subprocess.run(export_command(data_dir, tmp_path / "r.xlsx"), capture_output=True, text=True,
                            cwd=ROOT, env=dict(os.environ, PYTHONIOENCODING="utf-8"), stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert "已导出 1500 条" in result.stdout
    assert "\r" not in result.stderr and "正在" not in result.stderr  # a log or a script sees only the result


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_terminal_sees_the_progress_line(db: Database, data_dir: Path, tmp_path: Path) -> None:
    import pty

    add_inquiries(db, 1500)
    master, slave = pty.openpty()
    process = subprocess.Popen(export_command(data_dir, tmp_path / "r.xlsx"), cwd=ROOT, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=slave, env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not select.select([master], [], [], 1)[0]:
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal's other end closed (Linux says EIO)
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    stdout, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    terminal = seen.decode("utf-8", errors="replace")
    assert "\r正在导出首问登记" in terminal
    assert "1,500 / 1,500 100%" in terminal
    assert terminal.endswith("\r")  # wiped before the result is printed
    assert "已导出 1500 条" in stdout.decode("utf-8")


def test_ctrl_c_cancels_with_exit_130_and_leaves_no_file(db: Database, data_dir: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    add_inquiries(db, 800)
    real = inquiries.iter_inquiries

    def interrupted(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for n, record in enumerate(real(*args, **kwargs)):
            if n == 300:
                os.kill(os.getpid(), signal.SIGINT)  # the clerk presses Ctrl+C half-way
            yield record

    monkeypatch.setattr(inquiries, "iter_inquiries", interrupted)
    path = tmp_path / "out" / "r.xlsx"
    assert main(["--data-dir", str(data_dir), "inquiries", "export", str(path)]) == EXIT_CANCELLED == 130
    assert "已取消" in capsys.readouterr().err
    assert not path.exists() and not list(path.parent.glob("*"))
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # Ctrl+C is itself again

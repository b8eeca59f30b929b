"""One desktop program per database: a second copy is refused in Chinese, a dead holder frees the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.instance_lock import AlreadyRunningError, InstanceLock
from app.paths import DataLayout

ROOT = Path(__file__).resolve().parent.parent
HOLDER = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from app.instance_lock import AlreadyRunningError, InstanceLock\n"
    "from app.paths import DataLayout\n"
    "try:\n"
    "    InstanceLock(DataLayout(Path(sys.argv[1]), sys.argv[2] == 'training')).acquire()\n"
    "except AlreadyRunningError as exc:\n"
    "    sys.exit(exc.message)\n"
    "print('LOCKED', flush=True)\n"
    "time.sleep(120)\n"
)


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the lock of tmp_path/data's real database."""
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path / "data"), "real"], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "LOCKED"
    yield process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)
    process.stdout.close()


def test_second_process_is_refused_in_chinese(holder: subprocess.Popen[str], tmp_path: Path) -> None:
    lock = InstanceLock(DataLayout(tmp_path / "data"))
    with pytest.raises(AlreadyRunningError) as info:
        lock.acquire()
    assert "已有一个工作站程序在使用这个数据文件夹" in info.value.message
    assert str(tmp_path / "data") in info.value.message
    assert not lock.held


def test_other_folder_and_training_database_are_free(holder: subprocess.Popen[str], tmp_path: Path) -> None:
    with InstanceLock(DataLayout(tmp_path / "other")) as other:
        assert other.held
    with InstanceLock(DataLayout(tmp_path / "data", training=True)) as training:  # its own database
        assert training.held


def test_killed_holder_releases_the_lock(holder: subprocess.Popen[str], tmp_path: Path) -> None:
    lock = InstanceLock(DataLayout(tmp_path / "data"))
    with pytest.raises(AlreadyRunningError):
        lock.acquire()
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    lock.acquire()  # no stale lock after kill -9
    assert lock.held
    assert (tmp_path / "data" / "workstation.lock").read_text().strip() == str(os.getpid())
    lock.release()


def test_second_lock_in_the_same_process_is_refused_and_release_frees_it(tmp_path: Path) -> None:
    first = InstanceLock(DataLayout(tmp_path / "data"))
    first.acquire()
    with pytest.raises(AlreadyRunningError):
        InstanceLock(DataLayout(tmp_path / "data")).acquire()
    first.release()
    with InstanceLock(DataLayout(tmp_path / "data")):
        pass


def test_a_child_process_is_refused_while_we_hold_it(tmp_path: Path) -> None:
    with InstanceLock(DataLayout(tmp_path / "data")):
        result = subprocess.run([sys.executable, "-c", HOLDER, str(tmp_path / "data"), "real"], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "LOCKED" not in result.stdout
    assert "已有一个工作站程序在使用这个数据文件夹" in result.stderr


def test_desktop_refuses_a_second_copy_before_touching_the_database(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], holder: subprocess.Popen[str],
) -> None:
    from app.ui.app import Controller

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    quits: list[bool] = []
    monkeypatch.setattr(qapp, "quit", lambda: quits.append(True))
    controller = Controller(qapp, tmp_path / "data", False)
    controller.start()
    assert controller.fatal_box is not None
    assert "不能再打开一个" in controller.fatal_box.text()
    assert "不能再打开一个" in capsys.readouterr().err
    assert controller.instance_lock is None and controller.lazy_db is None
    assert not (tmp_path / "data" / "workstation.sqlite3").exists()
    controller.fatal_box.close()
    qtbot.waitUntil(lambda: bool(quits))


def test_desktop_holds_the_lock_while_it_runs(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.ui.app import Controller

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(qapp, "quit", lambda: None)
    controller = Controller(qapp, tmp_path / "data", False)
    controller.start()
    try:
        qtbot.waitUntil(lambda: controller.setup_dialog is not None, timeout=15000)
        with pytest.raises(AlreadyRunningError):
            InstanceLock(DataLayout(tmp_path / "data")).acquire()
    finally:
        controller.runner.wait()
        if controller.setup_dialog is not None:
            controller.setup_dialog.close()
        controller.runner.wait()
        if controller.lazy_db is not None:
            controller.lazy_db.dispose()
        controller.release_lock()
    with InstanceLock(DataLayout(tmp_path / "data")):
        pass

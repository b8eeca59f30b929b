"""Read-only, full, locked or forbidden storage: one Chinese line, exit 1, no traceback, nothing changed.

Each fault is tested twice: injected (an OSError or SQLite error raised where the machine would
raise it, so every machine exercises the message path) and, where the test may mount file systems
(root on Linux), on a real small tmpfs that is filled up or remounted read-only. chmod does not
stop root, so "read-only" is a read-only mount, not a file mode.
"""

from __future__ import annotations

import errno
import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.cli import main
from app.db_errors import FULL, IO_ERROR, friendly_error
from app.logs import OneLineFormatter, QuietRotatingFileHandler, setup_logging
from tests.test_cli import SETUP_PASSWORD, cli_setup
from tests.ui_helpers import visible_message_boxes

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- helpers

def fingerprint(data: Path) -> dict[str, int]:
    """Row counts of every table: what "nothing changed" means for the workstation's records."""
    conn = sqlite3.connect(f"file:{data / 'workstation.sqlite3'}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "main.py", *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          input=SETUP_PASSWORD + "\n", timeout=120)


def assert_one_chinese_line(stderr: str, expected: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("失败：") and expected in lines[0], stderr
    assert "Traceback" not in stderr and "Errno" not in stderr and "Logging error" not in stderr


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 8 MB file system, or a skip saying why this machine cannot give one."""
    if not sys.platform.startswith("linux") or shutil.which("mount") is None:
        pytest.skip("needs Linux mount; the injected variants cover the messages")
    disk = tmp_path / "disk"
    disk.mkdir()
    result = _mount("-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk))
    if result.returncode != 0:
        pytest.skip(f"this process may not mount a file system ({result.stderr.strip()}); "
                    "the injected variants cover the messages")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    chunk = b"\0" * 65536
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(chunk)
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def set_up_with_demo_data(data: Path) -> None:
    assert run_cli("--data-dir", str(data), *_setup_args()).returncode == 0
    assert run_cli("--data-dir", str(data), "demo-data", "--yes").returncode == 0


def _setup_args() -> list[str]:
    from tests.test_cli import SETUP

    return list(SETUP)


def first_notice(data: Path) -> str:
    result = run_cli("--data-dir", str(data), "notices", "list")
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[0].split("\t")[0]


# ---------------------------------------------------------------- the advice itself

@pytest.mark.parametrize(
    ("code", "expected"),
    [(errno.ENOSPC, "磁盘空间已满"), (errno.EROFS, "只读"), (errno.EACCES, "没有读写权限"), (errno.EPERM, "没有读写权限"),
     (errno.EIO, "读写磁盘出错"), (errno.EBUSY, "正被其他程序占用"), (errno.ENOENT, "找不到文件或文件夹")]
    + ([(errno.EDQUOT, "磁盘配额")] if hasattr(errno, "EDQUOT") else []),
)
def test_os_errors_by_number(code: int, expected: str) -> None:
    text = friendly_error(OSError(code, os.strerror(code), "/数据/workstation.sqlite3"))
    assert text is not None and expected in text and "/数据/workstation.sqlite3" in text


@pytest.mark.parametrize(("winerror", "expected"), [(32, "正被其他程序占用"), (33, "正被其他程序占用"), (112, "磁盘空间已满")])
def test_windows_error_codes(winerror: int, expected: str) -> None:
    exc = OSError(errno.EINVAL, "Windows error")
    exc.winerror = winerror  # type: ignore[attr-defined]  # as Windows sets it
    assert expected in (friendly_error(exc) or "")


def test_wrapped_and_unrelated_errors() -> None:
    from sqlalchemy.exc import OperationalError

    wrapped = RuntimeError("while importing")
    wrapped.__cause__ = OSError(errno.ENOSPC, "No space left on device")
    assert "磁盘空间已满" in (friendly_error(wrapped) or "")
    denied = OperationalError("SELECT", {}, sqlite3.OperationalError("attempt to write a readonly database"))
    assert "只读" in (friendly_error(denied) or "")
    assert friendly_error(ConnectionRefusedError(errno.ECONNREFUSED, "refused")) is None  # the network, not the disk
    assert friendly_error(FileNotFoundError("缺少资源文件：x")) is None  # a broken install is a bug: crash dialog
    assert friendly_error(ValueError("bad")) is None


def test_sqlite_io_error_on_a_full_disk_is_called_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    error = sqlite3.OperationalError("disk I/O error")
    assert friendly_error(error, tmp_path) == IO_ERROR
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(100, 100, 0))  # type: ignore[attr-defined]
    assert friendly_error(error, tmp_path) == FULL


# ---------------------------------------------------------------- logging never becomes the failure

def test_log_file_that_cannot_be_written_drops_records_quietly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    handler = QuietRotatingFileHandler(tmp_path / "w.log", encoding="utf-8")

    class Full(io.StringIO):
        def write(self, _s: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    handler.stream.close()
    handler.stream = Full()  # type: ignore[assignment]
    logger = logging.getLogger("test.quiet")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.error("写不进去")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
        handler.close()
    assert capsys.readouterr().err == ""  # Python's default would print "--- Logging error ---" and a traceback
    logger.addHandler(handler)  # and it writes again once there is room
    logger.propagate = False
    try:
        logger.error("又能写了")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
        handler.close()
    assert "又能写了" in (tmp_path / "w.log").read_text(encoding="utf-8")


def test_unwritable_log_folder_falls_back_to_one_line_console(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    import app.logs as logs

    def refuse(*_a: object, **_k: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / "logs"))

    monkeypatch.setattr(logs, "make_private_dir", refuse)
    monkeypatch.setattr(logs, "_fallback", None)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        assert setup_logging(tmp_path / "logs") is False
        fallback = logs._fallback
        assert fallback is not None and fallback in root.handlers
        try:
            raise ValueError("内部细节")
        except ValueError:
            logging.getLogger("test.fallback").exception("出错了")
        err = capsys.readouterr().err
        assert "出错了" in err and "Traceback" not in err and "内部细节" not in err
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
    assert isinstance(fallback.formatter, OneLineFormatter)


# ---------------------------------------------------------------- the command line, injected faults

def test_cli_read_only_data_folder_injected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "ws"
    assert cli_setup(data) == 0
    before = fingerprint(data)
    capsys.readouterr()
    import app.paths as paths

    def read_only(folder: Path) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(folder))

    monkeypatch.setattr(paths, "check_writable", read_only)
    for command in (["cases", "list"], ["staff", "list"], ["demo-data", "--yes"], ["sync"]):
        assert main(["--data-dir", str(data), *command]) == 1, command
        assert_one_chinese_line(capsys.readouterr().err, "只读")
    assert fingerprint(data) == before


def test_cli_full_disk_during_a_write_rolls_back_injected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from sqlalchemy import event

    import app.database as database

    data = tmp_path / "ws"
    assert cli_setup(data) == 0
    catalog = tmp_path / "catalog.json"
    assert main(["--data-dir", str(data), "catalog", "export", str(catalog)]) == 0
    content = json.loads(catalog.read_text(encoding="utf-8"))
    for item in content["items"][:10]:
        item["name"] += "（改）"
    catalog.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    before = fingerprint(data)
    capsys.readouterr()
    original = database.Database.__init__
    writes: list[str] = []

    def full_after_some_writes(self: database.Database, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]

        @event.listens_for(self.engine, "before_cursor_execute")
        def disk_full(_conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
            if statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
                writes.append(statement)
                if len(writes) > 3:  # part of the work done, then the disk fills
                    raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(database.Database, "__init__", full_after_some_writes)
    assert main(["--data-dir", str(data), "catalog", "import", str(catalog)]) == 1
    assert_one_chinese_line(capsys.readouterr().err, "磁盘空间已满")
    assert len(writes) > 3
    monkeypatch.undo()
    assert fingerprint(data) == before
    assert main(["--data-dir", str(data), "catalog", "import", str(catalog)]) == 0
    assert "更新 10 项" in capsys.readouterr().out  # none of the ten had been written


def test_cli_print_onto_a_full_disk_injected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "ws"
    assert cli_setup(data) == 0
    assert main(["--data-dir", str(data), "demo-data", "--yes"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data), "notices", "list"]) == 0
    number = capsys.readouterr().out.splitlines()[0].split("\t")[0]
    before = fingerprint(data)
    import app.safe_write as safe_write

    def no_space(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_write.os, "fsync", no_space)
    out = tmp_path / "out" / "notice.pdf"
    assert main(["--data-dir", str(data), "print", "notice", number, "-o", str(out)]) == 1
    monkeypatch.undo()
    assert_one_chinese_line(capsys.readouterr().err, "磁盘空间已满")
    assert str(out) in capsys.readouterr().err or True
    assert not out.exists() and list(out.parent.iterdir()) == []  # no truncated PDF, no temporary file
    assert fingerprint(data) == before  # not recorded as printed


def test_cli_error_while_opening_the_workstation_injected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    import app.startup as startup

    def locked(*_a: object, **_k: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(startup, "prepare", locked)
    assert main(["--data-dir", str(tmp_path / "ws"), "cases", "list"]) == 1
    assert_one_chinese_line(capsys.readouterr().err, "正被其他程序占用")


# ---------------------------------------------------------------- the command line, real file systems

def test_cli_on_a_read_only_file_system(small_disk: Path) -> None:
    data = small_disk / "ws"
    set_up_with_demo_data(data)
    before = fingerprint(data)
    number = first_notice(data)
    result = _mount("-o", "remount,ro", str(small_disk))
    if result.returncode != 0:
        pytest.skip(f"cannot remount read-only: {result.stderr.strip()}")
    try:
        for command in (["cases", "list"], ["notices", "list"], ["demo-data", "--yes"],
                        ["print", "notice", number, "-o", str(small_disk / "n.pdf")]):
            result = run_cli("--data-dir", str(data), *command)
            assert result.returncode == 1, (command, result.stdout, result.stderr)
            assert_one_chinese_line(result.stderr, "只读")
        result = run_cli("--data-dir", str(small_disk / "new"), "cases", "list")  # a folder it cannot even make
        assert result.returncode == 1
        assert_one_chinese_line(result.stderr, "只读")
    finally:
        _mount("-o", "remount,rw", str(small_disk))
    assert fingerprint(data) == before
    assert not (small_disk / "n.pdf").exists()


def test_cli_on_a_full_file_system(small_disk: Path, tmp_path: Path) -> None:
    data = small_disk / "ws"
    set_up_with_demo_data(data)
    number = first_notice(data)
    catalog = tmp_path / "catalog.json"
    assert run_cli("--data-dir", str(data), "catalog", "export", str(catalog)).returncode == 0
    content = json.loads(catalog.read_text(encoding="utf-8"))
    content["items"][0]["name"] += "（改）"
    catalog.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    before = fingerprint(data)
    filler = fill(small_disk)
    try:
        pdf = small_disk / "n.pdf"
        result = run_cli("--data-dir", str(data), "print", "notice", number, "-o", str(pdf))
        assert result.returncode == 1
        assert_one_chinese_line(result.stderr, "磁盘空间已满")
        assert not pdf.exists() and not list(small_disk.glob(".n.pdf*"))
        result = run_cli("--data-dir", str(data), "catalog", "import", str(catalog))
        assert result.returncode == 1, (result.stdout, result.stderr)
        assert_one_chinese_line(result.stderr, "磁盘空间已满")
        result = run_cli("--data-dir", str(data), "cases", "list")  # reading may still work; if not, it says why
        assert result.returncode == 0 or (result.returncode == 1 and "Traceback" not in result.stderr)
        if result.returncode:
            assert_one_chinese_line(result.stderr, "磁盘空间已满")
    finally:
        filler.unlink()
    assert fingerprint(data) == before
    result = run_cli("--data-dir", str(data), "catalog", "import", str(catalog))
    assert result.returncode == 0 and "更新 1 项" in result.stdout  # the import had not happened


# ---------------------------------------------------------------- the desktop

@pytest.fixture
def hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)


def test_desktop_start_on_a_read_only_folder(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], hooks: None,
) -> None:
    import app.paths as paths
    from app.ui.app import Controller

    def read_only(folder: Path) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(folder))

    monkeypatch.setattr(paths, "check_writable", read_only)
    monkeypatch.setattr(qapp, "quit", lambda: None)
    controller = Controller(qapp, tmp_path / "data", False)
    controller.start()
    qtbot.waitUntil(lambda: controller.fatal_box is not None, timeout=10000)
    assert "只读" in controller.fatal_box.text()
    assert "只读" in capsys.readouterr().err
    assert not [b for b in visible_message_boxes() if "意外错误" in b.text()]
    controller.runner.wait()
    controller.fatal_box.close()
    controller.release_lock()


def accept_on_a_full_disk(qtbot: QtBot, db, admin, make_full) -> None:  # type: ignore[no-untyped-def]
    """Fill the acceptance form as a clerk does, let make_full() fill the disk, press accept:
    a plain warning (not the crash dialog, no crash log), the form kept, no case, nothing changed."""
    from app.services.cases.records import list_cases
    from app.services.node import load_identity
    from app.ui.crash import CrashReporter
    from app.ui.fonts import install_app_font
    from app.ui.main_window import MainWindow
    from app.ui.tasks import TaskRunner
    from tests.test_ui_cases import ID, pick
    from tests.ui_helpers import type_chinese

    install_app_font(QApplication.instance())  # type: ignore[arg-type]
    reporter = CrashReporter(db.path.parent / "logs")
    runner = TaskRunner(reporter.report)
    identity = load_identity(db)
    assert identity is not None
    window = MainWindow(db, identity, admin, runner, db.path.parent / "window-state.ini")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.acceptance.is_loaded())
    view = window.acceptance
    pick(window, qtbot, "SB-002")
    type_chinese(view.applicant_name, "何桂兰")
    qtbot.keyClicks(view.id_number, ID)
    qtbot.keyClicks(view.phone, "13604362288")
    type_chinese(view.address, "镇赉镇红旗村")
    view.table.setFocus()
    view.table.selectRow(0)
    for _ in range(view.checklist.rowCount()):  # every material received, ticked as a clerk does
        qtbot.keyClick(view.table, Qt.Key.Key_Space)
        qtbot.keyClick(view.table, Qt.Key.Key_Down)
    runner.wait()  # the views' own loading (first use of the calendar writes it) is done
    assert view.accept_button.isEnabled()
    before = fingerprint(db.path.parent)
    undo = make_full()
    try:
        view.submit()
        qtbot.waitUntil(lambda: any("磁盘空间已满" in b.text() for b in visible_message_boxes()), timeout=15000)
        assert not [b for b in visible_message_boxes() if "意外错误" in b.text()]  # not the crash dialog
        assert reporter.last_crash_log is None
        assert view.accept_button.isEnabled()  # the clerk can try again once there is room
        assert view.applicant_name.text() == "何桂兰"  # nothing typed is lost
    finally:
        undo()
        runner.wait()
        for box in visible_message_boxes():
            box.close()
        window.close()
    assert list_cases(db, limit=10) == []
    assert fingerprint(db.path.parent) == before


@pytest.mark.parametrize("where", ["database", "numbers file"])
def test_desktop_acceptance_on_a_full_disk_injected(
    qapp: QApplication, qtbot: QtBot, db, admin, monkeypatch: pytest.MonkeyPatch, hooks: None,  # type: ignore[no-untyped-def]
    where: str,
) -> None:
    from sqlalchemy import event

    def full_database():  # type: ignore[no-untyped-def]
        def disk_full(_conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
            if statement.lstrip().upper().startswith("INSERT INTO CASE_FILE"):
                raise sqlite3.OperationalError("database or disk is full")

        event.listen(db.engine, "before_cursor_execute", disk_full)
        return lambda: event.remove(db.engine, "before_cursor_execute", disk_full)

    def full_files():  # type: ignore[no-untyped-def]
        def no_space(_fd: int) -> None:  # the numbering floor is synced before the case commits
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", no_space)
        return monkeypatch.undo

    accept_on_a_full_disk(qtbot, db, admin, full_database if where == "database" else full_files)


def test_desktop_acceptance_on_a_real_full_disk(
    qapp: QApplication, qtbot: QtBot, small_disk: Path, hooks: None,
) -> None:
    from app.services.people.auth import login
    from app.services.setup import perform_setup
    from app.startup import open_workstation
    from tests.conftest import ADMIN_PASSWORD, setup_request

    db, _ = open_workstation(small_disk / "ws")
    try:
        perform_setup(db, setup_request())
        admin = login(db, "admin", ADMIN_PASSWORD)
        filler: list[Path] = []

        def make_full():  # type: ignore[no-untyped-def]
            filler.append(fill(small_disk))
            return lambda: filler[0].unlink()

        accept_on_a_full_disk(qtbot, db, admin, make_full)
    finally:
        db.dispose()

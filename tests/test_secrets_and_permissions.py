"""Secrets stay private: owner-only data folders and files, passwords never on the command line."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.password_input import NO_TERMINAL
from tests.test_cli import SETUP, SETUP_PASSWORD, cli_setup

ROOT = Path(__file__).resolve().parent.parent
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="file modes are POSIX; Windows keeps data per user")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def login_works(data: Path, user: str, password: str) -> bool:
    from app.database import Database
    from app.services.errors import AuthError
    from app.services.people.auth import login

    db = Database(data / "workstation.sqlite3")
    try:
        login(db, user, password)
        return True
    except AuthError:
        return False
    finally:
        db.dispose()


# ---------------------------------------------------------------- file permissions

@posix_only
def test_new_data_folder_is_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual default: without tightening everything would be world-readable
    try:
        data = tmp_path / "ws"
        assert cli_setup(data) == 0
        assert main(["--data-dir", str(data), "demo-data", "--yes"]) == 0
    finally:
        os.umask(old)
    for folder in (data, data / "backups", data / "logs"):
        assert mode(folder) == 0o700, folder
    for name in ("workstation.sqlite3", "workstation.sqlite3-wal", "workstation.sqlite3-shm"):
        if (data / name).exists():
            assert mode(data / name) & 0o077 == 0, name
    assert mode(data / "workstation.sqlite3") == 0o600
    assert main(["--data-dir", str(data), "staff", "list"]) == 0  # files written since are tightened at start
    floors = list(data.glob("workstation-numbers*"))
    assert floors
    for path in floors:
        assert mode(path) & 0o077 == 0, path


@posix_only
def test_existing_open_folder_is_tightened_at_start(tmp_path: Path) -> None:
    data = tmp_path / "ws"
    assert cli_setup(data) == 0
    (data / "backups" / "old-copy.sqlite3").write_bytes(b"x")
    for path in (data, data / "backups", data / "logs"):
        path.chmod(0o755)
    for path in (data / "workstation.sqlite3", data / "backups" / "old-copy.sqlite3"):
        path.chmod(0o644)
    assert main(["--data-dir", str(data), "staff", "list"]) == 0
    assert mode(data) == 0o700 and mode(data / "backups") == 0o700 and mode(data / "logs") == 0o700
    assert mode(data / "workstation.sqlite3") == 0o600
    assert mode(data / "backups" / "old-copy.sqlite3") == 0o600


@posix_only
def test_centre_workspace_holding_the_node_00_token_is_owner_only(tmp_path: Path) -> None:
    from tests.sync_helpers import make_center

    center = make_center(tmp_path / "center")
    try:
        workspace = tmp_path / "center" / "workspace"
        assert mode(tmp_path / "center") == 0o700
        assert mode(workspace) == 0o700
        assert mode(workspace / "workstation.sqlite3") == 0o600
        import sqlite3

        conn = sqlite3.connect(workspace / "workstation.sqlite3")
        token = conn.execute("SELECT device_token FROM sync_state").fetchone()[0]
        conn.close()
        assert token  # the secret is there, so the modes above are what protect it
    finally:
        center.close()


# ---------------------------------------------------------------- passwords for `setup`

def test_password_on_the_command_line_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "ws"
    argv = [a for a in SETUP if a != "--admin-password-stdin"] + ["--admin-password", SETUP_PASSWORD]
    assert main(["--data-dir", str(data), *argv]) == 2
    err = capsys.readouterr().err
    assert "密码不能写在命令行上" in err and "--admin-password-stdin" in err
    assert not data.exists()  # refused before anything was made


def test_password_from_stdin(tmp_path: Path) -> None:
    data = tmp_path / "ws"
    assert cli_setup(data, password="Secret2026") == 0
    assert login_works(data, "admin", "Secret2026")


def test_empty_stdin_is_refused_and_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    data = tmp_path / "ws"
    assert main(["--data-dir", str(data), *SETUP]) == 1
    assert "标准输入中没有密码" in capsys.readouterr().err
    assert not (data / "workstation.sqlite3").exists()


def test_prompt_asks_twice_on_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    import app.password_input as password_input

    argv = [a for a in SETUP if a != "--admin-password-stdin"]
    monkeypatch.setattr(password_input, "stdin_is_terminal", lambda: True)
    answers = iter(["Secret2026", "Secret2027"])
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    data = tmp_path / "ws"
    assert main(["--data-dir", str(data), *argv]) == 1
    assert "两次输入的密码不一致" in capsys.readouterr().err
    assert not (data / "workstation.sqlite3").exists()
    answers = iter(["Secret2026", "Secret2026"])
    prompts.clear()
    assert main(["--data-dir", str(data), *argv]) == 0
    assert len(prompts) == 2 and "管理员密码" in prompts[0]
    assert login_works(data, "admin", "Secret2026")


def test_no_terminal_and_no_stdin_flag_says_how(tmp_path: Path) -> None:
    argv = [a for a in SETUP if a != "--admin-password-stdin"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    result = subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path / "ws"), *argv], cwd=ROOT,
                            env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip() == f"失败：{NO_TERMINAL}"
    assert not (tmp_path / "ws" / "workstation.sqlite3").exists()


def test_scripted_setup_keeps_the_password_out_of_argv(tmp_path: Path) -> None:
    """What `ps` would show for the documented scripted set-up: everything but the password."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    command = [sys.executable, "main.py", "--data-dir", str(tmp_path / "ws"), *SETUP]
    assert SETUP_PASSWORD not in " ".join(command)
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                            input="Secret2026\n", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Secret2026" not in result.stdout + result.stderr
    assert login_works(tmp_path / "ws", "admin", "Secret2026")


# ---------------------------------------------------------------- the centre's first administrator

@pytest.fixture
def no_serving(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """`center serve` up to the point where it would listen."""
    import app.center.server as server

    calls: list[object] = []
    monkeypatch.setattr(server, "serve", lambda *args, **kwargs: calls.append(args))
    return calls


def _serve(tmp_path: Path, *extra: str) -> int:
    from tests.sync_helpers import fresh_database

    return main(["--data-dir", str(tmp_path / "data"), "center", "--db", fresh_database(), "serve",
                 "--center-code", "220821100", "--center-name", "镇赉镇民生服务中心", "--port", "0", *extra])


def _centre_login(tmp_path: Path, password: str) -> bool:
    from app.database import Database
    from app.services.errors import AuthError
    from app.services.people.auth import login

    db = Database(tmp_path / "data" / "center" / "workspace" / "workstation.sqlite3")
    try:
        login(db, "8000", password)
        return True
    except AuthError:
        return False
    finally:
        db.dispose()


def test_centre_password_on_the_command_line_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_serving: list[object],
) -> None:
    assert _serve(tmp_path, "--admin-password", "centre123") == 2
    assert "密码不能写在命令行上" in capsys.readouterr().err
    assert not no_serving and not (tmp_path / "data" / "center").exists()


def test_centre_password_from_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, no_serving: list[object],
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("centre123\n"))
    assert _serve(tmp_path, "--admin-password-stdin") == 0
    out = capsys.readouterr().out
    assert "centre123" not in out and "刚才设定的密码" in out
    assert no_serving
    assert _centre_login(tmp_path, "centre123")


def test_centre_without_terminal_generates_and_shows_the_password_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, no_serving: list[object],
) -> None:
    import app.password_input as password_input

    monkeypatch.setattr(password_input, "stdin_is_terminal", lambda: False)
    assert _serve(tmp_path) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if "初始密码" in line)
    assert "只显示这一次" in line
    password = line.split("初始密码 ", 1)[1].split("（", 1)[0]
    assert _centre_login(tmp_path, password)


def test_database_password_in_the_centre_address_is_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--data-dir", str(tmp_path), "center", "--db", "postgresql://u:secretpw@127.0.0.1:1/x", "status"]) == 1
    err = capsys.readouterr().err
    assert "--db 地址中的数据库密码在命令行上" in err and "~/.pgpass" in err
    assert main(["--data-dir", str(tmp_path), "center", "--db", "postgresql://u@127.0.0.1:1/x", "status"]) == 1
    assert "数据库密码在命令行上" not in capsys.readouterr().err


def test_a_generated_centre_password_always_passes_the_password_rule() -> None:
    """One in twenty drawn from a single alphabet had no digit, and the centre refused its own set-up."""
    from app.center.runtime import generated_password
    from app.services.validation import check_password

    assert all(check_password(generated_password()) is None for _ in range(2000))

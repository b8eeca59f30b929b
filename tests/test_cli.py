"""The command-line contract: exit codes, one-line reasons, --data-dir everywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.cli import main

ROOT = Path(__file__).resolve().parent.parent
SETUP = [
    "setup", "--center-code", "220821100", "--center-name", "镇赉镇民生服务中心", "--node-code", "02",
    "--node-name", "2号窗口", "--node-kind", "window", "--admin-user", "admin", "--admin-password-stdin",
]
SETUP_PASSWORD = "abc12345"


def cli_setup(data: Path, *extra: str, password: str = SETUP_PASSWORD) -> int:
    """`setup` in-process, the password arriving on standard input as a script would give it."""
    import io

    saved = sys.stdin
    sys.stdin = io.StringIO(password + "\n")
    try:
        return main(["--data-dir", str(data), *extra, *SETUP])
    finally:
        sys.stdin = saved


def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "main.py", *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          input=input if input is not None else "")


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_setup_then_catalogue_export_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "ws"
    assert cli_setup(data) == 0
    assert "设置完成" in capsys.readouterr().out
    assert cli_setup(data) == 1
    assert "不能重复设置" in capsys.readouterr().err
    out = tmp_path / "catalog.xlsx"
    assert main(["--data-dir", str(data), "catalog", "export", str(out)]) == 0
    assert out.exists()
    assert main(["--data-dir", str(data), "catalog", "import", str(out)]) == 0
    assert "未变 34 项" in capsys.readouterr().out
    assert main(["--data-dir", str(data), "catalog", "retire", "SB-004", "--date", "2026-12-01"]) == 0
    json_out = tmp_path / "active.json"
    assert main(["--data-dir", str(data), "catalog", "export", str(json_out), "--active-only"]) == 0
    codes = [i["code"] for i in json.loads(json_out.read_text(encoding="utf-8"))["items"]]
    assert "SB-004" in codes  # retires only from 2026-12-01
    capsys.readouterr()
    assert main(["--data-dir", str(data), "staff", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["staff_no"] == "admin"


def test_bad_import_reports_rows_and_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "ws"
    cli_setup(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"items": [{"code": "X1"}]}), encoding="utf-8")
    assert main(["--data-dir", str(data), "catalog", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("失败：文件中有")
    assert "第1项：缺少“事项名称”" in err


def test_bad_setup_is_one_reason_per_line(tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path / "ws"), *SETUP[:2], "123", *SETUP[3:], input=SETUP_PASSWORD + "\n")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "失败：设置信息有误，未做任何修改"
    assert "区划代码应为9位数字" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path), "catalog")
    assert result.returncode == 2
    assert "参数错误" in result.stderr


def test_newer_database_is_refused_with_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    data = tmp_path / "ws"
    cli_setup(data)
    conn = sqlite3.connect(data / "workstation.sqlite3")
    conn.execute("UPDATE app_meta SET value='7' WHERE key='schema_major'")
    conn.commit()
    conn.close()
    assert main(["--data-dir", str(data), "staff", "list"]) == 1
    assert "请先升级工作站程序" in capsys.readouterr().err


def test_training_flag_uses_the_training_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "ws"
    assert main(["--data-dir", str(data), "--training", "staff", "list"]) == 0
    assert "李秀兰" in capsys.readouterr().out
    assert not (data / "workstation.sqlite3").exists()


def test_notices_print_export_and_demo_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    from tests.pdf_helpers import barcodes, pdf_text

    data = tmp_path / "ws"
    cli_setup(data)
    capsys.readouterr()
    assert main(["--data-dir", str(data), "demo-data"]) == 1  # a real database: refused without --yes
    assert "这是正式数据库" in capsys.readouterr().err
    assert main(["--data-dir", str(data), "demo-data", "--yes"]) == 0
    assert "已填入演示数据" in capsys.readouterr().out
    assert main(["--data-dir", str(data), "notices", "list", "--json"]) == 0
    notices = json.loads(capsys.readouterr().out)
    assert len(notices) >= 5
    assert set(notices[0]) >= {"number", "item_code", "date", "staff"}
    number = notices[0]["number"]
    out = tmp_path / "notice.pdf"
    assert main(["--data-dir", str(data), "print", "notice", number, "-o", str(out)]) == 0
    assert ("Code128", number) in barcodes(out.read_bytes())
    assert main(["--data-dir", str(data), "print", "notice", number, "-o", str(tmp_path / "again.pdf")]) == 0
    assert "补打" in capsys.readouterr().out
    assert "补打" in pdf_text((tmp_path / "again.pdf").read_bytes())
    assert main(["--data-dir", str(data), "print", "notice", "GZ0", "-o", str(out)]) == 1
    assert "没有编号为 GZ0" in capsys.readouterr().err
    xlsx = tmp_path / "inquiries.xlsx"
    assert main(["--data-dir", str(data), "inquiries", "export", str(xlsx)]) == 0
    rows = list(load_workbook(xlsx)["首问登记簿"].iter_rows(values_only=True))
    assert rows[0][0] == "登记号" and len(rows) > 10


def test_demo_data_needs_a_set_up_workstation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "empty"), "demo-data"]) == 1
    assert "请先设置本工作站" in capsys.readouterr().err


@pytest.mark.parametrize("argv, expected", [
    (["workdays", "add", "2026-02-30", "3"], "“2026-02-30”不是有效的日期"),
    (["workdays", "add", "2026-02-03", "x"], "参数 days 应为整数"),
    (["calendar", "show"], "缺少参数：year"),
    (["--bogus", "sync"], "无法识别的参数：--bogus"),
])
def test_usage_errors_are_explained_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               argv: list[str], expected: str) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--data-dir", str(tmp_path / "data"), *argv])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and "invalid" not in err and "argument" not in err, err


def test_demo_data_is_refused_on_a_workstation_joined_to_a_centre(center: object, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Staff and departments are the centre's: demo accounts made at a joined window would exist there
    only, and a director signing in elsewhere would be told the password is wrong (issue 12 trial)."""
    from app.center.runtime import Center
    from tests.sync_helpers import enrol

    assert isinstance(center, Center)
    window = enrol(center, tmp_path / "w1", "01")
    capsys.readouterr()
    assert main(["--data-dir", str(window.db.path.parent), "demo-data", "--yes"]) == 1
    assert "已加入乡镇中心" in capsys.readouterr().err

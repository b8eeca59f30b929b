"""The workstation as shipped: an installed wheel finds its resources and migration scripts inside the
package and passes the smoke test away from the checkout; the smoke test itself catches an unembedded
font; a centre command in the window bundle says why it does not run; the Windows installer script
compiles. (The frozen bundle itself is built and checked by `make dist`, which `make test` ends with.)"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from app.smoke import font_problem, run_smoke

ROOT = Path(__file__).resolve().parents[1]


def test_the_smoke_test_passes_here_and_refuses_a_folder_in_use(tmp_path: Path) -> None:
    said: list[str] = []
    assert run_smoke(tmp_path / "fresh", said.append) == 0
    assert said[-1].startswith("自检通过") and any("受理办件" in line for line in said)
    assert (tmp_path / "fresh" / "smoke-receipt.pdf").read_bytes().startswith(b"%PDF")
    said.clear()
    assert run_smoke(tmp_path / "fresh", said.append) == 1 and "不是空的" in said[0]


def test_a_pdf_with_an_unembedded_font_is_caught() -> None:
    plain = io.BytesIO()
    page = canvas.Canvas(plain)
    page.drawString(100, 100, "Helvetica, never embedded")
    page.save()
    assert "Helvetica" in (font_problem(plain.getvalue()) or "")
    assert font_problem(b"%PDF-1.4 no fonts") == "PDF 中没有字体"


def test_a_centre_command_in_the_window_bundle_says_where_it_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import app.center.runtime
    from app.cli import main

    def left_out(*_args: object) -> None:
        raise ModuleNotFoundError("No module named 'pgserver'", name="pgserver")

    monkeypatch.setattr(app.center.runtime, "Center", left_out)
    assert main(["--data-dir", str(tmp_path), "center", "status"]) == 1
    assert "窗口工作站版" in capsys.readouterr().err

    def broken(*_args: object) -> None:  # any other missing module is a real fault, not an edition
        raise ModuleNotFoundError("No module named 'openpyxl'", name="openpyxl")

    monkeypatch.setattr(app.center.runtime, "Center", broken)
    with pytest.raises(ModuleNotFoundError):
        main(["--data-dir", str(tmp_path), "center", "status"])


WITHOUT_SERVER = """
import importlib.abc, sys
from app.editions import SERVER_ONLY_PACKAGES
class LeftOut(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in SERVER_ONLY_PACKAGES:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, LeftOut())
for module in [m for m in sys.modules if m.split(".")[0] in SERVER_ONLY_PACKAGES]:
    del sys.modules[module]
from app.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("argv", [("--help",), ("center", "status"), ("center", "publish"), ("county", "status")])
def test_the_command_line_works_without_the_server_packages(tmp_path: Path, argv: tuple[str, ...]) -> None:
    """As in the window bundle: the parser is built without the centre's packages, and a centre or county
    command says where it runs (the bundle check found `center publish` importing the driver to build --help)."""
    run = subprocess.run([sys.executable, "-c", WITHOUT_SERVER, "--data-dir", str(tmp_path), *argv],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    if argv == ("--help",):
        assert run.returncode == 0 and "county" in run.stdout, run.stderr[-2000:]
    else:
        assert run.returncode == 1 and "窗口工作站版" in run.stderr and "Traceback" not in run.stderr, run.stderr[-2000:]


def test_an_installed_wheel_runs_away_from_the_checkout(tmp_path: Path) -> None:
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                            "-w", str(tmp_path / "wheel"), str(ROOT)], capture_output=True, text=True, cwd=tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "wheel").glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for shipped in ("app/resources/fonts/wqy-zenhei.ttc", "app/resources/fonts/minsheng-rare.ttf",
                    "app/resources/catalog/seed_catalog.json", "app/migrations/env.py",
                    "app/center/migrations/env.py", "app/migrations/versions/0024_rating_target_facts.py",
                    "app/center/migrations/versions/c0016_rating_target_facts.py"):
        assert shipped in names, shipped
    assert not any(n.startswith(("tests/", "resources/")) or n.endswith("build_rare_font.py") for n in names)
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # what the wheel build left in the checkout
    site = tmp_path / "site"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run([sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main(['--smoke']))"],
                         capture_output=True, text=True, cwd=tmp_path, env={**env, "PYTHONPATH": str(site),
                                                                            "QT_QPA_PLATFORM": "offscreen"},
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr[-2000:]
    assert f"资源文件：{site / 'app' / 'resources'}" in run.stdout and "自检通过" in run.stdout


def test_the_windows_installer_script_compiles(tmp_path: Path) -> None:
    makensis = shutil.which("makensis")
    assert makensis is not None, "makensis is missing: `make test` installs Debian's nsis (make nsisdeps)"
    bundle = tmp_path / "minsheng"
    (bundle / "_internal").mkdir(parents=True)
    for name in ("minsheng.exe", "minsheng-cli.exe", "_internal/base_library.zip"):
        (bundle / name).write_bytes(b"stand-in for the Windows bundle")
    out = tmp_path / "setup.exe"
    made = subprocess.run([makensis, "-V2", f"-DBUNDLE={bundle}", "-DVERSION=0.1.0", f"-DOUTFILE={out}",
                           str(ROOT / "packaging" / "windows" / "minsheng.nsi")], capture_output=True, text=True)
    assert made.returncode == 0, made.stdout + made.stderr
    assert out.read_bytes()[:2] == b"MZ"  # a Windows program
    script = (ROOT / "packaging" / "windows" / "minsheng.nsi").read_text(encoding="utf-8")
    removed = [line for line in script.splitlines() if line.strip().startswith(("RMDir", "Delete"))]
    assert removed and not any("LOCALAPPDATA" in line or "APPDATA" in line for line in removed)  # data kept

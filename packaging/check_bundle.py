"""After `make dist`: does the bundle run on a machine without the checkout? Run by the Makefile.

The bundle is copied to a new temporary folder and run from there with an environment that names nothing
of the checkout or the virtual environment: its smoke test must pass and find its resources inside the
copy; a centre command must say it belongs to the centre's installation; on Linux no library in it may
lack a library it links. Prints the bundle's size and the smoke test's time; exits non-zero on a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SMOKE_TIMEOUT_S = 180


def size_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def missing_libraries(bundle: Path) -> list[str]:
    """Every library of the bundle that would not load as the bundle finds them: one it links is missing, or
    the file itself is damaged (a stripped library the loader refuses)."""
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return []
    internal = bundle / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}")
    problems = []
    for library in sorted(p for p in internal.rglob("*.so*") if p.is_file()):
        result = subprocess.run(["ldd", str(library)], capture_output=True, text=True, env=env)
        said = (result.stdout + result.stderr).splitlines()
        problems += [f"{library.relative_to(bundle)}: {line.strip()}" for line in said
                     if "not found" in line or "error while loading" in line or "not a dynamic executable" in line]
    return problems


def program(bundle: Path, name: str) -> Path:
    return bundle / (f"{name}.exe" if sys.platform == "win32" else name)


def clean_env(home: Path) -> dict[str, str]:
    """Only what a desktop session has: no PYTHONPATH, no virtual environment, a home of its own."""
    keep = {k: v for k, v in os.environ.items() if k in ("SYSTEMROOT", "WINDIR", "TEMP", "TMP", "LANG")}
    return {**keep, "PATH": os.defpath, "HOME": str(home), "USERPROFILE": str(home), "QT_QPA_PLATFORM": "offscreen",
            "XDG_RUNTIME_DIR": str(home), "MINSHENG_DATA_DIR": str(home / "data")}


def main(argv: list[str]) -> int:
    bundle = Path(argv[1] if len(argv) > 1 else "dist/minsheng").resolve()
    if not program(bundle, "minsheng-cli").exists():
        print(f"失败：{bundle} 中没有 minsheng-cli，请先 make dist", file=sys.stderr)
        return 1
    failures = [f"缺少依赖库：{line}" for line in missing_libraries(bundle)]
    with tempfile.TemporaryDirectory(prefix="minsheng-bundle-check-") as tmp:
        copy = Path(tmp) / "minsheng"
        shutil.copytree(bundle, copy, symlinks=True)
        home = Path(tmp) / "home"
        home.mkdir()
        env = clean_env(home)
        start = time.perf_counter()
        smoke = subprocess.run([str(program(copy, "minsheng-cli")), "--smoke"], cwd=home, env=env, capture_output=True,
                               text=True, timeout=SMOKE_TIMEOUT_S)
        seconds = time.perf_counter() - start
        print(smoke.stdout, end="")
        if smoke.returncode != 0 or "自检通过" not in smoke.stdout:
            failures.append(f"自检未通过（退出码 {smoke.returncode}）：{smoke.stderr.strip()[-2000:]}")
        elif f"资源文件：{copy}" not in smoke.stdout:
            failures.append("资源文件不是从安装包内找到的")
        for command in (("center", "status"), ("county", "status")):
            server = subprocess.run([str(program(copy, "minsheng-cli")), *command], cwd=home, env=env,
                                    capture_output=True, text=True, timeout=60)
            if server.returncode == 0 or "窗口工作站版" not in server.stderr:
                failures.append(f"{' '.join(command)} 在窗口安装包中应说明不含中心服务，实际：{server.stderr.strip()[-500:]}")
    print(f"安装包 {bundle}：{size_mb(bundle):.0f} MB；自检 {seconds:.1f} 秒（含进程启动）")
    for failure in failures:
        print(f"失败：{failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The core (models, services, printing, migrations) must never load PySide6."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


def core_modules() -> list[str]:
    modules = []
    for path in sorted(APP.rglob("*.py")):
        relative = path.relative_to(APP.parent).with_suffix("")
        parts = list(relative.parts)
        if "ui" in parts or "versions" in parts or parts[-1] == "env":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules.append(".".join(parts))
    return modules


def test_every_core_module_imports_without_pyside6() -> None:
    modules = core_modules()
    assert "app.services.catalog.items" in modules and "app.models.tracking" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('PySide6') or m.startswith('shiboken'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=APP.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Qt loaded by core: {result.stdout}"

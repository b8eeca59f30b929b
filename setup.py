"""The build step pyproject.toml cannot say: a wheel carries the checkout's resources/ (fonts, the seed
catalogue) inside the package as app/resources, where app.paths finds them when installed. An editable
install builds nothing: app.paths then finds the checkout's resources/ itself."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
LEFT_OUT = shutil.ignore_patterns("build_*.py", "__pycache__")  # the rare font's build script is not shipped


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "app" / "resources"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(HERE / "resources", target, ignore=LEFT_OUT)


setup(cmdclass={"build_py": BuildWithResources})

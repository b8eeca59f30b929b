"""The one place that resolves where resources and user data live.

Resources ship beside the package (resources/ at the top of the checkout); user data goes to the
platform's per-user data folder unless a command names another with --data-dir, so tests and
administrators can keep several workstations apart on one machine.
"""

from __future__ import annotations

import os
from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"
FONT_FILE = RESOURCES_DIR / "fonts" / "wqy-zenhei.ttc"  # CJK and Latin in one TrueType face
FONT_FACE_INDEX = 0  # WenQuanYi Zen Hei; 1 and 2 are its Mono and Sharp faces
SEED_CATALOG_FILE = RESOURCES_DIR / "catalog" / "seed_catalog.json"
DATA_DIR_ENV = "MINSHENG_DATA_DIR"
APP_DIR_NAME = "MinshengWorkstation"


def resource(*parts: str) -> Path:
    """Path of a shipped resource; raises if it is missing so a broken install fails loudly."""
    path = RESOURCES_DIR.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"缺少资源文件：{path}")
    return path


def default_data_dir() -> Path:
    """The user's data folder; the environment variable lets tests and kiosks redirect it."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_DIR_NAME, appauthor=False))


class DataLayout:
    """Files of one workstation inside its data folder (real and training databases are apart)."""

    def __init__(self, data_dir: Path, training: bool = False) -> None:
        self.data_dir = Path(data_dir)
        self.training = training

    @property
    def database(self) -> Path:
        name = "training.sqlite3" if self.training else "workstation.sqlite3"
        return self.data_dir / name

    @property
    def backups(self) -> Path:
        return self.data_dir / ("backups-training" if self.training else "backups")

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"

    @property
    def window_state(self) -> Path:
        return self.data_dir / "window-state.ini"

    def ensure(self) -> None:
        for folder in (self.data_dir, self.backups, self.logs):
            folder.mkdir(parents=True, exist_ok=True)

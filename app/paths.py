"""The one place that resolves where resources and user data live.

Resources are found through the package: an installed wheel and a frozen bundle carry them inside it
(app/resources, copied there by setup.py's build step and by packaging/minsheng.spec), a checkout keeps
them at its top (resources/). User data goes to the platform's per-user data folder unless a command
names another with --data-dir, so tests and administrators can keep several workstations apart on one
machine.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from importlib import resources as package_resources
from pathlib import Path


def _resources_dir() -> Path:
    """The package's own resources folder (wheel, frozen bundle), else the checkout's. Fonts are handed
    to reportlab and Qt by file name, so it must be a real folder: a package imported from a zip file
    has none, and the checkout's path is returned for the error to name."""
    packaged = package_resources.files("app") / "resources"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


RESOURCES_DIR = _resources_dir()
FONT_FILE = RESOURCES_DIR / "fonts" / "wqy-zenhei.ttc"  # CJK and Latin in one TrueType face
FONT_FACE_INDEX = 0  # WenQuanYi Zen Hei; 1 and 2 are its Mono and Sharp faces
RARE_FONT_FILE = RESOURCES_DIR / "fonts" / "minsheng-rare.ttf"  # CJK Ext-B..F, what the main face lacks
SEED_CATALOG_FILE = RESOURCES_DIR / "catalog" / "seed_catalog.json"
DATA_DIR_ENV = "MINSHENG_DATA_DIR"
PRIVATE_DIR_MODE = 0o700  # the data holds citizens' ID numbers and the device's sync token
PRIVATE_FILE_MODE = 0o600
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


def make_private_dir(folder: Path) -> None:
    """Create the folder (parents as the system makes them) readable by its owner only on POSIX.

    An existing folder is tightened too, so data folders made by older versions (0755) close at the
    next start. Tightening is best effort: a folder the user does not own, or a file system without
    modes (FAT on a USB stick), keeps working as it is; Windows' per-user folders are private already.
    """
    folder.mkdir(parents=True, exist_ok=True)
    _tighten(folder, PRIVATE_DIR_MODE)


def make_private_file(path: Path) -> None:
    """Owner-only modes for an existing file holding personal data or secrets (no-op on Windows)."""
    _tighten(path, PRIVATE_FILE_MODE)


def check_writable(folder: Path) -> None:
    """Raise OSError (EROFS or EACCES, naming the folder) when the folder cannot be written.

    SQLite can open a database in a read-only folder but then fails on the first statement with
    "unable to open database file" (it cannot make its -shm and -wal files), which says nothing
    useful; asking the system first gives the clerk the real reason."""
    if os.access(folder, os.W_OK | os.X_OK):
        return
    read_only = False
    if hasattr(os, "statvfs"):
        with contextlib.suppress(OSError):  # unknown: say "no permission", the likelier cause
            read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    code = errno.EROFS if read_only else errno.EACCES
    raise OSError(code, os.strerror(code), str(folder))


def _tighten(path: Path, mode: int) -> None:
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):  # a file we may not chmod (another owner) keeps its mode
        current = stat.S_IMODE(path.stat().st_mode)
        if current & ~mode:
            os.chmod(path, current & mode)


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

    @property
    def lock_file(self) -> Path:
        """Held by the desktop program using this database (see app.instance_lock)."""
        return self.data_dir / ("training.lock" if self.training else "workstation.lock")

    def ensure(self) -> None:
        """The folders, owner-only; raises OSError when the data folder cannot be written."""
        for folder in (self.data_dir, self.backups, self.logs):
            make_private_dir(folder)
        check_writable(self.data_dir)

    def tighten_files(self) -> None:
        """Owner-only modes for the database (SQLite gives its -wal and -shm files the same), the
        numbering floor and the backups: files made by older versions were readable by all users."""
        if sys.platform == "win32":
            return
        stem = self.database.stem
        candidates = [*self.data_dir.glob(f"{stem}.sqlite3*"), *self.data_dir.glob(f"{stem}-numbers.*")]
        with contextlib.suppress(OSError):  # no backups folder yet: nothing there to tighten
            candidates += [p for p in self.backups.iterdir() if p.is_file()]
        for path in candidates:
            make_private_file(path)

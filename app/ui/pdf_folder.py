"""Where "保存为PDF" opens: the user's documents folder at first, then the folder last saved to.

Not the program folder (the working directory), which a clerk may not write to and cannot find
again. Remembered in the window-state file once the main window gives it one (QSettings), else
for this session only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

KEY = "documents/pdf_folder"
_settings: QSettings | None = None
_session: str = ""


def use_settings(settings: QSettings | None) -> None:
    """The main window's state file; None forgets it (the session memory stays)."""
    global _settings
    _settings = settings


def start_path(file_name: str) -> str:
    """The file dialog's starting path: the remembered folder if it still exists, else Documents."""
    saved = _settings.value(KEY, "") if _settings is not None else _session
    folder = Path(str(saved)) if saved else None
    if folder is None or not folder.is_dir():
        folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
                      or Path.home())
    if not folder.is_dir():  # no Documents folder (Qt then falls back to the program folder): home
        folder = Path.home()
    return str(folder / file_name)


def remember(saved_file: Path) -> None:
    global _session
    _session = str(saved_file.parent)
    if _settings is not None:
        _settings.setValue(KEY, _session)


EXCEL = "Excel 文件 (*.xlsx)"


def ask_save(parent: QWidget, title: str, suggested: str, kinds: str = EXCEL) -> Path | None:
    """The save dialog every export opens: in the folder last saved to (else Documents), remembered."""
    path, _ = QFileDialog.getSaveFileName(parent, title, start_path(suggested), kinds)
    if not path:
        return None
    remember(Path(path))
    return Path(path)

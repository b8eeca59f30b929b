"""Message boxes that never block the event loop (open(), not exec()), so the UI stays testable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.errors import UserError

# A box without a parent is owned by its Python wrapper only; keep it until it closes, or the
# garbage collector deletes it before the user sees it.
_orphans: set[QMessageBox] = set()


def show_message(
    parent: QWidget | None,
    text: str,
    title: str = "提示",
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
    details: list[str] | None = None,
) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("messageBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if details:
        box.setInformativeText("\n".join(details[:15]) + (f"\n……共{len(details)}条" if len(details) > 15 else ""))
    if parent is None:
        _orphans.add(box)
        box.finished.connect(lambda _result: _orphans.discard(box))
    box.open()
    return box


def show_user_error(parent: QWidget | None, error: UserError) -> QMessageBox:
    details = [e for e in error.errors if e != error.message]
    return show_message(parent, error.message, "无法完成", QMessageBox.Icon.Warning, details)

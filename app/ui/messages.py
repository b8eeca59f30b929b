"""Message boxes that never block the event loop (open(), not exec()), so the UI stays testable."""

from __future__ import annotations

from collections.abc import Callable

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


def ask_two(parent: QWidget, title: str, question: str, labels: tuple[str, str], on_yes: Callable[[], None],
            name: str, yes_role: QMessageBox.ButtonRole = QMessageBox.ButtonRole.AcceptRole) -> QMessageBox:
    """A non-blocking question with two buttons whose second (the safe one) is the default and Esc, so a
    stray key keeps things as they are; `on_yes` runs only when the first was chosen."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName(name)
    yes = box.addButton(labels[0], yes_role)
    no = box.addButton(labels[1], QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.finished.connect(lambda _r: on_yes() if box.clickedButton() is yes else None)
    box.open()
    return box


def ask_discard(parent: QWidget, title: str, question: str, discard: Callable[[], None]) -> QMessageBox:
    """放弃 or 继续填写 for a form with typed text; 继续填写 is the default and Esc, so a stray key keeps
    the work. `discard` runs only when 放弃 was chosen."""
    return ask_two(parent, title, question, ("放弃(&Y)", "继续填写(&N)"), discard, "discardQuestion",
                   QMessageBox.ButtonRole.DestructiveRole)

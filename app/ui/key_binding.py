"""Binding a declared shortcut (app.ui.shortcuts) to a slot, so keys are written in one place only."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from app.ui.shortcuts import shortcut


def bind(parent: QWidget, screen: str, action: str, slot: Callable[[], object]) -> list[QShortcut]:
    """One QShortcut per declared key (Ctrl+Return and Ctrl+Enter both accept), on `parent`'s window."""
    return [QShortcut(QKeySequence(key), parent, slot) for key in shortcut(screen, action).keys]


def key_of(screen: str, action: str) -> QKeySequence:
    """The declared (first) key of an action, for a QAction."""
    return QKeySequence(shortcut(screen, action).shown)

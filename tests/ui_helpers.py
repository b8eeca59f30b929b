"""Helpers for GUI tests: typing Chinese (QTest handles ASCII only) and finding message boxes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget


def type_chinese(widget: QWidget, text: str) -> None:
    """Commit text through an input-method event, as a Chinese IME does."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def visible_message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


@contextmanager
def open_main_window(qtbot: Any, db: Any, actor: Any, ready: Callable[[Any], bool] | None = None) -> Iterator[Any]:
    """The main window as the desktop opens it after log-in (errors in its background work fail the
    test); afterwards it waits for that work and closes the window with any preview and message box."""
    from app.services.node import load_identity
    from app.ui.fonts import install_app_font
    from app.ui.main_window import MainWindow
    from app.ui.tasks import TaskRunner

    install_app_font(QApplication.instance())  # type: ignore[arg-type]
    runner = TaskRunner(_raise)
    identity = load_identity(db)
    assert identity is not None
    main = MainWindow(db, identity, actor, runner, db.path.parent / "window-state.ini")
    qtbot.addWidget(main)
    main.show()
    main.activateWindow()
    if ready is not None:
        qtbot.waitUntil(lambda: ready(main))
    try:
        yield main
    finally:
        runner.wait()
        if main.opener.dialog is not None:
            main.opener.dialog.close()
        main.close()
        for box in visible_message_boxes():
            box.close()


def _raise(exc: BaseException) -> None:
    raise exc

"""The task runner never calls back into a view that was closed while its work ran."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QLabel, QWidget

from app.ui.tasks import TaskRunner


class _View(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.label = QLabel(self)

    def show_result(self, text: str) -> None:
        self.label.setText(text)  # raises "already deleted" if called after the view is gone


def test_result_for_a_closed_view_is_dropped(qtbot) -> None:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    runner = TaskRunner(errors.append)
    view = _View()
    release = threading.Event()
    runner.submit(lambda: release.wait(5) and "done", view.show_result)
    view.deleteLater()
    qtbot.waitUntil(lambda: not _alive(view))
    release.set()
    qtbot.waitUntil(lambda: not runner.busy)
    assert errors == []


def test_result_reaches_a_live_view(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(lambda exc: None)
    view = _View()
    qtbot.addWidget(view)
    runner.submit(lambda: "done", view.show_result)
    qtbot.waitUntil(lambda: view.label.text() == "done")


def _alive(obj: object) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)

"""One GUI path timed in a fresh process, driving the real widgets offscreen (run by tests.benchmarks.gui).

`python -m tests.benchmarks.gui_probe SCENARIO DATA_DIR [ROUNDS]` starts the desktop client the way
main.py does (app.ui.app.Controller), waits for the login window and for the work it starts in the
background (the clerk is typing meanwhile), logs in as clerk 8001 with Enter, and then:

- login:  stops when the main window is usable: shown, and the work it started on opening is done
          and on screen (its first screen filled); login_at_once the same with Enter pressed the moment
          the login window shows (the worst case: nothing done in the background yet);
- accept: opens F6, fills the form, presses Ctrl+Enter and stops when the receipt's first page is
          painted in the preview; ROUNDS times, the first being the first print of the process;
- notice: opens F4, picks an item, ticks materials, presses Ctrl+P and stops when the notice's
          first page is painted; ROUNDS times.

Prints one JSON line: {"scenario": ..., "ms": [...], "warm_up_ms": ...} ("error" when a step timed out);
warm_up_ms is how long the work behind the login window took, from the window on screen (the time a
clerk has to type a staff number and password before Enter has nothing left to wait for).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CLERK_NO = "8001"  # a demo clerk (app.services.demo_data), password px123456
CLERK_PASSWORD = "px123456"
POLL_MS = 2
TIMEOUT_S = 60.0
FIRST17 = "22082119850312123"


class ProbeTimeout(RuntimeError):
    pass


def wait_until(condition: Callable[[], Any], what: str, timeout_s: float = TIMEOUT_S) -> float:
    """Run the event loop until `condition()` is true; returns the perf_counter time it was seen."""
    from PySide6.QtCore import QEventLoop, QTimer

    seen: list[float] = []
    if condition():
        return time.perf_counter()
    loop = QEventLoop()

    def check() -> None:
        if not seen and condition():
            seen.append(time.perf_counter())
            loop.quit()

    poll = QTimer()
    poll.setInterval(POLL_MS)
    poll.timeout.connect(check)
    poll.start()
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    poll.stop()
    if not seen:
        raise ProbeTimeout(f"timed out waiting for {what}")
    return seen[0]


def settle(ms: int = 50) -> None:
    """Let queued work (repaints, late callbacks) run, as a pause between a clerk's actions."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def start_client(data_dir: Path, typing_time: bool = True) -> Any:
    """The desktop client as run_gui builds it, with the login window shown and (unless `typing_time`
    is False: a clerk who presses Enter the moment the window appears) its warm-up done."""
    from PySide6.QtWidgets import QApplication

    from app.ui.app import Controller, prepare_application

    app = QApplication.instance() or QApplication(sys.argv[:1])
    prepare_application(app)  # type: ignore[arg-type]
    controller = Controller(app, data_dir, training=False)  # type: ignore[arg-type]
    controller.start()
    shown = wait_until(lambda: controller.login_dialog is not None and controller.login_dialog.isVisible(),
                       "login window")
    controller.warm_up_ms = 0.0
    if not typing_time:
        return controller
    settle(200)  # the work behind the login window starts once the window is on screen
    controller.warm_up_ms = (wait_until(lambda: not controller.runner.busy, "background work behind the login window")
                             - shown) * 1000
    return controller


def log_in(controller: Any) -> float:
    """Type the clerk's number and password and press Enter; returns when Enter was pressed."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    dialog = controller.login_dialog
    dialog.activateWindow()
    dialog.staff_no.setText(CLERK_NO)
    dialog.password.setText(CLERK_PASSWORD)
    dialog.password.setFocus()
    start = time.perf_counter()
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)
    return start


def usable(controller: Any) -> bool:
    window = controller.main_window
    return window is not None and window.isVisible() and not controller.runner.busy


def logged_in_window(controller: Any) -> tuple[Any, float]:
    start = log_in(controller)
    seen = wait_until(lambda: usable(controller), "a usable main window")
    window = controller.main_window
    window.activateWindow()
    return window, (seen - start) * 1000


def shown_document(window: Any, previous: Any) -> Any:
    dialog = window.opener.dialog
    if dialog is None or dialog is previous or not dialog.isVisible():
        return None
    return dialog if dialog.preview.painted_at is not None else None


def close_document(window: Any, followed: bool = False) -> None:
    """Esc on the preview; a receipt of a 承诺件 is followed by its class notice, which is closed too."""
    dialog = window.opener.dialog
    dialog.reject()
    if followed:
        wait_until(lambda: shown_document(window, dialog), "the class notice after the receipt")
        window.opener.dialog.reject()
    settle()


def scenario_login(controller: Any, _rounds: int) -> list[float]:
    _window, ms = logged_in_window(controller)
    return [ms]


def press_until_shown(window: Any, field: Any, key: Any, title: str) -> float:
    """Ctrl+`key` in `field` of the active main window, to the first page of the document painted, in ms."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.activateWindow()  # back from the closed preview, as the window manager does
    field.setFocus()
    settle()
    previous = window.opener.dialog
    start = time.perf_counter()
    QTest.keyClick(field, key, Qt.KeyboardModifier.ControlModifier)
    wait_until(lambda: shown_document(window, previous), f"the {title} preview")
    dialog = window.opener.dialog
    if title not in dialog.windowTitle():
        raise ProbeTimeout(f"expected {title}, got {dialog.windowTitle()}")
    return float((dialog.preview.painted_at - start) * 1000)


def scenario_accept(controller: Any, rounds: int) -> list[float]:
    from PySide6.QtCore import Qt

    from app.services.id_numbers import id_check_digit

    window, _ms = logged_in_window(controller)
    view = window.acceptance
    window.show_area(view)
    wait_until(view.is_loaded, "the acceptance screen's catalogue and calendar")
    times = []
    for _ in range(rounds):
        if not view.picker.select_code("SB-002"):
            raise ProbeTimeout("item SB-002 not in the acceptance picker")
        item = view.current_item()
        view.checklist.set_materials(item.materials, set(range(1, len(item.materials) + 1)))
        view.applicant_name.setText("何桂兰")
        view.id_number.setText(FIRST17 + id_check_digit(FIRST17))
        view.phone.setText("13604362288")
        view.address.setText("镇赉镇红旗村")
        errors = view.revalidate()
        if errors:
            raise ProbeTimeout(f"the acceptance form is not complete: {errors}")
        times.append(press_until_shown(window, view.applicant_name, Qt.Key.Key_Return, "受理回执"))
        close_document(window, followed=True)
        wait_until(lambda: not controller.runner.busy, "work after the acceptance")
    return times


def scenario_notice(controller: Any, rounds: int) -> list[float]:
    from PySide6.QtCore import Qt

    window, _ms = logged_in_window(controller)
    window.show_area(window.notices)
    editor = window.notices.editor
    wait_until(lambda: editor.picker.select_code("HJ-001"), "the notice screen's catalogue")
    times = []
    for _ in range(rounds):
        if not editor.picker.select_code("HJ-001"):
            raise ProbeTimeout("item HJ-001 not in the notice picker")
        settle()
        for row in (0, 1, 4):
            editor.checklist.toggle(row)
        editor.citizen_name.setText("张桂芳")
        editor.citizen_phone.setText("13904367788")
        times.append(press_until_shown(window, editor.citizen_name, Qt.Key.Key_P, "一次性告知书"))
        close_document(window)
        wait_until(lambda: not controller.runner.busy, "work after the notice")
    return times


SCENARIOS: dict[str, Callable[[Any, int], list[float]]] = {
    "login": scenario_login,
    "login_at_once": scenario_login,  # Enter as soon as the login window shows, before its warm-up is done
    "accept": scenario_accept,
    "notice": scenario_notice,
}


def main(argv: list[str]) -> int:
    scenario, data_dir = argv[0], Path(argv[1])
    rounds = int(argv[2]) if len(argv) > 2 else 1
    result: dict[str, Any] = {"scenario": scenario}
    controller = None
    try:
        controller = start_client(data_dir, typing_time=scenario != "login_at_once")
        result["ms"] = [round(ms, 1) for ms in SCENARIOS[scenario](controller, rounds)]
        result["warm_up_ms"] = round(controller.warm_up_ms, 1)
    except ProbeTimeout as exc:
        result["error"] = str(exc)
    finally:
        if controller is not None:
            controller.runner.wait()
            if controller.main_window is not None:
                controller.main_window.close()
            if controller.lazy_db is not None:
                controller.lazy_db.dispose()
            controller.release_lock()
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0 if "ms" in result else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

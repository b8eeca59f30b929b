"""Issue 15's read time: from the simulated card being placed to the F6 form filled, under a second.

Measured in the main window as the clerk meets it (the watcher polling every 300 ms off the GUI thread): the
card file appears, and the clock stops when the applicant's ID number is in the form. The time includes up to
one polling interval, which is what a clerk waits too."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.measure import spread, target

TARGET_S = 1.0
ROUNDS = 10


def run() -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.services.idcard.config import ReaderConfig, save_config
    from app.services.node import load_identity
    from app.services.people.auth import login
    from app.services.setup import perform_setup
    from app.startup import open_workstation
    from app.ui.main_window import MainWindow
    from app.ui.tasks import TaskRunner
    from tests.conftest import ADMIN_PASSWORD, setup_request
    from tests.idcard_helpers import APPLICANT_ID, tiny_bmp, write_card_file

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="bench-idcard-"))
    db, _ = open_workstation(folder / "data")
    perform_setup(db, setup_request())
    reader = folder / "reader"
    reader.mkdir()
    (reader / "zp.bmp").write_bytes(tiny_bmp(102, 126))
    save_config(db.path.parent, ReaderConfig("simulated", file=str(reader / "card.json")))
    runner = TaskRunner(lambda exc: None)
    main = MainWindow(db, load_identity(db), login(db, "admin", ADMIN_PASSWORD), runner,  # type: ignore[arg-type]
                      db.path.parent / "window-state.ini")
    main.show()
    main.show_area(main.acceptance)
    view = main.acceptance
    times: list[float] = []
    try:
        for _ in range(ROUNDS):
            view.reset()
            (reader / "card.json").unlink(missing_ok=True)
            _spin(app, 1.2)  # the card away longer than ReaderSession.REPEAT_SECONDS: a new placing
            start = time.perf_counter()
            write_card_file(reader / "card.tmp", photo=reader / "zp.bmp").replace(reader / "card.json")
            while view.id_number.text() != APPLICANT_ID and time.perf_counter() - start < 5:
                app.processEvents()
                time.sleep(0.002)
            times.append(time.perf_counter() - start)
    finally:
        main.card_reader.stop()
        runner.wait()
        main.close()
        db.dispose()
    return {"card_to_form_ms": spread([t * 1000 for t in times]),
            "targets": {"idcard_card_to_form": target(max(times) * 1000, TARGET_S * 1000, "ms",
                                                      "模拟读卡：放卡到 F6 填好（最慢一次，含轮询间隔）")}}


def _spin(app: Any, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)

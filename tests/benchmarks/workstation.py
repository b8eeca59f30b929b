"""A workstation data folder as a window has it after a while: set up, demo staff (clerk 8001,
password px123456), departments, inquiries, notices and cases of every class, plus synthetic cases."""

from __future__ import annotations

from pathlib import Path


def make_workstation(data_dir: Path, cases: int = 10_000) -> Path:
    """Build the folder (services only, no Qt) and return it; `cases` synthetic cases on top of the demo's."""
    from app.services.demo_data import fill_demo_data
    from app.services.people.auth import login
    from app.services.setup import SetupRequest, perform_setup
    from app.startup import open_workstation
    from tests.benchmarks.case_data import fill

    db, _ = open_workstation(data_dir)
    try:
        perform_setup(db, SetupRequest("220821100", "镇赉镇民生服务中心", "01", "1号综合受理窗口", "window",
                                       "admin", "abc12345"))
        fill_demo_data(db, login(db, "admin", "abc12345"))
        if cases:
            fill(db, cases)
    finally:
        db.dispose()
    return data_dir

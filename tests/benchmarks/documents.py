"""Building a one-time notice PDF, warm, beside a bare reportlab page of the same text (same run)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.measure import bare_page_builder, timed


def run(rounds: int = 30) -> dict[str, Any]:
    from app.printing.notice_pdf import notice_pdf
    from app.services.documents import notice_sheet
    from app.services.inquiries.notices import NoticeForm, create_notice, get_notice
    from app.services.people.auth import login
    from app.services.training import TRAINING_PASSWORD
    from app.startup import open_workstation

    with tempfile.TemporaryDirectory(prefix="bench-docs-") as tmp:
        db, _ = open_workstation(Path(tmp), training=True)
        clerk = login(db, "8001", TRAINING_PASSWORD)
        number = create_notice(db, clerk, NoticeForm("HJ-001", "张桂芳", [1, 2, 5], "13904367788"))
        record = get_notice(db, number)
        assert record is not None
        sheet = notice_sheet(db, record, None)
        cold_start = time.perf_counter()
        data = notice_pdf(sheet)
        cold_ms = (time.perf_counter() - cold_start) * 1000
        db.dispose()
    bare_page = bare_page_builder(data)

    notice_times = timed(lambda: notice_pdf(sheet), rounds)
    bare_times = timed(bare_page, rounds)
    notice_ms = statistics.median(notice_times)
    bare_ms = statistics.median(bare_times)
    return {
        "notice_pdf_first_build_ms": round(cold_ms, 1),
        "notice_pdf_warm_ms_p50": round(notice_ms, 1),
        "bare_reportlab_same_text_ms_p50": round(bare_ms, 1),
        "notice_ratio_vs_bare": round(notice_ms / bare_ms, 2),
        "notice_pdf_bytes": len(data),
        "rounds": rounds,
    }

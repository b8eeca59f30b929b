"""Shared benchmark helpers: timing in milliseconds, percentiles, and the bare-reportlab baseline."""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from typing import Any


def timed(fn: Callable[[], Any], rounds: int) -> list[float]:
    """Milliseconds for each of `rounds` calls."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {"p50": round(statistics.median(ordered), 2), "p99": round(p99, 2)}


def bare_page_builder(pdf: bytes) -> Callable[[], bytes]:
    """A function drawing the text of `pdf` as plain lines with reportlab: what the layout costs on top."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from app.printing.fonts import register_pdf_font
    from tests.pdf_helpers import pdf_text

    lines = [line for line in pdf_text(pdf).splitlines() if line.strip()]
    font = register_pdf_font()

    def build() -> bytes:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, initialFontName=font)
        canvas.setFont(font, 10)
        y = 800.0
        for line in lines:
            if y < 40:
                canvas.showPage()
                canvas.setFont(font, 10)
                y = 800.0
            canvas.drawString(40, y, line)
            y -= 13
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    return build

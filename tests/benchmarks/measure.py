"""Shared benchmark helpers: timing in milliseconds, percentiles, targets, and the bare-reportlab baseline."""

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


def spread(samples: list[float], digits: int = 1) -> dict[str, float]:
    """Median, best and worst of a few rounds (a whole process or a GUI path, where rounds are few)."""
    return {"p50": round(statistics.median(samples), digits), "min": round(min(samples), digits),
            "max": round(max(samples), digits), "rounds": len(samples)}


def target(value: float, limit: float, unit: str, what: str, inclusive: bool = False) -> dict[str, Any]:
    """A figure beside its target (issue 10's "speed that a clerk feels"), with whether it is met.

    `inclusive` makes the limit itself a pass (≤ for ratios such as "at most 3× the bare insert")."""
    met = value <= limit if inclusive else value < limit
    return {"value": round(value, 2), "target": f"{'≤' if inclusive else '<'} {limit:g} {unit}".strip(),
            "what": what, "pass": bool(met)}


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

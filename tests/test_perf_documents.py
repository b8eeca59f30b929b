"""The faster ways of building a page must give the page they replaced: reportlab's own QR code (its mask
chosen by its own penalty), the parser's paragraphs byte for byte, barcodes that still scan, and a
preview that says when its first page is on screen. Speed itself is measured only by `make bench`."""

from __future__ import annotations

import io
import random
import string
from collections.abc import Iterator
from typing import Any

import pytest

from app.actor import Actor
from app.database import Database
from app.printing import layout
from app.printing.barcodes import lost_point, qr_rows
from app.printing.case_pdf import receipt_pdf, slip_pdf
from app.printing.notice_pdf import notice_pdf
from app.services.cases.records import get_case, list_cases
from app.services.demo_data import fill_demo_data
from app.services.documents import case_sheet, notice_sheet
from app.services.inquiries.notices import get_notice, iter_notices
from tests.pdf_helpers import barcodes

pytestmark = pytest.mark.usefixtures("china_time")


def payloads(count: int) -> Iterator[str]:
    """Case QR payloads (number#query code) and arbitrary text of every length up to a few versions."""
    rng = random.Random(10)
    for n in range(count):
        if n % 3:
            yield ("".join(rng.choice(string.digits) for _ in range(22)) + "#"
                   + "".join(rng.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8)))
        else:
            yield "".join(rng.choice(string.printable[:94]) for _ in range(rng.randint(1, 150)))


def test_qr_codes_are_reportlabs_own() -> None:
    from reportlab.graphics.barcode import qrencoder

    for value in payloads(90):
        qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        qr.addData(value)
        qr.version = qr.calculate_version()
        for pattern in range(8):
            qr.makeImpl(True, pattern)
            assert lost_point(qr.modules) == qrencoder.QRUtil.getLostPoint(qr), (value, pattern)
        reference = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        reference.addData(value)
        reference.make()
        assert qr_rows(value) == tuple("".join("1" if dark else "0" for dark in row) for row in reference.modules)


@pytest.fixture
def demo(db: Database, admin: Actor) -> Database:
    fill_demo_data(db, admin)
    return db


def every_document(db: Database) -> list[tuple[str, Any]]:
    """Each demo case's receipt and class notice and each demo notice, as functions building them."""
    built: list[tuple[str, Any]] = []
    for listed in list_cases(db):
        record = get_case(db, listed.number)
        assert record is not None
        sheet = case_sheet(db, record, None)
        built.append((f"receipt {listed.number}", lambda sheet=sheet: receipt_pdf(sheet)))
        if listed.case_class != "immediate":
            built.append((f"slip {listed.number}", lambda sheet=sheet: slip_pdf(sheet)))
    for notice in iter_notices(db):
        record = get_notice(db, notice.number)
        assert record is not None
        sheet = notice_sheet(db, record, None)
        built.append((f"notice {notice.number}", lambda sheet=sheet: notice_pdf(sheet)))
    return built


def test_plain_paragraphs_are_the_parsers_byte_for_byte(demo: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    documents = every_document(demo)
    assert len(documents) > 15
    monkeypatch.setattr(layout, "PLAIN_TEXT_FAST", False)  # every paragraph parsed and wrapped as reportlab does
    parsed = {name: build() for name, build in documents}
    monkeypatch.setattr(layout, "PLAIN_TEXT_FAST", True)
    assert {name: build() for name, build in documents} == parsed


def test_receipt_barcodes_scan_at_150_dpi(demo: Database) -> None:
    listed = next(c for c in list_cases(demo) if c.case_class == "promised")
    record = get_case(demo, listed.number)
    assert record is not None
    data = receipt_pdf(case_sheet(demo, record, None))
    assert data == receipt_pdf(case_sheet(demo, record, None))  # byte for byte, as every reprint
    found = barcodes(data, dpi=150)
    assert ("Code128", record.number) in found
    assert ("QRCode", f"{record.number}#{record.query_code}") in found


def test_preview_tells_when_its_first_page_is_on_screen(qtbot: Any) -> None:
    from app.ui.page_preview import PagePreview

    data = one_page_pdf()
    preview = PagePreview(data)
    qtbot.addWidget(preview)
    assert preview.painted_at is None
    with qtbot.waitSignal(preview.first_painted, timeout=5000):
        preview.resize(900, 1200)
        preview.show()
    first = preview.painted_at
    assert first is not None
    preview.repaint()
    assert preview.painted_at == first  # the first paint only
    preview.set_data(data)  # the 补打 version: a new first page
    assert preview.painted_at is None
    with qtbot.waitSignal(preview.first_painted, timeout=5000):
        preview.update()


def one_page_pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    from app.printing.fonts import register_pdf_font

    buffer = io.BytesIO()
    canvas = Canvas(buffer, initialFontName=register_pdf_font())
    canvas.drawString(72, 720, "一次性告知书")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()

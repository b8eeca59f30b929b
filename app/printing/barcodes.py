"""Code128 and QR codes drawn as vector rectangles: python-barcode and reportlab's QR encoder encode.

0.33 mm per module decodes from pages rendered at 150 dpi and more (platform-notes), so a
scanner at the window reads the printed slip reliably; the number is also printed below it.

Both are drawn in module units (one scale, then whole numbers) as one filled path of runs: a QR
code drawn square by square cost more than the rest of a receipt's page, most of it in formatting
a thousand coordinates. The QR code's mask is chosen by reportlab's own penalty rules, scored here
on rows and columns as text and bits instead of module by module (the same scores, so the same
code: tests/test_perf_documents.py compares them with reportlab's).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from barcode import get as get_barcode
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from app.printing.fonts import register_pdf_font

MODULE = 0.33 * mm
QUIET_MODULES = 10


def _runs(bits: str, mark: str = "1") -> list[tuple[int, int]]:
    """(start, length) of each run of `mark` in a row of modules."""
    return [(m.start(), m.end() - m.start()) for m in re.finditer(f"{re.escape(mark)}+", bits)]


def _number(value: float) -> str:
    """A coordinate as PDF text, repeatable byte for byte (at most 4 decimals, no trailing zeros)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


class Code128(Flowable):
    def __init__(self, value: str, bar_height: float = 11 * mm, caption: str | None = None) -> None:
        super().__init__()
        self.value = value
        self.caption = value if caption is None else caption
        self.modules: str = get_barcode("code128", value).build()[0]
        self.bar_height = bar_height
        self.width = (len(self.modules) + 2 * QUIET_MODULES) * MODULE
        self.height = bar_height + (4 * mm if self.caption else 0)

    def wrap(self, _avail_width: float, _avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        canvas.saveState()
        canvas.scale(MODULE, 1)  # x in modules, y in points
        base, height = _number(self.height - self.bar_height), _number(self.bar_height)
        bars = " ".join(f"{QUIET_MODULES + start} {base} {length} {height} re" for start, length in _runs(self.modules))
        canvas.addLiteral(f"{bars} f")
        canvas.restoreState()
        if self.caption:
            canvas.setFont(register_pdf_font(), 8.5)
            canvas.drawCentredString(self.width / 2, 0.5 * mm, self.caption)
        canvas.restoreState()


class QrCode(Flowable):
    """A QR code drawn as plain rectangles (reportlab's graphics renderer would add a Helvetica)."""

    QUIET = 2  # modules of white border; the cell padding adds more

    def __init__(self, value: str, size: float = 24 * mm) -> None:
        super().__init__()
        self.value = value
        self.rows = qr_rows(value)  # "1" dark, "0" light, top row first
        self.width = self.height = size

    def wrap(self, _avail_width: float, _avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        count = len(self.rows)
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        module = self.width / (count + 2 * self.QUIET)
        canvas.scale(module, module)  # whole modules from here on, origin at the quiet zone's corner
        canvas.addLiteral(_qr_path(self.rows, self.QUIET))
        canvas.restoreState()


@lru_cache(maxsize=64)
def _qr_path(rows: tuple[str, ...], quiet: int) -> str:
    """The dark runs of each row as one filled path, in module units from the bottom-left corner."""
    count = len(rows)
    parts = [f"{quiet + start} {count + quiet - 1 - r} {length} 1 re"
             for r, row in enumerate(rows) for start, length in _runs(row)]
    return " ".join(parts) + " f"


def _remember_generator_polynomials() -> None:
    """reportlab builds the Reed-Solomon generator polynomial again for every block of every code (a
    third of a code's time); it depends on the block's error-correction length alone, and nothing
    changes the polynomial it returns, so each is built once."""
    from reportlab.graphics.barcode.qrencoder import QRUtil

    build = QRUtil.getErrorCorrectPolynomial
    if not hasattr(build, "cache_info"):
        QRUtil.getErrorCorrectPolynomial = staticmethod(lru_cache(maxsize=None)(build))


@lru_cache(maxsize=64)
def qr_rows(value: str) -> tuple[str, ...]:
    """The modules of `value`'s QR code (level M), as reportlab's encoder makes it, one string per row.

    reportlab builds the whole symbol once per mask to score it and once more for the winner; here it
    is built once, the eight masks are applied to its data modules as bit rows, and the winner gets
    its format information written by reportlab. A receipt, its class notice and every reprint carry
    the same code, so the last few are kept."""
    from reportlab.graphics.barcode import qrencoder

    _remember_generator_polynomials()
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.version = qr.calculate_version()
    qr.makeImpl(True, 0)  # test mode: format information all light, as reportlab scores it
    count = qr.moduleCount
    data_rows, data_cells = [0] * count, [0] * count
    positions = qr.dataPosIterator()
    bits = list(qr.dataBitIterator(qr.dataCache))
    bits += [False] * (len(positions) - len(bits))  # remainder modules are light before masking, as in mapData
    for (column, row), dark in zip(positions, bits, strict=True):
        data_cells[row] |= 1 << column
        if dark:
            data_rows[row] |= 1 << column
    fixed = [_bits(qr.modules[r]) & ~data_cells[r] for r in range(count)]
    best, best_score, best_rows = 0, -1, [""]
    for pattern in range(8):
        masks = _mask_rows(pattern, count)
        rows = [format(fixed[r] | (data_rows[r] ^ (masks[r] & data_cells[r])), f"0{count}b")[::-1]
                for r in range(count)]
        score = _penalty(rows)
        if best_score < 0 or score < best_score:
            best, best_score, best_rows = pattern, score, rows
    # makeImpl(False, best) would build it all again; only the format (and version) information differs
    qr.modules = [[module == "1" for module in row] for row in best_rows]
    qr.setupTypeInfo(False, best)
    if qr.version >= 7:
        qr.setupTypeNumber(False)
    return tuple(bytes(row).translate(_AS_DIGITS).decode("ascii") for row in qr.modules)


_AS_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _bits(row: list[bool]) -> int:
    """A row of modules as an integer whose bit j is column j."""
    return int(bytes(row[::-1]).translate(_AS_DIGITS), 2)


@cache
def _mask_rows(pattern: int, count: int) -> tuple[int, ...]:
    """Where mask `pattern` inverts a module, as bit rows (reportlab's mask functions)."""
    from reportlab.graphics.barcode.qrencoder import QRUtil

    mask = QRUtil.getMask(pattern)
    return tuple(sum(1 << c for c in range(count) if mask(r, c)) for r in range(count))


_LONG_RUN = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE = "10111010000"


def lost_point(modules: list[list[bool]]) -> int:
    """reportlab's QRUtil.getLostPoint (the mask penalty) of a symbol's modules."""
    return _penalty([bytes(row).translate(_AS_DIGITS).decode("ascii") for row in modules])


def _penalty(rows: list[str]) -> int:
    """reportlab's mask penalty, scored on whole rows and columns ("1" dark, top row first).

    Rule 1: each run of five or more same-coloured modules in a row or column scores its length - 2.
    Rule 2: each 2×2 block of one colour scores 3. Rule 3: each 1011101 0000 in a row scores 40 (reportlab
    looks left to right only, never at a match ending in the last module, and in effect never in a
    column). Rule 4: 10 for every 5 % the dark share is away from half."""
    count = len(rows)
    columns = ["".join(column) for column in zip(*rows, strict=True)]
    score = sum(len(run) - 2 for run in _LONG_RUN.findall("|".join((*rows, *columns))))
    # reportlab compares a column (a tuple) with its pattern (a list): never equal, so rows only
    score += 40 * "|".join(row[:-1] for row in rows).count(_FINDER_LIKE)
    full = (1 << count) - 1
    pairs = full >> 1  # bit j: modules j and j + 1
    bits = [int(row[::-1], 2) for row in rows]  # bit j is column j
    for upper, lower in zip(bits, bits[1:]):
        same_down = ~(upper ^ lower) & full
        same_across = ~(upper ^ (upper >> 1)) & pairs
        score += 3 * bin(same_down & (same_down >> 1) & same_across).count("1")
    dark = sum(row.count("1") for row in rows)
    score += 10 * (abs(100 * dark // (count * count) - 50) // 5)
    return score

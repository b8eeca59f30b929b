"""Streaming a register or ledger into an .xlsx file: memory flat, and the file appears only when whole.

A write-only workbook keeps no cells in memory; rows go to openpyxl's temporary file as they come.
The finished workbook is saved beside the target and moved into place, so a failure or a cancel
(between rows, app.progress) leaves no half-written spreadsheet and an older file of that name as it
was. Every export (首问登记簿, 办件登记簿, 代办台账) goes through `write_rows`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from app.progress import NO_PROGRESS, Progress
from app.services.errors import ValidationError

SAVING = "正在保存 Excel 文件"


def check_xlsx(path: Path) -> None:
    if path.suffix.lower() != ".xlsx":
        raise ValidationError("导出文件应以 .xlsx 结尾")


def write_rows(path: Path, sheet_title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
               total: int = 0, progress: Progress = NO_PROGRESS, widths: Sequence[float] = (),
               doing: str = "正在导出") -> int:
    """Write a bold header and the rows; returns how many rows were written.

    `total` is what progress counts against (0: unknown; more rows than counted turns it unknown);
    `doing` is what the progress window says meanwhile."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    check_xlsx(path)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = []
    for title in columns:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    progress.step(0, total, doing)
    try:
        for row in rows:
            sheet.append(list(row))
            count += 1
            progress.step(count, total if total >= count else 0, doing)
            progress.check()
        progress.point_of_no_return(SAVING)
    except BaseException:
        _discard(sheet)
        raise
    save_atomically(workbook, path)
    return count


def save_atomically(workbook: Any, path: Path) -> None:
    """Save an openpyxl workbook whole or not at all: to a file beside the target, then moved over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    try:
        workbook.save(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _discard(sheet: object) -> None:
    """A write-only sheet streams its rows into a temporary file of openpyxl's, removed only when the
    process exits: an export stopped half-way removes it now (private API, hence best effort)."""
    writer = getattr(sheet, "_writer", None)
    rows = getattr(sheet, "_rows", None)
    # The generator and file may already be closed, or openpyxl may have moved them: nothing to tidy then.
    with contextlib.suppress(Exception):
        if rows is not None:
            rows.close()
        if writer is not None:
            writer.close()
            writer.cleanup()

"""The monthly 考勤表 as a PDF or a workbook: the sheet (attendance_sheet.py) turned into plain print data.

Written to a file the way every export is: the whole document is built first and then moved into
place (app.safe_write, app.services.spreadsheet), so a bad month or path leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from app.clock import local_now
from app.database import Database
from app.printing.attendance_pdf import AttendancePrint, PrintDay, PrintRow, attendance_pdf
from app.safe_write import write_bytes_atomically
from app.services.cases.documents import center_of
from app.services.errors import ValidationError
from app.services.people.attendance_sheet import TOTALS, AttendanceSheet, attendance_sheet, write_sheet_xlsx

WEEKDAYS = "一二三四五六日"


def print_data(sheet: AttendanceSheet, center_name: str, printed_by: str, training: bool = False) -> AttendancePrint:
    return AttendancePrint(
        center_name=center_name, month=sheet.title_month, printed=f"{local_now():%Y-%m-%d %H:%M}",
        printed_by=printed_by,
        days=tuple(PrintDay(d.day, WEEKDAYS[d.weekday()], w) for d, w in zip(sheet.days, sheet.workdays, strict=True)),
        rows=tuple(PrintRow(r.staff_no, r.name, r.workplace, tuple(m.mark for m in r.marks),
                            tuple(r.totals.value(k) for k, _label in TOTALS)) for r in sheet.rows),
        total_labels=tuple(label for _k, label in TOTALS), legend=sheet.legend, training=training)


def sheet_pdf(db: Database, sheet: AttendanceSheet, printed_by: str) -> bytes:
    center_name, training = center_of(db)
    return attendance_pdf(print_data(sheet, center_name, printed_by, training))


def check_sheet_path(path: Path) -> str:
    """The sheet's file kind (.pdf or .xlsx), refused in Chinese otherwise; asked before anything is read."""
    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise ValidationError("考勤表文件应以 .pdf 或 .xlsx 结尾")
    return suffix


def export_sheet(db: Database, month: date | str, path: Path, printed_by: str,
                 leave_days: Mapping[tuple[str, date], str] | None = None) -> AttendanceSheet:
    """Write the month's sheet to `path` (.pdf or .xlsx, by its ending); the sheet is returned."""
    suffix = check_sheet_path(path)
    sheet = attendance_sheet(db, month, leave_days)
    if suffix == ".pdf":
        write_bytes_atomically(path, sheet_pdf(db, sheet, printed_by))
    else:
        write_sheet_xlsx(sheet, path)
    return sheet

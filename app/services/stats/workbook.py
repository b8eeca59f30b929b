"""The report as an Excel workbook: one sheet per table (全镇, 按窗口, 按人员, 按事项, 月度趋势, 满意度构成,
指标说明; at the county 全县, 按乡镇, 按事项 …), a bold header row, numbers as numbers and shares as real percentages (0.935 shown as 93.5%),
so the figures can be summed and charted again in Excel. Saved beside the target and moved into place,
so a failure leaves no half-written file (as app.services.spreadsheet does for the ledgers).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.services.spreadsheet import check_xlsx, save_atomically
from app.services.stats.figures import BY_KEY, EVERY_SCOPE, FIGURES
from app.services.stats.report import StatsRow, as_of_note, uncounted_note

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from app.services.stats.monthly import ReportData

PERCENT = "0.0%"
NOT_SPLIT = "—"  # a figure the sheet's scope cannot split (attendance by 事项), as the screen and paper show it
SHEETS = ("全镇", "按窗口", "按人员", "按事项", "月度趋势", "满意度构成", "指标说明")
SCOPE_SHEETS = {"window": "按窗口", "staff": "按人员", "item": "按事项", "township": "按乡镇", "node": "按节点"}


def _cell_value(key: str, value: int | float | None) -> int | float | None:
    """A share as a fraction (Excel's percent format multiplies by 100); a count or average as it is."""
    if value is None:
        return None
    return round(value / 100.0, 4) if BY_KEY[key].unit == "%" else value


def _header(sheet: Worksheet, titles: Sequence[str], widths: Sequence[float]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append(list(titles))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _append(sheet: Worksheet, values: Sequence[Any], percent_columns: Sequence[int]) -> None:
    sheet.append(list(values))
    row = sheet.max_row
    for column in percent_columns:
        sheet.cell(row=row, column=column).number_format = PERCENT


def _figure_title(key: str) -> str:
    figure = BY_KEY[key]
    return figure.label_cn if figure.unit == "%" else f"{figure.label_cn}（{figure.unit}）"


def _scope_sheet(sheet: Worksheet, by: str, first: str, rows: Sequence[StatsRow], total: StatsRow,
                 uncounted: frozenset[str]) -> None:
    """A scope's rows and the township's total under every figure; a figure the scope cannot split reads
    “—” on its rows (an empty cell is a share of nothing), the total keeps its number; one with no records
    here (uncounted) reads “—” on every line."""
    from openpyxl.styles import Alignment

    keys = [f.key for f in FIGURES]
    _header(sheet, ["编号", first, *(_figure_title(k) for k in keys)], [14, 24, *([12] * len(keys))])
    percent = [i + 3 for i, k in enumerate(keys) if BY_KEY[k].unit == "%"]
    unsplit = {k for k in keys if not BY_KEY[k].splits(by)} | set(uncounted)

    def line(key: str, label: str, row: StatsRow, dashed: set[str]) -> None:
        _append(sheet, [key or None, label,
                        *(NOT_SPLIT if k in dashed else _cell_value(k, row.values[k]) for k in keys)], percent)
        for i, k in enumerate(keys, start=3):
            if k in dashed:
                sheet.cell(row=sheet.max_row, column=i).alignment = Alignment(horizontal="center")

    for row in rows:
        line(row.key, row.label, row, unsplit)
    line("", total.label, total, set(uncounted))


def write_workbook(data: ReportData, path: Path, center_name: str) -> None:
    from openpyxl import Workbook

    check_xlsx(path)
    book = Workbook()
    township = book.active
    assert township is not None
    total = data.township
    township.title = total.label.removesuffix("合计") or SHEETS[0]  # 全镇, or 全县 at the county
    _header(township, ["指标", "数值", "单位", "键"], [22, 14, 12, 22])
    _append(township, ["统计期间", f"{data.period.period.first.isoformat()} 至 {data.period.period.last.isoformat()}",
                       "", "period"], [])
    _append(township, ["数据截至", data.as_of.strftime("%Y-%m-%d %H:%M"), "", "as_of"], [])
    for f in FIGURES:
        value = NOT_SPLIT if f.key in data.uncounted else _cell_value(f.key, total.values[f.key])
        _append(township, [f.label_cn, value, f.unit, f.key], [2] if f.unit == "%" else [])
    for klass, n in sorted(total.accepted_by_class.items()):
        _append(township, [f"受理量：{klass}", n, "件", f"accepted_by_class.{klass}"], [])
    _append(township, ["服务中心", center_name, "", "center"], [])
    for by in data.scopes:
        rows = data.tables[by].rows
        if by == "item":
            rows = tuple(sorted(rows, key=lambda r: (-int(r.values["accepted"] or 0), r.key)))
        _scope_sheet(book.create_sheet(SCOPE_SHEETS[by]), by, EVERY_SCOPE[by], rows, total, data.uncounted)
    trend = book.create_sheet("月度趋势")
    _header(trend, ["月份", "受理量（件）", "办结量（件）", "满意度"], [12, 14, 14, 12])
    for point in data.trend:
        satisfaction = point.values.get("satisfaction")
        _append(trend, [point.month, point.values.get("accepted"), point.values.get("completed"),
                        None if satisfaction is None else round(satisfaction / 100.0, 4)], [4])
    split = book.create_sheet("满意度构成")
    _header(split, ["评价等级", "条数", "占计入评价"], [16, 10, 14])
    rated = data.split.rated
    for label, n in data.split.parts():
        share = None if label == "默认评价" or not rated else round(n / rated, 4)
        _append(split, [label, n, share], [3])
    notes = book.create_sheet("指标说明")
    _header(notes, ["键", "指标", "单位", "口径"], [20, 16, 10, 100])
    for f in FIGURES:
        notes.append([f.key, f.label_cn, f.unit, f.definition_cn])
    notes.append(["as_of", "数据截至", "", as_of_note(data.as_of)])
    if data.uncounted:
        notes.append(["uncounted", "不统计的指标", "", uncounted_note(data.uncounted)])
    book.properties.creator = "民生服务工作站"
    save_atomically(book, path)

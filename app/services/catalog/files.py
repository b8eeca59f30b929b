"""Catalogue files: JSON (nested materials) and Excel (sheets 事项 and 材料), read and written.

Reading checks every row and reports every problem of every kind with where it is (sheet, row and
column); nothing is applied unless the whole file is good (the caller applies the items in one
transaction). Files are bounded before parsing: size, JSON nesting, item and material counts.

An import reports its progress (app.progress) and may be cancelled while the file is read and checked;
once the write transaction starts it is all or nothing, so from there on it cannot be cancelled.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.actor import Actor
from app.database import Database
from app.progress import NO_PROGRESS, Progress
from app.services.catalog.data import (
    ITEM_FIELDS,
    MATERIAL_FIELDS,
    SEP,
    ItemData,
    item_to_dict,
    parse_item,
)
from app.services.catalog.items import ImportReport, apply_items
from app.services.errors import ValidationError
from app.services.input_limits import check_file_size, parse_json, read_text_file
from app.services.people.permissions import EDIT_CATALOG, require

FORMAT_NAME = "minsheng-catalog"
ITEM_SHEET = "事项"
MATERIAL_SHEET = "材料"
MATERIAL_ITEM_HEADER = "事项编码"


MAX_FILE_BYTES = 20_000_000  # ten times the largest county catalogue seen; refused before parsing
MAX_ITEMS = 10_000  # a township publishes a few hundred
MAX_MATERIALS = 200  # per item
MAX_XLSX_INFLATED = 200_000_000  # the sheets' XML once unzipped (a 13 MB catalogue is about 40 MB)
MAX_COLUMNS = 64  # header cells read from a sheet (a forged sheet may claim 16,384)

Entry = tuple[str, dict[str, Any], list[tuple[str, dict[str, Any]]]]  # where, item fields, materials with where
READING = "正在读取事项清单文件"
CHECKING = "正在检查事项"
WRITING = "正在写入事项清单"


def _check_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in {".json", ".xlsx"}:
        raise ValidationError(f"不支持的文件类型“{suffix or '无扩展名'}”：请使用 .json 或 .xlsx")
    return suffix


def import_catalog(db: Database, actor: Actor, path: Path, progress: Progress = NO_PROGRESS) -> ImportReport:
    """Read, check and apply a catalogue file: cancellable until the write begins, then all or nothing."""
    require(actor, EDIT_CATALOG)  # before reading a large file that would be refused anyway
    return apply_catalog(db, actor, read_catalog(path, progress), str(path), progress)


def apply_catalog(db: Database, actor: Actor, items: list[ItemData], source: str,
                  progress: Progress = NO_PROGRESS) -> ImportReport:
    """The write of an import: the last moment to cancel, then one transaction (app.services.catalog.items)."""
    progress.point_of_no_return(WRITING)
    return apply_items(db, actor, items, source=source)


def read_catalog(path: Path, progress: Progress = NO_PROGRESS) -> list[ItemData]:
    """Every item of the file, or ValidationError listing every problem of every kind with where it is.
    Reading changes nothing, so `progress` may cancel it anywhere (app.progress.Cancelled)."""
    suffix = _check_format(path)
    check_file_size(path, MAX_FILE_BYTES, "事项清单")
    progress.busy(READING)
    errors: list[str] = []
    entries = _read_json(path) if suffix == ".json" else _read_xlsx(path, errors, progress)
    progress.check()
    items: list[ItemData] = []
    seen: dict[str, str] = {}
    for done, (where, raw, materials) in enumerate(entries):
        progress.step(done, len(entries), CHECKING)
        progress.check()
        item, problems = parse_item(raw, [m for _, m in materials], [w for w, _ in materials])
        errors.extend(f"{where}：{p}" for p in problems)
        code = str(raw.get("code") or "").strip()
        if code and code in seen:
            errors.append(f"{where}：事项编码 {code} 与{seen[code]}重复")
        elif code:
            seen[code] = where
        if item is not None:
            items.append(item)
    progress.step(len(entries), len(entries), CHECKING)
    if errors:
        raise ValidationError(f"文件中有{len(errors)}处错误，未导入任何事项", errors)
    if not items:
        raise ValidationError("文件中没有事项")
    return items


def _read_json(path: Path) -> list[Entry]:
    document = parse_json(read_text_file(path, MAX_FILE_BYTES, "事项清单"))
    raw_items = document.get("items") if isinstance(document, dict) else document
    if not isinstance(raw_items, list):
        raise ValidationError("JSON 文件应包含事项列表（items）")
    if len(raw_items) > MAX_ITEMS:
        raise ValidationError(f"文件中的事项过多（{len(raw_items)}项），一次最多导入{MAX_ITEMS}项")
    entries: list[Entry] = []
    problems: list[str] = []
    for index, raw in enumerate(raw_items, start=1):
        where = f"第{index}项"
        if not isinstance(raw, dict):
            problems.append(f"{where}：应为一个对象")
            continue
        materials = raw.get("materials") or []
        if not isinstance(materials, list) or not all(isinstance(m, dict) for m in materials):
            problems.append(f"{where}：materials 应为对象列表")
            continue
        if len(materials) > MAX_MATERIALS:
            problems.append(f"{where}：申请材料过多（{len(materials)}项），每个事项最多{MAX_MATERIALS}项")
            continue
        entries.append((where, raw, [(f"第{n}项材料", m) for n, m in enumerate(materials, start=1)]))
    if problems:
        raise ValidationError(f"文件中有{len(problems)}处错误，未导入任何事项", problems)
    return entries


def _read_xlsx(path: Path, errors: list[str], progress: Progress) -> list[Entry]:
    """Rows of both sheets; problems with the sheets themselves and orphan materials go into `errors`,
    so that one answer lists them together with every bad row."""
    from zipfile import BadZipFile, ZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with ZipFile(path) as archive:  # an .xlsx is a zip: refuse one that would inflate to gigabytes
            inflated = sum(info.file_size for info in archive.infolist())
        if inflated > MAX_XLSX_INFLATED:
            raise ValidationError(f"Excel 文件解压后过大（{inflated // 1_000_000} MB），不能超过"
                                  f"{MAX_XLSX_INFLATED // 1_000_000} MB")
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError, TypeError):
        raise ValidationError("无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式") from None
    item_rows: list[tuple[int, dict[str, Any]]] = []
    material_rows: list[tuple[int, dict[str, Any]]] = []
    try:
        material_map = {h: a for a, h, _ in MATERIAL_FIELDS} | {MATERIAL_ITEM_HEADER: "_item"}
        for sheet, header_map, limit, rows in (
            (ITEM_SHEET, {h: a for a, h, _ in ITEM_FIELDS}, MAX_ITEMS, item_rows),
            (MATERIAL_SHEET, material_map, MAX_ITEMS * 20, material_rows),
        ):
            if sheet not in workbook.sheetnames:
                errors.append(f"Excel 文件缺少工作表“{sheet}”")
                continue
            rows.extend(_sheet_rows(workbook[sheet], header_map, limit, errors, progress))
    except (BadZipFile, OSError, KeyError, ValueError, TypeError):  # a damaged sheet inside the zip
        raise ValidationError("无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式") from None
    finally:
        workbook.close()
    by_code: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    codes = {str(raw.get("code") or "").strip() for _, raw in item_rows}
    for row_number, raw in material_rows:
        code = str(raw.pop("_item", "") or "").strip()
        where = f"{MATERIAL_SHEET} 第{row_number}行"
        if code not in codes:
            errors.append(f"{where}：事项编码“{code}”在“{ITEM_SHEET}”表中不存在")
            continue
        by_code.setdefault(code, []).append((where, raw))
    entries: list[Entry] = []
    for row_number, raw in item_rows:
        where = f"{ITEM_SHEET} 第{row_number}行"
        materials = by_code.get(str(raw.get("code") or "").strip(), [])
        if len(materials) > MAX_MATERIALS:
            errors.append(f"{where}：申请材料过多（{len(materials)}项），每个事项最多{MAX_MATERIALS}项")
            continue
        entries.append((where, raw, materials))
    return entries


def _sheet_rows(sheet: Any, header_map: dict[str, str], limit: int, errors: list[str],
                progress: Progress = NO_PROGRESS) -> list[tuple[int, dict[str, Any]]]:
    what = f"正在读取工作表“{sheet.title}”"
    try:
        total = int(sheet.max_row or 0)  # from the sheet's recorded size; 0 (unknown) when it records none
    except (TypeError, ValueError):
        total = 0
    progress.step(0, total, what)
    rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header = next(rows, None)
    if header is None:
        return []
    names = [str(h).strip() if h is not None else "" for h in header]
    missing = [h for h in header_map if h not in names]
    if missing:
        errors.append(f"工作表“{sheet.title}”缺少列：{SEP.join(missing)}")
        return []
    result: list[tuple[int, dict[str, Any]]] = []
    for row_number, row in enumerate(rows, start=2):
        progress.step(row_number, total if total >= row_number else 0, what)  # a sheet may under-report
        progress.check()
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        if len(result) >= limit:
            errors.append(f"工作表“{sheet.title}”的行数过多，最多{limit}行")
            break
        raw = {header_map[n]: v for n, v in zip(names, row) if n in header_map}
        result.append((row_number, raw))
    return result


def write_catalog(path: Path, items: list[ItemData]) -> None:
    suffix = _check_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".json":
        document = {"format": FORMAT_NAME, "version": 1, "items": [item_to_dict(i) for i in items]}
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    _write_xlsx(path, items)


def _cell(value: Any, kind: str) -> Any:
    if kind == "bool":
        return "是" if value else "否"
    if kind == "list":
        return SEP.join(value)
    if kind == "class":
        from app.models.catalog import CASE_CLASSES

        return CASE_CLASSES[value]
    return value


def _write_xlsx(path: Path, items: list[ItemData]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    item_sheet = workbook.create_sheet(ITEM_SHEET)
    workbook.remove(workbook.worksheets[0])  # the default empty sheet
    item_sheet.append([h for _, h, _ in ITEM_FIELDS])
    material_sheet = workbook.create_sheet(MATERIAL_SHEET)
    material_sheet.append([MATERIAL_ITEM_HEADER] + [h for _, h, _ in MATERIAL_FIELDS])
    for item in items:
        item_sheet.append([_cell(getattr(item, a), k) for a, _, k in ITEM_FIELDS])
        for material in item.materials:
            material_sheet.append([item.code] + [_cell(getattr(material, a), k) for a, _, k in MATERIAL_FIELDS])
    for sheet in (item_sheet, material_sheet):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    workbook.save(path)

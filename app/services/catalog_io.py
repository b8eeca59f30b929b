"""Catalogue files: JSON (nested materials) and Excel (sheets 事项 and 材料), read and written.

Reading checks every row and reports every bad one with where it is; nothing is applied unless
the whole file is good (the caller applies the items in one transaction).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.services.catalog_data import (
    ITEM_FIELDS,
    MATERIAL_FIELDS,
    SEP,
    ItemData,
    item_to_dict,
    parse_item,
)
from app.services.errors import ValidationError

FORMAT_NAME = "minsheng-catalog"
ITEM_SHEET = "事项"
MATERIAL_SHEET = "材料"
MATERIAL_ITEM_HEADER = "事项编码"


def _check_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in {".json", ".xlsx"}:
        raise ValidationError(f"不支持的文件类型“{suffix or '无扩展名'}”：请使用 .json 或 .xlsx")
    return suffix


def read_catalog(path: Path) -> list[ItemData]:
    """Every item of the file, or ValidationError listing every bad row with its row number."""
    suffix = _check_format(path)
    if not path.exists():
        raise ValidationError(f"找不到文件：{path}")
    entries = _read_json(path) if suffix == ".json" else _read_xlsx(path)
    items: list[ItemData] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    for where, raw, materials in entries:
        item, problems = parse_item(raw, materials)
        errors.extend(f"{where}：{p}" for p in problems)
        code = str(raw.get("code") or "").strip()
        if code and code in seen:
            errors.append(f"{where}：事项编码 {code} 与{seen[code]}重复")
        elif code:
            seen[code] = where
        if item is not None:
            items.append(item)
    if errors:
        raise ValidationError(f"文件中有{len(errors)}处错误，未导入任何事项", errors)
    if not items:
        raise ValidationError("文件中没有事项")
    return items


def _read_json(path: Path) -> list[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"不是有效的 JSON 文件：{exc}") from None
    raw_items = document.get("items") if isinstance(document, dict) else document
    if not isinstance(raw_items, list):
        raise ValidationError("JSON 文件应包含事项列表（items）")
    entries = []
    for index, raw in enumerate(raw_items, start=1):
        where = f"第{index}项"
        if not isinstance(raw, dict):
            raise ValidationError(f"{where}：应为一个对象")
        materials = raw.get("materials") or []
        if not isinstance(materials, list) or not all(isinstance(m, dict) for m in materials):
            raise ValidationError(f"{where}：materials 应为对象列表")
        entries.append((where, raw, materials))
    return entries


def _read_xlsx(path: Path) -> list[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ValidationError(f"无法读取 Excel 文件：{exc}") from None
    try:
        for sheet in (ITEM_SHEET, MATERIAL_SHEET):
            if sheet not in workbook.sheetnames:
                raise ValidationError(f"Excel 文件缺少工作表“{sheet}”")
        item_rows = _sheet_rows(workbook[ITEM_SHEET], {h: a for a, h, _ in ITEM_FIELDS})
        material_map = {h: a for a, h, _ in MATERIAL_FIELDS} | {MATERIAL_ITEM_HEADER: "_item"}
        material_rows = _sheet_rows(workbook[MATERIAL_SHEET], material_map)
    finally:
        workbook.close()
    by_code: dict[str, list[dict[str, Any]]] = {}
    codes = {str(raw.get("code") or "").strip() for _, raw in item_rows}
    orphans = []
    for row_number, raw in material_rows:
        code = str(raw.pop("_item", "") or "").strip()
        if code not in codes:
            orphans.append(f"{MATERIAL_SHEET} 第{row_number}行：事项编码“{code}”在“{ITEM_SHEET}”表中不存在")
        by_code.setdefault(code, []).append(raw)
    if orphans:
        raise ValidationError(f"文件中有{len(orphans)}处错误，未导入任何事项", orphans)
    return [
        (f"{ITEM_SHEET} 第{row_number}行", raw, by_code.get(str(raw.get("code") or "").strip(), []))
        for row_number, raw in item_rows
    ]


def _sheet_rows(sheet: Any, header_map: dict[str, str]) -> list[tuple[int, dict[str, Any]]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return []
    names = [str(h).strip() if h is not None else "" for h in header]
    missing = [h for h in header_map if h not in names]
    if missing:
        raise ValidationError(f"工作表“{sheet.title}”缺少列：{SEP.join(missing)}")
    result = []
    for row_number, row in enumerate(rows, start=2):
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
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

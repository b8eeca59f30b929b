"""Bounds every imported file and typed value must fit before it is parsed or stored.

A file from outside (a catalogue, a holiday schedule) is read only when it is small enough, decoded
as UTF-8 with or without a BOM, and its JSON may not nest deeper than real data ever does; years are
limited to the span the office's dates can sensibly take. Each refusal is one Chinese sentence, so a
bad file or a mistyped year never ends in a traceback (issue 9).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from app.services.errors import ValidationError

MIN_YEAR = 1949
MAX_YEAR = 2100
JSON_MAX_DEPTH = 16  # the deepest real file (catalogue: {items: [{materials: [{...}]}]}) is 4
INT_LIMIT = 2**31 - 1  # what every integer column holds on the workstation and at the centre


def year_problem(year: int, label: str = "年份") -> str | None:
    """None when the year is inside 1949–2100, else the reason."""
    if MIN_YEAR <= year <= MAX_YEAR:
        return None
    return f"{label}应在{MIN_YEAR}至{MAX_YEAR}年之间，而不是{year}"


def check_year(year: int, label: str = "年份") -> None:
    problem = year_problem(year, label)
    if problem:
        raise ValidationError(problem)


def check_day(day: date, label: str = "日期") -> None:
    problem = year_problem(day.year, f"{label}的年份")
    if problem:
        raise ValidationError(problem)


def read_text_file(path: Path, max_bytes: int, kind: str) -> str:
    """The file's text (UTF-8, a BOM allowed) when it exists and is at most `max_bytes` long."""
    check_file_size(path, max_bytes, kind)
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(f"{kind}文件不是 UTF-8 编码") from None
    except PermissionError:
        raise ValidationError(f"没有读取该文件的权限：{path}") from None


def check_file_size(path: Path, max_bytes: int, kind: str) -> None:
    """Refuses a missing, unreadable or oversized file before a single byte of it is parsed."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ValidationError(f"找不到文件：{path}") from None
    if not path.is_file():
        raise ValidationError(f"不是文件：{path}")
    if size > max_bytes:
        raise ValidationError(f"{kind}文件过大（{_megabytes(size)}），不能超过{_megabytes(max_bytes)}")


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} KB"


def parse_json(text: str, max_depth: int = JSON_MAX_DEPTH) -> Any:
    """The document, or ValidationError for bad syntax, huge numbers or nesting beyond `max_depth`."""
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ValidationError(f"JSON 文件嵌套层数过多（不能超过{max_depth}层）") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(f"不是有效的 JSON 文件：第{exc.lineno}行第{exc.colno}列格式有误") from None
    except ValueError:  # an integer of thousands of digits (Python refuses to convert it)
        raise ValidationError("JSON 文件中有位数过多的数字") from None
    if _depth_exceeds(document, max_depth):
        raise ValidationError(f"JSON 文件嵌套层数过多（不能超过{max_depth}层）")
    return document


def _no_constant(name: str) -> Any:
    raise ValidationError(f"JSON 文件中不能有 {name}")


def _depth_exceeds(document: Any, max_depth: int) -> bool:
    """Walks without recursion, so a document just under the decoder's limit cannot crash later code."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False

"""Which tables replicate, who owns them, and how a row travels as JSON.

Ownership decides direction instead of merging: the centre owns the catalogue, staff, departments,
calendar and settings (they flow down); the node that wrote a case, inquiry, notice, print record or
audit entry owns it (it flows up, and down only to a director). Values are encoded by column type,
so both ends decode with the same table definitions and a bad value is caught, not stored.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, SmallInteger, Table

import app.models  # noqa: F401 - registers every table
from app.models.base import Base, UtcDateTime

PROTOCOL = 1
CENTER_NODE = "00"  # the centre's own workspace (CLI imports) pushes as this node

CENTER_OWNED = ("center_setting", "department", "staff", "service_item", "item_material",
                "calendar_year", "calendar_day")
NODE_OWNED = ("inquiry", "notice", "print_log", "case_file", "case_event", "case_page", "issued_document", "complaint", "complaint_event",
              "rating", "rectification", "rectification_event", "attendance", "supervision", "supervision_answer",
              "appointment", "after_hours_service",
              "leave_request", "leave_event", "duty_roster", "duty_inspection", "queue_visit", "queue_link", "audit_log")
UP_ONLY = frozenset({"audit_log"})  # kept at the centre, never sent down
REPLICATED = CENTER_OWNED + NODE_OWNED

TABLE_LABELS = {
    "center_setting": "中心设置", "department": "部门名录", "staff": "人员账号", "service_item": "事项",
    "item_material": "事项材料", "calendar_year": "节假日安排", "calendar_day": "节假日安排",
    "inquiry": "首问登记", "notice": "一次性告知书", "print_log": "打印记录", "case_file": "办件",
    "case_event": "办件记录", "case_page": "电子件", "issued_document": "已出具文书", "audit_log": "操作日志",
    "complaint": "投诉登记", "complaint_event": "投诉处理记录",
    "rating": "好差评", "rectification": "差评整改", "rectification_event": "差评整改记录",
    "appointment": "预约", "after_hours_service": "延时服务",
    "supervision": "督办", "supervision_answer": "督办答复",
    "attendance": "考勤记录",
    "queue_visit": "叫号记录", "queue_link": "叫号关联记录",
    "leave_request": "请假申请", "leave_event": "请假记录", "duty_roster": "值周安排", "duty_inspection": "值周检查记录",
}


def table_label(name: str) -> str:
    """What a clerk calls the table (quarantined changes are listed by it)."""
    return TABLE_LABELS.get(name, name)


# Rows the centre and a workstation set up on its own may both have, under different keys.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "center_setting": ("key",),
    "department": ("name",),
    "staff": ("staff_no",),
    "service_item": ("code",),
    "item_material": ("item_id", "seq"),
    "calendar_year": ("year",),
    "calendar_day": ("day",),
}


class BadValue(ValueError):
    """A value in a change that does not fit its column."""


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def columns(name: str) -> list[str]:
    return [c.name for c in table(name).columns]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def encode_row(name: str, row: Any, cols: list[str]) -> list[Any]:
    mapping = row._mapping if hasattr(row, "_mapping") else row
    return [_encode(mapping[c]) for c in cols]


def _text(limit: int | None) -> Callable[[Any], Any]:
    def convert(v: Any) -> Any:
        if not isinstance(v, str):
            raise BadValue("应为文本")
        if limit is not None and len(v) > limit:
            raise BadValue(f"超过 {limit} 个字符")
        if "\x00" in v:  # PostgreSQL cannot store NUL in text: refuse it here, not as an error at the centre
            raise BadValue("含有空字符（NUL）")
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (JSON "\ud800") has no UTF-8 form either
            raise BadValue("含有无效的字符编码") from None
        return v
    return convert


def _int(bits: int) -> Callable[[Any], int]:
    """Whole numbers within the column's type at the centre (INTEGER: 32 bits, BIGINT: 64)."""
    top = 2 ** (bits - 1) - 1

    def convert(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            raise BadValue("应为整数")
        if not -top - 1 <= v <= top:
            raise BadValue("整数超出范围")
        return v
    return convert


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise BadValue("应为是/否")
    return v


def _date(v: Any) -> date:
    try:
        return date.fromisoformat(v)
    except (TypeError, ValueError) as exc:
        raise BadValue("应为日期") from exc


def _datetime(v: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(v)
    except (TypeError, ValueError) as exc:
        raise BadValue("应为时间") from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _float(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise BadValue("应为数字")
    try:
        value = float(v)
    except OverflowError:
        raise BadValue("数字超出范围") from None
    if not math.isfinite(value):
        raise BadValue("数字超出范围")
    return value


def _converter(column: Any) -> Callable[[Any], Any]:
    kind = column.type
    base: Callable[[Any], Any]
    if isinstance(kind, (UtcDateTime, DateTime)):
        base = _datetime
    elif isinstance(kind, Date):
        base = _date
    elif isinstance(kind, Boolean):
        base = _bool
    elif isinstance(kind, Integer):
        base = _int(64 if isinstance(kind, BigInteger) else 16 if isinstance(kind, SmallInteger) else 32)
    elif kind.python_type is float:
        base = _float
    else:
        base = _text(getattr(kind, "length", None))
    nullable = bool(column.nullable)

    def convert(v: Any) -> Any:
        if v is None:
            if nullable:
                return None
            raise BadValue("不能为空")
        return base(v)
    return convert


_CONVERTERS: dict[str, dict[str, Callable[[Any], Any]]] = {
    name: {c.name: _converter(c) for c in table(name).columns} for name in REPLICATED
}


@lru_cache(maxsize=256)
def _shape(name: str, cols: tuple[str, ...]) -> tuple[list[tuple[int, str, Callable[[Any], Any]]], str, dict[str, Any]]:
    """For one column list (the same for every row of a group): the converters by position, the
    required columns it lacks, and the defaults for the optional ones it lacks (an older client)."""
    converters = _CONVERTERS[name]
    known = [(i, col, converters[col]) for i, col in enumerate(cols) if col in converters]
    present = {col for _i, col, _c in known}
    columns = table(name).columns
    missing = "、".join(c.name for c in columns if c.name not in present and not c.nullable
                       and c.default is None and c.server_default is None)
    defaults = {c.name: getattr(c.default, "arg", None) for c in columns
                if c.name not in present and c.default is not None and getattr(c.default, "is_scalar", False)}
    return known, missing, defaults


def decode_row(name: str, cols: list[str], values: list[Any]) -> dict[str, Any]:
    """Column values ready to write; unknown columns (from a newer client) are left out."""
    if not isinstance(values, list) or len(values) != len(cols):
        raise BadValue("列数不符")
    known, missing, defaults = _shape(name, tuple(cols))
    if missing:
        raise BadValue(f"缺少字段：{missing}")
    row: dict[str, Any] = {}
    for i, col, convert in known:
        try:
            row[col] = convert(values[i])
        except BadValue as exc:
            raise BadValue(f"{col}：{exc}") from None
    if not isinstance(row.get("id"), str) or not row["id"]:
        raise BadValue("缺少记录编号")
    row.update(defaults)
    return row

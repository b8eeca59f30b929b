"""The queue's input bounds and shapes, checked on both ends before anything is parsed or stored."""

from __future__ import annotations

import re

from app.services.errors import ValidationError

CATEGORY_MAX = 20
PREFIXES = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O: read aloud they are 1 and 0
TICKET = re.compile(rf"^[{PREFIXES}]\d{{3,4}}$")
PHONE = re.compile(r"^1[3-9]\d{9}$")
APPOINTMENT = re.compile(r"^YY\d{21}$")
DEFAULT_CATEGORY = "综合"
MAX_PER_DAY = 9999  # A001 … A999, then A1000 … A9999
MAX_CATEGORIES = 20


def check_category(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > CATEGORY_MAX:
        raise ValidationError(f"排队类别名称应为 1–{CATEGORY_MAX} 个字")
    if any(not ch.isprintable() for ch in name):
        raise ValidationError("排队类别名称含有不可显示的字符")
    return name


def check_prefix(prefix: str) -> str:
    prefix = (prefix or "").strip().upper()
    if len(prefix) != 1 or prefix not in PREFIXES:
        raise ValidationError("排队类别的号头应为一个大写字母（不用 I 和 O）")
    return prefix


def check_number(number: str) -> str:
    number = (number or "").strip().upper()[:8]
    if not TICKET.match(number):
        raise ValidationError(f"排队号 {number} 格式不对，应如 A001")
    return number


def check_appointment(value: str) -> str:
    """A phone number or a YY… appointment code ('' for a walk-in)."""
    value = re.sub(r"[\s-]", "", (value or "")[:40]).upper()
    if value and not (PHONE.match(value) or APPOINTMENT.match(value)):
        raise ValidationError("预约签到请输入预约时登记的 11 位手机号或 YY 开头的预约号")
    return value


def check_window(code: str) -> str:
    """A window serving a category, by its two-digit node code (00 is the centre itself)."""
    code = (code or "").strip()
    if not (len(code) == 2 and code.isdigit() and code.isascii()) or code == "00":
        raise ValidationError(f"窗口应为两位数字的节点编码，如 01（不是“{code[:8]}”）")
    return code


def doubled(names: list[str], prefixes: list[str]) -> str | None:
    """Why a set of categories cannot stand together (a name or a prefix used twice), or None."""
    for what, values in (("名称", names), ("号头", prefixes)):
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            return f"排队类别的{what}重复：{'、'.join(twice)}"
    return None


def ticket_number(prefix: str, seq: int) -> str:
    return f"{prefix}{seq:03d}"

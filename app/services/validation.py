"""Field checks shared by set-up, staff and catalogue forms; each returns a Chinese message or None.

Lengths and allowed characters come from app.services.field_rules; patterns here are ASCII only
(`\\d` alone would also take full-width and Arabic-Indic digits, which no phone system dials).
"""

from __future__ import annotations

import re

from app.services.field_rules import Chars, FieldRule

_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?", re.ASCII)
_SERVICE = re.compile(r"12345|12315|12333|12393|12348|12349|12351|12366|12338", re.ASCII)
_STAFF_NO = re.compile(r"[A-Za-z0-9]{2,20}", re.ASCII)


def check_phone(value: str, label: str = "电话", required: bool = False, allow_hotline: bool = False) -> str | None:
    """Mainland mobile or landline with area code (extension allowed).

    Public service hotlines (12345, 12366...) are accepted only where an office's number is meant,
    such as a catalogue item's consultation phone; a person never has one.
    """
    value = value.strip()
    if not value:
        return f"请填写{label}" if required else None
    if _MOBILE.fullmatch(value) or _LANDLINE.fullmatch(value) or (allow_hotline and _SERVICE.fullmatch(value)):
        return None
    if allow_hotline:
        return f"{label}格式不正确：应为11位手机号、带区号的固定电话（如0436-1234567）或政务服务热线"
    return f"{label}格式不正确：应为11位手机号或带区号的固定电话（如0436-1234567）"


def check_division_code(value: str) -> str | None:
    if not re.fullmatch(r"\d{9}", value.strip(), re.ASCII):
        return "区划代码应为9位数字（乡镇级行政区划代码）"
    return None


def check_node_code(value: str) -> str | None:
    if not re.fullmatch(r"\d{2}", value.strip(), re.ASCII) or value.strip() == "00":
        return "节点编号应为两位数字，01至99（00留给服务中心）"
    return None


def check_staff_no(value: str) -> str | None:
    if not _STAFF_NO.fullmatch(value.strip()):
        return "工号应为2至20位字母或数字"
    return None


def check_name(value: str, label: str, max_len: int) -> str | None:
    """A required one-line value (a name, an address): no control, invisible or bidi characters."""
    return FieldRule(label, max_len).check(value)


def check_text(value: str, label: str, max_len: int, required: bool = False) -> str | None:
    """Free text (a reason, an answer): line breaks and tabs allowed, no other control or bidi characters."""
    return FieldRule(label, max_len, Chars.TEXT).check(value, required)


def check_password(value: str) -> str | None:
    if len(value) < 8:
        return "密码至少8位"
    if not (re.search(r"[A-Za-z]", value) and re.search(r"\d", value)):
        return "密码须同时包含字母和数字"
    return None

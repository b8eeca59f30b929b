"""Identity numbers checked by their national standards (GB 11643, GB 32100).

Region codes are not checked against a list: codes change, and 港澳台居民居住证 (810000/820000/830000)
and the 2023 外国人永久居留身份证 (leading 9) use the same structure and check digit as the ID card.
"""

from __future__ import annotations

from datetime import date

from app.clock import local_today

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_DIGITS = frozenset("0123456789")
_CHECK_CHARS = _DIGITS | {"X"}
_ASCII_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _is_han(char: str) -> bool:
    """A Chinese character (other certificates, such as 军官证, may carry one: 南字第…号)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"

ID_TYPES = {
    "resident": "居民身份证",
    "hmt_residence": "港澳台居民居住证",
    "foreign_permanent": "外国人永久居留身份证",
    "passport": "护照",
    "hmt_pass": "港澳居民来往内地通行证",
    "taiwan_pass": "台湾居民来往大陆通行证",
    "other": "其他证件",
}
CHECKED_ID_TYPES = {"resident", "hmt_residence", "foreign_permanent"}


def id_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def check_id_number(value: str, id_type: str = "resident", today: date | None = None) -> str | None:
    """None when valid, else the reason in Chinese. Free-form types need only be non-empty."""
    number = value.strip().upper()
    label = ID_TYPES.get(id_type, "证件")
    if id_type not in ID_TYPES:
        return "请选择证件类型"
    if not number:
        return f"请填写{label}号码"
    if id_type not in CHECKED_ID_TYPES:
        han_allowed = id_type == "other"
        if 5 <= len(number) <= 30 and all(c in _ASCII_ALNUM or (han_allowed and _is_han(c)) for c in number):
            return None
        return f"{label}号码应为5至30位字母、数字或汉字" if han_allowed else f"{label}号码应为5至30位字母或数字"
    # Only 0-9: str.isdigit() also accepts ², ① and other digits that int() then chokes on.
    if len(number) != 18 or not all(c in _DIGITS for c in number[:17]) or number[17] not in _CHECK_CHARS:
        return f"{label}号码应为18位，前17位为数字，最后一位为数字或X"
    if id_type == "hmt_residence" and number[:6] not in {"810000", "820000", "830000"}:
        return "港澳台居民居住证号码应以810000、820000或830000开头"
    if id_type == "foreign_permanent" and not number.startswith("9"):
        return "外国人永久居留身份证号码应以9开头"
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return f"{label}号码中的出生日期（第7至14位）不是有效日期"
    if born.year < 1900 or born > (today or local_today()):
        return f"{label}号码中的出生日期（{born.isoformat()}）不合理"
    if id_check_digit(number[:17]) != number[17]:
        return f"{label}号码校验位不正确，请核对是否输错"
    return None


def birth_date(number: str) -> date:
    """The birth date inside a checked 18-digit number."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def check_uscc(value: str) -> str | None:
    """统一社会信用代码 (GB 32100): 18 characters, any leading authority/type codes (N2, Y1, A1 ...)."""
    code = value.strip().upper()
    if not code:
        return "请填写统一社会信用代码"
    if len(code) != 18:
        return "统一社会信用代码应为18位"
    bad = sorted({c for c in code if c not in _USCC_CHARS})
    if bad:
        return f"统一社会信用代码不能含有字符：{'、'.join(bad)}（不使用I、O、S、V、Z）"
    if uscc_check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确，请核对是否输错"
    return None

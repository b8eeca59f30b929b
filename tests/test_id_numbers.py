"""GB 11643 identity numbers and GB 32100 unified social credit codes."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.id_numbers import check_id_number, check_uscc, id_check_digit, uscc_check_char

TODAY = date(2026, 11, 22)


def with_check(first17: str) -> str:
    return first17 + id_check_digit(first17)


@pytest.mark.parametrize(
    ("number", "id_type"),
    [
        ("11010519491231002X", "resident"),  # the example in GB 11643
        ("11010519491231002x", "resident"),  # lower-case x is the same number
        (with_check("22082119900101123"), "resident"),
        (with_check("99999919900101123"), "resident"),  # unknown region codes are not refused
        (with_check("81000019900101123"), "hmt_residence"),
        (with_check("83000019851212456"), "hmt_residence"),
        (with_check("93315619800101001"), "foreign_permanent"),
        ("E12345678", "passport"),
    ],
)
def test_valid_numbers(number: str, id_type: str) -> None:
    assert check_id_number(number, id_type, TODAY) is None


@pytest.mark.parametrize(
    ("number", "id_type", "reason"),
    [
        ("110105194912310021", "resident", "校验位"),
        ("11010519491231002", "resident", "18位"),
        ("1101051949123100XX", "resident", "18位"),
        (with_check("22082119900231123"), "resident", "不是有效日期"),  # 31 February
        (with_check("22082120300101123"), "resident", "不合理"),  # born in the future
        (with_check("22082119900101123"), "hmt_residence", "810000"),
        (with_check("22082119900101123"), "foreign_permanent", "以9开头"),
        ("", "resident", "请填写"),
        ("@@", "passport", "字母或数字"),
        ("11010519491231002X", "unknown", "证件类型"),
    ],
)
def test_invalid_numbers(number: str, id_type: str, reason: str) -> None:
    message = check_id_number(number, id_type, TODAY)
    assert message is not None and reason in message


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # a commonly published example
        "9111000071092123XX"[:17] + uscc_check_char("9111000071092123X"),
        "N2" + "220821MA1234567"[:15] + uscc_check_char("N2" + "220821MA1234567"[:15]),  # village collective
        "Y1" + "220821000000000"[:15] + uscc_check_char("Y1220821000000000"),
    ],
)
def test_valid_uscc(code: str) -> None:
    assert check_uscc(code) is None


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "校验位"),
        ("91350100M000100Y4", "18位"),
        ("91350100MO00100Y43", "不能含有字符：O"),
        ("", "请填写"),
    ],
)
def test_invalid_uscc(code: str, reason: str) -> None:
    message = check_uscc(code)
    assert message is not None and reason in message

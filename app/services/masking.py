"""Masking personal numbers on printed ledgers and slips (个人信息保护)."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """13812345678 -> 138****5678; landlines keep the area code and the last 2 digits."""
    digits = phone.strip()
    if len(digits) == 11 and digits.isdigit():
        return f"{digits[:3]}****{digits[7:]}"
    if "-" in digits:
        area, _, local = digits.partition("-")
        return f"{area}-{'*' * max(0, len(local) - 2)}{local[-2:]}"
    if len(digits) > 4:
        return f"{'*' * (len(digits) - 4)}{digits[-4:]}"
    return digits


def mask_id(number: str) -> str:
    """ID numbers keep the first 6 and last 4 characters: 220821********1234."""
    value = number.strip()
    if len(value) <= 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_name(name: str) -> str:
    """张三丰 → 张*丰, 张三 → 张*, 欧阳小明 → 欧**明: the surname and the last character stay."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]

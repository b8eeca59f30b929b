"""The one-time enrolment code, as the centre prints it and a workstation types it:
centre division code, node code, and 16 characters without 0/O or 1/I, e.g.
220821100-01-HWCY-RK9B-FSZ7-YRAA."""

from __future__ import annotations

import re

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PATTERN = re.compile(r"^(\d{9})-(\d{2})-([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})$")
FORMAT_HINT = "注册码格式不对，应形如 220821100-01-ABCD-EFGH-JKLM-NPQR"


def normalise(code: str) -> str:
    """Spaces dropped and upper case: codes are read aloud and typed by hand."""
    return re.sub(r"\s+", "", code).upper()


def parse(code: str) -> tuple[str, str] | None:
    """(centre code, node code), or None when it is not a code."""
    match = PATTERN.match(normalise(code))
    return (match.group(1), match.group(2)) if match else None

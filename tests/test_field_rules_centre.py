"""At the centre, a value PostgreSQL cannot store (a NUL written by an older workstation) is quarantined
with its reason; the rest of the push goes through and nothing answers 500 (issue 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import zstandard
from sqlalchemy import select, text, update

from app.center.runtime import Center
from app.models import Case, SyncIssue
from app.sync.tables import columns, encode_row, table
from app.sync.wire import unpack
from tests.sync_helpers import accept, enrol

pytestmark = pytest.mark.usefixtures("china_time")


def test_a_nul_in_a_name_is_quarantined_not_an_error(center: Center, tmp_path: Path) -> None:
    w1 = enrol(center, tmp_path / "w1", "01")
    assert w1.sync().ok
    actor = w1.actor()
    bad = accept(w1, actor, 1)
    good = accept(w1, actor, 2)
    with w1.db.session() as s:  # as a workstation before the field rules could store it
        s.execute(update(Case).where(Case.number == bad).values(applicant_name="张\x00三"))
    report = w1.sync()
    assert not report.ok and report.rejected
    with center.engine.connect() as conn:
        numbers = set(conn.execute(text("SELECT number FROM case_file")).scalars())
        reasons = conn.execute(text("SELECT reason FROM quarantine")).scalars().all()
    assert good in numbers and bad not in numbers
    assert any("applicant_name" in r and "NUL" in r for r in reasons), reasons
    with w1.db.session() as s:  # the clerk sees what was refused and why
        issues = s.scalars(select(SyncIssue)).all()
    assert issues and any("NUL" in i.reason for i in issues)


def test_a_lone_surrogate_pushed_by_hand_is_quarantined(center: Center, tmp_path: Path) -> None:
    """JSON can spell "\\ud800", which no text column can store: refused with its reason, never a 500."""
    w1 = enrol(center, tmp_path / "w1", "01")
    assert w1.sync().ok
    number = accept(w1, w1.actor(), 1)
    cases = table("case_file")
    with w1.db.engine.connect() as conn:
        row = conn.execute(select(cases).where(cases.c.number == number)).mappings().one()
    cols = columns("case_file")
    values = encode_row("case_file", dict(row, applicant_name="\ud800张"), cols)
    body = {"from": 900, "to": 900, "groups": [{"t": "case_file", "c": cols, "r": [values], "s": [900], "a": [None]}]}
    raw = zstandard.ZstdCompressor().compress(json.dumps(body).encode("ascii"))  # escapes the surrogate
    status, answer = center.api.handle("/v1/push", raw, w1.token)
    assert status == 200, unpack(answer)
    assert len(unpack(answer)["rejected"]) == 1
    with center.engine.connect() as conn:
        assert "无效的字符编码" in conn.execute(text("SELECT reason FROM quarantine")).scalar_one()

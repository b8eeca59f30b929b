"""One record too large for the centre (a 70-million-character reason) must not block a node's sync.

The push shrinks its batches down to the single change; that change goes as a small stub which the
centre quarantines and acknowledges, so everything after it arrives; the clerk sees it quarantined
at once, and once the record is corrected it travels like any other.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.center.runtime import Center
from app.models import Case, SyncIssue
from app.sync import wire
from tests.sync_helpers import accept, enrol

pytestmark = pytest.mark.usefixtures("china_time")
HUGE = 70_000_000


@pytest.mark.parametrize(("refused_by", "size"), [("workstation", HUGE), ("centre", 5_000_000)])
def test_an_oversized_record_is_quarantined_and_the_rest_of_the_queue_arrives(
        center: Center, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refused_by: str, size: int) -> None:
    w1 = enrol(center, tmp_path / "w1", "01")
    assert w1.sync().ok
    if refused_by == "centre":  # a workstation that does not know the centre's limit: the centre's 413
        monkeypatch.setattr(wire, "PUSH", wire.Limits(1 << 30, values=10**8))
    actor = w1.actor()
    numbers = [accept(w1, actor, n) for n in (1, 2, 3)]
    with w1.db.session(actor) as s:  # written as any edit is: outbox and audit entry included
        case = s.scalars(select(Case).where(Case.number == numbers[1])).one()
        case.missing_reason = "缺" + "x" * size
        big_id = case.id
    numbers.append(accept(w1, actor, 4))  # after the big one in the queue

    report = w1.sync()
    assert report.reached and not report.ok  # finished, with the quarantined change reported
    assert report.rejected and all("记录过大" in r[2] for r in report.rejected), report.rejected
    assert any(r[1] == big_id for r in report.rejected)
    with center.engine.connect() as conn:
        at_centre = set(conn.execute(text("SELECT number FROM case_file")).scalars())
        held = conn.execute(text("SELECT id, reason, length(payload) FROM quarantine WHERE row_id = :i"),
                            {"i": big_id}).all()
    assert {numbers[0], numbers[2], numbers[3]} <= at_centre and numbers[1] not in at_centre
    assert held and all("记录过大" in reason and size < 20_000 for _id, reason, size in held)
    with w1.db.session() as s:  # recorded here under the centre's ids: the download did not double them
        issues = s.scalars(select(SyncIssue).where(SyncIssue.row_id == big_id)).all()
        assert sorted(i.id for i in issues) == sorted(h[0] for h in held)
        assert all("记录过大" in i.reason and len(i.payload) < 20_000 and f"共 {size + 1} 字" in i.payload
                   for i in issues)

    again = w1.sync()
    assert again.ok and again.pushed == 0, again.message

    with w1.db.session(actor) as s:  # corrected: it travels normally
        case = s.scalars(select(Case).where(Case.number == numbers[1])).one()
        case.missing_reason = "申请人补交中"
    fixed = w1.sync()  # the row arrives; the audit entry of the correction holds the old value: too large too
    assert fixed.reached and all(r[0] == "audit_log" and "记录过大" in r[2] for r in fixed.rejected), fixed
    with center.engine.connect() as conn:
        assert conn.execute(text("SELECT missing_reason FROM case_file WHERE id = :i"),
                            {"i": big_id}).scalar_one() == "申请人补交中"
    with w1.db.session() as s:
        assert s.scalar(select(func.count()).select_from(SyncIssue)) == len(report.rejected) + len(fixed.rejected)

"""Local database settings, same-transaction outbox and the append-only audit log."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import func, select, text

from app.actor import Actor
from app.database import Database
from app.models import AuditEntry, OutboxEntry, ServiceItem, Staff
from app.services.people.staff import StaffForm, save_staff


def test_pragmas(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_replicated_rows_carry_identity_and_outbox(db: Database, admin: Actor) -> None:
    staff_id = save_staff(db, admin, StaffForm("1002", "孙丽", "clerk", "2号窗口", "13912345678", password="pass1234"))
    with db.session() as s:
        member = s.get(Staff, staff_id)
        assert member is not None
        assert member.origin_node == "01"
        assert member.created_at.tzinfo is not None and member.created_at == member.updated_at
        outbox = s.scalars(select(OutboxEntry).where(OutboxEntry.row_id == staff_id)).all()
        assert [(o.table_name, o.op) for o in outbox] == [("staff", "insert")]
        entry = s.scalars(select(AuditEntry).where(AuditEntry.row_id == staff_id)).one()
        assert entry.action == "insert" and entry.actor_name == "王管理(admin)"
        assert json.loads(entry.details)["password_hash"] == "***"
        # the audit entry is itself in the outbox, to travel to the centre
        assert s.scalar(select(func.count()).where(OutboxEntry.row_id == entry.id)) == 1


def test_update_is_audited_with_old_and_new_values(db: Database, admin: Actor) -> None:
    staff_id = save_staff(db, admin, StaffForm("1002", "孙丽", "clerk", "2号窗口", password="pass1234"))
    save_staff(db, admin, StaffForm("1002", "孙丽", "clerk", "3号窗口"), staff_id)
    with db.session() as s:
        updates = s.scalars(
            select(AuditEntry).where(AuditEntry.row_id == staff_id, AuditEntry.action == "update")
        ).all()
        assert len(updates) == 1
        assert json.loads(updates[0].details) == {"workplace": ["2号窗口", "3号窗口"]}
        ops = s.scalars(select(OutboxEntry.op).where(OutboxEntry.row_id == staff_id)).all()
        assert ops == ["insert", "update"]


def test_rolled_back_change_leaves_no_outbox_or_audit(db: Database) -> None:
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(OutboxEntry))
        audits = s.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(RuntimeError), db.session() as s:
        item = s.scalars(select(ServiceItem)).first()
        assert item is not None
        item.name = "被回滚的名称"
        s.flush()
        raise RuntimeError("crash mid-transaction")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == before
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audits
        assert s.scalar(select(func.count()).where(ServiceItem.name == "被回滚的名称")) == 0


def test_audit_log_is_append_only(db: Database) -> None:
    conn = sqlite3.connect(db.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit_log SET action='x'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit_log")
    finally:
        conn.close()

"""考勤 (sign-in and sign-out): the append-only attendance table.

Like case_event, a record is never changed, and this node's are never deleted (an identical re-apply,
as the sync does, passes). Marks are computed, not stored (app.services.people.attendance).

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

APPEND_ONLY = (
    "CREATE TRIGGER attendance_append_only BEFORE UPDATE ON attendance"
    " WHEN OLD.staff_no IS NOT NEW.staff_no OR OLD.day IS NOT NEW.day OR OLD.kind IS NOT NEW.kind"
    " OR OLD.at IS NOT NEW.at OR OLD.origin_node IS NOT NEW.origin_node"
    " BEGIN SELECT RAISE(ABORT, '考勤记录只能追加，不能修改'); END",
    "CREATE TRIGGER attendance_kept BEFORE DELETE ON attendance"
    " WHEN OLD.origin_node = (SELECT node_code FROM node_info LIMIT 1)"
    " BEGIN SELECT RAISE(ABORT, '考勤记录只能追加，不能删除'); END",
)


def upgrade() -> None:
    op.create_table(
        "attendance",
        sa.Column("staff_no", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_node", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
    )
    op.create_index("ix_attendance_day_staff", "attendance", ["day", "staff_no"], unique=False)
    conn = op.get_bind()
    for statement in APPEND_ONLY:
        conn.execute(sa.text(statement))


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("DROP TRIGGER IF EXISTS attendance_append_only"))
    conn.execute(sa.text("DROP TRIGGER IF EXISTS attendance_kept"))
    op.drop_index("ix_attendance_day_staff", table_name="attendance")
    op.drop_table("attendance")

"""The centre's replica of 考勤 (attendance); the records are append-only.

Revision ID: c0012
Revises: c0011
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c0012"
down_revision = "c0011"
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION attendance_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '考勤记录只能追加，不能删除';
    END IF;
    IF (OLD.staff_no, OLD.day, OLD.kind, OLD.at, OLD.origin_node)
       IS DISTINCT FROM (NEW.staff_no, NEW.day, NEW.kind, NEW.at, NEW.origin_node) THEN
        RAISE EXCEPTION '考勤记录只能追加，不能修改';
    END IF;
    RETURN NEW;
END $$
"""


def _feed() -> list[sa.Column[object]]:
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('origin_node', sa.String(length=2), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('_owner', sa.String(length=2), nullable=True),
        sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
        sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'),
                  nullable=False),
        sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    ]


def upgrade() -> None:
    op.create_table('attendance',
    sa.Column('staff_no', sa.String(length=20), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    *_feed(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance'))
    )
    op.create_index('ix_attendance_feed', 'attendance', ['_xid', '_seq'], unique=False)
    op.create_index('ix_attendance_owner', 'attendance', ['_owner'], unique=False)
    op.create_index('ix_attendance_day_staff', 'attendance', ['day', 'staff_no'], unique=False)
    op.execute(FUNCTION)
    op.execute("CREATE TRIGGER attendance_append_only BEFORE UPDATE OR DELETE ON attendance"
               " FOR EACH ROW EXECUTE FUNCTION attendance_append_only()")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS attendance_append_only ON attendance")
    op.execute("DROP FUNCTION IF EXISTS attendance_append_only()")
    op.drop_index('ix_attendance_day_staff', table_name='attendance')
    op.drop_index('ix_attendance_owner', table_name='attendance')
    op.drop_index('ix_attendance_feed', table_name='attendance')
    op.drop_table('attendance')

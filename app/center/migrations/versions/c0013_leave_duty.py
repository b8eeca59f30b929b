"""The centre's replica of 请假、值周 (leave_request, leave_event, duty_roster, duty_inspection); the leave
events are append-only.

Revision ID: c0013
Revises: c0012
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c0013"
down_revision = "c0012"
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION leave_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '请假记录只能追加，不能删除';
    END IF;
    IF (OLD.leave_id, OLD.kind, OLD.at, OLD.staff_name, OLD.details, OLD.origin_node)
       IS DISTINCT FROM (NEW.leave_id, NEW.kind, NEW.at, NEW.staff_name, NEW.details, NEW.origin_node) THEN
        RAISE EXCEPTION '请假记录只能追加，不能修改';
    END IF;
    RETURN NEW;
END $$
"""
TABLES = ("leave_request", "leave_event", "duty_roster", "duty_inspection")


def _feed() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_node", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("_owner", sa.String(length=2), nullable=True),
        sa.Column("_pushed_by", sa.String(length=2), server_default="", nullable=False),
        sa.Column("_xid", sa.BigInteger(), server_default=sa.text("(pg_current_xact_id()::text::bigint)"),
                  nullable=False),
        sa.Column("_seq", sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    ]


def _indexes(name: str) -> None:
    op.create_index(f"ix_{name}_feed", name, ["_xid", "_seq"], unique=False)
    op.create_index(f"ix_{name}_owner", name, ["_owner"], unique=False)


def upgrade() -> None:
    op.create_table("leave_request",
    sa.Column("number", sa.String(length=16), nullable=False),
    sa.Column("staff_no", sa.String(length=20), nullable=False),
    sa.Column("staff_name", sa.String(length=30), nullable=False),
    sa.Column("kind", sa.String(length=8), nullable=False),
    sa.Column("from_date", sa.Date(), nullable=False),
    sa.Column("from_half", sa.String(length=4), nullable=False),
    sa.Column("to_date", sa.Date(), nullable=False),
    sa.Column("to_half", sa.String(length=4), nullable=False),
    sa.Column("half_days", sa.Integer(), nullable=False),
    sa.Column("reason", sa.String(length=200), nullable=False),
    sa.Column("stand_in", sa.String(length=20), nullable=False),
    sa.Column("status", sa.String(length=12), nullable=False),
    sa.Column("approved_by", sa.String(length=30), nullable=False),
    sa.Column("decided_at", sa.DateTime(), nullable=True),
    sa.Column("note", sa.String(length=200), nullable=False),
    sa.Column("handed_over", sa.Boolean(), nullable=False),
    sa.Column("handed_back", sa.Boolean(), nullable=False),
    *_feed(),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_leave_request"))
    )
    op.create_table("leave_event",
    sa.Column("leave_id", sa.String(length=36), nullable=False),
    sa.Column("kind", sa.String(length=16), nullable=False),
    sa.Column("at", sa.DateTime(), nullable=False),
    sa.Column("staff_name", sa.String(length=30), nullable=False),
    sa.Column("details", sa.Text(), nullable=False),
    *_feed(),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_leave_event"))
    )
    op.create_table("duty_roster",
    sa.Column("week", sa.Date(), nullable=False),
    sa.Column("staff_no", sa.String(length=20), nullable=False),
    sa.Column("staff_name", sa.String(length=30), nullable=False),
    sa.Column("set_by", sa.String(length=30), nullable=False),
    sa.Column("set_at", sa.DateTime(), nullable=False),
    *_feed(),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_roster"))
    )
    op.create_table("duty_inspection",
    sa.Column("week", sa.Date(), nullable=False),
    sa.Column("window_name", sa.String(length=60), nullable=False),
    sa.Column("inspector_no", sa.String(length=20), nullable=False),
    sa.Column("inspector_name", sa.String(length=30), nullable=False),
    sa.Column("at", sa.DateTime(), nullable=False),
    sa.Column("findings", sa.String(length=1000), nullable=False),
    sa.Column("result", sa.String(length=8), nullable=False),
    *_feed(),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_inspection"))
    )
    for name in TABLES:
        _indexes(name)
    op.execute(FUNCTION)
    op.execute("CREATE TRIGGER leave_event_append_only BEFORE UPDATE OR DELETE ON leave_event"
               " FOR EACH ROW EXECUTE FUNCTION leave_event_append_only()")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS leave_event_append_only ON leave_event")
    op.execute("DROP FUNCTION IF EXISTS leave_event_append_only()")
    for name in reversed(TABLES):
        op.drop_index(f"ix_{name}_owner", table_name=name)
        op.drop_index(f"ix_{name}_feed", table_name=name)
        op.drop_table(name)

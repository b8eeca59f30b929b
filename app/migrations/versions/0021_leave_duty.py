"""请假、值周: leave_request and its append-only history leave_event; duty_roster and duty_inspection.

Like rectification_event, a leave_event is never changed, and this node's are never deleted (an identical
re-apply, as the sync does, passes).

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

APPEND_ONLY = (
    "CREATE TRIGGER leave_event_append_only BEFORE UPDATE ON leave_event"
    " WHEN OLD.leave_id IS NOT NEW.leave_id OR OLD.kind IS NOT NEW.kind OR OLD.at IS NOT NEW.at"
    " OR OLD.staff_name IS NOT NEW.staff_name OR OLD.details IS NOT NEW.details"
    " OR OLD.origin_node IS NOT NEW.origin_node"
    " BEGIN SELECT RAISE(ABORT, '请假记录只能追加，不能修改'); END",
    "CREATE TRIGGER leave_event_kept BEFORE DELETE ON leave_event"
    " WHEN OLD.origin_node = (SELECT node_code FROM node_info LIMIT 1)"
    " BEGIN SELECT RAISE(ABORT, '请假记录只能追加，不能删除'); END",
)


def _replicated() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_node", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "leave_request",
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
        *_replicated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leave_request")),
        sa.UniqueConstraint("number", name=op.f("uq_leave_request_number")),
    )
    op.create_index("ix_leave_request_staff_dates", "leave_request", ["staff_no", "from_date", "to_date"],
                    unique=False)
    op.create_index(op.f("ix_leave_request_status"), "leave_request", ["status"], unique=False)
    op.create_table(
        "leave_event",
        sa.Column("leave_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("staff_name", sa.String(length=30), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        *_replicated(),
        sa.ForeignKeyConstraint(["leave_id"], ["leave_request.id"], name=op.f("fk_leave_event_leave_id_leave_request")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leave_event")),
    )
    op.create_index(op.f("ix_leave_event_leave_id"), "leave_event", ["leave_id"], unique=False)
    op.create_table(
        "duty_roster",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("staff_no", sa.String(length=20), nullable=False),
        sa.Column("staff_name", sa.String(length=30), nullable=False),
        sa.Column("set_by", sa.String(length=30), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        *_replicated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_roster")),
    )
    op.create_index(op.f("ix_duty_roster_week"), "duty_roster", ["week"], unique=False)
    op.create_table(
        "duty_inspection",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("window_name", sa.String(length=60), nullable=False),
        sa.Column("inspector_no", sa.String(length=20), nullable=False),
        sa.Column("inspector_name", sa.String(length=30), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("findings", sa.String(length=1000), nullable=False),
        sa.Column("result", sa.String(length=8), nullable=False),
        *_replicated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_inspection")),
    )
    op.create_index(op.f("ix_duty_inspection_week"), "duty_inspection", ["week"], unique=False)
    conn = op.get_bind()
    for statement in APPEND_ONLY:
        conn.execute(sa.text(statement))


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("DROP TRIGGER IF EXISTS leave_event_append_only"))
    conn.execute(sa.text("DROP TRIGGER IF EXISTS leave_event_kept"))
    op.drop_index(op.f("ix_duty_inspection_week"), table_name="duty_inspection")
    op.drop_table("duty_inspection")
    op.drop_index(op.f("ix_duty_roster_week"), table_name="duty_roster")
    op.drop_table("duty_roster")
    op.drop_index(op.f("ix_leave_event_leave_id"), table_name="leave_event")
    op.drop_table("leave_event")
    op.drop_index(op.f("ix_leave_request_status"), table_name="leave_request")
    op.drop_index("ix_leave_request_staff_dates", table_name="leave_request")
    op.drop_table("leave_request")

"""Complaints (投诉): complaint and its append-only history complaint_event.

Like case_event, a complaint's events are never changed, and this node's are never deleted
(an identical re-apply, as the sync does, passes).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

APPEND_ONLY = (
    "CREATE TRIGGER complaint_event_append_only BEFORE UPDATE ON complaint_event"
    " WHEN OLD.complaint_id IS NOT NEW.complaint_id OR OLD.kind IS NOT NEW.kind OR OLD.at IS NOT NEW.at"
    " OR OLD.staff_name IS NOT NEW.staff_name OR OLD.details IS NOT NEW.details"
    " OR OLD.origin_node IS NOT NEW.origin_node"
    " BEGIN SELECT RAISE(ABORT, '投诉记录只能追加，不能修改'); END",
    "CREATE TRIGGER complaint_event_kept BEFORE DELETE ON complaint_event"
    " WHEN OLD.origin_node = (SELECT node_code FROM node_info LIMIT 1)"
    " BEGIN SELECT RAISE(ABORT, '投诉记录只能追加，不能删除'); END",
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
        "complaint",
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("category", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("staff_no", sa.String(length=20), nullable=False),
        sa.Column("window", sa.String(length=60), nullable=False),
        sa.Column("item", sa.String(length=100), nullable=False),
        sa.Column("case_number", sa.String(length=24), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("finding", sa.String(length=12), nullable=False),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        *_replicated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
        sa.UniqueConstraint("number", name=op.f("uq_complaint_number")),
    )
    op.create_index("ix_complaint_status_due", "complaint", ["status", "due_date"], unique=False)
    op.create_index(op.f("ix_complaint_staff_no"), "complaint", ["staff_no"], unique=False)
    op.create_table(
        "complaint_event",
        sa.Column("complaint_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("staff_name", sa.String(length=30), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        *_replicated(),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaint.id"],
                                name=op.f("fk_complaint_event_complaint_id_complaint")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_event")),
    )
    op.create_index(op.f("ix_complaint_event_complaint_id"), "complaint_event", ["complaint_id"], unique=False)
    conn = op.get_bind()
    for statement in APPEND_ONLY:
        conn.execute(sa.text(statement))


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("DROP TRIGGER IF EXISTS complaint_event_append_only"))
    conn.execute(sa.text("DROP TRIGGER IF EXISTS complaint_event_kept"))
    op.drop_index(op.f("ix_complaint_event_complaint_id"), table_name="complaint_event")
    op.drop_table("complaint_event")
    op.drop_index(op.f("ix_complaint_staff_no"), table_name="complaint")
    op.drop_index("ix_complaint_status_due", table_name="complaint")
    op.drop_table("complaint")

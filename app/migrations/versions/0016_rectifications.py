"""Rectifications of bad ratings (差评整改): rectification and its append-only history rectification_event.

Like complaint_event, the events are never changed, and this node's are never deleted (an identical
re-apply, as the sync does, passes).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

APPEND_ONLY = (
    "CREATE TRIGGER rectification_event_append_only BEFORE UPDATE ON rectification_event"
    " WHEN OLD.rectification_id IS NOT NEW.rectification_id OR OLD.kind IS NOT NEW.kind OR OLD.at IS NOT NEW.at"
    " OR OLD.staff_name IS NOT NEW.staff_name OR OLD.details IS NOT NEW.details"
    " OR OLD.origin_node IS NOT NEW.origin_node"
    " BEGIN SELECT RAISE(ABORT, '整改记录只能追加，不能修改'); END",
    "CREATE TRIGGER rectification_event_kept BEFORE DELETE ON rectification_event"
    " WHEN OLD.origin_node = (SELECT node_code FROM node_info LIMIT 1)"
    " BEGIN SELECT RAISE(ABORT, '整改记录只能追加，不能删除'); END",
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
        "rectification",
        sa.Column("rating_id", sa.String(length=36), nullable=False),
        sa.Column("target_number", sa.String(length=24), nullable=False),
        sa.Column("staff_no", sa.String(length=20), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("called_back", sa.Boolean(), nullable=False),
        sa.Column("excluded", sa.Boolean(), nullable=False),
        *_replicated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification")),
        sa.UniqueConstraint("rating_id", name=op.f("uq_rectification_rating_id")),
    )
    op.create_index("ix_rectification_status_due", "rectification", ["status", "due_date"], unique=False)
    op.create_index(op.f("ix_rectification_target_number"), "rectification", ["target_number"], unique=False)
    op.create_table(
        "rectification_event",
        sa.Column("rectification_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("staff_name", sa.String(length=30), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        *_replicated(),
        sa.ForeignKeyConstraint(["rectification_id"], ["rectification.id"],
                                name=op.f("fk_rectification_event_rectification_id_rectification")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_event")),
    )
    op.create_index(op.f("ix_rectification_event_rectification_id"), "rectification_event", ["rectification_id"],
                    unique=False)
    conn = op.get_bind()
    for statement in APPEND_ONLY:
        conn.execute(sa.text(statement))


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("DROP TRIGGER IF EXISTS rectification_event_append_only"))
    conn.execute(sa.text("DROP TRIGGER IF EXISTS rectification_event_kept"))
    op.drop_index(op.f("ix_rectification_event_rectification_id"), table_name="rectification_event")
    op.drop_table("rectification_event")
    op.drop_index(op.f("ix_rectification_target_number"), table_name="rectification")
    op.drop_index("ix_rectification_status_due", table_name="rectification")
    op.drop_table("rectification")

"""The hall's queue at a window: queue_visit (the tickets this window called, with their times) and queue_link
(the records made while serving one). Both are node-owned and replicate to the centre (app.sync.tables).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def _replicated() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_node", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "queue_visit",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("appointment", sa.String(length=24), nullable=False),
        sa.Column("ahead", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("called_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("recalls", sa.Integer(), nullable=False),
        sa.Column("window_name", sa.String(length=60), nullable=False),
        sa.Column("window", sa.String(length=60), nullable=False),
        sa.Column("staff_no", sa.String(length=20), nullable=False),
        sa.Column("staff_name", sa.String(length=30), nullable=False),
        *_replicated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_visit")),
    )
    op.create_index(op.f("ix_queue_visit_ticket_id"), "queue_visit", ["ticket_id"], unique=False)
    op.create_index("ix_queue_visit_called_stats", "queue_visit",
                    ["called_at", "status", "staff_no", "origin_node"], unique=False)
    op.create_index("ix_queue_visit_open", "queue_visit", ["status"], unique=False)
    op.create_table(
        "queue_link",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("ticket_number", sa.String(length=8), nullable=False),
        sa.Column("record_kind", sa.String(length=8), nullable=False),
        sa.Column("record_number", sa.String(length=24), nullable=False),
        *_replicated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_link")),
    )
    op.create_index(op.f("ix_queue_link_visit_id"), "queue_link", ["visit_id"], unique=False)
    op.create_index(op.f("ix_queue_link_record_number"), "queue_link", ["record_number"], unique=False)


def downgrade() -> None:
    op.drop_table("queue_link")
    op.drop_table("queue_visit")

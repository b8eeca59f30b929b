"""The centre's replica of ratings (rating), with the feed columns every node-owned table has there.

Revision ID: c0006
Revises: c0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c0006'
down_revision = 'c0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rating",
        sa.Column("target_kind", sa.String(length=8), nullable=False),
        sa.Column("target_number", sa.String(length=24), nullable=False),
        sa.Column("staff_no", sa.String(length=20), nullable=False),
        sa.Column("staff_name", sa.String(length=30), nullable=False),
        sa.Column("window", sa.String(length=60), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("text", sa.String(length=150), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("provenance", sa.String(length=10), nullable=False),
        sa.Column("rated_at", sa.DateTime(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_node", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("_owner", sa.String(length=2), nullable=True),
        sa.Column("_pushed_by", sa.String(length=2), server_default="", nullable=False),
        sa.Column("_xid", sa.BigInteger(), server_default=sa.text("(pg_current_xact_id()::text::bigint)"), nullable=False),
        sa.Column("_seq", sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating")),
    )
    op.create_index("ix_rating_feed", "rating", ["_xid", "_seq"], unique=False)
    op.create_index("ix_rating_owner", "rating", ["_owner"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_rating_owner", table_name="rating")
    op.drop_index("ix_rating_feed", table_name="rating")
    op.drop_table("rating")

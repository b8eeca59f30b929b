"""Proven authority for centre data: the centre's proofs of checked passwords, edits held until a
proof exists, and the highest outbox sequence ever sent (to recognise a restored backup).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "authority_proof",
        sa.Column("staff_id", sa.String(length=36), nullable=False),
        sa.Column("token", sa.String(length=80), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_authority_proof")),
    )
    op.create_table(
        "held_change",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("op", sa.String(length=6), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=True),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_change")),
    )
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_seq", sa.Integer(), nullable=False, server_default="0"))
    # Anything already in the outbox may have been sent: start from there, never below.
    op.execute("UPDATE sync_state SET sent_seq = max(acked_seq, coalesce((SELECT max(seq) FROM outbox), 0))")


def downgrade() -> None:
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.drop_column("sent_seq")
    op.drop_table("held_change")
    op.drop_table("authority_proof")

"""Numbers reserved in blocks: how far each day's sequence has raised the numbers floor file.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 0 for the days already there: their next number reads the floor file, as before, and reserves a block.
    with op.batch_alter_table("doc_sequence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reserved", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("doc_sequence", schema=None) as batch_op:
        batch_op.drop_column("reserved")

"""督办: supervision (the GB/T 39046 record, written by its issuer) and supervision_answer (written by the
addressed window). Both replicate from their writer; see app.models.supervision for why they are apart.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
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
        "supervision",
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("target_kind", sa.String(length=12), nullable=False),
        sa.Column("case_number", sa.String(length=24), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("org_name", sa.String(length=60), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("rule_code", sa.String(length=4), nullable=False),
        sa.Column("warning_type", sa.String(length=8), nullable=False),
        sa.Column("state_at", sa.DateTime(), nullable=False),
        sa.Column("result", sa.String(length=200), nullable=False),
        sa.Column("window", sa.String(length=60), nullable=False),
        sa.Column("to_node", sa.String(length=2), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("issued_by_no", sa.String(length=20), nullable=False),
        sa.Column("issued_by_name", sa.String(length=30), nullable=False),
        sa.Column("auto", sa.Boolean(), nullable=False),
        *_replicated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision")),
    )
    op.create_index(op.f("ix_supervision_case_number"), "supervision", ["case_number"], unique=False)
    op.create_index("ix_supervision_to_node_due", "supervision", ["to_node", "due_date"], unique=False)
    op.create_table(
        "supervision_answer",
        sa.Column("supervision_id", sa.String(length=36), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.Column("staff_no", sa.String(length=20), nullable=False),
        sa.Column("staff_name", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("result", sa.String(length=12), nullable=False),
        *_replicated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_answer")),
    )
    op.create_index(op.f("ix_supervision_answer_supervision_id"), "supervision_answer", ["supervision_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_supervision_answer_supervision_id"), table_name="supervision_answer")
    op.drop_table("supervision_answer")
    op.drop_index("ix_supervision_to_node_due", table_name="supervision")
    op.drop_index(op.f("ix_supervision_case_number"), table_name="supervision")
    op.drop_table("supervision")

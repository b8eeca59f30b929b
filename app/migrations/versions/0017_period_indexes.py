"""Indexes for counting by period (app.services.stats): cases by acceptance time, ratings by when they
were given, complaints by registration. Without them a month's figures read the whole table.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_case_file_accepted_at", "case_file", ["accepted_at"], unique=False)
    op.create_index("ix_rating_rated_at", "rating", ["rated_at"], unique=False)
    op.create_index("ix_complaint_registered_at", "complaint", ["registered_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_complaint_registered_at", table_name="complaint")
    op.drop_index("ix_rating_rated_at", table_name="rating")
    op.drop_index("ix_case_file_accepted_at", table_name="case_file")

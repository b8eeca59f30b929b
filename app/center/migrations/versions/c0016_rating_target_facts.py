"""The centre's ratings carry their target's item and node, as the workstations' 0024 adds them: filled
from the cases, notices and 首问 held here, so `center report` counts a month's ratings by item and by node
from the rating index alone.

Revision ID: c0016
Revises: c0015
Create Date: 2026-12-01
"""

from __future__ import annotations

from importlib import import_module

import sqlalchemy as sa
from alembic import op

revision = 'c0016'
down_revision = 'c0015'
branch_labels = None
depends_on = None

_WORKSTATION = import_module("app.migrations.versions.0024_rating_target_facts")


def upgrade() -> None:
    op.add_column("rating", sa.Column("item_code", sa.String(length=40), nullable=False, server_default=""))
    op.add_column("rating", sa.Column("target_node", sa.String(length=2), nullable=False, server_default=""))
    for statement in _WORKSTATION.fill_sql():
        op.execute(statement)
    op.drop_index("ix_rating_rated_stats", table_name="rating")
    op.create_index("ix_rating_rated_stats", "rating", list(_WORKSTATION.STATS_INDEX), unique=False)
    op.drop_index("ix_case_file_number_stats", table_name="case_file")


def downgrade() -> None:
    op.create_index("ix_case_file_number_stats", "case_file", list(_WORKSTATION.OLD_NUMBER_INDEX), unique=False)
    op.drop_index("ix_rating_rated_stats", table_name="rating")
    op.create_index("ix_rating_rated_stats", "rating", list(_WORKSTATION.OLD_STATS_INDEX), unique=False)
    op.drop_column("rating", "target_node")
    op.drop_column("rating", "item_code")

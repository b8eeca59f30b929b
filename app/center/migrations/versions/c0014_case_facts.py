"""The centre's copy of the case facts the statistics count by (decision, end, completion, 补正; filled from
the events it holds, as the workstations' 0022 does), and the indexes `center report` reads a month by.

Revision ID: c0014
Revises: c0013
Create Date: 2026-11-30
"""

from __future__ import annotations

from importlib import import_module

import sqlalchemy as sa
from alembic import op

revision = 'c0014'
down_revision = 'c0013'
branch_labels = None
depends_on = None

# (table, column(s)): what a month's figures are read by (app.center.schema.STATS_INDEXES)
INDEXES = (("case_file", ("accepted_at",)), ("case_file", ("completed_at",)), ("case_file", ("status", "due_date")),
           ("rating", ("rated_at",)), ("complaint", ("registered_at",)), ("inquiry", ("asked_at",)),
           ("notice", ("issued_at",)))


def _name(table: str, columns: tuple[str, ...]) -> str:
    return f"ix_{table}_{'_'.join(columns)}"


def upgrade() -> None:
    op.add_column('case_file', sa.Column('decided_at', sa.DateTime(), nullable=True))
    op.add_column('case_file', sa.Column('ended_at', sa.DateTime(), nullable=True))
    op.add_column('case_file', sa.Column('completed_at', sa.DateTime(), nullable=True))
    op.add_column('case_file', sa.Column('supplemented', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(import_module("app.migrations.versions.0022_case_facts").fill_sql())  # the same backfill
    for table, columns in INDEXES:
        op.create_index(_name(table, columns), table, list(columns), unique=False)


def downgrade() -> None:
    for table, columns in reversed(INDEXES):
        op.drop_index(_name(table, columns), table_name=table)
    for name in ('supplemented', 'completed_at', 'ended_at', 'decided_at'):
        op.drop_column('case_file', name)

"""The case's decision, end, completion and 补正 as cached columns of case_file (written with each event,
like status and trips), so the statistics count a month of a township's year from case_file alone instead
of looking up every case's events; existing cases are filled from their events.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

# The event kinds as they stand at this revision (a migration does not follow later code).
DECIDING = ("approved", "denied", "completed_on_spot")
ENDING_UNDECIDED = ("withdrawn", "terminated")
COMPLETING = ("completed_on_spot", "delivered")
SUPPLEMENTED = ("supplemented", "materials_completed")


def _listed(kinds: tuple[str, ...]) -> str:
    return ", ".join(f"'{k}'" for k in kinds)


def fill_sql() -> str:
    """The backfill, one pass over the events grouped by case: the same statement on SQLite (3.33+) and
    PostgreSQL (the centre's c0014 runs it too). A case without events keeps the defaults."""
    return (
        "UPDATE case_file SET decided_at = f.decided_at, ended_at = f.ended_at, completed_at = f.completed_at,"
        " supplemented = f.supplemented FROM (SELECT case_id,"
        f" min(CASE WHEN kind IN ({_listed(DECIDING)}) THEN at END) AS decided_at,"
        f" min(CASE WHEN kind IN ({_listed(DECIDING + ENDING_UNDECIDED)}) THEN at END) AS ended_at,"
        f" min(CASE WHEN kind IN ({_listed(COMPLETING)}) THEN at END) AS completed_at,"
        f" max(CASE WHEN kind IN ({_listed(SUPPLEMENTED)}) THEN 1 ELSE 0 END) = 1 AS supplemented"
        " FROM case_event GROUP BY case_id) AS f WHERE f.case_id = case_file.id"
    )


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, not a batch copy of the table: copying case_file would drop the
    # triggers that keep the case search index (case_search, 0005/0006) in step with it.
    op.add_column("case_file", sa.Column("decided_at", sa.DateTime(), nullable=True))
    op.add_column("case_file", sa.Column("ended_at", sa.DateTime(), nullable=True))
    op.add_column("case_file", sa.Column("completed_at", sa.DateTime(), nullable=True))
    op.add_column("case_file", sa.Column("supplemented", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(fill_sql())
    op.create_index("ix_case_file_completed_at", "case_file", ["completed_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_case_file_completed_at", table_name="case_file")
    for name in ("supplemented", "completed_at", "ended_at", "decided_at"):
        op.execute(f"ALTER TABLE case_file DROP COLUMN {name}")  # SQLite 3.35+: the table and its triggers stay

"""A rating carries its target's item and node (the node that accepted the case or issued the notice or
首问), copied when it is given as its staff member and window are, so the figures by item and by node count a
period's ratings from the rating index alone instead of looking up each rating's case by number (68,000 a
month in a township's year). Existing ratings are filled from the targets held here.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

# The index as it stands at this revision and as it stood before (a migration does not follow later code).
STATS_INDEX = ("rated_at", "provenance", "level", "window", "staff_no", "item_code", "target_node", "id")
OLD_STATS_INDEX = ("rated_at", "provenance", "level", "target_number", "window", "staff_no", "origin_node", "id")
OLD_NUMBER_INDEX = ("number", "item_code", "origin_node")
TARGETS = (("case", "case_file"), ("notice", "notice"), ("inquiry", "inquiry"))


def fill_sql() -> list[str]:
    """The backfill from the targets held here: the same statements on SQLite (3.33+) and PostgreSQL (the
    centre's c0016 runs them too). A rating whose target is not held keeps its own node, as the figures
    counted it before."""
    return [
        *(f"UPDATE rating SET item_code = t.item_code, target_node = t.origin_node FROM {table} AS t"
          f" WHERE t.number = rating.target_number AND rating.target_kind = '{kind}'" for kind, table in TARGETS),
        "UPDATE rating SET target_node = origin_node WHERE target_node = ''",
    ]


# The centre fills the ratings it holds itself (c0016), but a rating this node pushes before it upgrades
# arrives there without the columns: this node's own ratings are queued once more, as 0011 and 0023 did.
QUEUE_OWN = ("INSERT INTO outbox (table_name, row_id, op, created_at) SELECT 'rating', id, 'update', :now"
             " FROM rating WHERE origin_node = (SELECT node_code FROM node_info LIMIT 1)")


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN (as 0022): a batch copy of the table would drop rating's triggers.
    op.add_column("rating", sa.Column("item_code", sa.String(length=40), nullable=False, server_default=""))
    op.add_column("rating", sa.Column("target_node", sa.String(length=2), nullable=False, server_default=""))
    for statement in fill_sql():
        op.execute(statement)
    op.get_bind().execute(sa.text(QUEUE_OWN), {"now": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")})
    op.drop_index("ix_rating_rated_stats", table_name="rating")
    op.create_index("ix_rating_rated_stats", "rating", list(STATS_INDEX), unique=False)
    op.drop_index("ix_case_file_number_stats", table_name="case_file")  # only the ratings' look-up read it


def downgrade() -> None:
    op.create_index("ix_case_file_number_stats", "case_file", list(OLD_NUMBER_INDEX), unique=False)
    op.drop_index("ix_rating_rated_stats", table_name="rating")
    op.create_index("ix_rating_rated_stats", "rating", list(OLD_STATS_INDEX), unique=False)
    for name in ("target_node", "item_code"):
        op.execute(f"ALTER TABLE rating DROP COLUMN {name}")  # SQLite 3.35+: the table and its triggers stay

"""The statistics read a period from indexes alone: the case and rating indexes by period carry every column
the figures group and count by, and the ratings a later citizen rating outweighs are kept apart
(rating_outweighed, by triggers), so a year's satisfaction never looks for a later rating of each rating.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

# The columns as they stand at this revision (a migration does not follow later code).
SCOPES = ("staff_workplace", "staff_no", "item_code", "origin_node")
INDEXES = (
    ("case_file", "ix_case_file_accepted_stats", ("accepted_at", "case_class", "supplemented", *SCOPES)),
    ("case_file", "ix_case_file_completed_stats", ("completed_at", "status", "accepted_at", "decided_at", "due_date",
                                                   "trips", "supplemented", *SCOPES)),
    ("case_file", "ix_case_file_status_due", ("status", "due_date", "ended_at", *SCOPES)),
    # a rating's item and node are its case's: the figures by item read them by the case number
    ("case_file", "ix_case_file_number_stats", ("number", "item_code", "origin_node")),
    ("rectification", "ix_rectification_excluded", ("excluded", "rating_id")),  # ratings left out by appeal
    ("rating", "ix_rating_rated_stats", ("rated_at", "provenance", "level", "target_number", "window", "staff_no",
                                         "origin_node", "id")),
)
# A month's count alone (the 12-month trend) reads the narrow indexes: fewer pages than the wide ones.
NARROW = (("case_file", "ix_case_file_completed_status", ("completed_at", "status")),)
REPLACED = (("case_file", "ix_case_file_completed_at", ("completed_at",)),
            ("case_file", "ix_case_file_status_due", ("status", "due_date")),
            ("rating", "ix_rating_rated_at", ("rated_at",)))


def refresh_sql(target: str) -> list[str]:
    """Recount one target's outweighed ratings (target: an SQL expression, new.target_number): the rule of
    app.services.ratings.ratings.counts — a rating is outweighed when the citizen rated the target later
    (any citizen rating outweighs a default). The same statements on SQLite and PostgreSQL."""
    return [
        f"DELETE FROM rating_outweighed WHERE target_number = {target}",
        "INSERT INTO rating_outweighed (rating_id, target_number, rated_at)"
        " SELECT r.id, r.target_number, r.rated_at FROM rating AS r"
        f" WHERE r.target_number = {target} AND EXISTS (SELECT 1 FROM rating AS l"
        " WHERE l.target_number = r.target_number AND l.provenance <> 'default'"
        " AND (r.provenance = 'default' OR l.rated_at > r.rated_at))",
    ]


def fill_sql() -> str:
    """Every outweighed rating of the ratings already held (the centre's c0015 runs it too)."""
    return ("INSERT INTO rating_outweighed (rating_id, target_number, rated_at)"
            " SELECT r.id, r.target_number, r.rated_at FROM rating AS r WHERE EXISTS (SELECT 1 FROM rating AS l"
            " WHERE l.target_number = r.target_number AND l.provenance <> 'default'"
            " AND (r.provenance = 'default' OR l.rated_at > r.rated_at))")


def create_table() -> None:
    op.create_table(
        "rating_outweighed",
        sa.Column("rating_id", sa.String(length=36), nullable=False),
        sa.Column("target_number", sa.String(length=24), nullable=False),
        sa.Column("rated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("rating_id", name=op.f("pk_rating_outweighed")),
    )
    op.create_index("ix_rating_outweighed_target_number", "rating_outweighed", ["target_number"], unique=False)
    op.create_index("ix_rating_outweighed_rated_at", "rating_outweighed", ["rated_at"], unique=False)
    op.execute(fill_sql())


def _body(*targets: str) -> str:
    return " ".join(f"{statement};" for target in targets for statement in refresh_sql(target))


# 0022 filled the case facts here, but a centre upgraded earlier keeps the facts this node's cases had
# when they were last pushed (an older workstation's rows lack the columns): the cases this node holds are
# queued once more, as 0011 did for the columns it added, so the centre counts them too.
QUEUE_HELD = ("INSERT INTO outbox (table_name, row_id, op, created_at) SELECT 'case_file', id, 'update', :now"
              " FROM case_file WHERE coalesce(nullif(owner_node, ''), origin_node) ="
              " (SELECT node_code FROM node_info LIMIT 1)"
              " AND (decided_at IS NOT NULL OR ended_at IS NOT NULL OR completed_at IS NOT NULL OR supplemented)")


def upgrade() -> None:
    op.get_bind().execute(sa.text(QUEUE_HELD), {"now": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")})
    for table, name, _columns in REPLACED:
        op.drop_index(name, table_name=table)
    for table, name, columns in INDEXES + NARROW:
        op.create_index(name, table, list(columns), unique=False)
    create_table()
    # A rating's target, provenance and time never change once given; the update and delete triggers are
    # there so that the table stays what the rule says whatever a repair or a replica apply does.
    op.execute(f"CREATE TRIGGER rating_outweighed_ai AFTER INSERT ON rating BEGIN {_body('new.target_number')} END")
    op.execute(f"CREATE TRIGGER rating_outweighed_ad AFTER DELETE ON rating BEGIN {_body('old.target_number')} END")
    op.execute("CREATE TRIGGER rating_outweighed_au AFTER UPDATE OF target_number, provenance, rated_at ON rating "
               f"BEGIN {_body('old.target_number', 'new.target_number')} END")


def downgrade() -> None:
    for suffix in ("au", "ad", "ai"):
        op.execute(f"DROP TRIGGER IF EXISTS rating_outweighed_{suffix}")
    op.drop_table("rating_outweighed")
    for table, name, _columns in reversed(INDEXES + NARROW):
        op.drop_index(name, table_name=table)
    for table, name, columns in REPLACED:
        op.create_index(name, table, list(columns), unique=False)

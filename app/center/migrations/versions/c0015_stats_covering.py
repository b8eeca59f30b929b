"""The centre's statistics read a month from indexes alone, as the workstations' 0023 does: the case and
rating indexes by period carry every column the figures count by, and rating_outweighed keeps the ratings a
later citizen rating outweighs, by a trigger on rating, whichever node's push brings the rating.

Revision ID: c0015
Revises: c0014
Create Date: 2026-11-30
"""

from __future__ import annotations

from importlib import import_module

from alembic import op

revision = 'c0015'
down_revision = 'c0014'
branch_labels = None
depends_on = None

_WORKSTATION = import_module("app.migrations.versions.0023_stats_covering")
# c0014's names for the indexes this revision widens (the status index keeps its centre name, c0014's)
REPLACED = (("case_file", "ix_case_file_completed_at", ("completed_at",)),
            ("case_file", "ix_case_file_status_due_date", ("status", "due_date")),
            ("rating", "ix_rating_rated_at", ("rated_at",)))
INDEXES = tuple((table, "ix_case_file_status_due_date" if name == "ix_case_file_status_due" else name, columns)
                for table, name, columns in _WORKSTATION.INDEXES + _WORKSTATION.NARROW)


LOCK_KEY = 0x7261_7469  # 'rati': the advisory lock rating pushes take while they recount (see upgrade)


def _refresh(target: str) -> str:
    return " ".join(f"{statement};" for statement in _WORKSTATION.refresh_sql(target))


def upgrade() -> None:
    for table, name, _columns in REPLACED:
        op.drop_index(name, table_name=table)
    for table, name, columns in INDEXES:
        op.create_index(name, table, list(columns), unique=False)
    _WORKSTATION.create_table()
    # Two nodes may push ratings of one target at once: the lock makes the second recount wait for the
    # first to commit, so it sees both ratings (each statement of the function reads afresh). One lock for
    # every target: a push of many ratings holds one lock, not one per target (the lock table is small).
    op.execute(
        "CREATE FUNCTION rating_outweighed_refresh() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        f" PERFORM pg_advisory_xact_lock({LOCK_KEY});"
        f" IF TG_OP IN ('UPDATE', 'DELETE') THEN {_refresh('OLD.target_number')} END IF;"
        f" IF TG_OP IN ('INSERT', 'UPDATE') THEN {_refresh('NEW.target_number')} END IF;"
        " RETURN NULL; END $$")
    op.execute("CREATE TRIGGER rating_outweighed_refresh AFTER INSERT OR DELETE OR UPDATE OF target_number, provenance,"
               " rated_at ON rating FOR EACH ROW EXECUTE FUNCTION rating_outweighed_refresh()")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS rating_outweighed_refresh ON rating")
    op.execute("DROP FUNCTION IF EXISTS rating_outweighed_refresh()")
    op.drop_table("rating_outweighed")
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    for table, name, columns in REPLACED:
        op.create_index(name, table, list(columns), unique=False)

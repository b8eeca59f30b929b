"""Case search: reversed names for 2-character suffix lookups, and a trigram index over names,
ID numbers, phones and case numbers kept in step by triggers (replicated rows are indexed too).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TEXT = "new.applicant_name || ' ' || new.applicant_id_number || ' ' || new.applicant_phone || ' ' || new.number"


def upgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applicant_name_rev", sa.String(length=60), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f("ix_case_file_applicant_name_rev"), ["applicant_name_rev"], unique=False)
    op.execute(
        "CREATE VIRTUAL TABLE case_search USING fts5(number UNINDEXED, body, tokenize='trigram')"
    )
    op.execute(f"CREATE TRIGGER case_search_ai AFTER INSERT ON case_file BEGIN "
               f"INSERT INTO case_search(number, body) VALUES (new.number, {_TEXT}); END")
    op.execute("CREATE TRIGGER case_search_ad AFTER DELETE ON case_file BEGIN "
               "DELETE FROM case_search WHERE number = old.number; END")
    op.execute(f"CREATE TRIGGER case_search_au AFTER UPDATE OF applicant_name, applicant_id_number, applicant_phone "
               f"ON case_file BEGIN DELETE FROM case_search WHERE number = old.number; "
               f"INSERT INTO case_search(number, body) VALUES (new.number, {_TEXT}); END")
    op.execute(f"INSERT INTO case_search(number, body) SELECT number, "
               f"{_TEXT.replace('new.', '')} FROM case_file")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS case_search_au")
    op.execute("DROP TRIGGER IF EXISTS case_search_ad")
    op.execute("DROP TRIGGER IF EXISTS case_search_ai")
    op.execute("DROP TABLE IF EXISTS case_search")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_file_applicant_name_rev"))
        batch_op.drop_column("applicant_name_rev")

"""ID search by its last digits through an index, and a lighter trigram index.

Nearly every ID in a township starts with the same region code and every case number with the
same prefix, so their trigrams stood in almost every row and made fragment searches slow. Case
numbers are always matched exactly and leave the trigram index; the reversed ID answers "the last
six digits" as an index range.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BODY = "new.applicant_name || ' ' || new.applicant_id_number || ' ' || new.applicant_phone"


def _triggers(body: str) -> None:
    op.execute("DROP TRIGGER IF EXISTS case_search_ai")
    op.execute("DROP TRIGGER IF EXISTS case_search_au")
    op.execute(f"CREATE TRIGGER case_search_ai AFTER INSERT ON case_file BEGIN "
               f"INSERT INTO case_search(number, body) VALUES (new.number, {body}); END")
    op.execute(f"CREATE TRIGGER case_search_au AFTER UPDATE OF applicant_name, applicant_id_number, applicant_phone "
               f"ON case_file BEGIN DELETE FROM case_search WHERE number = old.number; "
               f"INSERT INTO case_search(number, body) VALUES (new.number, {body}); END")
    op.execute("DELETE FROM case_search")
    op.execute(f"INSERT INTO case_search(number, body) SELECT number, {body.replace('new.', '')} FROM case_file")


def upgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applicant_id_rev", sa.String(length=30), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f("ix_case_file_applicant_id_rev"), ["applicant_id_rev"], unique=False)
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, applicant_id_number FROM case_file")).all()
    for row_id, number in rows:  # SQLite has no reverse(): done here, once
        conn.execute(sa.text("UPDATE case_file SET applicant_id_rev = :r WHERE id = :i"),
                     {"r": (number or "")[::-1], "i": row_id})
    _triggers(_BODY)


def downgrade() -> None:
    _triggers(_BODY + " || ' ' || new.number")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_file_applicant_id_rev"))
        batch_op.drop_column("applicant_id_rev")

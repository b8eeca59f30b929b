"""Documents stored as issued (issued_document): what a citizen was handed, kept as printed.

The row is written the first time a document is printed or saved; a reprint renders it. Like
case_event it is append-only in the database: changing a stored document's content, or deleting one
this node issued, is refused (re-applying an identical row, as the sync does, passes; a director's
workstation may still drop other nodes' rows the centre no longer has). Documents printed before this
revision have no stored row; they are rebuilt as before and marked 补打.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

APPEND_ONLY = (
    "CREATE TRIGGER issued_document_unchanged BEFORE UPDATE ON issued_document"
    " WHEN OLD.doc_type IS NOT NEW.doc_type OR OLD.doc_number IS NOT NEW.doc_number"
    " OR OLD.source IS NOT NEW.source OR OLD.title IS NOT NEW.title OR OLD.sheet IS NOT NEW.sheet"
    " OR OLD.issued_at IS NOT NEW.issued_at OR OLD.staff_name IS NOT NEW.staff_name"
    " OR OLD.origin_node IS NOT NEW.origin_node"
    " BEGIN SELECT RAISE(ABORT, '已出具的文书不能修改'); END",
    "CREATE TRIGGER issued_document_kept BEFORE DELETE ON issued_document"
    " WHEN OLD.origin_node = (SELECT node_code FROM node_info LIMIT 1)"
    " BEGIN SELECT RAISE(ABORT, '已出具的文书不能删除'); END",
)


def upgrade() -> None:
    op.create_table(
        "issued_document",
        sa.Column("doc_type", sa.String(length=12), nullable=False),
        sa.Column("doc_number", sa.String(length=24), nullable=False),
        sa.Column("source", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("sheet", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("staff_id", sa.String(length=36), nullable=True),
        sa.Column("staff_name", sa.String(length=30), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_node", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_document")),
    )
    op.create_index("ix_issued_document_number", "issued_document", ["doc_number", "doc_type"], unique=False)
    conn = op.get_bind()
    for statement in APPEND_ONLY:
        conn.execute(sa.text(statement))


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("DROP TRIGGER IF EXISTS issued_document_unchanged"))
    conn.execute(sa.text("DROP TRIGGER IF EXISTS issued_document_kept"))
    op.drop_index("ix_issued_document_number", table_name="issued_document")
    op.drop_table("issued_document")

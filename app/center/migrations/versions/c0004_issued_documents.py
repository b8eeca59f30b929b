"""The centre's replica of documents as issued (issued_document), append-only like case_event.

A node never changes or deletes a document it issued (its own database refuses it); the trigger
here refuses it at the centre too, while an identical re-apply (a retried push) passes.

Revision ID: c0004
Revises: c0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c0004'
down_revision = 'c0003'
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION issued_document_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '已出具的文书不能删除';
    END IF;
    IF (OLD.doc_type, OLD.doc_number, OLD.source, OLD.title, OLD.sheet, OLD.issued_at, OLD.staff_name,
        OLD.origin_node)
       IS DISTINCT FROM (NEW.doc_type, NEW.doc_number, NEW.source, NEW.title, NEW.sheet, NEW.issued_at,
                         NEW.staff_name, NEW.origin_node) THEN
        RAISE EXCEPTION '已出具的文书不能修改';
    END IF;
    RETURN NEW;
END $$
"""


def upgrade() -> None:
    op.create_table('issued_document',
    sa.Column('doc_type', sa.String(length=12), nullable=False),
    sa.Column('doc_number', sa.String(length=24), nullable=False),
    sa.Column('source', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=False),
    sa.Column('sheet', sa.Text(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('staff_id', sa.String(length=36), nullable=True),
    sa.Column('staff_name', sa.String(length=30), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_document'))
    )
    op.create_index('ix_issued_document_feed', 'issued_document', ['_xid', '_seq'], unique=False)
    op.create_index('ix_issued_document_owner', 'issued_document', ['_owner'], unique=False)
    op.execute(FUNCTION)
    op.execute("CREATE TRIGGER issued_document_append_only BEFORE UPDATE OR DELETE ON issued_document"
               " FOR EACH ROW EXECUTE FUNCTION issued_document_append_only()")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS issued_document_append_only ON issued_document")
    op.execute("DROP FUNCTION IF EXISTS issued_document_append_only()")
    op.drop_index('ix_issued_document_owner', table_name='issued_document')
    op.drop_index('ix_issued_document_feed', table_name='issued_document')
    op.drop_table('issued_document')

"""Hand-overs between nodes at the centre: the offers (case_handover) and who may see a case (case_party).

A case's owner (case_file._owner) moves only when the named receiver's transfer_received applies to
a pending offer from the current owner (app.center.handover). Senders and receivers become parties of
the case, so it, its events and its documents flow down to them; indexes find those rows by the case's
id or number when it is offered. Nothing existed before: no backfill.

Revision ID: c0005
Revises: c0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c0005'
down_revision = 'c0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_handover',
    sa.Column('offer_id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('batch', sa.String(length=30), nullable=False),
    sa.Column('from_node', sa.String(length=2), nullable=False),
    sa.Column('to_node', sa.String(length=2), nullable=False),
    sa.Column('is_return', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('offered_at', sa.DateTime(), nullable=False),
    sa.Column('settled_at', sa.DateTime(), nullable=True),
    sa.Column('settled_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('offer_id', name=op.f('pk_case_handover'))
    )
    op.create_index('ix_case_handover_case', 'case_handover', ['case_id'], unique=False)
    op.create_table('case_party',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('node_code', sa.String(length=2), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.PrimaryKeyConstraint('case_id', 'node_code', name=op.f('pk_case_party'))
    )
    op.create_index('ix_case_party_node', 'case_party', ['node_code', 'case_id'], unique=False)
    op.create_index('ix_case_party_number', 'case_party', ['node_code', 'number'], unique=False)
    # A case's events and documents, found when it changes hands (they are republished to the receiver).
    op.create_index('ix_case_event_case_id', 'case_event', ['case_id'], unique=False)
    op.create_index('ix_print_log_doc_number', 'print_log', ['doc_number'], unique=False)
    op.create_index('ix_issued_document_doc_number', 'issued_document', ['doc_number'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_issued_document_doc_number', table_name='issued_document')
    op.drop_index('ix_print_log_doc_number', table_name='print_log')
    op.drop_index('ix_case_event_case_id', table_name='case_event')
    op.drop_index('ix_case_party_number', table_name='case_party')
    op.drop_index('ix_case_party_node', table_name='case_party')
    op.drop_table('case_party')
    op.drop_index('ix_case_handover_case', table_name='case_handover')
    op.drop_table('case_handover')

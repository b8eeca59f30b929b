"""Proofs of checked passwords for centre-data edits, and the centre's own lock-out counter.

Revision ID: c0002
Revises: c0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c0002'
down_revision = 'c0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'person_proof',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('staff_id', sa.String(length=36), nullable=False),
        sa.Column('node_code', sa.String(length=2), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_person_proof')),
    )
    op.create_index('ix_person_proof_staff', 'person_proof', ['staff_id'], unique=False)
    op.create_table(
        'person_lock',
        sa.Column('staff_no', sa.String(length=20), nullable=False),
        sa.Column('failed_count', sa.Integer(), server_default='0', nullable=False),
        sa.Column('locked_until', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('staff_no', name=op.f('pk_person_lock')),
    )


def downgrade() -> None:
    op.drop_table('person_lock')
    op.drop_index('ix_person_proof_staff', table_name='person_proof')
    op.drop_table('person_proof')

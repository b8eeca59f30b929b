"""The centre's replica of 督办 (supervision, supervision_answer); the feed sends a 督办 to the node it
addresses (app.center.feed ADDRESSED_TO) and an answer to the 督办's writer.

Revision ID: c0010
Revises: c0009
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c0010"
down_revision = "c0009"
branch_labels = None
depends_on = None


def _feed() -> list[sa.Column[object]]:
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('origin_node', sa.String(length=2), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('_owner', sa.String(length=2), nullable=True),
        sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
        sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'),
                  nullable=False),
        sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    ]


def upgrade() -> None:
    op.create_table('supervision',
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('target_kind', sa.String(length=12), nullable=False),
    sa.Column('case_number', sa.String(length=24), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('org_name', sa.String(length=60), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('rule_code', sa.String(length=4), nullable=False),
    sa.Column('warning_type', sa.String(length=8), nullable=False),
    sa.Column('state_at', sa.DateTime(), nullable=False),
    sa.Column('result', sa.String(length=200), nullable=False),
    sa.Column('window', sa.String(length=60), nullable=False),
    sa.Column('to_node', sa.String(length=2), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('issued_by_no', sa.String(length=20), nullable=False),
    sa.Column('issued_by_name', sa.String(length=30), nullable=False),
    sa.Column('auto', sa.Boolean(), nullable=False),
    *_feed(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision'))
    )
    op.create_index('ix_supervision_feed', 'supervision', ['_xid', '_seq'], unique=False)
    op.create_index('ix_supervision_owner', 'supervision', ['_owner'], unique=False)
    op.create_table('supervision_answer',
    sa.Column('supervision_id', sa.String(length=36), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.Column('staff_no', sa.String(length=20), nullable=False),
    sa.Column('staff_name', sa.String(length=30), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('result', sa.String(length=12), nullable=False),
    *_feed(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_answer'))
    )
    op.create_index('ix_supervision_answer_feed', 'supervision_answer', ['_xid', '_seq'], unique=False)
    op.create_index('ix_supervision_answer_owner', 'supervision_answer', ['_owner'], unique=False)


def downgrade() -> None:
    for name in ('supervision_answer', 'supervision'):
        op.drop_index(f'ix_{name}_owner', table_name=name)
        op.drop_index(f'ix_{name}_feed', table_name=name)
        op.drop_table(name)

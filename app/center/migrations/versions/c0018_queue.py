"""The hall's queue: its categories (综合, prefix A, served by every window, to begin with), the day's counters
and tickets; and the replica of the windows' queue_visit and queue_link (workstation 0025).

Revision ID: c0018
Revises: c0017
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c0018'
down_revision = 'c0017'
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
    op.create_table(
        'queue_category',
        sa.Column('name', sa.String(length=20), nullable=False),
        sa.Column('prefix', sa.String(length=1), nullable=False),
        sa.Column('windows', sa.Text(), server_default='', nullable=False),
        sa.Column('position', sa.Integer(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_queue_category')),
        sa.UniqueConstraint('prefix', name='uq_queue_category_prefix'),
    )
    op.execute("INSERT INTO queue_category (name, prefix, windows, position) VALUES ('综合', 'A', '', 0)")
    op.create_table(
        'queue_counter',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('prefix', sa.String(length=1), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'prefix', name=op.f('pk_queue_counter')),
    )
    op.create_table(
        'queue_ticket',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('number', sa.String(length=8), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('priority', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.Column('appointment', sa.String(length=24), server_default='', nullable=False),
        sa.Column('ahead', sa.Integer(), server_default='0', nullable=False),
        sa.Column('taken_at', sa.DateTime(), nullable=False),
        sa.Column('taken_by', sa.String(length=2), nullable=False),
        sa.Column('queued_at', sa.DateTime(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('window', sa.String(length=2), server_default='', nullable=False),
        sa.Column('staff_no', sa.String(length=20), server_default='', nullable=False),
        sa.Column('staff_name', sa.String(length=30), server_default='', nullable=False),
        sa.Column('called_at', sa.DateTime(), nullable=True),
        sa.Column('announced_at', sa.DateTime(), nullable=True),
        sa.Column('recalls', sa.Integer(), server_default='0', nullable=False),
        sa.Column('transfers', sa.Integer(), server_default='0', nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_ticket')),
        sa.UniqueConstraint('day', 'number', name='uq_queue_ticket_day_number'),
    )
    op.create_index('ix_queue_ticket_waiting', 'queue_ticket',
                    ['day', 'status', 'category', 'priority', 'queued_at'], unique=False)
    op.create_index('ix_queue_ticket_window', 'queue_ticket', ['day', 'window', 'status'], unique=False)
    op.create_index('ix_queue_ticket_appointment', 'queue_ticket', ['day', 'appointment'], unique=False)
    op.create_table(
        'queue_visit',
        sa.Column('ticket_id', sa.String(length=36), nullable=False),
        sa.Column('number', sa.String(length=8), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('priority', sa.Boolean(), nullable=False),
        sa.Column('appointment', sa.String(length=24), nullable=False),
        sa.Column('ahead', sa.Integer(), nullable=False),
        sa.Column('taken_at', sa.DateTime(), nullable=False),
        sa.Column('queued_at', sa.DateTime(), nullable=False),
        sa.Column('called_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('recalls', sa.Integer(), nullable=False),
        sa.Column('window_name', sa.String(length=60), nullable=False),
        sa.Column('window', sa.String(length=60), nullable=False),
        sa.Column('staff_no', sa.String(length=20), nullable=False),
        sa.Column('staff_name', sa.String(length=30), nullable=False),
        *_feed(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_visit')),
    )
    op.create_index('ix_queue_visit_called_stats', 'queue_visit',
                    ['called_at', 'status', 'staff_no', 'origin_node'], unique=False)
    op.create_table(
        'queue_link',
        sa.Column('visit_id', sa.String(length=36), nullable=False),
        sa.Column('ticket_number', sa.String(length=8), nullable=False),
        sa.Column('record_kind', sa.String(length=8), nullable=False),
        sa.Column('record_number', sa.String(length=24), nullable=False),
        *_feed(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_link')),
    )
    for name in ('queue_visit', 'queue_link'):
        op.create_index(f'ix_{name}_feed', name, ['_xid', '_seq'], unique=False)
        op.create_index(f'ix_{name}_owner', name, ['_owner'], unique=False)


def downgrade() -> None:
    for name in ('queue_link', 'queue_visit', 'queue_ticket', 'queue_counter', 'queue_category'):
        op.drop_table(name)

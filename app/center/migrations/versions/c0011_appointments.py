"""The centre's replica of appointments (预约, 上门服务) and after-hours service (延时服务).

Revision ID: c0011
Revises: c0010
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c0011"
down_revision = "c0010"
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
    op.create_table('appointment',
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('purpose', sa.String(length=8), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=False),
    sa.Column('item_name', sa.String(length=100), nullable=False),
    sa.Column('citizen_name', sa.String(length=40), nullable=False),
    sa.Column('citizen_phone', sa.String(length=20), nullable=False),
    sa.Column('citizen_id_number', sa.String(length=30), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('slot', sa.String(length=11), nullable=False),
    sa.Column('window', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('notice_number', sa.String(length=24), nullable=False),
    sa.Column('address', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.String(length=12), nullable=False),
    sa.Column('visitor_no', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('case_number', sa.String(length=24), nullable=False),
    sa.Column('created_by', sa.String(length=20), nullable=False),
    sa.Column('created_by_name', sa.String(length=30), nullable=False),
    sa.Column('arrived_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    *_feed(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment'))
    )
    op.create_index('ix_appointment_feed', 'appointment', ['_xid', '_seq'], unique=False)
    op.create_index('ix_appointment_owner', 'appointment', ['_owner'], unique=False)
    op.create_table('after_hours_service',
    sa.Column('staff_no', sa.String(length=20), nullable=False),
    sa.Column('staff_name', sa.String(length=30), nullable=False),
    sa.Column('window', sa.String(length=60), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=False),
    sa.Column('case_number', sa.String(length=24), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('recorded_by', sa.String(length=20), nullable=False),
    *_feed(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_after_hours_service'))
    )
    op.create_index('ix_after_hours_service_feed', 'after_hours_service', ['_xid', '_seq'], unique=False)
    op.create_index('ix_after_hours_service_owner', 'after_hours_service', ['_owner'], unique=False)


def downgrade() -> None:
    for name in ('after_hours_service', 'appointment'):
        op.drop_index(f'ix_{name}_owner', table_name=name)
        op.drop_index(f'ix_{name}_feed', table_name=name)
        op.drop_table(name)

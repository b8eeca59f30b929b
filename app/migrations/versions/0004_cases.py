"""Cases under the five case classes and their append-only events.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 16:56:43.875472
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_file',
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('query_code', sa.String(length=8), nullable=False),
    sa.Column('case_class', sa.String(length=12), nullable=False),
    sa.Column('class_reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=False),
    sa.Column('item_name', sa.String(length=100), nullable=False),
    sa.Column('item_snapshot', sa.Text(), nullable=False),
    sa.Column('applicant_kind', sa.String(length=12), nullable=False),
    sa.Column('applicant_name', sa.String(length=60), nullable=False),
    sa.Column('applicant_id_type', sa.String(length=20), nullable=False),
    sa.Column('applicant_id_number', sa.String(length=30), nullable=False),
    sa.Column('applicant_phone', sa.String(length=20), nullable=False),
    sa.Column('applicant_address', sa.String(length=120), nullable=False),
    sa.Column('contact_name', sa.String(length=40), nullable=False),
    sa.Column('agent_name', sa.String(length=40), nullable=False),
    sa.Column('agent_relation', sa.String(length=20), nullable=False),
    sa.Column('agent_id_type', sa.String(length=20), nullable=False),
    sa.Column('agent_id_number', sa.String(length=30), nullable=False),
    sa.Column('agent_phone', sa.String(length=20), nullable=False),
    sa.Column('materials', sa.Text(), nullable=False),
    sa.Column('missing_reason', sa.Text(), nullable=False),
    sa.Column('rejection_reason', sa.Text(), nullable=False),
    sa.Column('lead_window', sa.String(length=60), nullable=False),
    sa.Column('co_departments', sa.Text(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=False),
    sa.Column('time_limit_days', sa.Integer(), nullable=False),
    sa.Column('clock_start', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.Column('notice_number', sa.String(length=24), nullable=False),
    sa.Column('staff_id', sa.String(length=36), nullable=True),
    sa.Column('staff_name', sa.String(length=30), nullable=False),
    sa.Column('staff_no', sa.String(length=20), nullable=False),
    sa.Column('staff_workplace', sa.String(length=60), nullable=False),
    sa.Column('staff_phone', sa.String(length=20), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_file')),
    sa.UniqueConstraint('number', name=op.f('uq_case_file_number')),
    sa.UniqueConstraint('query_code', name=op.f('uq_case_file_query_code'))
    )
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index('ix_case_file_applicant_id', ['applicant_id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_applicant_name'), ['applicant_name'], unique=False)
        batch_op.create_index('ix_case_file_status_due', ['status', 'due_date'], unique=False)

    op.create_table('case_event',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('staff_name', sa.String(length=30), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_event_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event'))
    )
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_event_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_event_case_id'))

    op.drop_table('case_event')
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index('ix_case_file_status_due')
        batch_op.drop_index(batch_op.f('ix_case_file_applicant_name'))
        batch_op.drop_index('ix_case_file_applicant_id')

    op.drop_table('case_file')

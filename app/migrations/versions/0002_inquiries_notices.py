"""Centre settings, first-inquiry register, department directory, one-time notices, print log,
document sequence.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 16:29:56.867926
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('center_setting',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_center_setting')),
    sa.UniqueConstraint('key', name=op.f('uq_center_setting_key'))
    )
    op.create_table('department',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('duties', sa.Text(), nullable=False),
    sa.Column('address', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('office_hours', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('name', name=op.f('uq_department_name'))
    )
    op.create_table('doc_sequence',
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'day', name=op.f('pk_doc_sequence'))
    )
    op.create_table('print_log',
    sa.Column('doc_type', sa.String(length=12), nullable=False),
    sa.Column('doc_number', sa.String(length=24), nullable=False),
    sa.Column('printed_at', sa.DateTime(), nullable=False),
    sa.Column('staff_id', sa.String(length=36), nullable=True),
    sa.Column('staff_name', sa.String(length=30), nullable=False),
    sa.Column('reprint', sa.Boolean(), nullable=False),
    sa.Column('target', sa.String(length=20), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_log'))
    )
    with op.batch_alter_table('print_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_print_log_doc_number'), ['doc_number'], unique=False)

    op.create_table('inquiry',
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('citizen_name', sa.String(length=40), nullable=False),
    sa.Column('citizen_phone', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('department_id', sa.String(length=36), nullable=True),
    sa.Column('responder_id', sa.String(length=36), nullable=True),
    sa.Column('responder_name', sa.String(length=30), nullable=False),
    sa.Column('responder_no', sa.String(length=20), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_inquiry_department_id_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry')),
    sa.UniqueConstraint('number', name=op.f('uq_inquiry_number'))
    )
    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inquiry_asked_at'), ['asked_at'], unique=False)

    op.create_table('notice',
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('citizen_name', sa.String(length=40), nullable=False),
    sa.Column('citizen_phone', sa.String(length=20), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=False),
    sa.Column('item_name', sa.String(length=100), nullable=False),
    sa.Column('item_snapshot', sa.Text(), nullable=False),
    sa.Column('present', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('staff_id', sa.String(length=36), nullable=True),
    sa.Column('staff_name', sa.String(length=30), nullable=False),
    sa.Column('staff_no', sa.String(length=20), nullable=False),
    sa.Column('staff_workplace', sa.String(length=60), nullable=False),
    sa.Column('staff_phone', sa.String(length=20), nullable=False),
    sa.Column('inquiry_id', sa.String(length=36), nullable=True),
    sa.Column('follows_number', sa.String(length=24), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['inquiry_id'], ['inquiry.id'], name=op.f('fk_notice_inquiry_id_inquiry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
    sa.UniqueConstraint('number', name=op.f('uq_notice_number'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_issued_at'), ['issued_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_issued_at'))

    op.drop_table('notice')
    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inquiry_asked_at'))

    op.drop_table('inquiry')
    with op.batch_alter_table('print_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_print_log_doc_number'))

    op.drop_table('print_log')
    op.drop_table('doc_sequence')
    op.drop_table('department')
    op.drop_table('center_setting')

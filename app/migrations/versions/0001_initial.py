"""Initial schema: node identity, catalogue, staff, audit log and replication outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 16:05:27.005949
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('app_meta',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_meta'))
    )
    op.create_table('audit_log',
    sa.Column('actor_id', sa.String(length=36), nullable=True),
    sa.Column('actor_name', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_table('node_info',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_code', sa.String(length=9), nullable=False),
    sa.Column('center_name', sa.String(length=60), nullable=False),
    sa.Column('node_code', sa.String(length=2), nullable=False),
    sa.Column('node_name', sa.String(length=60), nullable=False),
    sa.Column('node_kind', sa.String(length=10), nullable=False),
    sa.Column('training', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_node_info'))
    )
    op.create_table('outbox',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('op', sa.String(length=6), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox'))
    )
    op.create_table('service_item',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('aliases', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('department', sa.String(length=60), nullable=False),
    sa.Column('co_departments', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('procedure', sa.Text(), nullable=False),
    sa.Column('legal_limit_days', sa.Integer(), nullable=False),
    sa.Column('promised_limit_days', sa.Integer(), nullable=False),
    sa.Column('default_case_class', sa.String(length=12), nullable=False),
    sa.Column('agent_allowed', sa.Boolean(), nullable=False),
    sa.Column('fee', sa.Text(), nullable=False),
    sa.Column('fee_basis', sa.Text(), nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('office_hours', sa.Text(), nullable=False),
    sa.Column('consult_phone', sa.String(length=20), nullable=False),
    sa.Column('supervise_phone', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=False),
    sa.Column('retired_on', sa.Date(), nullable=True),
    sa.Column('search_initials', sa.Text(), nullable=False),
    sa.Column('search_pinyin', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_item')),
    sa.UniqueConstraint('code', name=op.f('uq_service_item_code'))
    )
    op.create_table('staff',
    sa.Column('staff_no', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('workplace', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('backup_for_id', sa.String(length=36), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['backup_for_id'], ['staff.id'], name=op.f('fk_staff_backup_for_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('staff_no', name=op.f('uq_staff_staff_no'))
    )
    op.create_table('item_material',
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('originals_kept', sa.Integer(), nullable=False),
    sa.Column('originals_checked', sa.Integer(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('electronic', sa.Boolean(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('condition', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('form_name', sa.String(length=120), nullable=False),
    sa.Column('source_department', sa.String(length=60), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['service_item.id'], name=op.f('fk_item_material_item_id_service_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_material')),
    sa.UniqueConstraint('item_id', 'seq', name='uq_item_material_item_seq')
    )
    with op.batch_alter_table('item_material', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_material_item_id'), ['item_id'], unique=False)

    op.create_table('login_state',
    sa.Column('staff_id', sa.String(length=36), nullable=False),
    sa.Column('failed_count', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_login_state_staff_id_staff')),
    sa.PrimaryKeyConstraint('staff_id', name=op.f('pk_login_state'))
    )

    op.create_index("ix_audit_log_created_at", "audit_log", ["created_at"])
    op.execute("INSERT INTO app_meta (key, value) VALUES ('schema_major', '1')")
    # The audit log is append-only: refuse any UPDATE or DELETE at the database level.
    op.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.drop_index("ix_audit_log_created_at", table_name="audit_log")
    op.drop_table('login_state')
    with op.batch_alter_table('item_material', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_material_item_id'))

    op.drop_table('item_material')
    op.drop_table('staff')
    op.drop_table('service_item')
    op.drop_table('outbox')
    op.drop_table('node_info')
    op.drop_table('audit_log')
    op.drop_table('app_meta')

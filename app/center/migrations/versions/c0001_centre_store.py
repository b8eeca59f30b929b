"""The centre store: replicas of every replicated table with feed positions, nodes, enrolment codes,
quarantine and tombstones.

Revision ID: c0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SEQUENCE sync_seq")
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
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_feed', 'audit_log', ['_xid', '_seq'], unique=False)
    op.create_index('ix_audit_log_owner', 'audit_log', ['_owner'], unique=False)
    op.create_table('calendar_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_day')),
    sa.UniqueConstraint('day', name='uq_calendar_day_day'),
    sa.UniqueConstraint('day', name='uq_calendar_day_day')
    )
    op.create_index('ix_calendar_day_feed', 'calendar_day', ['_xid', '_seq'], unique=False)
    op.create_index('ix_calendar_day_owner', 'calendar_day', ['_owner'], unique=False)
    op.create_table('calendar_year',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_year')),
    sa.UniqueConstraint('year', name='uq_calendar_year_year'),
    sa.UniqueConstraint('year', name='uq_calendar_year_year')
    )
    op.create_index('ix_calendar_year_feed', 'calendar_year', ['_xid', '_seq'], unique=False)
    op.create_index('ix_calendar_year_owner', 'calendar_year', ['_owner'], unique=False)
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
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event'))
    )
    op.create_index('ix_case_event_feed', 'case_event', ['_xid', '_seq'], unique=False)
    op.create_index('ix_case_event_owner', 'case_event', ['_owner'], unique=False)
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
    sa.Column('applicant_name_rev', sa.String(length=60), nullable=False),
    sa.Column('applicant_id_type', sa.String(length=20), nullable=False),
    sa.Column('applicant_id_number', sa.String(length=30), nullable=False),
    sa.Column('applicant_id_rev', sa.String(length=30), nullable=False),
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
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_file')),
    sa.UniqueConstraint('number', name='uq_case_file_number'),
    sa.UniqueConstraint('number', name='uq_case_file_number'),
    sa.UniqueConstraint('query_code', name='uq_case_file_query_code'),
    sa.UniqueConstraint('query_code', name='uq_case_file_query_code')
    )
    op.create_index('ix_case_file_feed', 'case_file', ['_xid', '_seq'], unique=False)
    op.create_index('ix_case_file_owner', 'case_file', ['_owner'], unique=False)
    op.create_table('center_info',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_center_info'))
    )
    op.create_table('center_node',
    sa.Column('node_code', sa.String(length=2), nullable=False),
    sa.Column('node_name', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('enrolled_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('acked_seq', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=True),
    sa.Column('last_sync_at', sa.DateTime(), nullable=True),
    sa.Column('backlog', sa.Integer(), server_default='0', nullable=False),
    sa.Column('clock_offset_s', sa.Float(), server_default='0', nullable=False),
    sa.Column('protocol', sa.Integer(), server_default='0', nullable=False),
    sa.Column('schema_rev', sa.String(length=20), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('node_code', name=op.f('pk_center_node'))
    )
    op.create_table('center_setting',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_center_setting')),
    sa.UniqueConstraint('key', name='uq_center_setting_key'),
    sa.UniqueConstraint('key', name='uq_center_setting_key')
    )
    op.create_index('ix_center_setting_feed', 'center_setting', ['_xid', '_seq'], unique=False)
    op.create_index('ix_center_setting_owner', 'center_setting', ['_owner'], unique=False)
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
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('name', name='uq_department_name'),
    sa.UniqueConstraint('name', name='uq_department_name')
    )
    op.create_index('ix_department_feed', 'department', ['_xid', '_seq'], unique=False)
    op.create_index('ix_department_owner', 'department', ['_owner'], unique=False)
    op.create_table('enroll_code',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('node_code', sa.String(length=2), nullable=False),
    sa.Column('node_name', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_enroll_code'))
    )
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
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry')),
    sa.UniqueConstraint('number', name='uq_inquiry_number'),
    sa.UniqueConstraint('number', name='uq_inquiry_number')
    )
    op.create_index('ix_inquiry_feed', 'inquiry', ['_xid', '_seq'], unique=False)
    op.create_index('ix_inquiry_owner', 'inquiry', ['_owner'], unique=False)
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
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_material')),
    sa.UniqueConstraint('item_id', 'seq', name='uq_item_material_item_id_seq')
    )
    op.create_index('ix_item_material_feed', 'item_material', ['_xid', '_seq'], unique=False)
    op.create_index('ix_item_material_owner', 'item_material', ['_owner'], unique=False)
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
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
    sa.UniqueConstraint('number', name='uq_notice_number'),
    sa.UniqueConstraint('number', name='uq_notice_number')
    )
    op.create_index('ix_notice_feed', 'notice', ['_xid', '_seq'], unique=False)
    op.create_index('ix_notice_owner', 'notice', ['_owner'], unique=False)
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
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_log'))
    )
    op.create_index('ix_print_log_feed', 'print_log', ['_xid', '_seq'], unique=False)
    op.create_index('ix_print_log_owner', 'print_log', ['_owner'], unique=False)
    op.create_table('quarantine',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=2), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_seq', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarantine'))
    )
    op.create_index('ix_quarantine_feed', 'quarantine', ['_xid', '_seq'], unique=False)
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
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_item')),
    sa.UniqueConstraint('code', name='uq_service_item_code'),
    sa.UniqueConstraint('code', name='uq_service_item_code')
    )
    op.create_index('ix_service_item_feed', 'service_item', ['_xid', '_seq'], unique=False)
    op.create_index('ix_service_item_owner', 'service_item', ['_owner'], unique=False)
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
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('staff_no', name='uq_staff_staff_no'),
    sa.UniqueConstraint('staff_no', name='uq_staff_staff_no')
    )
    op.create_index('ix_staff_feed', 'staff', ['_xid', '_seq'], unique=False)
    op.create_index('ix_staff_owner', 'staff', ['_owner'], unique=False)
    op.create_table('tombstone',
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=False),
    sa.Column('_owner', sa.String(length=2), nullable=True),
    sa.Column('_pushed_by', sa.String(length=2), server_default='', nullable=False),
    sa.Column('_xid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text::bigint)'), nullable=False),
    sa.Column('_seq', sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
    sa.PrimaryKeyConstraint('table_name', 'row_id', name=op.f('pk_tombstone'))
    )
    op.create_index('ix_tombstone_feed', 'tombstone', ['_xid', '_seq'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_tombstone_feed', table_name='tombstone')
    op.drop_table('tombstone')
    op.drop_index('ix_staff_owner', table_name='staff')
    op.drop_index('ix_staff_feed', table_name='staff')
    op.drop_table('staff')
    op.drop_index('ix_service_item_owner', table_name='service_item')
    op.drop_index('ix_service_item_feed', table_name='service_item')
    op.drop_table('service_item')
    op.drop_index('ix_quarantine_feed', table_name='quarantine')
    op.drop_table('quarantine')
    op.drop_index('ix_print_log_owner', table_name='print_log')
    op.drop_index('ix_print_log_feed', table_name='print_log')
    op.drop_table('print_log')
    op.drop_index('ix_notice_owner', table_name='notice')
    op.drop_index('ix_notice_feed', table_name='notice')
    op.drop_table('notice')
    op.drop_index('ix_item_material_owner', table_name='item_material')
    op.drop_index('ix_item_material_feed', table_name='item_material')
    op.drop_table('item_material')
    op.drop_index('ix_inquiry_owner', table_name='inquiry')
    op.drop_index('ix_inquiry_feed', table_name='inquiry')
    op.drop_table('inquiry')
    op.drop_table('enroll_code')
    op.drop_index('ix_department_owner', table_name='department')
    op.drop_index('ix_department_feed', table_name='department')
    op.drop_table('department')
    op.drop_index('ix_center_setting_owner', table_name='center_setting')
    op.drop_index('ix_center_setting_feed', table_name='center_setting')
    op.drop_table('center_setting')
    op.drop_table('center_node')
    op.drop_table('center_info')
    op.drop_index('ix_case_file_owner', table_name='case_file')
    op.drop_index('ix_case_file_feed', table_name='case_file')
    op.drop_table('case_file')
    op.drop_index('ix_case_event_owner', table_name='case_event')
    op.drop_index('ix_case_event_feed', table_name='case_event')
    op.drop_table('case_event')
    op.drop_index('ix_calendar_year_owner', table_name='calendar_year')
    op.drop_index('ix_calendar_year_feed', table_name='calendar_year')
    op.drop_table('calendar_year')
    op.drop_index('ix_calendar_day_owner', table_name='calendar_day')
    op.drop_index('ix_calendar_day_feed', table_name='calendar_day')
    op.drop_table('calendar_day')
    op.drop_index('ix_audit_log_owner', table_name='audit_log')
    op.drop_index('ix_audit_log_feed', table_name='audit_log')
    op.drop_table('audit_log')
    op.execute("DROP SEQUENCE sync_seq")

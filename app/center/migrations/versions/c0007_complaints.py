"""The centre's replica of complaints (complaint, complaint_event); complaint_event is append-only.

Revision ID: c0007
Revises: c0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c0007'
down_revision = 'c0006'
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION complaint_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '投诉记录只能追加，不能删除';
    END IF;
    IF (OLD.complaint_id, OLD.kind, OLD.at, OLD.staff_name, OLD.details, OLD.origin_node)
       IS DISTINCT FROM (NEW.complaint_id, NEW.kind, NEW.at, NEW.staff_name, NEW.details, NEW.origin_node) THEN
        RAISE EXCEPTION '投诉记录只能追加，不能修改';
    END IF;
    RETURN NEW;
END $$
"""


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
    op.create_table('complaint',
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('category', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('staff_no', sa.String(length=20), nullable=False),
    sa.Column('window', sa.String(length=60), nullable=False),
    sa.Column('item', sa.String(length=100), nullable=False),
    sa.Column('case_number', sa.String(length=24), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('finding', sa.String(length=12), nullable=False),
    sa.Column('satisfied', sa.Boolean(), nullable=True),
    *_feed(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint'))
    )
    op.create_index('ix_complaint_feed', 'complaint', ['_xid', '_seq'], unique=False)
    op.create_index('ix_complaint_owner', 'complaint', ['_owner'], unique=False)
    op.create_table('complaint_event',
    sa.Column('complaint_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('staff_name', sa.String(length=30), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    *_feed(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_event'))
    )
    op.create_index('ix_complaint_event_feed', 'complaint_event', ['_xid', '_seq'], unique=False)
    op.create_index('ix_complaint_event_owner', 'complaint_event', ['_owner'], unique=False)
    op.execute(FUNCTION)
    op.execute("CREATE TRIGGER complaint_event_append_only BEFORE UPDATE OR DELETE ON complaint_event"
               " FOR EACH ROW EXECUTE FUNCTION complaint_event_append_only()")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS complaint_event_append_only ON complaint_event")
    op.execute("DROP FUNCTION IF EXISTS complaint_event_append_only()")
    for name in ('complaint_event', 'complaint'):
        op.drop_index(f'ix_{name}_owner', table_name=name)
        op.drop_index(f'ix_{name}_feed', table_name=name)
        op.drop_table(name)

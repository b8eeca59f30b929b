"""The centre's replica of rectifications (rectification, rectification_event); the events are append-only.

Revision ID: c0008
Revises: c0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c0008'
down_revision = 'c0007'
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION rectification_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '整改记录只能追加，不能删除';
    END IF;
    IF (OLD.rectification_id, OLD.kind, OLD.at, OLD.staff_name, OLD.details, OLD.origin_node)
       IS DISTINCT FROM (NEW.rectification_id, NEW.kind, NEW.at, NEW.staff_name, NEW.details, NEW.origin_node) THEN
        RAISE EXCEPTION '整改记录只能追加，不能修改';
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
    op.create_table('rectification',
    sa.Column('rating_id', sa.String(length=36), nullable=False),
    sa.Column('target_number', sa.String(length=24), nullable=False),
    sa.Column('staff_no', sa.String(length=20), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('called_back', sa.Boolean(), nullable=False),
    sa.Column('excluded', sa.Boolean(), nullable=False),
    *_feed(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification'))
    )
    op.create_index('ix_rectification_feed', 'rectification', ['_xid', '_seq'], unique=False)
    op.create_index('ix_rectification_owner', 'rectification', ['_owner'], unique=False)
    op.create_table('rectification_event',
    sa.Column('rectification_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('staff_name', sa.String(length=30), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    *_feed(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_event'))
    )
    op.create_index('ix_rectification_event_feed', 'rectification_event', ['_xid', '_seq'], unique=False)
    op.create_index('ix_rectification_event_owner', 'rectification_event', ['_owner'], unique=False)
    op.execute(FUNCTION)
    op.execute("CREATE TRIGGER rectification_event_append_only BEFORE UPDATE OR DELETE ON rectification_event"
               " FOR EACH ROW EXECUTE FUNCTION rectification_event_append_only()")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS rectification_event_append_only ON rectification_event")
    op.execute("DROP FUNCTION IF EXISTS rectification_event_append_only()")
    for name in ('rectification_event', 'rectification'):
        op.drop_index(f'ix_{name}_owner', table_name=name)
        op.drop_index(f'ix_{name}_feed', table_name=name)
        op.drop_table(name)

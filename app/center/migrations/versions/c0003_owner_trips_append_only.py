"""The centre's case replica gets owner_node and trips, and its case_event table becomes append-only.

owner_node starts as the accepting node (the row's owner); nodes send trips with their next change of a
case (their own migration queues one for every case they hold). The trigger refuses any change to a
recorded event's content and any delete; an identical re-apply (a retried push) passes. The apply step
quarantines such changes with a reason first, so the trigger is the last line, not the message.

Revision ID: c0003
Revises: c0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c0003'
down_revision = 'c0002'
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION case_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '办件记录只能追加，不能删除';
    END IF;
    IF (OLD.case_id, OLD.kind, OLD.at, OLD.staff_name, OLD.details, OLD.origin_node)
       IS DISTINCT FROM (NEW.case_id, NEW.kind, NEW.at, NEW.staff_name, NEW.details, NEW.origin_node) THEN
        RAISE EXCEPTION '办件记录只能追加，不能修改';
    END IF;
    RETURN NEW;
END $$
"""


def upgrade() -> None:
    op.add_column('case_file', sa.Column('owner_node', sa.String(length=2), server_default='', nullable=False))
    op.add_column('case_file', sa.Column('trips', sa.Integer(), server_default='0', nullable=False))
    op.execute("UPDATE case_file SET owner_node = origin_node")
    op.execute(FUNCTION)
    op.execute("CREATE TRIGGER case_event_append_only BEFORE UPDATE OR DELETE ON case_event"
               " FOR EACH ROW EXECUTE FUNCTION case_event_append_only()")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS case_event_append_only ON case_event")
    op.execute("DROP FUNCTION IF EXISTS case_event_append_only()")
    op.drop_column('case_file', 'trips')
    op.drop_column('case_file', 'owner_node')

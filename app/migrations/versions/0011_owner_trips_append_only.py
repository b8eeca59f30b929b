"""Cases get the node that holds them now (owner_node) and their trip count (trips) as cached columns,
and case_event becomes append-only in the database.

owner_node starts as the accepting node; it changes only when a hand-over is received. trips is what
the projection counts from the events (app.services.cases.projection); existing cases get it here, by
the same rule in SQL, and this node's own cases an outbox pointer so the centre learns both columns.
The triggers refuse changing or deleting a recorded event. Re-applying an identical row (the sync does
that) changes nothing and passes; a director's workstation may still drop other nodes' events that the
centre no longer has, as a full download does.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TRIPS = (
    "UPDATE case_file SET trips = (CASE WHEN notice_number != '' THEN 1 ELSE 0 END) + ("
    " SELECT count(*) FROM case_event e WHERE e.case_id = case_file.id"
    " AND (e.kind IN ('accepted', 'supplemented', 'materials_completed', 'visited')"
    "      OR (e.kind = 'delivered' AND e.details LIKE '%\"method\": \"pickup\"%')))"
)
APPEND_ONLY = (
    "CREATE TRIGGER case_event_append_only BEFORE UPDATE ON case_event"
    " WHEN OLD.case_id IS NOT NEW.case_id OR OLD.kind IS NOT NEW.kind OR OLD.at IS NOT NEW.at"
    " OR OLD.staff_name IS NOT NEW.staff_name OR OLD.details IS NOT NEW.details OR OLD.origin_node IS NOT NEW.origin_node"
    " BEGIN SELECT RAISE(ABORT, '办件记录只能追加，不能修改'); END",
    "CREATE TRIGGER case_event_kept BEFORE DELETE ON case_event"
    " WHEN OLD.origin_node = (SELECT node_code FROM node_info LIMIT 1)"
    " BEGIN SELECT RAISE(ABORT, '办件记录只能追加，不能删除'); END",
)


def upgrade() -> None:
    with op.batch_alter_table("case_file") as batch:
        batch.add_column(sa.Column("owner_node", sa.String(length=2), nullable=False, server_default=""))
        batch.add_column(sa.Column("trips", sa.Integer(), nullable=False, server_default="0"))
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE case_file SET owner_node = origin_node"))
    conn.execute(sa.text(TRIPS))
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    conn.execute(sa.text("INSERT INTO outbox (table_name, row_id, op, created_at) SELECT 'case_file', id, 'update', :now"
                         " FROM case_file WHERE origin_node = (SELECT node_code FROM node_info LIMIT 1)"), {"now": now})
    for statement in APPEND_ONLY:
        conn.execute(sa.text(statement))


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("DROP TRIGGER IF EXISTS case_event_append_only"))
    conn.execute(sa.text("DROP TRIGGER IF EXISTS case_event_kept"))
    with op.batch_alter_table("case_file") as batch:
        batch.drop_column("trips")
        batch.drop_column("owner_node")

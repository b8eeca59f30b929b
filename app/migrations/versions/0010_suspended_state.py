"""Cases in a special procedure get their own state, 特别程序中 (suspended), as the lifecycle's fold says.

Before the lifecycle table a paused case stayed "accepted" and the pause was read from its events.
This node's own open cases whose last pause has not ended become "suspended", each with an outbox
pointer so the centre (and a director's workstation) receives the new state like any other change.
Other nodes' cases are left to their owners, who make the same change when they upgrade.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PAUSED_OWN_CASES = sa.text(
    "SELECT id FROM case_file WHERE status = 'accepted'"
    " AND origin_node = (SELECT node_code FROM node_info LIMIT 1)"
    " AND (SELECT e.kind FROM case_event e WHERE e.case_id = case_file.id AND e.kind IN ('paused', 'resumed')"
    "      ORDER BY e.at DESC LIMIT 1) = 'paused'"
)


def upgrade() -> None:
    conn = op.get_bind()
    ids = [row[0] for row in conn.execute(PAUSED_OWN_CASES)]
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy stores UTC in SQLite
    for case_id in ids:
        conn.execute(sa.text("UPDATE case_file SET status = 'suspended', updated_at = :now WHERE id = :id"),
                     {"now": now, "id": case_id})
        conn.execute(sa.text("INSERT INTO outbox (table_name, row_id, op, created_at) "
                             "VALUES ('case_file', :id, 'update', :now)"), {"id": case_id, "now": now})


def downgrade() -> None:
    op.get_bind().execute(sa.text("UPDATE case_file SET status = 'accepted' WHERE status = 'suspended'"))

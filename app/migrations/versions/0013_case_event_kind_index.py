"""Case events are found by kind and time: the 超期公示's recently completed cases, a transfer batch by
its number, the ledger's completion dates. Without this index each of those read every event.

Hand-overs needed no schema of their own here (three event kinds, case_file.owner_node from 0011),
nor did the village item list (the catalogue's service_item.agent_allowed, 可代办, since 0001).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_case_event_kind_at", "case_event", ["kind", "at"])


def downgrade() -> None:
    op.drop_index("ix_case_event_kind_at", table_name="case_event")

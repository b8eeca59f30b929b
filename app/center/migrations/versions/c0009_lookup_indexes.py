"""Indexes for the lookups the public page and the feed make: a case's ratings by its number (the
public page, each request), and a record's history by its parent (a rectification's events sent to the
node keeping it).

Revision ID: c0009
Revises: c0008
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = 'c0009'
down_revision = 'c0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_rating_target_number', 'rating', ['target_number'], unique=False)
    op.create_index('ix_rectification_event_rectification_id', 'rectification_event', ['rectification_id'],
                    unique=False)
    op.create_index('ix_complaint_event_complaint_id', 'complaint_event', ['complaint_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_complaint_event_complaint_id', table_name='complaint_event')
    op.drop_index('ix_rectification_event_rectification_id', table_name='rectification_event')
    op.drop_index('ix_rating_target_number', table_name='rating')

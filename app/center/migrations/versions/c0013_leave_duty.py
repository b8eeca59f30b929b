"""The centre's replica of 请假、值周 — placeholder, filled in by the work on issue 13.

Revision ID: c0013
Revises: c0012
Create Date: 2026-11-30
"""

from __future__ import annotations

revision = "c0013"
down_revision = "c0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""The centre's replica of 考勤 — placeholder, filled in by the work on issue 13.

Revision ID: c0012
Revises: c0011
Create Date: 2026-11-30
"""

from __future__ import annotations

revision = "c0012"
down_revision = "c0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""The centre's replica of 督办 — placeholder, filled in by the work on issue 13.

Revision ID: c0010
Revises: c0009
Create Date: 2026-11-30
"""

from __future__ import annotations

revision = "c0010"
down_revision = "c0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

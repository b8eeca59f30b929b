"""考勤 (sign-in and sign-out) — placeholder, filled in by the work on issue 13 (the schema of this area lands here).

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30
"""

from __future__ import annotations

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

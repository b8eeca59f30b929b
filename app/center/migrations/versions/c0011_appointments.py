"""The centre's replica of 预约、上门、延时服务 — placeholder, filled in by the work on issue 13.

Revision ID: c0011
Revises: c0010
Create Date: 2026-11-30
"""

from __future__ import annotations

revision = "c0011"
down_revision = "c0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

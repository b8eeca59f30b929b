"""Appointments (预约, 上门服务) and after-hours service (延时服务): appointment, after_hours_service.

Both are node-owned and replicate to the centre (app.sync.tables).

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _replicated() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_node", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "appointment",
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("purpose", sa.String(length=8), nullable=False),
        sa.Column("item_code", sa.String(length=40), nullable=False),
        sa.Column("item_name", sa.String(length=100), nullable=False),
        sa.Column("citizen_name", sa.String(length=40), nullable=False),
        sa.Column("citizen_phone", sa.String(length=20), nullable=False),
        sa.Column("citizen_id_number", sa.String(length=30), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot", sa.String(length=11), nullable=False),
        sa.Column("window", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("notice_number", sa.String(length=24), nullable=False),
        sa.Column("address", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("visitor_no", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("case_number", sa.String(length=24), nullable=False),
        sa.Column("created_by", sa.String(length=20), nullable=False),
        sa.Column("created_by_name", sa.String(length=30), nullable=False),
        sa.Column("arrived_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        *_replicated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment")),
        sa.UniqueConstraint("number", name=op.f("uq_appointment_number")),
    )
    op.create_index("ix_appointment_day_window_slot", "appointment", ["day", "window", "slot"], unique=False)
    op.create_index(op.f("ix_appointment_notice_number"), "appointment", ["notice_number"], unique=False)
    op.create_index(op.f("ix_appointment_case_number"), "appointment", ["case_number"], unique=False)
    op.create_table(
        "after_hours_service",
        sa.Column("staff_no", sa.String(length=20), nullable=False),
        sa.Column("staff_name", sa.String(length=30), nullable=False),
        sa.Column("window", sa.String(length=60), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.Column("item_code", sa.String(length=40), nullable=False),
        sa.Column("case_number", sa.String(length=24), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.String(length=20), nullable=False),
        *_replicated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_after_hours_service")),
    )
    op.create_index(op.f("ix_after_hours_service_staff_no"), "after_hours_service", ["staff_no"], unique=False)
    op.create_index(op.f("ix_after_hours_service_started_at"), "after_hours_service", ["started_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_after_hours_service_started_at"), table_name="after_hours_service")
    op.drop_index(op.f("ix_after_hours_service_staff_no"), table_name="after_hours_service")
    op.drop_table("after_hours_service")
    op.drop_index(op.f("ix_appointment_case_number"), table_name="appointment")
    op.drop_index(op.f("ix_appointment_notice_number"), table_name="appointment")
    op.drop_index("ix_appointment_day_window_slot", table_name="appointment")
    op.drop_table("appointment")

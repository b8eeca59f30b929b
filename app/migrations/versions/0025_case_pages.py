"""电子件: case_page (the pages of a case's materials, replicated, never changed) and blob_outbox (the images
still to upload to the centre, local only).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

APPEND_ONLY = (
    "CREATE TRIGGER case_page_append_only BEFORE UPDATE ON case_page"
    " WHEN OLD.case_id IS NOT NEW.case_id OR OLD.material_seq IS NOT NEW.material_seq"
    " OR OLD.page_no IS NOT NEW.page_no OR OLD.sha256 IS NOT NEW.sha256 OR OLD.origin_node IS NOT NEW.origin_node"
    " BEGIN SELECT RAISE(ABORT, '电子件只能追加，不能修改'); END",
    "CREATE TRIGGER case_page_kept BEFORE DELETE ON case_page"
    " WHEN OLD.origin_node = (SELECT node_code FROM node_info LIMIT 1)"
    " BEGIN SELECT RAISE(ABORT, '已受理办件的电子件不能删除'); END",
)


def upgrade() -> None:
    op.create_table(
        "case_page",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("material_seq", sa.Integer(), nullable=False),
        sa.Column("page_no", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("captured_at", sa.DateTime(), nullable=False),
        sa.Column("staff_name", sa.String(length=30), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("step", sa.String(length=12), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_node", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_case_page_case_id_case_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_page")),
        sa.UniqueConstraint("case_id", "material_seq", "page_no", name=op.f("uq_case_page_case_id")),
    )
    op.create_index(op.f("ix_case_page_case_id"), "case_page", ["case_id"], unique=False)
    op.create_index(op.f("ix_case_page_sha256"), "case_page", ["sha256"], unique=False)
    op.create_table(
        "blob_outbox",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_try_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blob_outbox")),
    )
    conn = op.get_bind()
    for statement in APPEND_ONLY:
        conn.execute(sa.text(statement))


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("DROP TRIGGER IF EXISTS case_page_append_only"))
    conn.execute(sa.text("DROP TRIGGER IF EXISTS case_page_kept"))
    op.drop_table("blob_outbox")
    op.drop_index(op.f("ix_case_page_sha256"), table_name="case_page")
    op.drop_index(op.f("ix_case_page_case_id"), table_name="case_page")
    op.drop_table("case_page")

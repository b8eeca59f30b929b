"""The centre's replica of case_page (电子件 pages, append-only) and case_blob, the images themselves (bytea),
so a centre backup carries them.

Revision ID: c0017
Revises: c0016
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c0017"
down_revision = "c0016"
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION case_page_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '已受理办件的电子件不能删除';
    END IF;
    IF (OLD.case_id, OLD.material_seq, OLD.page_no, OLD.sha256, OLD.origin_node)
       IS DISTINCT FROM (NEW.case_id, NEW.material_seq, NEW.page_no, NEW.sha256, NEW.origin_node) THEN
        RAISE EXCEPTION '电子件只能追加，不能修改';
    END IF;
    RETURN NEW;
END $$
"""


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
        sa.Column("_owner", sa.String(length=2), nullable=True),
        sa.Column("_pushed_by", sa.String(length=2), server_default="", nullable=False),
        sa.Column("_xid", sa.BigInteger(), server_default=sa.text("(pg_current_xact_id()::text::bigint)"),
                  nullable=False),
        sa.Column("_seq", sa.BigInteger(), server_default=sa.text("nextval('sync_seq')"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_page")),
        sa.UniqueConstraint("case_id", "material_seq", "page_no", name="uq_case_page_case_id_material_seq_page_no"),
    )
    op.create_index("ix_case_page_feed", "case_page", ["_xid", "_seq"], unique=False)
    op.create_index("ix_case_page_owner", "case_page", ["_owner"], unique=False)
    op.create_index("ix_case_page_case_id", "case_page", ["case_id"], unique=False)
    op.create_index("ix_case_page_sha256", "case_page", ["sha256"], unique=False)
    op.create_table(
        "case_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.Column("from_node", sa.String(length=2), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_case_blob")),
    )
    op.execute(FUNCTION)
    op.execute("CREATE TRIGGER case_page_append_only BEFORE UPDATE OR DELETE ON case_page"
               " FOR EACH ROW EXECUTE FUNCTION case_page_append_only()")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS case_page_append_only ON case_page")
    op.execute("DROP FUNCTION IF EXISTS case_page_append_only()")
    op.drop_table("case_blob")
    for name in ("ix_case_page_sha256", "ix_case_page_case_id", "ix_case_page_owner", "ix_case_page_feed"):
        op.drop_index(name, table_name="case_page")
    op.drop_table("case_page")

"""Changes the centre quarantined, as the clerk's list shows them (Shift+F12): newest first, in words.

A query of its own here rather than in the dialog, so the screen stays free of models and SQL.
"""

from __future__ import annotations

from sqlalchemy import select

from app.database import Database
from app.models import SyncIssue
from app.sync.tables import table_label

ISSUE_COLUMNS = ("时间", "节点", "数据表", "记录", "中心说明")


def load_issue_rows(db: Database) -> list[list[str]]:
    """Every quarantined change as text cells in ISSUE_COLUMNS order, newest first."""
    with db.session() as s:
        issues = s.scalars(select(SyncIssue).order_by(SyncIssue.created_at.desc())).all()
    return [[i.created_at.astimezone().strftime("%Y-%m-%d %H:%M"), i.origin_node, table_label(i.table_name),
             i.row_id[:13], i.reason] for i in issues]

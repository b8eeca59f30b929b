"""Changes the centre quarantined, as the clerk's list shows them (Shift+F12): newest first, in words.

A query of its own here rather than in the dialog, so the screen stays free of models and SQL.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import Database
from app.models import Case, CaseEvent, SyncIssue
from app.sync.tables import table_label

ISSUE_COLUMNS = ("时间", "节点", "数据表", "记录", "中心说明")


def load_issue_rows(db: Database) -> list[list[str]]:
    """Every quarantined change as text cells in ISSUE_COLUMNS order, newest first."""
    with db.session() as s:
        issues = s.scalars(select(SyncIssue).order_by(SyncIssue.created_at.desc())).all()
        return [[i.created_at.astimezone().strftime("%Y-%m-%d %H:%M"), i.origin_node, table_label(i.table_name),
                 _record_name(s, i), i.reason] for i in issues]


def _record_name(s: Session, issue: SyncIssue) -> str:
    """What a person knows the record by: the case's number for a case, its event or one of its papers;
    else the start of the record's id."""
    case_id = issue.row_id if issue.table_name == "case_file" else None
    if issue.table_name == "case_event":
        case_id = s.scalar(select(CaseEvent.case_id).where(CaseEvent.id == issue.row_id))
    if case_id is not None:
        number = s.scalar(select(Case.number).where(Case.id == case_id))
        if number:
            return f"办件 {number}"
    try:
        payload = json.loads(issue.payload or "{}")
    except ValueError:
        payload = None
    if isinstance(payload, dict) and isinstance(payload.get("doc_number"), str):
        return f"文书 {payload['doc_number'][:30]}"
    return issue.row_id[:13]

"""This workstation's identity, read with the sqlite3 module alone.

The login window needs only this, so it can appear before SQLAlchemy (about a third of a second
to import) has loaded; the node_info table is one small row written once at set-up.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

KIOSK = "kiosk"  # the hall's 取号机 or a PC that only shows the hall display: takes tickets, never serves them
NODE_KINDS = {"window": "窗口", "agency": "村(社区)代办点", "director": "中心主任（全镇督查）", KIOSK: "大厅取号机（大厅屏幕）"}
CASE_KINDS = frozenset({"window", "agency"})  # the kinds a case may be handed to (移交): the director and kiosk handle none


@dataclass(frozen=True)
class NodeIdentity:
    center_code: str
    center_name: str
    node_code: str
    node_name: str
    node_kind: str
    training: bool

    @property
    def kind_label(self) -> str:
        return NODE_KINDS.get(self.node_kind, self.node_kind)


def read_identity(db_path: Path) -> NodeIdentity | None:
    """None until the workstation has been set up."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT center_code, center_name, node_code, node_name, node_kind, training FROM node_info LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    if row is None:
        return None
    return NodeIdentity(row[0], row[1], row[2], row[3], row[4], bool(row[5]))

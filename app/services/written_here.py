"""Where a record of the citizen's voice may be written: at the node that registered it.

Complaints and rectifications follow the rule of cases: one node writes a record's history and its
cached state, the others receive copies. A copy changed elsewhere would be a second history the
registering node never sees (the centre sends a node's rows down only to directors), so it is refused
here with the place to go, before anything is written.
"""

from __future__ import annotations

from app.database import Database
from app.services.cases.transfers import node_name
from app.services.errors import ValidationError


def ensure_written_here(db: Database, origin_node: str, what: str) -> None:
    if origin_node and origin_node != db.node_code:
        raise ValidationError(f"这条{what}是{node_name(db, origin_node)}登记的，请在那里办理："
                              "本机显示的是同步来的副本，在此改动不会回到登记的地方")

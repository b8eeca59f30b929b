"""The village list (村级代办事项清单, 可代办): which catalogue items a village agency point may accept.

The centre decides it, item by item, as the flag `agent_allowed` of the catalogue (the 办事指南's
"村级代办" element): it replicates, imports and exports with the catalogue and shows in every guide.
One rule here: at an agency point the acceptance screen and the catalogue search offer only those
items, and acceptance refuses any other with a Chinese reason; a window offers every item.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import select

from app.actor import Actor
from app.database import Database
from app.models import ServiceItem
from app.services.catalog.data import ItemData
from app.services.catalog.items import load_catalog
from app.services.catalog.search import ItemSummary
from app.services.db_cache import cached
from app.services.errors import ValidationError
from app.services.node import load_identity
from app.services.people.permissions import EDIT_CATALOG, require

AGENCY = "agency"  # the node kind of a 村(社区)代办点 (app.node_identity.NODE_KINDS)
FLAG_LABEL = "可由村代办点代办"


class _Flagged(Protocol):
    @property
    def agent_allowed(self) -> bool: ...


def may_accept(node_kind: str, item: _Flagged) -> bool:
    """Whether a node of this kind may accept the item: an agency point only items on the village list."""
    return node_kind != AGENCY or item.agent_allowed


def offered_items(node_kind: str, items: Sequence[ItemSummary]) -> list[ItemSummary]:
    """The items a node of this kind offers in its pickers and searches, in the given order."""
    return [i for i in items if may_accept(node_kind, i)]


def refusal(node_kind: str, item: ItemData | ItemSummary) -> str | None:
    """Why a node of this kind may not accept the item, in Chinese; None when it may."""
    if may_accept(node_kind, item):
        return None
    return (f"“{item.name}”不在村级代办事项清单内，代办点不能代办受理；"
            "请告知申请人到乡镇民生服务中心窗口办理")


def node_kind(db: Database) -> str:
    """This workstation's kind (window, agency, director), read once until node_info is written."""

    def load() -> str:
        identity = load_identity(db)
        return identity.node_kind if identity is not None else ""

    return cached(db, "node_kind", frozenset({"node_info"}), load)


def check_may_accept(db: Database, item: ItemData | None) -> None:
    """For acceptance: refuses (ValidationError, nothing written) an item this node may not accept.
    An unknown item (None) is left to the form's own check."""
    if item is None:
        return
    problem = refusal(node_kind(db), item)
    if problem:
        raise ValidationError(problem, [problem])


def load_offered_catalog(db: Database) -> tuple[list[ItemSummary], list[ItemData]]:
    """The catalogue as this node offers it (summaries to search, full items for guides and checklists):
    at an agency point only the village list, elsewhere everything."""
    summaries, items = load_catalog(db)
    kind = node_kind(db)
    return offered_items(kind, summaries), [i for i in items if may_accept(kind, i)]


def set_agency_ok(db: Database, actor: Actor, code: str, allowed: bool) -> None:
    """Put an item on the village list or take it off (the catalogue editor's checkbox). Centre data:
    a director or the administrator (EDIT_CATALOG); the change replicates with the catalogue."""
    require(actor, EDIT_CATALOG)
    with db.session(actor) as s:
        item = s.scalar(select(ServiceItem).where(ServiceItem.code == code.strip()))
        if item is None:
            raise ValidationError(f"没有编码为 {code.strip()} 的事项")
        if item.agent_allowed != allowed:
            item.agent_allowed = allowed

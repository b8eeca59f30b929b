"""Hand-over events (移交) as both ends read them: the workstation that records them and the centre that
enforces them (app.center.handover) must agree on their kinds and details.

An offer names the receiving node and its batch; a receipt and a cancellation name the offer (its event
id) they settle, so which offer is still open never depends on the order events arrive in or on clocks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

OFFERED = "transfer_offered"
RECEIVED = "transfer_received"
CANCELLED = "transfer_cancelled"
KINDS = frozenset({OFFERED, RECEIVED, CANCELLED})
NODE_CODE = re.compile(r"^(0[1-9]|[1-9][0-9])$")  # 01–99: 00 is the centre's own workspace
KNOWN_NODE_KEY = "node:"  # app_meta: "node:01" → {"name": …, "kind": …}, the centre's nodes at the last sync


@dataclass(frozen=True)
class HandoverEvent:
    kind: str
    event_id: str
    case_id: str
    node: str  # offered and cancelled: the receiving node; received: the sending node
    batch: str
    offer: str  # the offer this event is or settles (an offer's own event id)
    is_return: bool  # 回传: the result goes back to the node that accepted the case

    @property
    def to_node(self) -> str:
        return self.node


def read_event(kind: str, event_id: str, case_id: str, details: Any) -> HandoverEvent | None:
    """The hand-over an event records, or None when it is not one (or is malformed)."""
    if kind not in KINDS:
        return None
    try:
        data = json.loads(details) if isinstance(details, str) else details
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    node = data.get("from_node" if kind == RECEIVED else "to_node")
    batch = data.get("batch", "")
    offer = event_id if kind == OFFERED else data.get("offer")
    if not (isinstance(node, str) and isinstance(batch, str) and isinstance(offer, str) and offer):
        return None
    return HandoverEvent(kind, event_id, case_id, node, batch, offer, data.get("return") is True)

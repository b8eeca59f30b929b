"""Who may write a case at the centre, and how a case changes hands (移交、接收、撤销).

A case belongs to one node at a time: case_file._owner. It starts as the node that accepted the case and
moves only when the node named in a pending offer from the current owner pushes its transfer_received;
the centre then refuses (quarantines with a reason) every later write to the case by the old owner, an
offer by anyone but the owner, a second offer while one is open, and a receipt or cancellation of an
offer that is already settled. Concurrent pushes of one hand-over are serialised on the case's row.

The sender and every receiver become parties of the case (case_party): the feed sends them the case,
its events and its documents (by case number), so a receiver offline later can still receive it, and
an agency point keeps seeing the stage of a case it handed to the window. When a case is offered its
rows are republished (their feed position moved to now), because the receiver's cursor is long past them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Table, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.center.nodes import Node
from app.center.schema import REPLICA, XID_NOW, case_handover, case_party, center_node, feed_seq
from app.ids import id_node
from app.node_identity import CASE_KINDS
from app.sync.handover import CANCELLED, KINDS, OFFERED, RECEIVED, HandoverEvent, read_event
from app.sync.tables import BadValue, decode_row

# Tables that hang off a case, and how: by the case's id, or by its number (printed documents).
CASE_LINKS: dict[str, tuple[str, str]] = {"case_file": ("id", "id")}
CASE_LINKS.update({name: ("case_id", "id") for name, t in REPLICA.items() if "case_id" in t.c})
CASE_LINKS.update({name: ("doc_number", "number") for name, t in REPLICA.items() if "doc_number" in t.c})
# Rows about a case another node may write (a rating the centre's public page took by QR code): the
# node holding the case receives them too, not only its parties.
ABOUT_CASE: dict[str, str] = {"rating": "target_number"}
CASE_LINKS.update({name: (column, "number") for name, column in ABOUT_CASE.items()})
# Rows that are themselves a write to a case (its state, its history): only the case's holder writes them.
GUARDED = frozenset(name for name, (_col, key) in CASE_LINKS.items() if key == "id")
# Papers kept as issued (by case number): only the case's holder issues them. A print_log row only
# says that someone printed a copy, which any node that sees the case may do.
ISSUED_BY_HOLDER = frozenset({"issued_document"})


def party_scope(t: Table, node_code: str) -> Any:
    """What a node that does not see the whole township receives of a case-linked table: its own rows
    and the rows of every case it is a party of. None for a table that does not hang off a case."""
    link = CASE_LINKS.get(t.name)
    if link is None:
        return None
    column, key = link
    parties = select(case_party.c.case_id if key == "id" else case_party.c.number).where(
        case_party.c.node_code == node_code)
    if t.name in ABOUT_CASE:
        cases = REPLICA["case_file"]
        held = select(cases.c.number).where(cases.c._owner == node_code)
        return or_(t.c._owner == node_code, t.c[column].in_(parties), t.c[column].in_(held))
    return or_(t.c._owner == node_code, t.c[column].in_(parties))


def republish(conn: Connection, case_id: str, number: str, tables: Iterable[str] = tuple(CASE_LINKS)) -> None:
    """Move a case's rows to the head of the feed, so nodes whose cursor is past them receive them."""
    for name in tables:
        column, key = CASE_LINKS[name]
        t = REPLICA[name]
        conn.execute(update(t).where(t.c[column] == (case_id if key == "id" else number))
                     .values(_xid=XID_NOW, _seq=feed_seq.next_value()))


class Rejecter(Protocol):
    def __call__(self, table: str, row_id: Any, seq: int, reason: str, payload: Any) -> None: ...


@dataclass
class _Offer:
    offer_id: str
    case_id: str
    from_node: str
    to_node: str
    state: str


class CaseGuard:
    """The cases one push touches: their owners at the centre, with this push's hand-overs applied."""

    def __init__(self, conn: Connection, node: Node, now: datetime) -> None:
        self.conn, self.node, self.now = conn, node, now
        self.owners: dict[str, str] = {}  # case id → owner at the centre
        self.numbers: dict[str, str] = {}
        self.new_cases: dict[str, str] = {}  # case id → origin, for cases first sent in this push
        self.refused: set[str] = set()  # hand-over events refused in the first pass
        self._brought_back: set[str] = set()
        self.active = node.code != "00"  # the centre's own workspace writes what it must

    def load(self, groups: list[dict[str, Any]]) -> None:
        """Read the owners of every case the push writes, under lock (see below)."""
        ids: set[str] = set()
        locked: set[str] = set()
        for group in groups:
            if group["t"] not in GUARDED:
                continue
            cols = group["c"]
            key = "id" if group["t"] == "case_file" else "case_id"
            if key not in cols:
                continue
            at = cols.index(key)
            kind_at = cols.index("kind") if "kind" in cols else None
            for values in group["r"]:
                if not isinstance(values, list) or len(values) != len(cols) or not isinstance(values[at], str):
                    continue
                ids.add(values[at])
                if kind_at is not None and values[kind_at] in KINDS:
                    locked.add(values[at])
                if group["t"] == "case_file" and "origin_node" in cols and "number" in cols:
                    origin, number = values[cols.index("origin_node")], values[cols.index("number")]
                    if isinstance(origin, str) and isinstance(number, str):
                        self.new_cases[values[at]] = origin
                        self.numbers.setdefault(values[at], number)
        cases = REPLICA["case_file"]
        for chunk in _chunks(sorted(ids), 1000):
            # A hand-over takes its cases' rows for update; every other write to a case reads its owner
            # under a share lock, so an old owner's plain write waits for a concurrent receipt and sees it.
            query = (select(cases.c.id, cases.c._owner, cases.c.number).where(cases.c.id.in_(chunk))
                     .order_by(cases.c.id).with_for_update(read=not locked.intersection(chunk)))
            for row in self.conn.execute(query):
                self.owners[row.id] = row._owner or ""
                self.numbers[row.id] = row.number
        for case_id in list(self.new_cases):
            if case_id in self.owners:
                del self.new_cases[case_id]

    def owner(self, case_id: str) -> str | None:
        """The node that holds the case now; None when the centre has never seen it."""
        if case_id in self.owners:
            return self.owners[case_id]
        origin = self.new_cases.get(case_id)
        if origin == self.node.code and id_node(case_id) in (None, self.node.code):
            return origin
        return None

    def apply_handovers(self, groups: list[dict[str, Any]], reject: Rejecter) -> None:
        """First pass, in the order the node recorded them: offers, receipts and cancellations."""
        if not self.active:
            return
        found: list[tuple[int, dict[str, Any], list[Any]]] = []
        for group in groups:
            if group["t"] != "case_event" or "kind" not in group["c"]:
                continue
            kind_at = group["c"].index("kind")
            for values, seq in zip(group["r"], group["s"]):
                if isinstance(values, list) and len(values) == len(group["c"]) and values[kind_at] in KINDS:
                    try:
                        found.append((seq, decode_row("case_event", group["c"], values), values))
                    except (BadValue, OverflowError):
                        continue  # the second pass quarantines it as malformed
        for seq, row, values in sorted(found, key=lambda f: f[0]):
            if row.get("origin_node") != self.node.code or id_node(row["id"]) not in (None, self.node.code):
                continue  # not this node's event: refused in the second pass
            if self._known_event(row["id"]):
                continue  # a push replayed after a lost answer: already applied
            event = read_event(row["kind"], row["id"], row["case_id"], row.get("details", ""))
            why = "移交记录不完整（缺少接收方、批次或所移交的记录）" if event is None else self._apply(event)
            if why:
                self.refused.add(row["id"])
                reject("case_event", row["id"], seq, why, values)
                self.bring_back(row["case_id"])

    def _known_event(self, event_id: str) -> bool:
        t = REPLICA["case_event"]
        return self.conn.execute(select(t.c.id).where(t.c.id == event_id)).first() is not None

    def _offer(self, offer_id: str) -> _Offer | None:
        row = self.conn.execute(select(case_handover).where(case_handover.c.offer_id == offer_id)
                                .with_for_update()).first()
        return _Offer(row.offer_id, row.case_id, row.from_node, row.to_node, row.state) if row else None

    def _open_offer(self, case_id: str) -> _Offer | None:
        row = self.conn.execute(select(case_handover).where(case_handover.c.case_id == case_id,
                                                            case_handover.c.state == "offered")).first()
        return _Offer(row.offer_id, row.case_id, row.from_node, row.to_node, row.state) if row else None

    def _apply(self, event: HandoverEvent) -> str | None:
        """Apply one hand-over event; the reason it is refused, or None."""
        me, case_id = self.node.code, event.case_id
        owner = self.owner(case_id)
        if event.kind == OFFERED:
            if owner is None:
                return "中心没有这个办件，不能移交"
            if owner != me:
                return f"该办件现由{owner}节点办理，本节点不能移交"
            pending = self._open_offer(case_id)
            if pending is not None:
                return f"该办件已移交给{pending.to_node}节点、尚未接收，不能再次移交"
            if event.to_node == me:
                return "不能移交给本节点"
            target = self.conn.execute(select(center_node.c.kind, center_node.c.revoked_at).where(
                center_node.c.node_code == event.to_node)).first()
            if target is None or target.revoked_at is not None or target.kind not in CASE_KINDS:
                return f"中心没有在用的{event.to_node}号窗口或代办点，不能移交"
            number = self.numbers.get(case_id, "")
            self.conn.execute(insert(case_handover).values(
                offer_id=event.event_id, case_id=case_id, number=number, batch=event.batch[:30], from_node=me,
                to_node=event.to_node, is_return=event.is_return, state="offered", offered_at=self.now))
            self._parties(case_id, number, (me, event.to_node))
            republish(self.conn, case_id, number)
            return None
        offer = self._offer(event.offer)
        if offer is None or offer.case_id != case_id:
            return "中心没有这次移交的记录（移交方尚未同步），不能" + ("接收" if event.kind == RECEIVED else "撤销")
        if event.kind == CANCELLED:
            if offer.from_node != me:
                return "只有移交方可以撤销移交"
            if offer.state == "received":
                return f"{offer.to_node}节点已接收该办件，不能撤销移交"
            if offer.state == "cancelled":
                return "这次移交已撤销"
            self._settle(offer, "cancelled", event.event_id)
            return None
        if offer.to_node != me:
            return f"这次移交的接收方是{offer.to_node}节点，不是本节点"
        if offer.state == "cancelled":
            return "移交方已撤销这次移交，不能接收"
        if offer.state == "received":
            return "该办件已接收过，不能重复接收"
        if owner != offer.from_node:
            return "移交方已不再办理该办件，不能接收"
        self._settle(offer, "received", event.event_id)
        cases = REPLICA["case_file"]
        self.conn.execute(update(cases).where(cases.c.id == case_id).values(
            _owner=me, owner_node=me, _pushed_by=me, _xid=XID_NOW, _seq=feed_seq.next_value()))
        self.owners[case_id] = me
        self._parties(case_id, self.numbers.get(case_id, ""), (me,))
        return None

    def _settle(self, offer: _Offer, state: str, event_id: str) -> None:
        self.conn.execute(update(case_handover).where(case_handover.c.offer_id == offer.offer_id).values(
            state=state, settled_at=self.now, settled_by=event_id))

    def _parties(self, case_id: str, number: str, nodes: Iterable[str]) -> None:
        self.conn.execute(pg_insert(case_party).on_conflict_do_nothing(),
                          [{"case_id": case_id, "node_code": n, "number": number} for n in nodes])

    def check_write(self, table: str, row: dict[str, Any]) -> str | None:
        """Why this node may not write this row of a case, or None (also for rows that are not)."""
        if self.active and table in ISSUED_BY_HOLDER:
            return self._check_issuer(row)
        if not self.active or table not in GUARDED:
            return None
        case_id = row["id"] if table == "case_file" else row.get("case_id")
        if not isinstance(case_id, str):
            return None
        owner = self.owner(case_id)
        me = self.node.code
        if owner is None:  # a case the centre has not seen: only its creator may send it
            if table == "case_file":
                return None if row.get("origin_node") == me else f"不能提交其他节点（{row.get('origin_node')}）的记录"
            return None if id_node(case_id) in (None, me) else "该办件不属于本节点，不能提交它的办理记录"
        if owner == me:
            return None
        self.bring_back(case_id)
        if self.was_party(case_id):
            return f"该办件已移交{owner}节点办理，本节点不能再修改（办件已移交）"
        return f"该办件属于{owner}节点，本节点不能修改"

    def _check_issuer(self, row: dict[str, Any]) -> str | None:
        """A paper of a case is kept as issued only by the node that holds the case: another node's copy
        (forged, or printed by a node that handed the case on) would become the one every reprint shows."""
        number = row.get("doc_number")
        if not isinstance(number, str):
            return None
        case_id = next((cid for cid, n in self.numbers.items() if n == number), None)
        if case_id is None:
            cases = REPLICA["case_file"]
            found = self.conn.execute(select(cases.c.id, cases.c._owner).where(cases.c.number == number)).first()
            if found is None:
                return None  # not a case's paper (a notice, a referral): its origin rule applies
            case_id = found.id
            self.owners.setdefault(case_id, found._owner or "")
        owner = self.owner(case_id)
        if owner is None or owner == self.node.code:
            return None
        return f"办件 {number} 现由{owner}节点办理，只有该节点可以出具它的文书"

    def was_party(self, case_id: str) -> bool:
        return self.conn.execute(select(case_party.c.case_id).where(
            case_party.c.case_id == case_id, case_party.c.node_code == self.node.code)).first() is not None

    def bring_back(self, case_id: str) -> None:
        """A refused write: the centre's copy of the case goes down to that node again, so its view of
        who holds the case converges even if it pulled before the refusal."""
        if case_id in self.owners and case_id not in self._brought_back:
            self._brought_back.add(case_id)
            republish(self.conn, case_id, self.numbers.get(case_id, ""), ("case_file",))


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]

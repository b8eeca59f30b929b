"""Reading the outbox into push batches, and marking what the centre acknowledged.

The outbox holds pointers; a batch carries each changed row once, as it is now (a later state is
also covered by a later pointer, so nothing can be lost by sending the newest). Acknowledged
pointers are kept for two weeks, so if the centre is restored from an older backup they are pushed
again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from app.clock import utc_now
from app.database import Database
from app.models import OutboxEntry, SyncState
from app.models.base import table_of
from app.sync import authority
from app.sync.tables import (
    CENTER_NODE,
    CENTER_OWNED,
    REPLICATED,
    UP_ONLY,
    columns,
    encode_row,
    table,
)

KEEP_ACKED = timedelta(days=14)
INSERT_SEE_ROW = '{"见":"同批上传的记录本身"}'


@dataclass
class Batch:
    first: int
    last: int
    body: dict[str, Any]
    rows: int


def backlog(conn: Connection, acked_seq: int) -> int:
    """Records waiting to go up, as a clerk counts them: a case with its events is one record;
    audit entries are not counted (they travel with what they describe)."""
    o, event = table_of(OutboxEntry), table("case_event")
    key = func.coalesce(event.c.case_id, o.c.row_id)
    waiting = (select(key.label("k")).select_from(o.outerjoin(event, event.c.id == o.c.row_id))
               .where(o.c.seq > acked_seq, o.c.table_name.in_(REPLICATED), o.c.table_name.not_in(UP_ONLY))
               .distinct().subquery())
    return conn.execute(select(func.count()).select_from(waiting)).scalar_one()


# Rows the centre takes from a verified person, whichever workstation wrote them: a director's 督办
# (app.center.addressed); their author's proof goes with them when this device holds one.
AUTHORITY_WANTED = frozenset({"supervision"})


def pending_count(conn: Connection, acked_seq: int) -> int:
    return conn.execute(select(func.count()).where(OutboxEntry.seq > acked_seq)).scalar_one()


def read_batch(db: Database, acked_seq: int, limit: int) -> Batch | None:
    """The next batch after the acknowledged mark, read in one snapshot; None when all is up."""
    o = table_of(OutboxEntry)
    local_only = db.node_code != CENTER_NODE
    with db.engine.connect() as conn, conn.begin():
        proofs = authority.valid_proofs(conn) if local_only else {}
        while True:
            entries = conn.execute(select(o.c.seq, o.c.table_name, o.c.row_id, o.c.actor_id, o.c.op)
                                   .where(o.c.seq > acked_seq).order_by(o.c.seq).limit(limit)).all()
            if not entries:
                return None
            unproven = [(e.seq, e.table_name, e.row_id, e.op, e.actor_id) for e in entries
                        if local_only and e.table_name in CENTER_OWNED and e.actor_id is not None
                        and e.actor_id not in proofs]
            unproven = authority.to_hold(conn, unproven)
            authority.hold(conn, unproven)  # committed with this read; pushed once their author is proven
            held = {u[0] for u in unproven}
            entries = [e for e in entries if e.seq not in held]
            if entries:
                break
        latest: dict[tuple[str, str], tuple[int, str | None]] = {}
        for seq, table_name, row_id, actor, _op in entries:
            if table_name in CENTER_OWNED and actor is None and local_only:
                continue  # the program's own local set-up (a seeded calendar), not a decision for the centre
            if table_name in REPLICATED:
                latest[(table_name, row_id)] = (seq, actor)
        by_table: dict[str, list[str]] = {}
        for table_name, row_id in latest:
            by_table.setdefault(table_name, []).append(row_id)
        groups, deletes = [], []
        for table_name in REPLICATED:  # parents before children
            ids = by_table.get(table_name)
            if not ids:
                continue
            t, cols = table(table_name), columns(table_name)
            found = {}
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                found.update({r.id: r for r in conn.execute(select(t).where(t.c.id.in_(chunk)))})
            rows, seqs, actors = [], [], []
            for row_id in ids:
                seq, actor = latest[(table_name, row_id)]
                if row_id in found:
                    rows.append(_slim(table_name, encode_row(table_name, found[row_id], cols), cols))
                    seqs.append(seq)
                    actors.append(actor)
                else:
                    deletes.append([seq, table_name, row_id, actor])
            if rows:
                groups.append({"t": table_name, "c": cols, "r": rows, "s": seqs, "a": actors})
        remaining = pending_count(conn, entries[-1][0])
        state = table_of(SyncState)  # recorded before sending: see SyncState.sent_seq
        conn.execute(update(state).where(state.c.sent_seq < entries[-1][0]).values(sent_seq=entries[-1][0]))
    body = {"from": entries[0][0], "to": entries[-1][0], "groups": groups, "deletes": deletes,
            "backlog": remaining}
    used = sorted({proofs[a] for (t, _r), (_s, a) in latest.items()
                   if (t in CENTER_OWNED or t in AUTHORITY_WANTED) and a is not None and a in proofs})
    if used:
        body["proofs"] = used
    return Batch(entries[0][0], entries[-1][0], body, len(latest))


def _slim(table_name: str, values: list[Any], cols: list[str]) -> list[Any]:
    """An audit entry for a row's insert travels without its snapshot: the row itself, sent in the
    same push, is that snapshot (the full entry stays in the local log). Halves the bytes per case."""
    if table_name == "audit_log" and values[cols.index("action")] == "insert" \
            and values[cols.index("table_name")] in REPLICATED:
        values[cols.index("details")] = INSERT_SEE_ROW
    return values


def mark_acked(conn: Connection, up_to: int) -> None:
    """In the caller's transaction, together with the new acknowledged mark."""
    o = table_of(OutboxEntry)
    conn.execute(update(o).where(o.c.seq <= up_to, o.c.acked_at.is_(None)).values(acked_at=utc_now()))


def purge_acked(conn: Connection) -> None:
    """Forget pointers acknowledged long ago (once per sync, not per batch)."""
    o = table_of(OutboxEntry)
    newest = select(func.max(o.c.seq)).scalar_subquery()
    # The newest pointer always stays: SQLite would otherwise hand out its seq again.
    conn.execute(delete(o).where(o.c.acked_at < utc_now() - KEEP_ACKED, o.c.seq < newest))


def number_above(conn: Connection, seq: int) -> None:
    """Make the next pointer's sequence exceed `seq` (SQLite hands out max + 1): after a restore the
    outbox may hold nothing that high, and a new change must never get a number the centre has
    already acknowledged. An acknowledged marker, never sent, holds the place."""
    o = table_of(OutboxEntry)
    if (conn.execute(select(func.max(o.c.seq))).scalar() or 0) < seq:
        now = utc_now()
        conn.execute(insert(o).values(seq=seq, table_name="", row_id="", op="mark", created_at=now,
                                      actor_id=None, acked_at=now))


def renumber_after(conn: Connection, acked_seq: int, centre_acked: int) -> None:
    """Lift the waiting pointers above what the centre has acknowledged, keeping their order (a
    restored database handed out sequence numbers the centre had already seen)."""
    o = table_of(OutboxEntry)
    shift = centre_acked - acked_seq
    conn.execute(update(o).where(o.c.seq > acked_seq).values(seq=-o.c.seq))  # two steps: keys never collide
    conn.execute(update(o).where(o.c.seq < 0).values(seq=-o.c.seq + shift))


def unack_after(conn: Connection, seq: int) -> None:
    """The centre knows less than we thought (restored from a backup): send those again."""
    o = table_of(OutboxEntry)
    conn.execute(update(o).where(o.c.seq > seq).values(acked_at=None))

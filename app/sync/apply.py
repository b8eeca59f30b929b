"""Applying a page pulled from the centre to the local database, with its cursor, in one transaction.

Pulled rows are written with Core statements, so they are not captured in the outbox again. A row
this node owns is never overwritten from the centre (only restored if missing). A case is this node's
while it holds it (owner_node, which moves by a hand-over); when the centre says another node holds a
case we hold, the centre's copy wins unless our own change to it is still waiting to go up (the
centre refused a late write, or a hand-over settled elsewhere first: app.center.handover).
Foreign keys are off for the page: a director receives a township's rows in feed order, which can put an event before
its case; every row's integrity was checked where it was written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.clock import utc_now
from app.database import Database
from app.models import HeldChange, LoginState, OutboxEntry, SyncIssue, SyncSeen, SyncState
from app.models.base import table_of
from app.sync.tables import (
    CENTER_OWNED,
    NATURAL_KEYS,
    NODE_OWNED,
    UP_ONLY,
    BadValue,
    decode_row,
    table,
)

DOWN_TABLES = CENTER_OWNED + tuple(t for t in NODE_OWNED if t not in UP_ONLY)


@dataclass
class PageResult:
    rows: int = 0
    deletes: int = 0
    issues: int = 0
    calendar_changed: bool = False
    finished_full: bool = False


def _fk_off_connection(db: Database) -> Any:
    conn = db.engine.connect()
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    conn.commit()
    return conn


def apply_page(db: Database, page: dict[str, Any], full: bool, crash: Callable[[str], None] | None = None
               ) -> PageResult:
    """Write the page and move the cursor; `crash` lets the simulation fail inside the transaction."""
    me = db.node_code
    result = PageResult()
    conn = _fk_off_connection(db)
    try:
        with conn.begin():
            for group in page.get("groups", []):
                name = group["t"]
                if name not in DOWN_TABLES:
                    continue
                rows = []
                for values in group["r"]:
                    try:
                        rows.append(decode_row(name, group["c"], values))
                    except BadValue:
                        continue  # written by a newer centre in a form this version cannot read
                _upsert(conn, name, rows, me)
                if full:
                    _seen(conn, name, [r["id"] for r in rows])
                result.rows += len(rows)
                result.calendar_changed |= name in ("calendar_day", "calendar_year")
            for name, row_id in page.get("deletes", []):
                if name in DOWN_TABLES:
                    _delete(conn, name, row_id, me)
                    result.deletes += 1
                    result.calendar_changed |= name in ("calendar_day", "calendar_year")
            for issue in page.get("issues", []):
                _store_issue(conn, issue)
                result.issues += 1
            if crash:
                crash("pull.applying")
            cursor = page["cursor"]
            position: dict[str, Any] = {"cursor_xid": cursor[0], "cursor_seq": cursor[1]}
            if full and not page.get("more"):
                result.calendar_changed |= _drop_unseen(conn, me)
                position["resync"] = False
                result.finished_full = True
            if result.calendar_changed:  # remembered with the page: a crash before recomputing loses nothing
                position["recompute_due"] = True
            conn.execute(update(table_of(SyncState)).values(**position))
    finally:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()
        conn.close()
    return result


def _upsert(conn: Connection, name: str, rows: list[dict[str, Any]], me: str) -> None:
    if not rows:
        return
    t = table(name)
    if name in NATURAL_KEYS:
        for row in rows:
            _replace_local_twin(conn, name, row)
    if name == "case_file":
        kept = _cases_we_hold(conn, rows, me)
        owned = [r for r in rows if r["id"] in kept]
        others = [r for r in rows if r["id"] not in kept]
    else:
        owned = [r for r in rows if name in NODE_OWNED and r.get("origin_node") == me]
        others = [r for r in rows if not (name in NODE_OWNED and r.get("origin_node") == me)]
    if owned:  # ours: the local copy is the truth; only restore what is missing
        conn.execute(sqlite_insert(t).on_conflict_do_nothing(index_elements=["id"]), owned)
    for shape in {tuple(r) for r in others}:
        same = [r for r in others if tuple(r) == shape]
        stmt = sqlite_insert(t)
        stmt = stmt.on_conflict_do_update(index_elements=["id"],
                                          set_={c: stmt.excluded[c] for c in shape if c != "id"})
        conn.execute(stmt, same)


def _cases_we_hold(conn: Connection, rows: list[dict[str, Any]], me: str) -> set[str]:
    """Ids of pulled cases whose local copy stays: we hold them, and the centre agrees or has not yet
    heard our latest change (a hand-over received here, say)."""
    t, o = table("case_file"), table_of(OutboxEntry)
    ids = [r["id"] for r in rows]
    holders: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        holders.update({r.id: r.owner_node or r.origin_node for r in conn.execute(
            select(t.c.id, t.c.owner_node, t.c.origin_node).where(t.c.id.in_(ids[start:start + 500])))})
    kept, disputed = set(), []
    for row in rows:
        local = holders.get(row["id"])
        if local is None:
            if row.get("origin_node") == me and (row.get("owner_node") or me) == me:
                kept.add(row["id"])  # ours and missing: restored as the centre has it
        elif local == me:
            if (row.get("owner_node") or row.get("origin_node")) == me:
                kept.add(row["id"])
            else:
                disputed.append(row["id"])
    for start in range(0, len(disputed), 500):  # the centre says another holds it: has it heard us yet?
        kept.update(conn.scalars(select(o.c.row_id).where(o.c.table_name == "case_file", o.c.acked_at.is_(None),
                                                          o.c.row_id.in_(disputed[start:start + 500]))))
    return kept


def _replace_local_twin(conn: Connection, name: str, row: dict[str, Any]) -> None:
    """A row set up locally before joining, with the same natural key as the centre's: the centre's wins,
    and what pointed at the local one now points at the centre's."""
    t = table(name)
    keys = NATURAL_KEYS[name]
    twins = conn.scalars(select(t.c.id).where(and_(*[t.c[k] == row[k] for k in keys]), t.c.id != row["id"])).all()
    for old in twins:
        _repoint(conn, name, old, row["id"])
        conn.execute(delete(t).where(t.c.id == old))


def _repoint(conn: Connection, name: str, old: str, new: str) -> None:
    if name == "department":
        inquiry = table("inquiry")
        moved = conn.scalars(select(inquiry.c.id).where(inquiry.c.department_id == old)).all()
        conn.execute(update(inquiry).where(inquiry.c.department_id == old).values(department_id=new))
        now = utc_now()
        for inquiry_id in moved:  # our inquiries changed: the centre must hear of it
            conn.execute(insert(table_of(OutboxEntry)).values(table_name="inquiry", row_id=inquiry_id, op="update",
                                                              created_at=now))
    elif name == "staff":
        staff = table("staff")
        conn.execute(update(staff).where(staff.c.backup_for_id == old).values(backup_for_id=new))
        conn.execute(delete(table_of(LoginState)).where(LoginState.staff_id == old))
    elif name == "service_item":
        material = table("item_material")
        conn.execute(delete(material).where(material.c.item_id == old))


def _delete(conn: Connection, name: str, row_id: str, me: str) -> None:
    t = table(name)
    if name in NODE_OWNED:
        held = [t.c.owner_node != me] if name == "case_file" else []
        conn.execute(delete(t).where(t.c.id == row_id, t.c.origin_node != me, *held))
        return
    if name == "staff":
        conn.execute(delete(table_of(LoginState)).where(LoginState.staff_id == row_id))
    conn.execute(delete(t).where(t.c.id == row_id))


def _seen(conn: Connection, name: str, ids: list[str]) -> None:
    if ids:
        conn.execute(sqlite_insert(table_of(SyncSeen)).on_conflict_do_nothing(),
                     [{"table_name": name, "row_id": i} for i in ids])


def _drop_unseen(conn: Connection, me: str) -> bool:
    """End of a full download: what the centre no longer has (or never had) goes, except our own rows
    and changes still waiting to go up. Returns whether the calendar changed."""
    seen, outbox, held = table_of(SyncSeen), table_of(OutboxEntry), table_of(HeldChange)
    changed = False
    for name in DOWN_TABLES:
        t = table(name)
        conditions: list[Any] = [t.c.id.not_in(select(seen.c.row_id).where(seen.c.table_name == name)),
                                 t.c.id.not_in(select(outbox.c.row_id).where(outbox.c.table_name == name,
                                                                             outbox.c.acked_at.is_(None))),
                                 t.c.id.not_in(select(held.c.row_id).where(held.c.table_name == name))]
        if name in NODE_OWNED:
            conditions.append(t.c.origin_node != me)
        if name == "case_file":  # a case handed to us is ours too
            conditions.append(t.c.owner_node != me)
        if name == "case_event":
            conditions.append(t.c.case_id.not_in(select(table("case_file").c.id).where(
                table("case_file").c.owner_node == me)))
        if name == "department":
            conditions.append(t.c.id.not_in(select(table("inquiry").c.department_id)
                                            .where(table("inquiry").c.department_id.is_not(None))))
        if name == "staff":
            conn.execute(delete(table_of(LoginState)).where(
                LoginState.staff_id.in_(select(t.c.id).where(*conditions))))
        gone = conn.execute(delete(t).where(*conditions))
        changed |= bool(gone.rowcount) and name in ("calendar_day", "calendar_year")
    conn.execute(delete(seen))
    return changed


def _store_issue(conn: Connection, issue: list[Any]) -> None:
    issue_id, origin, table_name, row_id, reason, payload, created = issue
    values = {"origin_node": origin, "table_name": table_name, "row_id": row_id, "reason": reason,
              "payload": payload, "created_at": datetime.fromisoformat(created).replace(tzinfo=UTC)}
    stmt = sqlite_insert(table_of(SyncIssue)).values(id=issue_id, resolved=False, **values)
    conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=values))

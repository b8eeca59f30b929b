"""A director's or administrator's edits of centre data go up only with the centre's proof of who they are.

At log-in on a joined workstation the password is shown to the centre once (`/v1/vouch`); the centre
answers with a short-lived proof bound to this device, kept here until it expires. A push carries the
proofs of the people whose centre-data edits it holds. An edit made while no proof exists (offline
log-in) is set aside in held_change, not pushed and not lost; the next log-in of that person with the
centre reachable puts it back into the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, func, insert, select

from app.clock import utc_now
from app.database import Database
from app.models import AuthorityProof, HeldChange, OutboxEntry, Staff, SyncState
from app.models.base import table_of
from app.sync.transport import HttpTransport, Refused, SyncError, Transport, call

PRIVILEGED = ("director", "admin")
VOUCH_TIMEOUT_S = 8.0  # a log-in must not hang on a slow link; the next log-in tries again


@dataclass(frozen=True)
class Vouched:
    staff_id: str
    expires_at: datetime
    released: int  # held edits put back into the outbox


def needs_proof(db: Database, role: str) -> bool:
    """Whether a log-in in this role, here, should prove itself to the centre."""
    if role not in PRIVILEGED:
        return False
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table_of(SyncState))).scalar_one() > 0


def vouch(db: Database, staff_no: str, password: str, transport: Transport | None = None) -> Vouched:
    """Prove a person to the centre; raises SyncError (Unreachable when offline) with a Chinese reason."""
    with db.engine.connect() as conn:
        state = conn.execute(select(table_of(SyncState))).first()
    if state is None:
        raise SyncError("本机尚未连接中心")
    own = transport is None
    transport = transport or HttpTransport(state.center_url, state.ca_cert, timeout=VOUCH_TIMEOUT_S)
    try:
        reply = call(transport, "/v1/vouch", {"staff_no": staff_no, "password": password}, state.device_token)
    except Refused as exc:
        raise SyncError(str(exc)) from exc
    finally:
        if own and isinstance(transport, HttpTransport):
            transport.close()
    try:
        token, staff_id = str(reply["proof"]), str(reply["staff_id"])
        expires = datetime.fromtimestamp(float(reply["expires_at"]), UTC)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise SyncError("中心的身份核验答复无法识别") from exc
    proofs = table_of(AuthorityProof)
    with db.engine.begin() as conn:
        conn.execute(delete(proofs).where(proofs.c.staff_id == staff_id))
        conn.execute(insert(proofs).values(staff_id=staff_id, token=token, expires_at=expires))
        released = release(conn, staff_id)
    return Vouched(staff_id, expires, released)


def valid_proofs(conn: Connection) -> dict[str, str]:
    """staff id -> proof, for the proofs that have not expired."""
    proofs = table_of(AuthorityProof)
    rows = conn.execute(select(proofs.c.staff_id, proofs.c.token).where(proofs.c.expires_at > utc_now()))
    return {r.staff_id: r.token for r in rows}


def to_hold(conn: Connection, entries: list[tuple[int, str, str, str, str | None]]
            ) -> list[tuple[int, str, str, str, str | None]]:
    """Those unproven edits whose author could prove themselves (a director or administrator here);
    anyone else's edit of centre data goes up as it is, for the centre to refuse and show."""
    if not entries:
        return []
    staff = table_of(Staff)
    actors = {e[4] for e in entries}
    privileged = set(conn.execute(select(staff.c.id).where(staff.c.id.in_(actors), staff.c.role.in_(PRIVILEGED)))
                     .scalars())
    return [e for e in entries if e[4] in privileged]


def hold(conn: Connection, entries: list[tuple[int, str, str, str, str | None]]) -> None:
    """Set outbox entries (seq, table, row id, op, actor) aside until their author is proven."""
    if not entries:
        return
    now = utc_now()
    conn.execute(insert(table_of(HeldChange)), [
        {"table_name": t, "row_id": r, "op": op, "actor_id": a, "held_at": now} for _s, t, r, op, a in entries])
    o = table_of(OutboxEntry)
    conn.execute(delete(o).where(o.c.seq.in_([e[0] for e in entries])))


def release(conn: Connection, staff_id: str) -> int:
    """Put this person's held edits back into the outbox, in the order they were made."""
    held = table_of(HeldChange)
    rows = conn.execute(select(held).where(held.c.actor_id == staff_id).order_by(held.c.id)).all()
    if not rows:
        return 0
    now = utc_now()
    conn.execute(insert(table_of(OutboxEntry)), [
        {"table_name": r.table_name, "row_id": r.row_id, "op": r.op, "created_at": now, "actor_id": r.actor_id}
        for r in rows])
    conn.execute(delete(held).where(held.c.id.in_([r.id for r in rows])))
    return len(rows)


def held_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(table_of(HeldChange))).scalar_one()


def prove_after_login(db: Database, role: str, staff_no: str, password: str,
                      transport: Transport | None = None) -> str:
    """Right after a log-in: prove a director or administrator to the centre when it is reachable.
    Returns a line for the status bar ("" when nothing needed saying); never raises, since the
    person is logged in either way and works on offline."""
    if not needs_proof(db, role):
        return ""
    try:
        done = vouch(db, staff_no, password, transport)
    except SyncError as exc:
        with db.engine.connect() as conn:
            waiting = held_count(conn)
        tail = f"；{waiting} 条中心数据修改暂存本机，待联网登录核验后上传" if waiting else ""
        return f"未能由中心核验身份（{exc}）：本次对中心数据（人员、事项、部门、日历、设置）的修改将暂存本机{tail}"
    if done.released:
        return f"中心已核验身份，{done.released} 条暂存的中心数据修改将随下次同步上传"
    return ""

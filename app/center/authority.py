"""Who may change the centre's own data: people whose password the centre checked, not device claims.

Staff, catalogue, departments, calendar and settings belong to the centre. Every window holds the
staff table (it needs it for offline log-in), so a staff id named by a device proves nothing. A
director or administrator proves themselves to the centre with their password (`/v1/vouch`, over
the device's authenticated channel); the centre answers with a short-lived proof bound to that
device, and a push of centre-owned changes is accepted only for the people whose proofs it carries.
Each push re-checks the account, so deactivating a person or revoking a device takes effect at the
next request.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, select, update
from sqlalchemy.dialects.postgresql import insert

from app.center.errors import BadRequest, Forbidden
from app.center.nodes import Node, digest
from app.center.schema import REPLICA, person_lock, person_proof
from app.clock import utc_now

PRIVILEGED = ("director", "admin")
PROOF_LIFETIME = timedelta(hours=12)  # one working day; the next log-in asks again
MAX_FAILURES = 5
LOCK_MINUTES = 5
MAX_PROOFS = 20  # per push: the few people who edited centre data at one workstation


def _text(body: dict[str, Any], key: str, limit: int) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise BadRequest(f"{key} 应为不超过 {limit} 个字符的文本")
    return value


def vouch(conn: Connection, node: Node, body: dict[str, Any]) -> dict[str, Any]:
    """Check a director's or administrator's password: a proof for this device, or Forbidden.

    Wrong passwords count towards a lock-out kept at the centre (in a transaction of their own, so
    the count stays when the refusal rolls this one back): a stolen device cannot guess.
    """
    from app.services.people.auth import dummy_hash
    from app.services.people.passwords import verify_password

    staff_no = _text(body, "staff_no", 20).strip()
    password = _text(body, "password", 200)
    now = utc_now()
    locked_until = conn.execute(select(person_lock.c.locked_until)
                                .where(person_lock.c.staff_no == staff_no)).scalar_one_or_none()
    if locked_until is not None and locked_until > now:
        raise Forbidden(f"连续{MAX_FAILURES}次密码错误，该工号在中心已锁定，请{LOCK_MINUTES}分钟后再试")
    staff = REPLICA["staff"]
    person = conn.execute(select(staff.c.id, staff.c.role, staff.c.active, staff.c.password_hash)
                          .where(staff.c.staff_no == staff_no)).first()
    if person is None or not verify_password(person.password_hash, password):
        if person is None:
            verify_password(dummy_hash(), password)
        _count_failure(conn.engine, staff_no, now)
        raise Forbidden("中心核验身份失败：工号或密码与中心记录不符")
    conn.execute(delete(person_lock).where(person_lock.c.staff_no == staff_no))
    if not person.active:
        raise Forbidden("该账号已在中心停用")
    if person.role not in PRIVILEGED:
        raise Forbidden("只有中心主任或系统管理员需要由中心核验身份")
    token = secrets.token_urlsafe(32)
    expires = now + PROOF_LIFETIME
    conn.execute(delete(person_proof).where(person_proof.c.expires_at < now))
    conn.execute(person_proof.insert().values(token_hash=digest(token), staff_id=person.id, node_code=node.code,
                                              issued_at=now, expires_at=expires))
    return {"proof": token, "staff_id": person.id, "expires_at": expires.timestamp()}


def _count_failure(engine: Engine, staff_no: str, now: datetime) -> None:
    stmt = insert(person_lock).values(staff_no=staff_no, failed_count=1, locked_until=None)
    stmt = stmt.on_conflict_do_update(index_elements=["staff_no"],
                                      set_={"failed_count": person_lock.c.failed_count + 1})
    with engine.begin() as conn:
        count = conn.execute(stmt.returning(person_lock.c.failed_count)).scalar_one()
        if count >= MAX_FAILURES:
            conn.execute(update(person_lock).where(person_lock.c.staff_no == staff_no).values(
                failed_count=0, locked_until=now + timedelta(minutes=LOCK_MINUTES)))


def proven_people(conn: Connection, node: Node, proofs: Any) -> set[str]:
    """Staff ids whose proofs in this push are genuine, for this device, unexpired, and whose
    accounts are still active directors or administrators at the centre right now."""
    if proofs is None:
        return set()
    if not isinstance(proofs, list) or len(proofs) > MAX_PROOFS \
            or not all(isinstance(p, str) and 0 < len(p) <= 100 for p in proofs):
        raise BadRequest(f"proofs 应为不超过 {MAX_PROOFS} 个凭据的列表")
    if not proofs:
        return set()
    staff = REPLICA["staff"]
    rows = conn.execute(
        select(person_proof.c.staff_id)
        .join(staff, staff.c.id == person_proof.c.staff_id)
        .where(person_proof.c.token_hash.in_([digest(p) for p in proofs]),
               person_proof.c.node_code == node.code, person_proof.c.expires_at > utc_now(),
               staff.c.active.is_(True), staff.c.role.in_(PRIVILEGED)))
    return set(rows.scalars())

"""Logging in: argon2 verification, lock-out after repeated failures, audit of every attempt."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import LoginState, Staff
from app.models.tracking import audit
from app.services.errors import AuthError
from app.services.people.passwords import hash_password, verify_password
from app.services.people.permissions import Permission, require

MAX_FAILURES = 5
LOCK_MINUTES = 5
_DUMMY_HASH: str | None = None


def dummy_hash() -> str:
    """Verify unknown accounts against a real hash so timing does not reveal which numbers exist."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("not-a-real-password-0")
    return _DUMMY_HASH


def actor_of(staff: Staff) -> Actor:
    return Actor(
        staff_id=staff.id,
        staff_no=staff.staff_no,
        name=staff.name,
        role=staff.role,
        workplace=staff.workplace,
    )


def login(db: Database, staff_no: str, password: str, now: datetime | None = None) -> Actor:
    """The logged-in actor, or AuthError with the reason in Chinese.

    The attempt is judged inside one transaction that always commits (failure counters and the
    audit entry must persist), and the error is raised only after the commit.
    """
    now = now or utc_now()
    staff_no = staff_no.strip()
    if not staff_no or not password:
        raise AuthError("请输入工号和密码")
    with db.session() as s:
        outcome = _judge_attempt(s, staff_no, password, now)
    if isinstance(outcome, str):
        raise AuthError(outcome)
    return outcome


def confirm_person(db: Database, staff_no: str, password: str, permission: Permission,
                   now: datetime | None = None) -> Actor:
    """A second person's approval at this desk (a director's for an extension): their own password,
    judged like a log-in (wrong passwords count towards the lock), and the permission checked."""
    now = now or utc_now()
    staff_no = staff_no.strip()
    if not staff_no or not password:
        raise AuthError("请选择批准人并由其输入密码")
    with db.session() as s:
        outcome = _judge_attempt(s, staff_no, password, now, action="approval")
    if isinstance(outcome, str):
        raise AuthError(outcome)
    require(outcome, permission)
    return outcome


def _judge_attempt(s: Session, staff_no: str, password: str, now: datetime, action: str = "login") -> Actor | str:
    staff = s.scalar(select(Staff).where(Staff.staff_no == staff_no))
    if staff is None:
        verify_password(dummy_hash(), password)
        audit(s, f"{action}_failed", details={"staff_no": staff_no, "reason": "unknown"})
        return "工号或密码错误"
    state = s.get(LoginState, staff.id)
    if state is None:
        state = LoginState(staff_id=staff.id, failed_count=0, locked_until=None)
        s.add(state)
    if state.locked_until is not None and state.locked_until > now:
        minutes = max(1, int((state.locked_until - now).total_seconds() + 59) // 60)
        audit(s, f"{action}_refused", table="staff", row_id=staff.id, details={"reason": "locked"})
        return f"连续{MAX_FAILURES}次密码错误，账号已锁定，请{minutes}分钟后再试"
    if not staff.active:
        audit(s, f"{action}_refused", table="staff", row_id=staff.id, details={"reason": "inactive"})
        return "该账号已停用，请联系系统管理员"
    if not verify_password(staff.password_hash, password):
        state.failed_count += 1
        details = {"failed_count": state.failed_count}
        if state.failed_count >= MAX_FAILURES:
            state.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            state.failed_count = 0
            audit(s, "account_locked", table="staff", row_id=staff.id, details=details)
            return f"连续{MAX_FAILURES}次密码错误，账号已锁定{LOCK_MINUTES}分钟"
        audit(s, f"{action}_failed", table="staff", row_id=staff.id, details=details)
        left = MAX_FAILURES - state.failed_count
        return f"工号或密码错误，再错{left}次账号将锁定{LOCK_MINUTES}分钟"
    state.failed_count = 0
    state.locked_until = None
    actor = actor_of(staff)
    audit(s, action, table="staff", row_id=staff.id, actor=actor)
    return actor


def logout(db: Database, actor: Actor) -> None:
    with db.session(actor) as s:
        audit(s, "logout", table="staff", row_id=actor.staff_id or "")

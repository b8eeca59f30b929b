"""Managing staff accounts. Only administrators may change them; every change is audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.actor import Actor
from app.database import Database
from app.models import ROLES, LoginState, Staff
from app.models.tracking import audit
from app.services import field_rules as rules
from app.services.errors import ValidationError
from app.services.people.passwords import hash_password
from app.services.people.permissions import MANAGE_STAFF, Permission, require
from app.services.validation import check_password, check_phone, check_staff_no


@dataclass(frozen=True)
class StaffRecord:
    id: str
    staff_no: str
    name: str
    role: str
    workplace: str
    phone: str
    backup_id: str | None
    backup_name: str
    active: bool
    locked: bool

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


@dataclass
class StaffForm:
    staff_no: str
    name: str
    role: str
    workplace: str = ""
    phone: str = ""
    backup_id: str | None = None
    active: bool = True
    password: str = ""  # required when creating; when editing, empty keeps the old password


def _require_admin(actor: Actor) -> None:
    require(actor, MANAGE_STAFF)


def list_staff(db: Database) -> list[StaffRecord]:
    from app.clock import utc_now

    now = utc_now()
    with db.session() as s:
        staff = list(s.scalars(select(Staff).order_by(Staff.staff_no)))
        names = {m.id: m.name for m in staff}
        locks = {ls.staff_id: ls for ls in s.scalars(select(LoginState))}
        return [
            StaffRecord(
                id=m.id,
                staff_no=m.staff_no,
                name=m.name,
                role=m.role,
                workplace=m.workplace,
                phone=m.phone,
                backup_id=m.backup_for_id,
                backup_name=names.get(m.backup_for_id or "", ""),
                active=m.active,
                locked=bool(
                    m.id in locks
                    and locks[m.id].locked_until is not None
                    and locks[m.id].locked_until > now  # type: ignore[operator]
                ),
            )
            for m in staff
        ]


def holders(db: Database, permission: Permission) -> list[StaffRecord]:
    """Active staff whose role holds the permission (the directors who may approve an extension)."""
    return [m for m in list_staff(db) if m.active and m.role in permission.roles]


def validate_form(form: StaffForm, creating: bool) -> list[str]:
    errors = [
        e
        for e in (
            check_staff_no(form.staff_no),
            rules.STAFF_PERSON.check(form.name),
            check_phone(form.phone),
            rules.WORKPLACE.check(form.workplace, required=False),
        )
        if e
    ]
    if form.role not in ROLES:
        errors.append("请选择角色")
    if creating or form.password:
        problem = check_password(form.password)
        if problem:
            errors.append(problem)
    return errors


def save_staff(db: Database, actor: Actor, form: StaffForm, staff_id: str | None = None) -> str:
    """Create (staff_id None) or update an account; returns its id. Raises on any invalid field."""
    _require_admin(actor)
    errors = validate_form(form, creating=staff_id is None)
    if errors:
        raise ValidationError("人员信息有误，未保存", errors)
    with db.session(actor) as s:
        clash = s.scalar(select(Staff).where(Staff.staff_no == form.staff_no.strip()))
        if clash is not None and clash.id != staff_id:
            raise ValidationError(f"工号 {form.staff_no} 已被 {clash.name} 使用")
        if form.backup_id is not None:
            backup = s.get(Staff, form.backup_id)
            if backup is None or not backup.active:
                raise ValidationError("B岗人员不存在或已停用")
            if backup.id == staff_id:
                raise ValidationError("B岗人员不能是本人")
        if staff_id is None:
            member = Staff(password_hash=hash_password(form.password))
            s.add(member)
        else:
            member = s.get(Staff, staff_id)  # type: ignore[assignment]
            if member is None:
                raise ValidationError("该人员不存在")
            if member.id == actor.staff_id and (not form.active or form.role not in MANAGE_STAFF.roles):
                raise ValidationError("不能停用自己的账号或取消自己的管理员角色")
            if form.password:
                member.password_hash = hash_password(form.password)
        member.staff_no = form.staff_no.strip()
        member.name = form.name.strip()
        member.role = form.role
        member.workplace = form.workplace.strip()
        member.phone = form.phone.strip()
        member.backup_for_id = form.backup_id
        member.active = form.active
        s.flush()
        return member.id


def unlock(db: Database, actor: Actor, staff_id: str) -> None:
    _require_admin(actor)
    with db.session(actor) as s:
        state = s.get(LoginState, staff_id)
        if state is not None:
            state.failed_count = 0
            state.locked_until = None
        audit(s, "account_unlocked", table="staff", row_id=staff_id)

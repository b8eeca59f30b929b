"""The directory of departments a window refers citizens to (kept by administrators)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.actor import Actor
from app.database import Database
from app.models import Department
from app.services import field_rules as rules
from app.services.errors import PermissionDenied, ValidationError
from app.services.validation import check_phone


@dataclass(frozen=True)
class DepartmentRecord:
    id: str
    name: str
    duties: str
    address: str
    phone: str
    office_hours: str
    active: bool


@dataclass
class DepartmentForm:
    name: str
    address: str
    phone: str
    office_hours: str
    duties: str = ""
    active: bool = True


def _record(d: Department) -> DepartmentRecord:
    return DepartmentRecord(d.id, d.name, d.duties, d.address, d.phone, d.office_hours, d.active)


def list_departments(db: Database, include_inactive: bool = False) -> list[DepartmentRecord]:
    with db.session() as s:
        query = select(Department).order_by(Department.name)
        if not include_inactive:
            query = query.where(Department.active.is_(True))
        return [_record(d) for d in s.scalars(query)]


def validate_department(form: DepartmentForm) -> dict[str, str]:
    checks = {
        "name": rules.DEPARTMENT_NAME.check(form.name),
        "address": rules.DEPARTMENT_ADDRESS.check(form.address),
        "phone": check_phone(form.phone, "联系电话", required=True, allow_hotline=True),
        "office_hours": rules.OFFICE_HOURS.check(form.office_hours),
        "duties": rules.DUTIES.check(form.duties, required=False),
    }
    return {k: v for k, v in checks.items() if v}


def save_department(db: Database, actor: Actor, form: DepartmentForm, department_id: str | None = None) -> str:
    if actor.role not in {"admin", "system"}:
        raise PermissionDenied("只有系统管理员可以维护部门名录")
    errors = validate_department(form)
    if errors:
        raise ValidationError("部门信息有误，未保存", list(errors.values()))
    with db.session(actor) as s:
        clash = s.scalar(select(Department).where(Department.name == form.name.strip()))
        if clash is not None and clash.id != department_id:
            raise ValidationError(f"部门“{form.name}”已在名录中")
        if department_id is None:
            department = Department()
            s.add(department)
        else:
            found = s.get(Department, department_id)
            if found is None:
                raise ValidationError("该部门不存在")
            department = found
        department.name = form.name.strip()
        department.address = form.address.strip()
        department.phone = form.phone.strip()
        department.office_hours = form.office_hours.strip()
        department.duties = form.duties.strip()
        department.active = form.active
        s.flush()
        return department.id

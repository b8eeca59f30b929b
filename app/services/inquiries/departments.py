"""The directory of departments a window refers citizens to (kept by administrators)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.actor import Actor
from app.database import Database
from app.models import Department
from app.services import field_rules as rules
from app.services.errors import ValidationError
from app.services.people.permissions import MANAGE_DEPARTMENTS, require
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


# A plausible first directory for a township centre, so a referral works on the first day. They are
# ordinary rows (F10 edits or stops them); the numbers are the national service hotlines, which always
# answer, until the administrator puts in the office's own line. A workstation that joins a centre takes
# the centre's rows of the same name (app.sync: departments match by name), so no duplicate appears.
VERIFY_NOTE = "预置名录的地址、电话请核实后使用"
SEED_DEPARTMENTS: tuple[DepartmentForm, ...] = (
    DepartmentForm("派出所", "镇政府附近", "12345", "全天", "户籍、居民身份证、治安"),
    DepartmentForm("司法所", "镇政府院内", "12348", "工作日 8:30—17:00", "人民调解、法律援助、社区矫正"),
    DepartmentForm("自然资源所", "镇政府院内", "12345", "工作日 8:30—17:00", "农村宅基地、土地利用、规划许可初审"),
    DepartmentForm("农业农村办", "镇政府院内", "12345", "工作日 8:30—17:00", "耕地地力保护补贴、土地承包、农机补贴"),
    DepartmentForm("镇财政所", "镇政府院内", "12345", "工作日 8:30—17:00", "惠民惠农补贴发放查询"),
    DepartmentForm("镇卫生院", "镇卫生院门诊楼", "12345", "全天（门诊工作日 8:00—17:00）", "基本公共卫生、预防接种、出生医学证明"),
    DepartmentForm("镇综治中心", "镇政府院内", "12345", "工作日 8:30—17:00", "矛盾纠纷调处、信访接待"),
    DepartmentForm("县人社局", "县政务服务中心", "12333", "工作日 8:30—17:00", "社会保险、就业创业、劳动保障监察"),
    DepartmentForm("县医保局", "县政务服务中心", "12393", "工作日 8:30—17:00", "医保参保缴费、异地就医备案、报销"),
    DepartmentForm("县不动产登记中心", "县政务服务中心", "12345", "工作日 8:30—17:00", "不动产登记、查询"),
    DepartmentForm("县市场监管局", "县政务服务中心", "12315", "工作日 8:30—17:00", "营业执照、食品经营许可、消费投诉"),
    DepartmentForm("县税务局", "县政务服务中心", "12366", "工作日 8:30—17:00", "税费申报、发票、社保费缴纳"),
)


def seed_departments(db: Database, actor: Actor) -> int:
    """Add the seed directory's departments not yet in it (by name); returns how many were added."""
    have = {d.name for d in list_departments(db, include_inactive=True)}
    added = 0
    for form in SEED_DEPARTMENTS:
        if form.name not in have:
            save_department(db, actor, form)
            added += 1
    return added


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
    require(actor, MANAGE_DEPARTMENTS)
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

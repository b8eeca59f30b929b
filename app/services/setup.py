"""First-time set-up of a workstation: identity, first administrator, seed catalogue, in one go."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.actor import SYSTEM_ACTOR
from app.clock import utc_now
from app.database import Database
from app.models import NODE_KINDS, NodeInfo, Staff
from app.models.tracking import audit
from app.paths import SEED_CATALOG_FILE
from app.services.catalog.files import read_catalog
from app.services.catalog.items import apply_items
from app.services.errors import ValidationError
from app.services.inquiries.departments import seed_departments
from app.services.people.passwords import hash_password
from app.services.validation import (
    check_division_code,
    check_name,
    check_node_code,
    check_password,
    check_staff_no,
)


@dataclass
class SetupRequest:
    center_code: str
    center_name: str
    node_code: str
    node_name: str
    node_kind: str
    admin_user: str
    admin_password: str
    admin_name: str = "系统管理员"
    training: bool = False


def validate(request: SetupRequest, center: bool = False) -> dict[str, str]:
    """Problems by field name, empty when the request is good (node 00 only for the centre itself)."""
    checks = {
        "center_code": check_division_code(request.center_code),
        "center_name": check_name(request.center_name, "服务中心名称", 60),
        "node_code": None if center and request.node_code == "00" else check_node_code(request.node_code),
        "node_name": check_name(request.node_name, "本机名称", 60),
        "node_kind": None if request.node_kind in NODE_KINDS else "节点类型应为窗口（window）、代办点（agency）或中心主任（director）",
        "admin_user": check_staff_no(request.admin_user),
        "admin_name": check_name(request.admin_name, "管理员姓名", 30),
        "admin_password": check_password(request.admin_password),
    }
    return {k: v for k, v in checks.items() if v}


def is_set_up(db: Database) -> bool:
    with db.session() as s:
        return s.scalar(select(NodeInfo.id)) is not None


def perform_setup(db: Database, request: SetupRequest, center: bool = False) -> None:
    """Write identity and administrator, then load the seed catalogue and department directory (so a
    referral is possible on the first day); refuses a second set-up."""
    problems = validate(request, center)
    if problems:
        raise ValidationError("设置信息有误，未做任何修改", list(problems.values()))
    if is_set_up(db):
        raise ValidationError("本工作站已完成设置，不能重复设置")
    items = read_catalog(SEED_CATALOG_FILE)
    db.forget_node()
    with db.session(SYSTEM_ACTOR) as s:
        s.info["node_code"] = request.node_code.strip()
        s.add(
            NodeInfo(
                id=1,
                center_code=request.center_code.strip(),
                center_name=request.center_name.strip(),
                node_code=request.node_code.strip(),
                node_name=request.node_name.strip(),
                node_kind=request.node_kind,
                training=request.training,
                created_at=utc_now(),
            )
        )
        s.add(
            Staff(
                staff_no=request.admin_user.strip(),
                name=request.admin_name.strip(),
                role="admin",
                workplace=request.node_name.strip(),
                password_hash=hash_password(request.admin_password),
            )
        )
        audit(
            s,
            "setup",
            table="node_info",
            details={"center_code": request.center_code, "node_code": request.node_code, "training": request.training},
        )
    db.forget_node()
    apply_items(db, SYSTEM_ACTOR, items, source="内置事项清单")
    seed_departments(db, SYSTEM_ACTOR)

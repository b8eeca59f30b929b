"""Workstation set-up, login with lock-out, and staff management rights."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import AuditEntry, NodeInfo, ServiceItem, Staff
from app.services.errors import AuthError, PermissionDenied, ValidationError
from app.services.node import load_identity
from app.services.people.auth import LOCK_MINUTES, MAX_FAILURES, login
from app.services.people.staff import StaffForm, list_staff, save_staff, unlock
from app.services.setup import perform_setup, validate
from tests.conftest import ADMIN_PASSWORD, setup_request


def test_setup_validation_names_every_bad_field() -> None:
    problems = validate(
        setup_request(center_code="22082", node_code="00", node_kind="x", admin_user="管理", admin_password="short")
    )
    assert set(problems) == {"center_code", "node_code", "node_kind", "admin_user", "admin_password"}
    assert "9位数字" in problems["center_code"]


def test_bad_setup_changes_nothing(blank_db: Database) -> None:
    with pytest.raises(ValidationError):
        perform_setup(blank_db, setup_request(center_code="1"))
    with blank_db.session() as s:
        assert s.scalar(select(func.count()).select_from(NodeInfo)) == 0
        assert s.scalar(select(func.count()).select_from(Staff)) == 0
        assert s.scalar(select(func.count()).select_from(ServiceItem)) == 0


def test_setup_writes_identity_admin_and_catalogue(db: Database) -> None:
    identity = load_identity(db)
    assert identity is not None
    assert (identity.center_code, identity.node_code, identity.node_kind) == ("220821100", "01", "window")
    with db.session() as s:
        admin = s.scalars(select(Staff)).one()
        assert admin.role == "admin" and admin.password_hash.startswith("$argon2id$")
        assert s.scalar(select(func.count()).select_from(ServiceItem)) >= 30
        assert set(s.scalars(select(ServiceItem.origin_node))) == {"01"}
    with pytest.raises(ValidationError, match="不能重复设置"):
        perform_setup(db, setup_request())


def test_login_success_and_audit(db: Database) -> None:
    actor = login(db, "admin", ADMIN_PASSWORD)
    assert actor.name == "王管理" and actor.role == "admin"
    with db.session() as s:
        assert s.scalar(select(func.count()).where(AuditEntry.action == "login")) == 1


def test_unknown_user_and_empty_fields(db: Database) -> None:
    with pytest.raises(AuthError, match="工号或密码错误"):
        login(db, "nobody", "whatever1")
    with pytest.raises(AuthError, match="请输入工号和密码"):
        login(db, "admin", "")


def test_lock_after_five_failures_for_five_minutes(db: Database) -> None:
    now = utc_now()
    for attempt in range(1, MAX_FAILURES):
        with pytest.raises(AuthError, match=f"再错{MAX_FAILURES - attempt}次"):
            login(db, "admin", "wrong0000", now=now)
    with pytest.raises(AuthError, match="已锁定5分钟"):
        login(db, "admin", "wrong0000", now=now)
    # even the right password is refused while locked
    with pytest.raises(AuthError, match="请5分钟后再试"):
        login(db, "admin", ADMIN_PASSWORD, now=now + timedelta(seconds=10))
    assert list_staff(db)[0].locked
    actor = login(db, "admin", ADMIN_PASSWORD, now=now + timedelta(minutes=LOCK_MINUTES, seconds=1))
    assert actor.staff_no == "admin"
    with db.session() as s:
        assert s.scalar(select(func.count()).where(AuditEntry.action == "account_locked")) == 1


def test_only_admins_manage_staff(db: Database, admin: Actor) -> None:
    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", "1号窗口", "13904361001", password="pass1234"))
    clerk = login(db, "1001", "pass1234")
    with pytest.raises(PermissionDenied):
        save_staff(db, clerk, StaffForm("1009", "赵六", "clerk", password="pass1234"))
    with pytest.raises(PermissionDenied):
        unlock(db, clerk, clerk.staff_id or "")
    assert [r.staff_no for r in list_staff(db)] == ["1001", "admin"]


def test_staff_validation_and_backup(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationError) as info:
        save_staff(db, admin, StaffForm("1", "", "boss", phone="123", password="abc"))
    joined = "；".join(info.value.errors)
    for expected in ("工号", "姓名", "角色", "电话", "密码"):
        assert expected in joined
    a = save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", password="pass1234"))
    b = save_staff(db, admin, StaffForm("1002", "王建军", "clerk", password="pass1234"))
    with pytest.raises(ValidationError, match="已被 李秀兰 使用"):
        save_staff(db, admin, StaffForm("1001", "重复", "clerk", password="pass1234"))
    with pytest.raises(ValidationError, match="不能是本人"):
        save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", backup_id=a), a)
    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", backup_id=b), a)
    record = next(r for r in list_staff(db) if r.id == a)
    assert record.backup_name == "王建军"
    # editing without a password keeps the old one
    assert login(db, "1001", "pass1234").name == "李秀兰"


def test_admin_cannot_lock_themselves_out(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="不能停用自己的账号"):
        save_staff(db, admin, StaffForm("admin", "王管理", "clerk"), admin.staff_id)


def test_inactive_account_cannot_log_in(db: Database, admin: Actor) -> None:
    staff_id = save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", password="pass1234"))
    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", active=False), staff_id)
    with pytest.raises(AuthError, match="已停用"):
        login(db, "1001", "pass1234")


def test_training_database_is_separate_and_filled(data_dir: Path) -> None:
    from app.paths import DataLayout
    from app.services.training import TRAINING_PASSWORD
    from app.startup import open_workstation

    db, _ = open_workstation(data_dir, training=True)
    try:
        identity = load_identity(db)
        assert identity is not None and identity.training
        assert login(db, "8001", TRAINING_PASSWORD).name == "李秀兰"
        assert {r.role for r in list_staff(db)} == {"admin", "clerk", "agent", "director"}
    finally:
        db.dispose()
    assert not DataLayout(data_dir).database.exists()
    assert DataLayout(data_dir, training=True).database.exists()

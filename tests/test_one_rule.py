"""Issue 10, "one definition of each rule": case-class labels, permissions, missing materials, special procedure."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.actor import Actor
from app.database import Database
from app.models.cases import CASE_CLASS_LABELS, class_label
from app.models.catalog import CASE_CLASSES
from app.models.staff import ROLES
from app.services.calendar.holidays import set_day
from app.services.cases.history import event_text
from app.services.cases.records import accept_case, get_case
from app.services.errors import PermissionDenied
from app.services.people import permissions
from app.services.people.auth import login
from app.services.people.staff import StaffForm, save_staff
from app.services.settings import CenterSettings, save_settings
from tests.test_cases import form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))


def test_class_label_names_built_in_and_centre_classes() -> None:
    assert class_label("promised") == "承诺件"
    assert class_label("x:上报件") == "上报件"
    assert event_text(json.dumps({"class": "x:上报件", "due": "2026-11-16"})) == "类型：上报件；办结日期：2026-11-16"
    assert event_text(json.dumps({"class": "supplement"})) == "类型：补办件"
    assert all(CASE_CLASSES[key] == CASE_CLASS_LABELS[key] for key in CASE_CLASSES)


def test_history_of_a_centre_class_case_shows_its_name(db: Database, admin: Actor) -> None:
    save_settings(db, admin, CenterSettings(extra_case_classes="上报件"))
    number = accept_case(db, admin, form(db, "SB-002", "x:上报件", class_reason="需报县级审批"),
                         now=datetime(2026, 11, 2, 9, 0, tzinfo=CN))
    case = get_case(db, number)
    assert case is not None and case.due_date == date(2026, 11, 16)
    lines = [event_text(details) for _at, _kind, _staff, details in case.events]
    assert any("类型：上报件" in line for line in lines) and not any("x:" in line for line in lines)


# A decision by role: a comparison with a role, or a set of role names; checking that a role exists (in ROLES) or
# reading a permission's own roles is not one.
ROLE_DECISION = re.compile(
    r"""\.role\s*(==|!=|(not\s+)?in\s+(?!ROLES\b|\w+\.roles\b))"""
    r"""|["'](admin|director|clerk|agent|system)["']\s*,\s*["'](admin|director|clerk|agent|system)["']|is_admin"""
)


def test_role_sets_live_only_in_the_permission_table() -> None:
    """No service or screen decides rights from a role set of its own: all go through app.services.people.permissions."""
    root = Path(__file__).resolve().parents[1] / "app"
    offenders = []
    for path in [*root.glob("services/**/*.py"), *root.glob("ui/*.py"), root / "actor.py"]:
        if path.name in {"permissions.py", "demo_data.py"}:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ROLE_DECISION.search(line):
                offenders.append(f"{path.relative_to(root)}:{n}: {line.strip()}")
    assert offenders == []


def test_every_permission_is_used_and_every_role_is_known() -> None:
    root = Path(__file__).resolve().parents[1] / "app"
    source = "\n".join(p.read_text(encoding="utf-8") for p in [*root.glob("services/**/*.py"), *root.glob("ui/*.py")]
                       if p.name != "permissions.py")
    for permission in permissions.PERMISSIONS:
        const = next(k for k, v in vars(permissions).items() if v is permission and k.isupper())
        assert re.search(rf"\b{const}\b", source), f"{const} is never checked"
        assert permission.roles <= set(ROLES) | {"system"}


def test_services_and_screens_follow_the_table(db: Database, admin: Actor) -> None:
    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", "1号窗口", "13904361001", password="pass1234"))
    save_staff(db, admin, StaffForm("8004", "刘国庆", "director", "镇民生服务中心", "13904361004", password="pass1234"))
    clerk, director = login(db, "1001", "pass1234"), login(db, "8004", "pass1234")
    for actor, allowed in ((clerk, False), (director, False), (admin, True)):
        assert permissions.can(actor, permissions.MANAGE_STAFF) is allowed
        assert permissions.can(actor, permissions.MANAGE_DEPARTMENTS) is allowed
    assert permissions.can(director, permissions.EDIT_CALENDAR) and not permissions.can(clerk, permissions.EDIT_CALENDAR)
    with pytest.raises(PermissionDenied, match="只有系统管理员可以管理人员账号"):
        save_staff(db, clerk, StaffForm("1009", "赵六", "clerk", password="pass1234"))
    with pytest.raises(PermissionDenied, match="只有中心主任或管理员可以修改节假日安排"):
        set_day(db, clerk, date(2027, 1, 1), "holiday")
    with pytest.raises(PermissionDenied, match="只有管理员或中心主任可以修改中心设置"):
        save_settings(db, clerk, CenterSettings(extra_case_classes="上报件"))
    set_day(db, director, date(2027, 1, 1), "holiday", "元旦")
    save_settings(db, director, CenterSettings(extra_case_classes="上报件"))
    with pytest.raises(PermissionDenied):
        save_staff(db, director, StaffForm("1009", "赵六", "clerk", password="pass1234"))


def test_screens_reach_data_only_through_services() -> None:
    """No module of app/ui imports the models or SQLAlchemy: screens ask services, which own every query."""
    ui = Path(__file__).resolve().parents[1] / "app" / "ui"
    reaching = re.compile(r"^\s*(from|import)\s+(app\.models|sqlalchemy)\b", re.MULTILINE)
    offenders = [str(path.relative_to(ui)) for path in sorted(ui.rglob("*.py"))  # the screens' packages too
                 if reaching.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_missing_materials_and_special_procedure_are_decided_once() -> None:
    """"Which required materials are missing" and "is the case in a special procedure" have one definition."""
    root = Path(__file__).resolve().parents[1] / "app"
    required_rule = re.compile(r"\.required and (not |\w+ not in)")
    procedure_rule = re.compile(r"""==\s*["'](paused|resumed)["']""")
    places = {path.relative_to(root).as_posix() for path in root.rglob("*.py")
              if required_rule.search(path.read_text(encoding="utf-8"))}
    assert places == {"services/catalog/data.py"}
    procedure = {path.relative_to(root).as_posix() for path in root.rglob("*.py")
                 if procedure_rule.search(path.read_text(encoding="utf-8"))}
    assert procedure <= {"services/cases/records.py"}


def test_one_missing_materials_rule_answers_every_screen(db: Database) -> None:
    from app.services.cases.form import CaseForm, as_catalogued, missing_required
    from app.services.catalog import items as catalog
    from app.services.catalog.data import missing_materials
    from app.ui.checklist_model import ChecklistModel

    item = catalog.load_item(db, "SB-002")
    assert item is not None
    required = [seq for seq, m in enumerate(item.materials, 1) if m.required]
    brought = {required[0]}
    expected = [seq for seq in required if seq not in brought]
    assert [seq for seq, _m in missing_materials(item.materials, brought)] == expected
    checklist = ChecklistModel()
    checklist.set_materials(item.materials, brought)
    assert [seq for seq, _m in checklist.missing()] == expected
    form = CaseForm(item_code=item.code, case_class="promised", received=as_catalogued(item, sorted(brought)))
    assert [seq for seq, _name in missing_required(item, form)] == expected


def test_every_save_dialog_opens_where_the_last_save_went() -> None:
    """Exports and 保存为PDF all ask through pdf_folder.ask_save: Documents at first, then the folder last
    used, never the program folder (a clerk's Excel landed in the install folder, issue 12 trial)."""
    from pathlib import Path

    app_dir = Path(__file__).resolve().parents[1] / "app"
    callers = sorted(str(p.relative_to(app_dir)) for p in app_dir.rglob("*.py")
                     if "getSaveFileName" in p.read_text(encoding="utf-8"))
    assert callers == ["ui/pdf_folder.py"]

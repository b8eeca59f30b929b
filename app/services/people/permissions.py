"""Who may do what: one table of named permissions, each with the roles that hold it.

Every service check and every screen that shows or hides a feature asks `can`/`require` here, so a
role's rights are read in one place and a screen never offers what its service would refuse.
The command line runs as the "system" role (whoever runs it holds the data folder anyway).
The centre's own proof of a privileged edit (app/center/authority.py, app/sync/authority.py) is a
separate, server-side check and keeps its own list.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.actor import Actor
from app.services.errors import PermissionDenied

ADMINS = frozenset({"admin", "system"})
CENTRE_MANAGERS = ADMINS | {"director"}
# Who keeps office hours and owes attendance (考勤): every post but the 系统管理员 account, the
# workstation's keeper (app.services.people.attendance_sheet lists these).
NOT_ATTENDING = frozenset({"admin"})


@dataclass(frozen=True)
class Permission:
    name: str
    roles: frozenset[str]
    refusal: str  # the one-line Chinese message shown when refused


MANAGE_STAFF = Permission("manage_staff", ADMINS, "只有系统管理员可以管理人员账号")
MANAGE_DEPARTMENTS = Permission("manage_departments", ADMINS, "只有系统管理员可以维护部门名录")
JOIN_CENTER = Permission("join_center", ADMINS, "只有系统管理员可以连接乡镇中心")
EDIT_CALENDAR = Permission("edit_calendar", CENTRE_MANAGERS, "只有中心主任或管理员可以修改节假日安排")
EDIT_SETTINGS = Permission("edit_settings", CENTRE_MANAGERS, "只有管理员或中心主任可以修改中心设置")
EDIT_CATALOG = Permission("edit_catalog", CENTRE_MANAGERS,
                          "事项清单由服务中心统一管理，只有管理员或中心主任可以修改")

APPROVE_EXTENSION = Permission("approve_extension", frozenset({"director"}), "延长办理时限须由中心主任批准")
# AB岗: moving an absent clerk's open cases to their backup (app.services.cases.reassign).
REASSIGN_CASES = Permission("reassign_cases", CENTRE_MANAGERS, "AB岗转办须由中心主任或系统管理员办理")

# 投诉人要求保密的投诉：只有中心主任看得到投诉人姓名和电话 (app.services.complaints).
SEE_CONFIDENTIAL_COMPLAINANT = Permission("see_confidential_complainant", frozenset({"director"}),
                                          "投诉人要求保密，只有中心主任可以查看其身份")

# 差评申诉复核：由中心主任决定是否认定为无效差评 (app.services.ratings.rectification).
DECIDE_APPEAL = Permission("decide_appeal", frozenset({"director"}), "差评申诉须由中心主任复核决定")

# 督办：中心主任对承办部门的督促 (app.services.complaints.handling).
SUPERVISE_COMPLAINT = Permission("supervise_complaint", frozenset({"director"}), "督办须由中心主任决定")
# 发督办：中心主任对窗口办件、投诉的督办 (app.services.supervision).
ISSUE_SUPERVISION = Permission("issue_supervision", frozenset({"director"}), "只有中心主任可以发督办")

# 统计：全镇及各窗口、人员、事项、节点的统计数字；其他人只看本人的 (app.services.stats.visibility).
SEE_TOWNSHIP_STATS = Permission("see_township_stats", CENTRE_MANAGERS,
                                "只有中心主任或管理员可以查看全镇及各窗口的统计，其他人员只能查看本人的统计")

# 考勤：全体人员的考勤表、代他人签到签退 (app.services.people.attendance); seed 003 由中心主任负责考勤.
MANAGE_ATTENDANCE = Permission("manage_attendance", CENTRE_MANAGERS, "全体人员的考勤由中心主任或系统管理员管理")

# 请假 (app.services.people.leave): half a day is approved by the unit head (or the director above them), a day
# or more by the director; the command line may approve too (it records itself as the approver). Nobody
# approves their own leave: that rule is the service's, by person, not by role.
APPROVE_HALF_DAY_LEAVE = Permission("approve_half_day_leave", frozenset({"unit_head", "director", "system"}),
                                    "半天的请假须由单位负责人或中心主任审批")
APPROVE_LEAVE = Permission("approve_leave", frozenset({"director", "system"}), "一天及以上的请假须由中心主任审批")
REQUEST_LEAVE_FOR_OTHERS = Permission("request_leave_for_others", CENTRE_MANAGERS,
                                      "只能为本人请假；代他人登记请假须由中心主任或系统管理员办理")
# 值周: the director (or the administrator) draws up the duty roster; the inspector on duty records inspections.
MANAGE_DUTY = Permission("manage_duty", CENTRE_MANAGERS, "值周安排须由中心主任或系统管理员排定")

PERMISSIONS = (MANAGE_STAFF, MANAGE_DEPARTMENTS, JOIN_CENTER, EDIT_CALENDAR, EDIT_SETTINGS, EDIT_CATALOG,
               APPROVE_EXTENSION, REASSIGN_CASES, SEE_CONFIDENTIAL_COMPLAINANT, DECIDE_APPEAL,
               SUPERVISE_COMPLAINT, SEE_TOWNSHIP_STATS, MANAGE_ATTENDANCE, ISSUE_SUPERVISION,
               APPROVE_HALF_DAY_LEAVE, APPROVE_LEAVE, REQUEST_LEAVE_FOR_OTHERS, MANAGE_DUTY)


def can(actor: Actor, permission: Permission) -> bool:
    """Whether the actor's role holds the permission (for showing or hiding a feature)."""
    return actor.role in permission.roles


def require(actor: Actor, permission: Permission) -> None:
    """Refuse with the permission's own message unless the actor holds it (for services)."""
    if not can(actor, permission):
        raise PermissionDenied(permission.refusal)

"""The figures of the service beyond cases — 预约, 上门服务, 延时服务 and 考勤 — each defined once like the case
figures (app.services.stats.figures takes them into FIGURES and PARTS), counted from their own areas'
records by the same scopes, at the workstation and over every node at the centre.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.models import Appointment
from app.services.appointments.after_hours import after_hours_in
from app.services.cases.lights import WorkdayCounter
from app.services.people.attendance_sheet import attendance_counts_in
from app.services.stats.kinds import (
    Counts,
    Figure,
    Grouped,
    Key,
    Part,
    add_to,
    group_by,
    key_of,
    one_scope,
    township_of,
)
from app.services.stats.periods import Period

PEOPLE_SCOPES = frozenset({"window", "staff"})  # attendance belongs to a person and their window
# 延时服务 records carry no number, so no township's division code: they cannot be split by township.
UNNUMBERED_SCOPES = frozenset({"window", "staff", "item", "node"})

SERVICE_FIGURES: tuple[Figure, ...] = (
    Figure("appointments", "预约件数", "预约到窗口办理、日期在统计期内的预约（现场、电话、网上）件数；已取消的不计。"
           "归属预约的窗口、登记人、事项和登记节点。", "件"),
    Figure("no_shows", "预约未到件数", "预约件数中标记为“未到”的件数。", "件"),
    Figure("home_visits", "上门服务次数", "日期在统计期内、已登记办理结果的上门服务（为老、弱、病、残、孤上门代办）次数。", "次"),
    Figure("after_hours", "延时服务次数", "统计期内开始的延时服务（办公时间以外或非工作日为群众办事）登记次数；"
           "归属提供服务的工作人员及其窗口。", "次", UNNUMBERED_SCOPES),
    Figure("after_hours_hours", "延时服务时长", "延时服务各次时长之和，以小时计（保留一位小数）。", "小时",
           UNNUMBERED_SCOPES),
    Figure("attendance_days", "出勤天数", "统计期内各人应出勤的工作日中签到（未迟到、早退超过30分钟）的天数之和；"
           "按中心办公时间和法定节假日安排判定，截至今日。", "天", PEOPLE_SCOPES),
    Figure("late", "迟到次数", "签到晚于上班时间超过15分钟、不超过30分钟的次数。", "次", PEOPLE_SCOPES),
    Figure("early", "早退次数", "签退早于下班时间超过15分钟、不超过30分钟的次数。", "次", PEOPLE_SCOPES),
    Figure("absent", "旷工天数", "应出勤的工作日未签到，或迟到、早退超过30分钟的天数（已批准请假的不计）。", "天",
           PEOPLE_SCOPES),
    Figure("leave", "请假天数", "已批准的请假落在统计期内工作日的天数（半天假按一天计入当日）。", "天", PEOPLE_SCOPES),
)
DERIVED_SERVICE = {
    "after_hours_hours": lambda r: round(r.get("after_hours_minutes", 0) / 60, 1),
}


_GROUPS: dict[str, Any] = {
    "window": Appointment.window, "staff": Appointment.created_by, "item": Appointment.item_code,
    "node": Appointment.origin_node, "township": township_of(Appointment.number, "appointment"),
}


def appointments(s: Session, period: Period, keys: Key) -> Grouped:
    """Window appointments by day in the period (cancelled left out), their no-shows, and home visits done."""
    groups = group_by(keys, _GROUPS)
    visit = and_(Appointment.kind == "visit", Appointment.status != "cancelled")

    def counted(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(sql_case((condition, 1), else_=0))

    stmt = (select(*groups, counted(visit), counted(and_(visit, Appointment.status == "no_show")),
                   counted(and_(Appointment.kind == "home", Appointment.status == "done")))
            .where(Appointment.day >= period.first, Appointment.day <= period.last).group_by(*groups))
    out: Grouped = {}
    for row in s.execute(stmt):
        booked, missed, home = tuple(row)[len(keys):]
        if booked or missed or home:
            add_to(out, key_of(row, keys), appointments=booked, no_shows=missed, home_visits=home)
    return out


def _after_hours(s: Session, period: Period, by: str | None, today: date, counter: WorkdayCounter) -> Counts:
    return after_hours_in(s, period, by)


def _attendance(s: Session, period: Period, by: str | None, today: date, counter: WorkdayCounter) -> Counts:
    last = min(period.last, today)  # days still to come owe nothing yet
    if last < period.first:
        return {}
    return attendance_counts_in(s, period.first, last, by, counter.calendar, today)


SERVICE_PARTS: tuple[Part, ...] = (
    Part(frozenset({"appointments", "no_shows", "home_visits"}),
         lambda s, p, keys, today, counter: appointments(s, p, keys)),
    Part(frozenset({"after_hours", "after_hours_hours"}), one_scope(_after_hours), one_scope=True),
    Part(frozenset({"attendance_days", "late", "early", "absent", "leave"}), one_scope(_attendance), one_scope=True),
)

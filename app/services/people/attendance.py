"""考勤: signing in and out, and the one definition of a day's mark (正常、迟到、早退、旷工、未签退、请假).

Seed 003 (考勤管理): 迟到或早退超过15分钟的，作迟到或早退处理；超过30分钟的，作旷工处理. The day is judged
against the centre's office hours (setting office_hours, "08:30-12:00,13:00-17:30": the sign-in against
the first period's start, the sign-out against the last period's end) and the working-day calendar
(app.services.calendar): a rest day or holiday needs no attendance, a 调休 working Saturday does.

Times are judged to the minute a clerk reads on the record (seconds dropped): signing in at 08:45:59
is 15 minutes late, which is not "more than 15". Records are append-only; a second sign-in or sign-out
the same day is refused here, and should two arrive by sync (one person at two workstations) the
earliest sign-in and the latest sign-out count. Everything here is Qt-free; the sheet, the counts for
the statistics and the exports are in attendance_sheet.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import local_now, utc_now
from app.database import Database
from app.models import ATTENDANCE_KINDS, Attendance, CenterSetting, Staff
from app.services.calendar.holidays import load_calendar
from app.services.calendar.workdays import OfficeHours, WorkCalendar
from app.services.errors import ValidationError
from app.services.people.leave import is_half_day, leave_days_between
from app.services.people.permissions import MANAGE_ATTENDANCE, can, require
from app.services.settings import CenterSettings, hours_or_default, office_hours

LATE_AFTER_MINUTES = 15
"""Seed 003 考勤管理(三): signing in more than 15 minutes after the start is 迟到 (exactly 15 is not)."""
EARLY_AFTER_MINUTES = 15
"""Seed 003 考勤管理(三): signing out more than 15 minutes before the end is 早退 (exactly 15 is not)."""
ABSENT_AFTER_MINUTES = 30
"""Seed 003 考勤管理(三): late or early by more than 30 minutes counts as 旷工 (exactly 30 is 迟到/早退)."""
MAX_STAFF_NO = 20  # the staff table's 工号 length
ATTENDANCE_KIND_LABELS = ATTENDANCE_KINDS  # 签到 / 签退, for screens (which do not import app.models)

# A day's status; `present` carries the flags late / early / no_sign_out.
STATUS_LABELS = {"present": "正常", "absent": "旷工", "leave": "请假", "rest": "休息日", "pending": "未到时间",
                 "before_start": "未入职"}
MARK_NORMAL, MARK_LATE, MARK_EARLY, MARK_ABSENT, MARK_LEAVE, MARK_REST, MARK_NO_SIGN_OUT = (
    "√", "迟", "早", "旷", "假", "—", "未")
LEGEND = (f"{MARK_NORMAL} 正常　{MARK_LATE} 迟到（超过{LATE_AFTER_MINUTES}分钟）　"
          f"{MARK_EARLY} 早退（超过{EARLY_AFTER_MINUTES}分钟）　{MARK_ABSENT} 旷工（迟到或早退超过{ABSENT_AFTER_MINUTES}分钟，"
          f"或工作日未签到）　{MARK_NO_SIGN_OUT} 未签退　{MARK_LEAVE} 请假　{MARK_REST} 休息日　空白：未到日期或未入职")


@dataclass(frozen=True)
class DayMark:
    """One person's working day as the rules judge it: what the sheet, the screen and the counts show."""

    day: date
    status: str  # a key of STATUS_LABELS
    sign_in: datetime | None = None  # local time
    sign_out: datetime | None = None
    late_minutes: int = 0
    early_minutes: int = 0
    late: bool = False
    early: bool = False
    no_sign_out: bool = False
    leave: str = ""  # the leave's own label (事假、病假…) from the leave input

    @property
    def mark(self) -> str:
        """The sheet's short mark: √ 迟 早 旷 假 — 未 (combined, e.g. 迟早, 迟未), blank when not due."""
        if self.status == "present":
            flags = (MARK_LATE if self.late else "") + (MARK_EARLY if self.early else "") + (
                MARK_NO_SIGN_OUT if self.no_sign_out else "")
            return flags or MARK_NORMAL
        return {"absent": MARK_ABSENT, "leave": MARK_LEAVE, "rest": MARK_REST}.get(self.status, "")

    @property
    def label(self) -> str:
        """The long form for the screen: 迟到 17 分钟、未签退; 旷工（未签到）; 请假（病假）."""
        if self.status == "present":
            parts = []
            if self.late:
                parts.append(f"迟到 {self.late_minutes} 分钟")
            if self.early:
                parts.append(f"早退 {self.early_minutes} 分钟")
            if self.no_sign_out:
                parts.append("未签退")
            return "、".join(parts) or "正常"
        if self.status == "absent":
            if self.sign_in is None:
                return "旷工（未签到）"
            minutes = max(self.late_minutes, self.early_minutes)
            what = "迟到" if self.late_minutes >= self.early_minutes else "早退"
            return f"旷工（{what} {minutes} 分钟）"
        if self.status == "leave":
            return f"请假（{self.leave}）" if self.leave and self.leave != "请假" else "请假"
        return STATUS_LABELS[self.status]

    @property
    def working(self) -> bool:
        """A working day the person owed attendance on (counted in the totals)."""
        return self.status in ("present", "absent", "leave")


def _minute(moment: datetime | time) -> int:
    return moment.hour * 60 + moment.minute


def judge_day(day: date, sign_in: datetime | None, sign_out: datetime | None, *, workday: bool,
              hours: OfficeHours, today: date, leave: str = "", started: date | None = None) -> DayMark:
    """The mark of one person's day: the single definition every screen, sheet and count uses.

    `sign_in`/`sign_out` are local times (the earliest sign-in, the latest sign-out); `today` decides
    whether a day is over (a missing sign-in or sign-out counts only once the day has passed); `leave`
    is the leave input's label for the day; `started` is when the account was created (days before
    it owe nothing, unless the person signed in: an account made at the centre after the fact)."""
    if not workday:
        return DayMark(day, "rest", sign_in, sign_out)
    if started is not None and day < started and sign_in is None:
        return DayMark(day, "before_start", sign_in, sign_out)
    if leave:
        return DayMark(day, "leave", sign_in, sign_out, leave=leave)
    over = day < today
    if sign_in is None:
        return DayMark(day, "absent" if over else "pending", None, sign_out)
    late = max(0, _minute(sign_in) - _minute(hours.periods[0][0]))
    early = max(0, _minute(hours.closing_time()) - _minute(sign_out)) if sign_out is not None else 0
    if late > ABSENT_AFTER_MINUTES or early > ABSENT_AFTER_MINUTES:
        return DayMark(day, "absent", sign_in, sign_out, late, early)
    return DayMark(day, "present", sign_in, sign_out, late, early, late=late > LATE_AFTER_MINUTES,
                   early=early > EARLY_AFTER_MINUTES, no_sign_out=sign_out is None and over)


def office_hours_in(s: Session) -> OfficeHours:
    """As office_hours, read inside a session (also from the centre's copy of the settings)."""
    stored = s.scalar(select(CenterSetting.value).where(CenterSetting.key == "office_hours"))
    return hours_or_default(stored if stored is not None else CenterSettings().office_hours)


@dataclass(frozen=True)
class Rules:
    """What judging a span of days needs, read once: the calendar, the hours and today."""

    calendar: WorkCalendar
    hours: OfficeHours
    today: date

    def judge(self, day: date, sign_in: datetime | None, sign_out: datetime | None, leave: str = "",
              started: date | None = None) -> DayMark:
        return judge_day(day, sign_in, sign_out, workday=self.calendar.is_workday(day), hours=self.hours,
                         today=self.today, leave=leave, started=started)


def load_rules(db: Database) -> Rules:
    return Rules(load_calendar(db), office_hours(db), local_now().date())


Signs = dict[tuple[str, date], tuple[datetime | None, datetime | None]]  # (staff, day) → (in, out), local


def read_signs(db: Database, date_from: date, date_to: date, staff_no: str | None = None) -> Signs:
    """Earliest sign-in and latest sign-out per person and day in [date_from, date_to], in local time."""
    with db.session() as s:
        return read_signs_in(s, date_from, date_to, staff_no)


def read_signs_in(s: Session, date_from: date, date_to: date, staff_no: str | None = None) -> Signs:
    """As read_signs, inside a session (the statistics count at the workstation and at the centre)."""
    query = (select(Attendance.staff_no, Attendance.day, Attendance.kind, func.min(Attendance.at),
                    func.max(Attendance.at))
             .where(Attendance.day >= date_from, Attendance.day <= date_to)
             .group_by(Attendance.staff_no, Attendance.day, Attendance.kind))
    if staff_no is not None:
        query = query.where(Attendance.staff_no == staff_no)
    out: Signs = {}
    for no, day, kind, first, last in s.execute(query).all():
        sign_in, sign_out = out.get((no, day), (None, None))
        if kind == "sign_in":
            sign_in = _local(first)
        elif kind == "sign_out":
            sign_out = _local(last)
        out[(no, day)] = (sign_in, sign_out)
    return out


def _local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.astimezone() if moment.tzinfo is not None else moment


@dataclass(frozen=True)
class SignResult:
    staff_no: str
    name: str
    kind: str  # sign_in | sign_out
    at: datetime  # local
    mark: DayMark

    @property
    def message(self) -> str:
        """What the clerk reads: 签到 08:47，迟到 17 分钟 / 签退 17:35，正常."""
        head = f"{ATTENDANCE_KINDS[self.kind]} {self.at:%H:%M}"
        mark = self.mark
        if mark.status == "rest":
            return f"{head}（今天不是工作日，不计考勤）"
        if mark.status == "leave":
            return f"{head}（今天已请假：{mark.leave}）"
        if self.kind == "sign_in":
            minutes, limit, what = mark.late_minutes, LATE_AFTER_MINUTES, "迟到"
        else:
            minutes, limit, what = mark.early_minutes, EARLY_AFTER_MINUTES, "早退"
        if minutes > ABSENT_AFTER_MINUTES:
            return f"{head}，{what} {minutes} 分钟（超过{ABSENT_AFTER_MINUTES}分钟，按旷工计）"
        if minutes > limit:
            return f"{head}，{what} {minutes} 分钟"
        return f"{head}，正常"


def _check_staff_no(staff_no: str) -> str:
    staff_no = staff_no.strip()
    if not staff_no:
        raise ValidationError("请填写工号")
    if len(staff_no) > MAX_STAFF_NO:
        raise ValidationError(f"工号不超过{MAX_STAFF_NO}个字符")
    return staff_no


def _leave_on(db: Database, staff_no: str, day: date) -> str:
    """The approved leave's label for this person's day ('' when none): the sheet's 假 reads the same."""
    return leave_days_between(db, day, day).get((staff_no, day), "")


def sign(db: Database, actor: Actor, staff_no: str, kind: str) -> SignResult:
    """Record a sign-in or sign-out now for `staff_no` and say how the day stands.

    A person signs for themselves; the director, an administrator or the command line may sign for
    anyone. Refused with a Chinese message, nothing stored: an unknown or disabled 工号, a second
    sign-in (or sign-out) the same day, a sign-out before the sign-in."""
    if kind not in ATTENDANCE_KINDS:
        raise ValidationError("考勤类型应为签到或签退")
    staff_no = _check_staff_no(staff_no)
    if staff_no != actor.staff_no:
        require(actor, MANAGE_ATTENDANCE)
    rules = load_rules(db)
    now = utc_now()
    local = now.astimezone()
    day = local.date()
    with db.session(actor) as s:
        person = s.execute(select(Staff.name, Staff.active).where(Staff.staff_no == staff_no)).first()
        if person is None:
            raise ValidationError(f"工号 {staff_no} 不是本中心的工作人员，请核对")
        if not person.active:
            raise ValidationError(f"工号 {staff_no}（{person.name}）的账号已停用，不能签到签退")
        done: dict[str, datetime] = dict(s.execute(select(Attendance.kind, func.min(Attendance.at))
                              .where(Attendance.staff_no == staff_no, Attendance.day == day)
                              .group_by(Attendance.kind)).all())
        if kind in done:
            earlier = _local(done[kind])
            assert earlier is not None
            raise ValidationError(f"{person.name}今天已于 {earlier:%H:%M} {ATTENDANCE_KINDS[kind]}，不能重复{ATTENDANCE_KINDS[kind]}")
        if kind == "sign_out" and "sign_in" not in done:
            raise ValidationError(f"{person.name}今天还没有签到，请先签到再签退")
        s.add(Attendance(staff_no=staff_no, day=day, kind=kind, at=now))
        sign_in = _local(done.get("sign_in")) if kind == "sign_out" else local
        sign_out = local if kind == "sign_out" else None
    mark = rules.judge(day, sign_in, sign_out, leave=_leave_on(db, staff_no, day))
    return SignResult(staff_no, person.name, kind, local, mark)


@dataclass(frozen=True)
class Today:
    """Where one person stands today: for the login offer and the 考勤 screen's buttons."""

    staff_no: str
    day: date
    workday: bool
    sign_in: datetime | None
    sign_out: datetime | None
    mark: DayMark

    @property
    def offer_sign_in(self) -> bool:
        """The first login of a working day offers sign-in until the person has signed in; not on a day
        of approved leave (half a day's leave still works the other half: offered)."""
        on_leave = self.mark.status == "leave" and not is_half_day(self.mark.leave)
        return self.workday and self.sign_in is None and not on_leave


def today_of(db: Database, staff_no: str) -> Today:
    rules = load_rules(db)
    day = rules.today
    sign_in, sign_out = read_signs(db, day, day, staff_no).get((staff_no, day), (None, None))
    mark = rules.judge(day, sign_in, sign_out, leave=_leave_on(db, staff_no, day))
    return Today(staff_no, day, rules.calendar.is_workday(day), sign_in, sign_out, mark)


def may_see_everyone(actor: Actor) -> bool:
    """The director and administrators see (and print) everyone's sheet; others their own marks."""
    return can(actor, MANAGE_ATTENDANCE)

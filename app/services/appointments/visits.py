"""Whether a one-time notice cost the citizen a trip (跑动次数), and whether a case is a home visit's result.

A notice issued with a 电话 or 网上 booking, or with a 上门服务, was given without the citizen coming to
the window, so a case that follows it counts no trip for the notice; a 现场 booking's notice was a visit.
This is the one definition the case projection (app.services.cases.records) uses when it counts trips.
A case that follows a home visit's notice and would be that visit's result (its item, its citizen, on
the visit's day: `home_case_problem`) was accepted at the citizen's home (`accepted_at_home`): its
acceptance event says so and counts no trip either.
The case a home visit produced must be that visit's: this item, this citizen, accepted on the visit's
day and not before the booking (`home_case_problem`), whether named by hand or linked by its notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Appointment, Case

REMOTE_CHANNELS = ("phone", "online")


def notice_without_visit(s: Session, notice_number: str) -> bool:
    """True when the notice was issued for a 电话/网上 booking or a 上门服务 (the citizen did not come)."""
    if not notice_number.strip():
        return False
    return s.scalar(select(Appointment.id).where(
        Appointment.notice_number == notice_number.strip()[:24],
        or_(Appointment.channel.in_(REMOTE_CHANNELS), Appointment.kind == "home")).limit(1)) is not None


def followed_notice(s: Session, notice_number: str) -> bool:
    """Whether a case following `notice_number` counts a trip for fetching that notice."""
    return bool(notice_number.strip()) and not notice_without_visit(s, notice_number)


def home_day_problem(visit_day: date, accepted_on: date) -> str | None:
    """The one rule for the day of a 上门受理: a case is accepted at home on the visit's day, no other.
    Asked before the acceptance opens (checkin.ready_for_home_accept, with today) and when a case is
    linked (home_case_problem, with its acceptance day), so what the UI offers is what the link takes."""
    if accepted_on == visit_day:
        return None
    return f"上门受理的办件须在上门服务当天（{visit_day.isoformat()}）受理"


@dataclass(frozen=True)
class Accepted:
    """What of a case the home-visit rule reads: the case as stored, or a form being accepted now."""

    number: str
    item_code: str
    item_name: str
    applicant_id_number: str
    applicant_name: str
    accepted_at: datetime

    @classmethod
    def of(cls, case: Case) -> Accepted:
        return cls(case.number, case.item_code, case.item_name, case.applicant_id_number, case.applicant_name,
                   case.accepted_at)


def accepted_at_home(s: Session, notice_number: str, case: Accepted) -> bool:
    """Whether an acceptance following `notice_number` is a 上门受理: the notice is a home visit's and the
    case would be that visit's result (home_case_problem, the rule the link uses: its item, its citizen,
    its day). Such an acceptance is no trip for the citizen (app.services.cases.lifecycle.trips_after)."""
    if not notice_number.strip():
        return False
    visits = s.scalars(select(Appointment).where(Appointment.notice_number == notice_number.strip()[:24],
                                                 Appointment.kind == "home"))
    return any(home_case_problem(visit, case) is None for visit in visits)


def home_case_problem(row: Appointment, case: Case | Accepted) -> str | None:
    """Why `case` cannot be the result of home visit `row` (a Chinese sentence), or None."""
    if isinstance(case, Case):
        case = Accepted.of(case)
    if case.item_code != row.item_code:
        return f"办件 {case.number} 办理的是“{case.item_name}”，不是本次上门服务预约的“{row.item_name}”"
    booked_id = row.citizen_id_number.strip().upper()
    if booked_id:
        if case.applicant_id_number.strip().upper() != booked_id:
            return f"办件 {case.number} 的申请人证件号码与上门服务预约人 {row.citizen_name} 的不符"
    elif case.applicant_name.strip() != row.citizen_name.strip():
        return f"办件 {case.number} 的申请人“{case.applicant_name}”不是上门服务预约人“{row.citizen_name}”"
    accepted = case.accepted_at.astimezone()
    if accepted < row.created_at.astimezone():
        return f"办件 {case.number} 受理于 {accepted:%Y-%m-%d %H:%M}，早于本次上门服务的预约登记"
    day_problem = home_day_problem(row.day, accepted.date())
    if day_problem:
        return f"办件 {case.number} 受理于 {accepted:%Y-%m-%d}，{day_problem}"
    return None


def link_in(s: Session, notice_number: str, case: Accepted, now: datetime) -> str | None:
    """In the acceptance's own transaction: the appointment waiting on the notice the case follows is done
    and names the case. Its number; None when none waits, or a home visit's case would not be this one
    (home_case_problem: the applicant edited to someone else is not the visit's case)."""
    if not notice_number.strip():
        return None
    row = s.scalar(select(Appointment).where(Appointment.notice_number == notice_number.strip()[:24],
                                             Appointment.status.in_(("booked", "arrived"))))
    if row is None or (row.kind == "home" and home_case_problem(row, case) is not None):
        return None
    if row.kind == "home":
        row.outcome = "上门受理"  # the case's number is kept beside it (case_number), not repeated here
    if row.status == "booked":
        row.arrived_at = case.accepted_at
    row.status = "done"
    row.case_number = case.number
    row.closed_at = now
    return row.number

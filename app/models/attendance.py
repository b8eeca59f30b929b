"""考勤 (attendance): one row per sign-in or sign-out, written by the workstation where the person signs.

Append-only like the case history: a record is never changed or deleted (triggers in migration 0020);
the day's marks (正常、迟到、早退、旷工、未签退) are computed from the records, the centre's office hours
and the working-day calendar (app.services.people.attendance), never stored. The node where the person
signed is the row's origin_node. There is no unique key on (staff_no, day, kind) on purpose: one person
may sign at two workstations before they sync, and a rejected row would stall replication; the service
refuses a second sign-in locally and, should two arrive by sync, the earliest sign-in counts.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime

ATTENDANCE_KINDS = {"sign_in": "签到", "sign_out": "签退"}


class Attendance(Replicated, Base):
    __tablename__ = "attendance"
    __table_args__ = (Index("ix_attendance_day_staff", "day", "staff_no"),)

    staff_no: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)  # the local calendar day of `at` where it was signed
    kind: Mapped[str] = mapped_column(String(10))  # sign_in | sign_out
    at: Mapped[datetime] = mapped_column(UtcDateTime())

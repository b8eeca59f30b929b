"""Leave (请假) with its append-only history, and the weekly duty (值周) roster and inspection records.

A leave request is kept by the node where it was made (node-owned, replicated up to the centre). What
happens to it afterwards (approval, refusal, withdrawal, the hand-over of the clerk's cases to the
stand-in and their return) is a leave_event; the status and hand-over columns are the cache of those
events, written in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime


class LeaveRequest(Replicated, Base):
    __tablename__ = "leave_request"
    __table_args__ = (Index("ix_leave_request_staff_dates", "staff_no", "from_date", "to_date"),)

    number: Mapped[str] = mapped_column(String(16), unique=True)  # QJ + node + yymmdd + sequence
    staff_no: Mapped[str] = mapped_column(String(20))
    staff_name: Mapped[str] = mapped_column(String(30), default="")
    kind: Mapped[str] = mapped_column(String(8))  # 事假/病假/年休假/婚丧假/其他
    from_date: Mapped[date] = mapped_column(Date)
    from_half: Mapped[str] = mapped_column(String(4))  # 全天/上午/下午
    to_date: Mapped[date] = mapped_column(Date)
    to_half: Mapped[str] = mapped_column(String(4))
    half_days: Mapped[int] = mapped_column(Integer)  # working half-days on the holiday calendar
    reason: Mapped[str] = mapped_column(String(200), default="")
    stand_in: Mapped[str] = mapped_column(String(20), default="")  # staff_no of the named stand-in (AB岗)
    status: Mapped[str] = mapped_column(String(12), index=True)  # pending/approved/rejected/cancelled
    approved_by: Mapped[str] = mapped_column(String(30), default="")  # who decided (name and number)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")  # the approver's note
    handed_over: Mapped[bool] = mapped_column(Boolean, default=False)  # the cases went to the stand-in
    handed_back: Mapped[bool] = mapped_column(Boolean, default=False)  # and came back (exactly once)


class LeaveEvent(Replicated, Base):
    __tablename__ = "leave_event"

    leave_id: Mapped[str] = mapped_column(ForeignKey("leave_request.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    staff_name: Mapped[str] = mapped_column(String(30), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")


class DutyRoster(Replicated, Base):
    """Who inspects in a week (值周); the latest row for a week is the roster (a change adds a row)."""

    __tablename__ = "duty_roster"

    week: Mapped[date] = mapped_column(Date, index=True)  # the Monday
    staff_no: Mapped[str] = mapped_column(String(20))
    staff_name: Mapped[str] = mapped_column(String(30), default="")
    set_by: Mapped[str] = mapped_column(String(30), default="")
    set_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DutyInspection(Replicated, Base):
    """One inspection of one window during a duty week: findings and 合格/需整改."""

    __tablename__ = "duty_inspection"

    week: Mapped[date] = mapped_column(Date, index=True)  # the Monday
    window_name: Mapped[str] = mapped_column(String(60))
    inspector_no: Mapped[str] = mapped_column(String(20))
    inspector_name: Mapped[str] = mapped_column(String(30), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    findings: Mapped[str] = mapped_column(String(1000), default="")
    result: Mapped[str] = mapped_column(String(8))  # pass/fix

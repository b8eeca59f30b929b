"""Appointments (预约), home visits (上门服务) and after-hours service (延时服务).

An appointment is owned by the node that booked it and replicates up like a notice; its status moves
booked → arrived → done (or no_show / cancelled) and the case it produced is written beside it, so the
status column is the record's own state, not a cache of events. After-hours service is one row per
period of work outside office hours, counted in the statistics.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime


class Appointment(Replicated, Base):
    __tablename__ = "appointment"
    __table_args__ = (Index("ix_appointment_day_window_slot", "day", "window", "slot"),)

    number: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(8))  # visit (到窗口) | home (上门服务)
    channel: Mapped[str] = mapped_column(String(8))  # onsite | phone | online
    purpose: Mapped[str] = mapped_column(String(8), default="accept")  # accept (办理) | inquiry (咨询)
    item_code: Mapped[str] = mapped_column(String(40))
    item_name: Mapped[str] = mapped_column(String(100))
    citizen_name: Mapped[str] = mapped_column(String(40))
    citizen_phone: Mapped[str] = mapped_column(String(20))
    citizen_id_number: Mapped[str] = mapped_column(String(30), default="")
    day: Mapped[date] = mapped_column(Date)
    slot: Mapped[str] = mapped_column(String(11))  # "08:30-09:30"
    window: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(12))
    notice_number: Mapped[str] = mapped_column(String(24), default="", index=True)
    address: Mapped[str] = mapped_column(String(120), default="")  # 上门: where
    reason: Mapped[str] = mapped_column(String(12), default="")  # 上门: elderly | sick | disabled | alone
    visitor_no: Mapped[str] = mapped_column(String(20), default="")  # 上门: who goes
    outcome: Mapped[str] = mapped_column(Text, default="")
    case_number: Mapped[str] = mapped_column(String(24), default="", index=True)
    created_by: Mapped[str] = mapped_column(String(20))
    created_by_name: Mapped[str] = mapped_column(String(30), default="")
    arrived_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class AfterHoursService(Replicated, Base):
    __tablename__ = "after_hours_service"

    staff_no: Mapped[str] = mapped_column(String(20), index=True)
    staff_name: Mapped[str] = mapped_column(String(30))
    window: Mapped[str] = mapped_column(String(60), default="")
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    ended_at: Mapped[datetime] = mapped_column(UtcDateTime())
    item_code: Mapped[str] = mapped_column(String(40), default="")
    case_number: Mapped[str] = mapped_column(String(24), default="")
    purpose: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[str] = mapped_column(String(20), default="")

"""The official holiday schedule: rest days and make-up working days (调休) by date.

Owned by the centre and flowing down. A year is "covered" once its schedule has been loaded; for a
year that is not, weekdays count as working days and deadlines are marked provisional.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated

DAY_KINDS = {"holiday": "放假", "workday": "调休上班"}


class CalendarDay(Replicated, Base):
    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(30), default="")


class CalendarYear(Replicated, Base):
    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(Integer, unique=True)
    source: Mapped[str] = mapped_column(String(120))

"""Staff accounts. Accounts replicate (a clerk can log in at any window); lock-out state is local."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime

ROLES = {"clerk": "窗口工作人员", "agent": "代办员", "director": "中心主任", "admin": "系统管理员",
         "unit_head": "单位负责人"}  # unit_head: approves half-day leave (请假)


class Staff(Replicated, Base):
    __tablename__ = "staff"

    staff_no: Mapped[str] = mapped_column(String(20), unique=True)  # 工号，也是登录名
    name: Mapped[str] = mapped_column(String(30))
    role: Mapped[str] = mapped_column(String(10))
    workplace: Mapped[str] = mapped_column(String(60), default="")  # 所在窗口或代办点
    phone: Mapped[str] = mapped_column(String(20), default="")
    backup_for_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"), nullable=True)  # B岗
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class LoginState(Base):
    """Failed-login counter and lock-out per account, kept on this machine only."""

    __tablename__ = "login_state"

    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

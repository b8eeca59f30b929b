"""This workstation's identity and local settings; never replicated, one row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime
from app.node_identity import NODE_KINDS  # noqa: F401 - one definition, re-exported for models


class NodeInfo(Base):
    __tablename__ = "node_info"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    center_code: Mapped[str] = mapped_column(String(9))
    center_name: Mapped[str] = mapped_column(String(60))
    node_code: Mapped[str] = mapped_column(String(2))
    node_name: Mapped[str] = mapped_column(String(60))
    node_kind: Mapped[str] = mapped_column(String(10))
    training: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AppMeta(Base):
    """Key/value facts about the database itself, such as its schema major version."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class CenterSetting(Replicated, Base):
    """A setting owned by the centre (supervision phone, address...); flows down to workstations."""

    __tablename__ = "center_setting"

    key: Mapped[str] = mapped_column(String(40), unique=True)
    value: Mapped[str] = mapped_column(String(200))

"""The service catalogue (事项清单): items with their 办事指南 elements and required materials.

The centre owns the catalogue; it flows down to windows. Items are never deleted, only retired
with a date, because cases refer to them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Replicated
from app.models.cases import CASE_CLASS_LABELS

# The classes an item may default to; their names come from the one label table of case classes.
CASE_CLASSES = {key: CASE_CLASS_LABELS[key] for key in ("immediate", "promised", "joint")}


class ServiceItem(Replicated, Base):
    __tablename__ = "service_item"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    aliases: Mapped[str] = mapped_column(Text, default="")  # 简称，以"、"分隔
    category: Mapped[str] = mapped_column(String(40))
    department: Mapped[str] = mapped_column(String(60))
    co_departments: Mapped[str] = mapped_column(Text, default="")  # 联办部门，以"、"分隔
    legal_basis: Mapped[str] = mapped_column(Text)
    conditions: Mapped[str] = mapped_column(Text)
    procedure: Mapped[str] = mapped_column(Text)
    legal_limit_days: Mapped[int] = mapped_column(Integer)
    promised_limit_days: Mapped[int] = mapped_column(Integer)
    default_case_class: Mapped[str] = mapped_column(String(12))
    agent_allowed: Mapped[bool] = mapped_column(Boolean)  # on the village list (可代办): app.services.catalog.agency
    fee: Mapped[str] = mapped_column(Text)
    fee_basis: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(Text)
    office_hours: Mapped[str] = mapped_column(Text)
    consult_phone: Mapped[str] = mapped_column(String(20))
    supervise_phone: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    effective_date: Mapped[date] = mapped_column(Date)
    retired_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    search_initials: Mapped[str] = mapped_column(Text, default="")  # 拼音首字母，写入时计算
    search_pinyin: Mapped[str] = mapped_column(Text, default="")  # 全拼，写入时计算

    materials: Mapped[list[ItemMaterial]] = relationship(
        back_populates="item", order_by="ItemMaterial.seq", cascade="all, delete-orphan"
    )


class ItemMaterial(Replicated, Base):
    __tablename__ = "item_material"
    __table_args__ = (UniqueConstraint("item_id", "seq", name="uq_item_material_item_seq"),)

    item_id: Mapped[str] = mapped_column(ForeignKey("service_item.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    originals_kept: Mapped[int] = mapped_column(Integer, default=0)  # 原件收取
    originals_checked: Mapped[int] = mapped_column(Integer, default=0)  # 原件核验后退还
    copies: Mapped[int] = mapped_column(Integer, default=0)
    electronic: Mapped[bool] = mapped_column(Boolean, default=False)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    condition: Mapped[str] = mapped_column(Text, default="")  # 非必要材料的适用情形
    description: Mapped[str] = mapped_column(Text, default="")
    form_name: Mapped[str] = mapped_column(String(120), default="")  # 表格或样表名称
    source_department: Mapped[str] = mapped_column(String(60), default="")  # 联办时要求该材料的部门

    item: Mapped[ServiceItem] = relationship(back_populates="materials")

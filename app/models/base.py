"""Declarative base and the columns every replicated row carries from day one.

A replicated row is keyed by a locally generated UUIDv7, names the node that created it, and keeps
created/updated times in UTC; the change-capture hook in app.models.tracking fills these and
records an outbox entry in the same transaction, so replication (built later) loses nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, String, Table, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.ids import uuid7

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Stores UTC without zone (SQLite has none) and hands back aware datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Replicated:
    """Mixin for rows that will replicate; see the module docstring."""

    __replicated__ = True
    __tablename__: str

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    origin_node: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


def table_of(model: type[Any]) -> Table:
    """A mapped class's Table, typed as one (for Core statements that bypass change capture)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table

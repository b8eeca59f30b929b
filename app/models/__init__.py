"""SQLAlchemy models of the local database. Importing this package registers every table."""

from app.models.audit import AuditEntry, OutboxEntry
from app.models.base import Base, Replicated
from app.models.catalog import CASE_CLASSES, ItemMaterial, ServiceItem
from app.models.node import NODE_KINDS, AppMeta, NodeInfo
from app.models.staff import ROLES, LoginState, Staff

__all__ = [
    "AppMeta",
    "AuditEntry",
    "Base",
    "CASE_CLASSES",
    "ItemMaterial",
    "LoginState",
    "NODE_KINDS",
    "NodeInfo",
    "OutboxEntry",
    "ROLES",
    "Replicated",
    "ServiceItem",
    "Staff",
]

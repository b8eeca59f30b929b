"""SQLAlchemy models of the local database. Importing this package registers every table."""

from app.models.appointments import AfterHoursService, Appointment
from app.models.attachments import BlobUpload, CasePage
from app.models.attendance import ATTENDANCE_KINDS, Attendance
from app.models.audit import AuditEntry, OutboxEntry
from app.models.base import Base, Replicated
from app.models.calendar import DAY_KINDS, CalendarDay, CalendarYear
from app.models.cases import CASE_CLASS_LABELS, Case, CaseEvent
from app.models.catalog import CASE_CLASSES, ItemMaterial, ServiceItem
from app.models.complaints import Complaint, ComplaintEvent
from app.models.documents import ISSUED_DOC_TYPES, IssuedDocument
from app.models.inquiry import (
    CHANNELS,
    DOC_TYPES,
    OUTCOMES,
    Department,
    DocSequence,
    Inquiry,
    Notice,
    PrintRecord,
)
from app.models.leave import DutyInspection, DutyRoster, LeaveEvent, LeaveRequest
from app.models.node import NODE_KINDS, AppMeta, CenterSetting, NodeInfo
from app.models.queue import QueueLink, QueueVisit
from app.models.ratings import Rating, RatingOutweighed
from app.models.rectifications import Rectification, RectificationEvent
from app.models.staff import ROLES, LoginState, Staff
from app.models.supervision import Supervision, SupervisionAnswer
from app.models.sync import AuthorityProof, HeldChange, SyncIssue, SyncSeen, SyncState

__all__ = [
    "AfterHoursService",
    "Appointment",
    "AppMeta",
    "ATTENDANCE_KINDS",
    "Attendance",
    "AuditEntry",
    "AuthorityProof",
    "BlobUpload",
    "Base",
    "CASE_CLASSES",
    "CASE_CLASS_LABELS",
    "Case",
    "CasePage",
    "CaseEvent",
    "Complaint",
    "ComplaintEvent",
    "CalendarDay",
    "CalendarYear",
    "DAY_KINDS",
    "CenterSetting",
    "CHANNELS",
    "DOC_TYPES",
    "Department",
    "DocSequence",
    "HeldChange",
    "ISSUED_DOC_TYPES",
    "IssuedDocument",
    "Inquiry",
    "Notice",
    "OUTCOMES",
    "PrintRecord",
    "QueueLink",
    "QueueVisit",
    "ItemMaterial",
    "LoginState",
    "NODE_KINDS",
    "NodeInfo",
    "OutboxEntry",
    "ROLES",
    "Rating",
    "RatingOutweighed",
    "DutyInspection",
    "DutyRoster",
    "LeaveEvent",
    "LeaveRequest",
    "Rectification",
    "RectificationEvent",
    "Replicated",
    "ServiceItem",
    "Staff",
    "Supervision",
    "SupervisionAnswer",
    "SyncIssue",
    "SyncSeen",
    "SyncState",
]

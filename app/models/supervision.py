"""督办 (supervision records, GB/T 39046 fields) and their answers.

Two tables instead of one row that both sides edit: the centre trusts a device only for the rows it owns
(app.center.apply keeps a row with its writer), so the 督办 is written by the node that issues it (a
director's workstation, or for an automatic record the node holding the case) and the answer is a row of
its own written by the addressed window. Each replicates from its writer without a conflict, and the
state (待答复 / 已答复 / 逾期未答复) is read from both, counting only an answer written by the addressed node.
No column is named case_id or doc_number: a 督办 is not a write to the case (app.center.handover would
otherwise let only the case's holder send it).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime


class Supervision(Replicated, Base):
    __tablename__ = "supervision"
    __table_args__ = (Index("ix_supervision_to_node_due", "to_node", "due_date"),)

    number: Mapped[str] = mapped_column(String(30))  # 督办编号 as shown; the id is the 监察编号
    target_kind: Mapped[str] = mapped_column(String(12))  # case | complaint
    case_number: Mapped[str] = mapped_column(String(24), index=True)  # 办件编号 (or the complaint's number)
    content: Mapped[str] = mapped_column(Text)  # 督办内容
    org_name: Mapped[str] = mapped_column(String(60), default="")  # 机构名称: the centre
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())  # 督办发出时间
    rule_code: Mapped[str] = mapped_column(String(4))  # 监察规则编号: R01 R02 R03 R99
    warning_type: Mapped[str] = mapped_column(String(8))  # 监察预警类型: yellow | red
    state_at: Mapped[datetime] = mapped_column(UtcDateTime())  # 状态产生时间: when the finding arose
    result: Mapped[str] = mapped_column(String(200), default="")  # 监察结果描述
    window: Mapped[str] = mapped_column(String(60), default="")  # 责任部门: the window (staff workplace)
    to_node: Mapped[str] = mapped_column(String(2))  # the node that must answer
    due_date: Mapped[date] = mapped_column(Date)  # answer by
    issued_by_no: Mapped[str] = mapped_column(String(20), default="")
    issued_by_name: Mapped[str] = mapped_column(String(30), default="")
    auto: Mapped[bool] = mapped_column(Boolean, default=False)


class SupervisionAnswer(Replicated, Base):
    __tablename__ = "supervision_answer"

    supervision_id: Mapped[str] = mapped_column(String(36), index=True)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    staff_no: Mapped[str] = mapped_column(String(20), default="")
    staff_name: Mapped[str] = mapped_column(String(30), default="")
    text: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(String(12))  # rectified | explained

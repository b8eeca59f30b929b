"""Ratings (好差评) a citizen gave, or the default the job gave, for one case, inquiry or notice.

A target has at most two ratings: the first (seq 1, 首评) and one follow-up (seq 2, 追评); the later
one counts. The staff member and window rated are copied from the target when the rating is given,
so a later hand-over does not move a rating to someone else. The row belongs to the node that wrote
it; the default rating's id is derived from the case (uuid5), so it exists once however often and
wherever the default job runs.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime


class Rating(Replicated, Base):
    __tablename__ = "rating"
    __table_args__ = (Index("ix_rating_target", "target_number", "seq"),
                      Index("ix_rating_rated_at", "rated_at"))  # figures by period (app.services.stats)

    target_kind: Mapped[str] = mapped_column(String(8))  # case / inquiry / notice
    target_number: Mapped[str] = mapped_column(String(24))
    staff_no: Mapped[str] = mapped_column(String(20))
    staff_name: Mapped[str] = mapped_column(String(30))
    window: Mapped[str] = mapped_column(String(60), default="")
    level: Mapped[int] = mapped_column(Integer)  # 5 = 非常满意 … 1 = 非常不满意
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of national reason codes
    text: Mapped[str] = mapped_column(String(150), default="")
    private: Mapped[bool] = mapped_column(Boolean, default=False)  # 不公开
    channel: Mapped[str] = mapped_column(String(10))
    provenance: Mapped[str] = mapped_column(String(10))
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    seq: Mapped[int] = mapped_column(Integer)  # 1 = 首评, 2 = 追评

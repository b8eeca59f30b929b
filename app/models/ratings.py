"""Ratings (好差评) a citizen gave, or the default the job gave, for one case, inquiry or notice.

A target has at most two ratings: the first (seq 1, 首评) and one follow-up (seq 2, 追评); the later
one counts. The staff member and window rated are copied from the target when the rating is given,
so a later hand-over does not move a rating to someone else; so are the target's item and node (the
node that accepted or issued it), which the figures by item and by node group ratings by without
looking up each rating's case, notice or inquiry (migration 0024). The row belongs to the node that wrote
it; the default rating's id is derived from the case (uuid5), so it exists once however often and
wherever the default job runs.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated, UtcDateTime

# What the figures of a period count ratings by, after rated_at (the centre's index has the same columns).
RATING_STATS_COLUMNS = ("provenance", "level", "window", "staff_no", "item_code", "target_node", "id")


class Rating(Replicated, Base):
    __tablename__ = "rating"
    # ix_rating_rated_stats holds every column the figures of a period read (app.services.stats), so a
    # year of ratings is counted from the index alone, never from the rows scattered over the file.
    __table_args__ = (Index("ix_rating_target", "target_number", "seq"),
                      Index("ix_rating_rated_stats", "rated_at", *RATING_STATS_COLUMNS))

    target_kind: Mapped[str] = mapped_column(String(8))  # case / inquiry / notice
    target_number: Mapped[str] = mapped_column(String(24))
    staff_no: Mapped[str] = mapped_column(String(20))
    staff_name: Mapped[str] = mapped_column(String(30))
    window: Mapped[str] = mapped_column(String(60), default="")
    item_code: Mapped[str] = mapped_column(String(40), default="")  # the target's 事项 ("" for a 首问 of none)
    target_node: Mapped[str] = mapped_column(String(2), default="")  # the node that accepted or issued the target
    level: Mapped[int] = mapped_column(Integer)  # 5 = 非常满意 … 1 = 非常不满意
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of national reason codes
    text: Mapped[str] = mapped_column(String(150), default="")
    private: Mapped[bool] = mapped_column(Boolean, default=False)  # 不公开
    channel: Mapped[str] = mapped_column(String(10))
    provenance: Mapped[str] = mapped_column(String(10))
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    seq: Mapped[int] = mapped_column(Integer)  # 1 = 首评, 2 = 追评


class RatingOutweighed(Base):
    """The ratings that no longer count because the citizen rated the same target later (a 追评 replaces the
    首评; any citizen rating replaces a default): the rule of app.services.ratings.ratings.counts, kept by
    triggers on rating (migration 0023, centre c0015) whenever a rating arrives from anywhere, so a
    year's figures leave out a few thousand rows instead of looking for a later rating of every one.
    Derived and local: every database keeps its own from the ratings it holds; it is never replicated."""

    __tablename__ = "rating_outweighed"
    __table_args__ = (Index("ix_rating_outweighed_target_number", "target_number"),
                      Index("ix_rating_outweighed_rated_at", "rated_at"))

    rating_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    target_number: Mapped[str] = mapped_column(String(24))
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime())

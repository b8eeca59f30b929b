"""The citizen's voice about one case, for its history: its ratings (with their rectification) and the
complaints that name it.

They live in their own tables (a rating or complaint is not a step of the case and must not change its
state), so the case's history reads them here and shows them between its events, by time. A
complainant's identity is never part of this: the history is seen by every clerk, a confidential
complainant only by the director (app.services.complaints).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.database import Database
from app.models.complaints import Complaint
from app.models.rectifications import Rectification
from app.services.complaints.categories import CATEGORIES, FINDINGS
from app.services.complaints.categories import STATES as COMPLAINT_STATES
from app.services.ratings.codes import reason_label
from app.services.ratings.ratings import ratings_of
from app.services.ratings.rectification import STATES as RECTIFICATION_STATES


@dataclass(frozen=True)
class VoiceEntry:
    """One line of the case's history, in the shape of an event line: when, what, who, details."""

    at: datetime
    label: str
    staff: str
    text: str


def _rating_entries(db: Database, number: str) -> list[VoiceEntry]:
    ratings = ratings_of(db, number)
    with db.session() as s:
        fixes = {r.rating_id: r for r in s.scalars(select(Rectification).where(Rectification.target_number == number))}
    entries = []
    for r in ratings:
        how = r.provenance_label if r.provenance_label == r.channel_label else f"{r.provenance_label}，{r.channel_label}"
        parts = [f"{r.level_label}（{how}）", f"评价对象 {r.staff_name}（{r.staff_no}）"]
        if r.reasons:
            parts.append("原因：" + "、".join(reason_label(c) for c in r.reasons))
        if r.text:
            parts.append(f"“{r.text}”")
        if r.private:
            parts.append("群众要求不公开")
        fix = fixes.get(r.id)
        if fix is not None:
            parts.append(f"差评整改：{RECTIFICATION_STATES.get(fix.status, fix.status)}，"
                         f"{'已回访' if fix.called_back else '未回访'}")
            if fix.excluded:
                parts.append("申诉成立，不计入统计")
        if not r.counts:
            parts.append("已被后一评价取代" if r.provenance != "default" else "群众已评价，默认评价不计")
        label = "默认评价" if r.provenance == "default" else f"好差评（{r.which}）"
        entries.append(VoiceEntry(r.rated_at, label, "", "；".join(parts)))
    return entries


def _complaint_entries(db: Database, number: str) -> list[VoiceEntry]:
    with db.session() as s:
        rows = list(s.scalars(select(Complaint).where(Complaint.case_number == number)
                              .order_by(Complaint.registered_at)))
    entries = []
    for c in rows:
        parts = [f"投诉编号 {c.number}", CATEGORIES.get(c.category, str(c.category)),
                 COMPLAINT_STATES.get(c.status, c.status), f"应于 {c.due_date:%Y-%m-%d} 前答复"]
        if c.finding:
            parts.append(f"结论：{FINDINGS.get(c.finding, c.finding)}")
        entries.append(VoiceEntry(c.registered_at, "投诉", "", "；".join(parts)))
    return entries


def citizen_voice(db: Database, number: str) -> list[VoiceEntry]:
    """The ratings and complaints of a case, oldest first."""
    number = number.strip()
    return sorted(_rating_entries(db, number) + _complaint_entries(db, number), key=lambda e: e.at)

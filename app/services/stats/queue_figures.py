"""The hall queue's figures — 平均等候时长 and 平均办理时长 — counted from the tickets each window called
(queue_visit: the window's own records, replicated up), at the workstation and over every node at the centre.

The times are the centre's (taken, queued, called) and the window's end of service, all as the centre or the
window stamped them; a period holds the tickets called in it. Tickets carry no 事项 and no division code,
so these figures split by window, clerk and node only.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from app.models.queue import QueueVisit
from app.services.cases.lights import WorkdayCounter
from app.services.stats.kinds import Counts, Figure, Part, add, one_scope
from app.services.stats.periods import Period

QUEUE_SCOPES = frozenset({"window", "staff", "node"})
ENDED = ("done",)  # served to the end here; a skipped or transferred ticket has no service time at this window

QUEUE_FIGURES: tuple[Figure, ...] = (
    Figure("queue_wait_avg", "平均等候时长", "统计期内窗口叫到的排队号（含过号、转出的号）自取号至该窗口叫号的分钟数的"
           "平均数；转来的号自转入该类别时起算。归属叫号的工作人员及其窗口、节点。", "分钟", QUEUE_SCOPES),
    Figure("queue_service_avg", "平均办理时长", "统计期内叫到并办结的排队号（过号、转出的不计）自叫号至办结（点“办结”或"
           "叫下一个号）的分钟数的平均数。归属叫号的工作人员及其窗口、节点。", "分钟", QUEUE_SCOPES),
)


def _avg(total: float, count: float) -> float | None:
    return round(total / count, 1) if count else None


DERIVED_QUEUE = {
    "queue_wait_avg": lambda r: _avg(r.get("queue_wait_minutes", 0), r.get("queue_called", 0)),
    "queue_service_avg": lambda r: _avg(r.get("queue_service_minutes", 0), r.get("queue_served", 0)),
}
_GROUPS = {"window": QueueVisit.window, "staff": QueueVisit.staff_no, "node": QueueVisit.origin_node}


def _minutes(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds() / 60)


def queue_times(s: Session, period: Period, by: str | None, today: date, counter: WorkdayCounter) -> Counts:
    """Tickets called in the period by one scope: how many, their waits, and those served to the end."""
    v = QueueVisit
    group = _GROUPS[by] if by is not None else literal("")
    rows = s.execute(select(group, v.queued_at, v.called_at, v.finished_at, v.status)
                     .where(v.called_at >= period.start, v.called_at < period.end))
    out: Counts = {}
    for key, queued, called, finished, status in rows:
        add(out, key, queue_called=1, queue_wait_minutes=_minutes(queued, called))
        if status in ENDED and finished is not None:
            add(out, key, queue_served=1, queue_service_minutes=_minutes(called, finished))
    return out


QUEUE_PARTS: tuple[Part, ...] = (
    Part(frozenset({"queue_wait_avg", "queue_service_avg"}), one_scope(queue_times), one_scope=True),)

"""The default rating: a closed case nobody rated within 5 working days counts as 基本满意 (seed 001).

The job may run on every node and more than once a day; the rating must exist once. So only the node
holding the case writes it, its id is derived from the case's id (uuid5), and its content from the case
alone (rated at the start of the day after the rating period), so a second run, a restored backup or a
replica computes the very same row and finds it already there. One query finds every candidate; the
rows go in by batches through insert_tracked, so they replicate and are audited like any other.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.actor import SYSTEM_ACTOR
from app.clock import utc_now
from app.database import Database
from app.models import Case, CaseEvent
from app.models.ratings import Rating
from app.models.tracking import insert_tracked
from app.services.calendar.holidays import load_calendar
from app.services.cases.lifecycle import CLOSED_STATES
from app.services.ratings.codes import DEFAULT_LEVEL, DEFAULT_PROVENANCE, RATING_WINDOW_DAYS
from app.services.ratings.ratings import ENDING_KINDS, event_staff

NAMESPACE = uuid.UUID("6f1c2a8e-5b0d-4c7e-9a43-2d1e8f0b7c51")  # fixed for ever: ids depend on it
BATCH = 5000


def default_rating_id(case_id: str) -> str:
    """The one id a case's default rating has, on every node and at the centre."""
    return str(uuid.uuid5(NAMESPACE, f"default-rating:{case_id}"))


def _candidates(db: Database) -> list[tuple[Any, Any]]:
    """Closed cases this node holds that have no rating, each with its last ending event (or None).

    Two plain queries joined here: a join on a ranked subquery makes SQLite scan it once per case."""
    holder = func.coalesce(func.nullif(Case.owner_node, ""), Case.origin_node)
    rated = select(Rating.id).where(Rating.target_number == Case.number).exists()
    where = (Case.status.in_(CLOSED_STATES), holder == db.node_code, ~rated)
    with db.session() as s:
        cases = list(s.execute(select(Case.id, Case.number, Case.accepted_at, Case.staff_name, Case.staff_no,
                                      Case.staff_workplace, Case.item_code, Case.origin_node)
                               .where(*where)).all())
        last: dict[str, Any] = {}
        events = s.execute(select(CaseEvent.case_id, CaseEvent.at, CaseEvent.staff_name, CaseEvent.details)
                           .where(CaseEvent.kind.in_(ENDING_KINDS),
                                  CaseEvent.case_id.in_(select(Case.id).where(*where))))
        for event in events:
            known = last.get(event.case_id)
            if known is None or event.at > known.at:
                last[event.case_id] = event
    return [(c, last.get(c.id)) for c in cases]


def _first_day_after(db: Database) -> Callable[[datetime], date]:
    """The day after a case's rating period, cached by end date (many cases end on the same day)."""
    calendar = load_calendar(db)
    cache: dict[date, date] = {}

    def after(ended: datetime) -> date:
        day = ended.astimezone().date()
        if day not in cache:
            cache[day] = calendar.add(day, RATING_WINDOW_DAYS).day + timedelta(days=1)
        return cache[day]
    return after


def _rows(db: Database, today: date) -> list[dict[str, Any]]:
    after = _first_day_after(db)
    rows: list[dict[str, Any]] = []
    for c, event in _candidates(db):
        start = after(event.at if event is not None else c.accepted_at)
        if today < start:
            continue
        name, staff_no, window = event_staff(event.staff_name if event else "", event.details if event else "",
                                             c.staff_name, c.staff_no, c.staff_workplace)
        rows.append({"id": default_rating_id(c.id), "target_kind": "case", "target_number": c.number,
                     "staff_no": staff_no, "staff_name": name, "window": window, "item_code": c.item_code,
                     "target_node": c.origin_node, "level": DEFAULT_LEVEL,
                     "reasons": json.dumps([]), "text": "", "private": False, "channel": "default",
                     "provenance": DEFAULT_PROVENANCE, "seq": 1,
                     "rated_at": datetime.combine(start, time()).astimezone().astimezone(UTC)})
    return rows


def apply_default_ratings(db: Database, now: datetime | None = None) -> int:
    """Give 基本满意 to every closed case of this node unrated after its 5 working days; how many got one."""
    today = (now or utc_now()).astimezone().date()
    for attempt in range(2):
        rows = _rows(db, today)
        try:
            with db.session(SYSTEM_ACTOR) as s:
                for start in range(0, len(rows), BATCH):
                    insert_tracked(s, Rating, rows[start:start + BATCH])
        except IntegrityError:  # another run wrote some of them meanwhile: look again, write the rest
            if attempt:
                raise
            continue
        return len(rows)
    return 0

"""A case's state, class, deadline and trip count, computed from its events by one function.

The case list, the documents, the command line and the statistics read the columns on case_file;
those columns are a cache of `project`, written in the same transaction as each event
(`apply_projection`), and a test replays generated histories to check that they agree. The light is
the projection seen on a given day (app.services.cases.lights.light_of over state and due date).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.services.calendar.workdays import OfficeHours, WorkCalendar
from app.services.cases import lifecycle as life
from app.services.cases.lifecycle import LEGACY_KINDS, trips_after

PROCEDURE_STARTED, PROCEDURE_ENDED = "paused", "resumed"


@dataclass(frozen=True)
class Deadline:
    clock_start: date | None
    due: date | None
    provisional: bool


@dataclass(frozen=True)
class CaseFacts:
    """What acceptance fixed and no later event changes."""

    case_class: str  # as accepted (a 补办件 becomes its item's class when complete)
    received: datetime  # local time of acceptance
    limit_days: int  # the item's promised limit, in working days
    followed_notice: bool  # the citizen came first for a one-time notice: one more trip


@dataclass(frozen=True)
class Event:
    kind: str
    at: datetime  # aware
    details: dict[str, Any]


@dataclass(frozen=True)
class Projection:
    state: str
    case_class: str
    clock_start: date | None
    due_date: date | None
    provisional: bool
    trips: int
    extra_days: int  # approved extensions, working days
    procedure_since: date | None  # the special procedure the case is in now
    decided_at: datetime | None = None  # the first decision: 准予, 不予许可 or 当场办结
    ended_at: datetime | None = None  # the first decision, or 撤回 / 终止 when the case left the clock without one
    completed_at: datetime | None = None  # the first 当场办结 or 送达
    supplemented: bool = False  # ever 补正 (not 一次办结)


DECIDING = frozenset({"approved", "denied", "completed_on_spot"})
ENDING_UNDECIDED = frozenset({"withdrawn", "terminated"})
COMPLETING = frozenset({"completed_on_spot", "delivered"})


def _first_at(events: Sequence[Event], kinds: frozenset[str]) -> datetime | None:
    return next((e.at for e in events if e.kind in kinds), None)


def compute_deadline(case_class: str, received: datetime, limit_days: int, calendar: WorkCalendar,
                     hours: OfficeHours, clock_start: date | None = None, extra_days: int = 0,
                     excluded: tuple[tuple[date, date], ...] = ()) -> Deadline:
    """When the case is due. `received` is local time; a 补办件 has no deadline until complete.

    Extensions add working days; special procedures (inclusive date ranges) are not counted.
    """
    from app.services.calendar.workdays import immediate_due

    if case_class == "rejected" or (case_class == "supplement" and clock_start is None):
        return Deadline(None, None, False)
    if case_class == "immediate" or limit_days == 0:
        due = immediate_due(received, calendar, hours)  # today, or the next working day after hours
        if not extra_days and not excluded:
            return Deadline(received.date(), due.day, due.provisional)
        stopped = sum(1 for first, last in excluded for n in range((last - first).days + 1)
                      if received.date() <= (day := first + timedelta(days=n)) <= due.day and calendar.is_workday(day))
        later = calendar.add(due.day, extra_days + stopped, excluded)  # moved by what did not count
        return Deadline(received.date(), later.day, due.provisional or later.provisional)
    start = clock_start or received.date()
    due = calendar.add(start, limit_days + extra_days, excluded)
    return Deadline(start, due.day, due.provisional)


def special_procedures(events: Iterable[tuple[str, str]]) -> tuple[list[tuple[date, date]], date | None]:
    """From a case's (kind, details JSON) events, oldest first: the special procedures that ended, as
    inclusive date ranges, and the start of the one it is in now (None: not in one). The one rule behind
    the deadline arithmetic, the pause and resume checks and the case screen's 特别程序 button."""
    ranges: list[tuple[date, date]] = []
    open_start: date | None = None
    for kind, details in events:
        if kind == PROCEDURE_STARTED:
            open_start = date.fromisoformat(json.loads(details)["start"])
        elif kind == PROCEDURE_ENDED and open_start is not None:
            ranges.append((open_start, date.fromisoformat(json.loads(details)["end"])))
            open_start = None
    return ranges, open_start


def parse_events(rows: Sequence[tuple[str, datetime, str]]) -> list[Event]:
    """(kind, at, details JSON) rows, oldest first, as events."""
    return [Event(LEGACY_KINDS.get(kind, kind), at, json.loads(details or "{}")) for kind, at, details in rows]


def project(facts: CaseFacts, events: Sequence[Event], calendar: WorkCalendar, hours: OfficeHours,
            today: date) -> Projection:
    """Everything the columns of case_file cache, from the acceptance facts and the events.

    `today` matters only while a special procedure is open (its days up to today are not counted).
    """
    first = next((e.details["class"] for e in events if e.kind == "accepted"
                  and isinstance(e.details.get("class"), str)), facts.case_class)
    case_class, received, clock_start = first, facts.received, None
    extra = 0
    for event in events:
        if event.kind == "supplemented":
            case_class = str(event.details.get("class") or case_class)
            received = event.at.astimezone()  # the clock starts when the case is complete
            clock_start = received.date()
        elif event.kind == "extended":
            extra += int(event.details.get("days", 0))
    pairs = [(e.kind, json.dumps(e.details)) for e in events if e.kind in (PROCEDURE_STARTED, PROCEDURE_ENDED)]
    ranges, open_start = special_procedures(pairs)
    if open_start is not None:
        ranges.append((open_start, max(open_start, today)))
    deadline = compute_deadline(case_class, received, facts.limit_days, calendar, hours,
                                clock_start=clock_start, extra_days=extra, excluded=tuple(ranges))
    kinds = [(e.kind, str(e.details.get("method", ""))) for e in events]
    steps = [(kind, method, str(e.details.get("class") or "") if kind == "supplemented" else "")
             for (kind, method), e in zip(kinds, events, strict=True)]
    return Projection(
        state=life.state_after(first, steps),
        case_class=case_class,
        clock_start=deadline.clock_start,
        due_date=deadline.due,
        provisional=deadline.provisional,
        trips=trips_after(facts.followed_notice, [(k, m, e.at.astimezone().date()) for (k, m), e in
                                                  zip(kinds, events, strict=True)]),
        extra_days=extra,
        procedure_since=open_start,
        decided_at=_first_at(events, DECIDING),
        ended_at=_first_at(events, DECIDING | ENDING_UNDECIDED),
        completed_at=_first_at(events, COMPLETING),
        supplemented=any(e.kind == "supplemented" for e in events),
    )

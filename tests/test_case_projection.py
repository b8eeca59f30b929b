"""Issue 11: the columns on case_file are a cache of the projection of the case's events.

A generated history drives every kind of event through the real services, over weeks of working and
non-working days; then every case is replayed from its events alone and compared with its columns.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from importlib import import_module

import pytest
from sqlalchemy import select, text

from app.actor import Actor
from app.database import Database
from app.models import Case, CaseEvent
from app.services.cases import actions as act
from app.services.cases import joint
from app.services.cases.deadlines import extend_case, pause_case, resume_case
from app.services.cases.lifecycle import state_after
from app.services.cases.projection import parse_events, project
from app.services.cases.records import accept_case, complete_materials, deadline_rules, facts_of, get_case
from app.services.errors import UserError
from app.services.people.staff import StaffForm, save_staff
from tests.test_cases import ID, form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
START = datetime(2026, 9, 21, 9, 0, tzinfo=CN)  # across the National Day holiday
WHY = {"class_reason": "窗口核实后当场可办"}
CLASSES = (("SB-002", "promised", {}), ("YB-003", "supplement", {}),
           ("HJ-001", "joint", {"lead_window": "3号户籍窗口", "co_departments": ["镇卫生院"]}),
           ("SB-002", "immediate", WHY), ("SB-002", "rejected", {"rejection_reason": "不属于本中心受理范围"}),
           ("SB-001", "supplement", {}))  # an immediate item accepted incomplete: a 即办件 once complete


def _steps(db: Database, actor: Actor, rng: random.Random) -> list[Callable[[str, datetime], object]]:
    def supplement(n: str, now: datetime) -> object:
        case = get_case(db, n)
        assert case is not None
        return complete_materials(db, actor, n, list(range(1, len(case.item.materials) + 1)), now)

    return [
        supplement,
        lambda n, now: pause_case(db, actor, n, "专家评审", now.date(), 5, now=now),
        lambda n, now: resume_case(db, actor, n, now.date(), now=now),
        lambda n, now: extend_case(db, actor, n, rng.randint(1, 5), "需上级复核", "0001", "zhuren123", now=now),
        lambda n, now: joint.hand_over(db, actor, n, "镇卫生院", now.date(), 3, now=now),
        lambda n, now: joint.record_reply(db, actor, n, "镇卫生院", now.date(), "agree", "同意", now=now),
        lambda n, now: joint.record_visit(db, actor, n, "咨询进度", now=now),
        lambda n, now: act.decide(db, actor, n, act.Decision(rng.random() < 0.8, result="准予", reason="不符合条件",
                                                             basis="《条例》第八条", late_reason="材料复核"), now=now),
        lambda n, now: act.complete_on_spot(db, actor, n, "当场办结", now=now),
        lambda n, now: act.notify(db, actor, n, rng.choice(["pickup", "post", "agent"]), now=now),
        lambda n, now: act.deliver(db, actor, n, act.Delivery(rng.choice(["pickup", "agent"]), receiver="张桂芳", receiver_id=ID),
                                   now=now),
        lambda n, now: act.withdraw(db, actor, n, "申请人撤回", now=now),
        lambda n, now: act.archive(db, actor, n, "2026-01", now=now),
    ]


def _snapshot(db: Database, number: str) -> tuple[str, int]:
    case = get_case(db, number)
    assert case is not None
    return case.status, len(case.events)


def test_the_columns_equal_the_projection_of_a_generated_history(db: Database, admin: Actor) -> None:
    save_staff(db, admin, StaffForm("0001", "刘国庆", "director", password="zhuren123"))
    rng = random.Random(20261130)
    steps = _steps(db, admin, rng)
    numbers: list[str] = []
    applied = refused = 0
    now = START
    for day in range(60):
        now = START + timedelta(days=day, hours=rng.randint(0, 6))
        for _ in range(3):
            code, case_class, extra = rng.choice(CLASSES)
            seqs = [1] if case_class == "supplement" else None
            numbers.append(accept_case(db, admin, form(db, code, case_class, seqs=seqs, **extra), now=now))
        for _ in range(16):
            step, number = rng.choice(steps), rng.choice(numbers)
            before = _snapshot(db, number)
            try:
                step(number, now + timedelta(minutes=rng.randint(1, 50)))
                applied += 1
            except UserError as refusal:  # refused by the lifecycle or a rule: nothing may have changed
                assert "不一致" not in str(refusal)  # never the fold disagreeing with the table
                assert _snapshot(db, number) == before
                refused += 1
    assert applied > 150 and refused > 100
    rules = deadline_rules(db)
    with db.session() as s:
        cases = s.scalars(select(Case)).all()
        assert len(cases) == len(numbers)
        for case in cases:
            rows = s.execute(select(CaseEvent.kind, CaseEvent.at, CaseEvent.details)
                             .where(CaseEvent.case_id == case.id).order_by(CaseEvent.at, CaseEvent.id)).all()
            events = parse_events([(r.kind, r.at, r.details) for r in rows])
            p = project(facts_of(case), events, rules.calendar, rules.hours, events[-1].at.astimezone().date())
            cached = (case.status, case.case_class, case.clock_start, case.due_date, case.provisional, case.trips,
                      case.decided_at, case.ended_at, case.completed_at, case.supplemented)
            assert cached == (p.state, p.case_class, p.clock_start, p.due_date, p.provisional, p.trips,
                              p.decided_at, p.ended_at, p.completed_at, p.supplemented), case.number
            assert p.state == state_after(events[0].details.get("class", case.case_class),  # type: ignore[arg-type]
                                          [(e.kind, str(e.details.get("method", ""))) for e in events])
    assert {c.status for c in cases} >= {"accepted", "done", "archived", "withdrawn", "rejected", "suspended"}
    assert any(c.supplemented for c in cases) and any(c.completed_at for c in cases)
    # The migration that added these columns fills them from the events the same way (0022's backfill).
    with db.session() as s:
        before = {c.id: (c.decided_at, c.ended_at, c.completed_at, c.supplemented) for c in s.scalars(select(Case))}
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE case_file SET decided_at = NULL, ended_at = NULL, completed_at = NULL,"
                          " supplemented = 0"))
        conn.execute(text(import_module("app.migrations.versions.0022_case_facts").fill_sql()))
    with db.session() as s:
        assert {c.id: (c.decided_at, c.ended_at, c.completed_at, c.supplemented)
                for c in s.scalars(select(Case))} == before


def test_a_case_is_projected_from_its_events_without_the_database() -> None:
    """Acceptance, a pause of two working days and an extension of three: the due date moves by five."""
    from app.services.calendar.workdays import OfficeHours, WorkCalendar
    from app.services.cases.projection import CaseFacts, Event

    calendar = WorkCalendar({}, frozenset({2027}))
    hours = OfficeHours.parse("08:30-12:00,13:00-17:30")
    facts = CaseFacts("promised", datetime(2027, 3, 1, 9, tzinfo=CN), 10, True)
    accepted = Event("accepted", facts.received, {"class": "promised"})
    plain = project(facts, [accepted], calendar, hours, date(2027, 3, 1))
    assert (plain.state, plain.due_date, plain.trips) == ("accepted", date(2027, 3, 15), 2)
    events = [accepted, Event("paused", facts.received, {"start": "2027-03-02"}),
              Event("resumed", facts.received, {"end": "2027-03-03"}),
              Event("extended", facts.received, {"days": 3}), Event("visited", facts.received, {})]
    moved = project(facts, events, calendar, hours, date(2027, 3, 5))
    assert (moved.state, moved.due_date, moved.trips, moved.extra_days) == ("accepted", date(2027, 3, 22), 3, 3)


def test_an_event_the_centre_refused_is_not_part_of_the_projection(db: Database, admin: Actor) -> None:
    """A step written by a node that no longer held the case, quarantined by the centre: if the case
    comes back, its state is what the centre accepted, not what was refused."""
    from app.models import SyncIssue
    from app.services.cases.records import add_event, write_projection

    number = accept_case(db, admin, form(db, "SB-002", "promised"), now=START)
    with db.session(admin) as s:
        case = s.scalars(select(Case).where(Case.number == number)).one()
        add_event(s, case, "approved", START + timedelta(hours=1), admin, {"result": "代办点自行决定"})
        s.flush()
        refused_id = s.scalar(select(CaseEvent.id).where(CaseEvent.kind == "approved"))
        s.add(SyncIssue(id="q1", origin_node="01", table_name="case_event", row_id=refused_id,
                        reason="该办件已移交01节点办理", payload="{}", created_at=START))
        s.flush()
        assert write_projection(s, case, deadline_rules(db), START.date()).state == "accepted"
    record = get_case(db, number)
    assert record is not None and record.status == "accepted"


def test_an_immediate_case_after_hours_keeps_its_next_day_through_a_special_procedure() -> None:
    """Received Monday after closing: due Tuesday. A one-day procedure on Tuesday moves it to Wednesday,
    never back to Monday (which would make it red the moment the procedure ends)."""
    from app.services.calendar.workdays import OfficeHours, WorkCalendar
    from app.services.cases.projection import compute_deadline

    calendar = WorkCalendar({}, frozenset({2027}))
    hours = OfficeHours.parse("08:30-12:00,13:00-17:30")
    evening = datetime(2027, 3, 1, 18, 30, tzinfo=CN)  # a Monday
    assert compute_deadline("immediate", evening, 0, calendar, hours).due == date(2027, 3, 2)
    paused = compute_deadline("immediate", evening, 0, calendar, hours,
                              excluded=((date(2027, 3, 2), date(2027, 3, 2)),))
    assert paused.due == date(2027, 3, 3)
    extended = compute_deadline("immediate", evening, 0, calendar, hours, extra_days=2)
    assert extended.due == date(2027, 3, 4)

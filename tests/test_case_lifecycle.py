"""Issue 11: the case lifecycle is one table; the state is the fold of the events."""

from __future__ import annotations

import random

import pytest

from app.models.cases import CASE_CLASS_LABELS
from app.services.cases import lifecycle as life
from app.services.errors import ValidationError


def test_the_table_names_only_known_states_and_every_state_is_reachable() -> None:
    for t in life.TRANSITIONS:
        assert t.sources <= set(life.STATES), t.action
        assert t.target is None or t.target in life.STATES, t.action
    reachable = {life.initial_state(c) for c in CASE_CLASS_LABELS}
    frontier = set(reachable)
    while frontier:
        state = frontier.pop()
        for t in life.TRANSITIONS:
            if state in t.sources:
                targets = {t.target} if t.target else (
                    {"ready", "to_deliver"} if t.action == "notified" else {state})
                for target in targets - reachable:
                    reachable.add(target)
                    frontier.add(target)
    assert reachable == set(life.STATES)


def test_every_state_but_the_archive_has_a_way_on() -> None:
    for state in set(life.STATES) - {"archived"}:
        assert any(state in t.sources for t in life.TRANSITIONS), state


def test_a_refused_action_says_why_in_chinese() -> None:
    with pytest.raises(ValidationError, match="办件当前为“待补正”，不能准予（应为办理中）"):
        life.check("supplementing", "supplement", "approved")
    with pytest.raises(ValidationError, match="只有即办件可以当场办结"):
        life.check("accepted", "promised", "completed_on_spot")
    with pytest.raises(ValidationError, match="没有"):
        life.check("accepted", "promised", "teleported")
    assert life.check("accepted", "immediate", "completed_on_spot").target == "done"


def test_a_refusal_ends_at_its_refusal_and_an_immediate_case_can_end_on_the_spot() -> None:
    assert life.initial_state("rejected") == "rejected"
    assert [t.action for t in life.allowed("rejected", "rejected")] == ["archived"]
    assert "completed_on_spot" in [t.action for t in life.allowed("accepted", "immediate")]
    assert "completed_on_spot" not in [t.action for t in life.allowed("accepted", "promised")]


def test_the_fold_follows_the_table() -> None:
    events = [("accepted", ""), ("materials_completed", ""), ("paused", ""), ("deadline_recomputed", ""),
              ("resumed", ""), ("approved", ""), ("notified", "pickup"), ("delivered", "pickup"), ("archived", "")]
    assert life.state_after("supplement", events[:2]) == "accepted"  # the old name of 补齐材料
    assert life.state_after("supplement", events[:3]) == "suspended"
    assert life.state_after("supplement", events[:7]) == "ready"
    assert life.state_after("supplement", events) == "archived"
    assert life.state_after("promised", [("approved", ""), ("notified", "post")]) == "to_deliver"


def test_the_fold_of_random_histories_equals_stepping_through_check() -> None:
    """Any history the services could write (each action checked first) folds to the state they reached."""
    rng = random.Random(11)
    for _ in range(500):
        case_class = rng.choice(list(CASE_CLASS_LABELS))
        state, events = life.initial_state(case_class), []
        for _step in range(rng.randint(0, 12)):
            options = life.allowed(state, case_class)
            if not options:
                break
            transition = rng.choice(options)
            method = rng.choice(["pickup", "post", "agent"]) if transition.action == "notified" else ""
            life.check(state, case_class, transition.action)
            state = life.next_state(state, transition, method)
            events.append((transition.action, method))
        assert life.state_after(case_class, events) == state


def test_trips_count_every_visit_for_the_case() -> None:
    assert life.trips_after(False, [("accepted", "")]) == 1
    assert life.trips_after(True, [("accepted", "")]) == 2  # the visit for the one-time notice first
    visits = [("accepted", ""), ("supplemented", ""), ("approved", ""), ("notified", "pickup"),
              ("delivered", "pickup")]
    assert life.trips_after(False, visits) == 3
    assert life.trips_after(False, [("accepted", ""), ("delivered", "post")]) == 1  # posted: no trip

"""rating_outweighed (migration 0023, centre c0015) is the rule of app.services.ratings.ratings.counts kept by
triggers: whatever order ratings arrive in, from wherever, whatever is deleted or corrected, the table holds
exactly the ratings the rule says no longer count — on the workstation's SQLite and the centre's PostgreSQL,
also when two pushes bring ratings of one target at the same moment. And 0023 queues the case facts this
node holds, for a centre that upgraded first."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib import import_module
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, delete, insert, select, text, update

from app.actor import Actor
from app.center.runtime import Center
from app.center.schema import REPLICA
from app.database import Database
from app.ids import uuid7
from app.models import Rating, RatingOutweighed
from app.models.base import table_of
from app.services.ratings.codes import DEFAULT_PROVENANCE
from app.services.ratings.ratings import counts

START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
TARGETS = [f"2208211000126110{n:04d}" for n in range(8)]
FILL = import_module("app.migrations.versions.0023_stats_covering").fill_sql()


def a_rating(target: str, provenance: str, minute: int, level: int = 5, node: str = "01") -> dict[str, Any]:
    moment = START + timedelta(minutes=minute)
    return {"id": uuid7(), "origin_node": node, "created_at": moment, "updated_at": moment, "target_kind": "case",
            "target_number": target, "staff_no": "s01", "staff_name": "王丽", "window": "1号窗口", "level": level,
            "reasons": "[]", "text": "", "private": False, "channel": "window" if provenance != DEFAULT_PROVENANCE
            else "default", "provenance": provenance, "rated_at": moment, "seq": 1}


def by_the_rule(rows: list[dict[str, Any]]) -> set[str]:
    """The ids the rule leaves out, worked out in Python from the rows as they stand."""
    out: set[str] = set()
    for target in {r["target_number"] for r in rows}:
        mine = [r for r in rows if r["target_number"] == target]
        last = max((r["rated_at"] for r in mine if r["provenance"] != DEFAULT_PROVENANCE), default=None)
        out |= {r["id"] for r in mine if not counts(r["provenance"], r["rated_at"], last)}
    return out


def held(conn: Connection) -> set[str]:
    return set(conn.execute(select(table_of(RatingOutweighed).c.rating_id)).scalars())


def arrivals(seed: int) -> list[dict[str, Any]]:
    """Ratings of a few targets in a shuffled order of arrival: defaults, first and later ratings, two
    first ratings written at two places before they synced, and two given in the same minute."""
    rng = random.Random(seed)
    rows = []
    for target in TARGETS:
        minutes = sorted(rng.sample(range(0, 5000), 3))
        kinds = rng.choice([("default",), ("citizen",), ("default", "citizen"), ("citizen", "citizen"),
                            ("citizen", "default"), ("citizen", "citizen", "default"), ("backfill", "citizen")])
        rows += [a_rating(target, kind, minute, node=rng.choice(["01", "02"])) for kind, minute in zip(kinds, minutes)]
    tie = a_rating(TARGETS[0], "citizen", 9000)
    rows += [tie, {**a_rating(TARGETS[0], "citizen", 9000), "rated_at": tie["rated_at"]}]  # both count
    rng.shuffle(rows)
    return rows


def replay(engine: Engine, table: Any, seed: int) -> None:
    """Insert, then correct and delete a few, checking the table against the rule after every step."""
    rows = arrivals(seed)
    standing: list[dict[str, Any]] = []
    with engine.begin() as conn:
        for row in rows:
            conn.execute(insert(table).values(**row))
            standing.append(row)
            assert held(conn) == by_the_rule(standing)
        assert held(conn) and held(conn) != {r["id"] for r in standing}
        moved = standing[0]  # a repair moves a rating's time: the rule is recounted
        moved["rated_at"] = START + timedelta(minutes=20000)
        conn.execute(update(table).where(table.c.id == moved["id"]).values(rated_at=moved["rated_at"]))
        assert held(conn) == by_the_rule(standing)
        for row in standing[1:4]:
            conn.execute(delete(table).where(table.c.id == row["id"]))
        standing = [standing[0], *standing[4:]]
        assert held(conn) == by_the_rule(standing)
        kept = held(conn)
        conn.execute(delete(table_of(RatingOutweighed)))
        conn.execute(text(FILL))  # what the migration fills an existing database with
        assert held(conn) == kept


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_workstation_keeps_the_rule_whatever_the_order(db: Database, seed: int) -> None:
    replay(db.engine, table_of(Rating), seed)


@pytest.fixture
def centre_engine(center: Center) -> Iterator[Engine]:
    yield center.engine


def test_the_centre_keeps_the_rule_whatever_the_order(centre_engine: Engine) -> None:
    replay(centre_engine, REPLICA["rating"], 4)


def test_two_pushes_of_one_target_at_once_are_counted_as_one(centre_engine: Engine) -> None:
    """Node 01 and node 02 each wrote a first rating of one case before they synced; their pushes run at
    the same time. The later push's recount waits for the earlier to commit, so it sees both."""
    table = REPLICA["rating"]
    earlier = a_rating(TARGETS[1], "citizen", 10, level=2, node="01")
    later = a_rating(TARGETS[1], "citizen", 20, level=5, node="02")
    first = centre_engine.connect()
    transaction = first.begin()
    first.execute(insert(table).values(**later))  # the later rating arrives first and holds the lock
    failures: list[BaseException] = []

    def second_push() -> None:
        try:
            with centre_engine.begin() as conn:
                conn.execute(insert(table).values(**earlier))
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            failures.append(exc)

    thread = threading.Thread(target=second_push)
    thread.start()
    thread.join(timeout=1.0)
    assert thread.is_alive()  # waiting for the first push's lock
    transaction.commit()
    thread.join(timeout=30)
    first.close()
    assert not thread.is_alive() and not failures
    with centre_engine.connect() as conn:
        assert held(conn) == {earlier["id"]}


def test_the_upgrade_queues_the_cases_this_node_holds_with_their_facts(db: Database, admin: Actor) -> None:
    """A centre upgraded before this workstation kept its cases' facts empty (an older workstation's rows
    lack the columns): 0023 queues the cases this node holds once more, and only those with facts."""
    from app.migrations import migrate, upgrade
    from app.models import Case, OutboxEntry
    from app.services.cases.actions import complete_on_spot
    from app.services.cases.records import accept_case
    from tests.test_cases import form

    numbers = [accept_case(db, admin, form(db, "SB-001", "immediate")) for _ in range(4)]
    for number in (numbers[0], numbers[2], numbers[3]):
        complete_on_spot(db, admin, number, "当场打印参保证明")
    cases = table_of(Case)
    with db.engine.begin() as conn:  # [2] accepted at 07 and handed here; [3] handed from here to 07
        conn.execute(update(cases).where(cases.c.number == numbers[2]).values(origin_node="07", owner_node="01"))
        conn.execute(update(cases).where(cases.c.number == numbers[3]).values(owner_node="07"))
        conn.execute(delete(table_of(OutboxEntry)))
    db.dispose()
    migrate(db.path, "0022", "downgrade")
    upgrade(db.path)
    with db.engine.connect() as conn:
        queued = conn.execute(select(cases.c.number).join(
            table_of(OutboxEntry), table_of(OutboxEntry).c.row_id == cases.c.id)).scalars().all()
    assert sorted(queued) == sorted([numbers[0], numbers[2]])


def test_0024_gives_the_ratings_held_their_targets_item_and_node_and_queues_this_nodes(db: Database,
                                                                                        admin: Actor) -> None:
    """Ratings given before 0024 get their case's or notice's item and node; one of a target not held here
    keeps its own node; this node's own ratings are queued for a centre that upgraded first."""
    from app.migrations import migrate, upgrade
    from app.models import OutboxEntry
    from app.services.cases.actions import complete_on_spot
    from app.services.cases.records import accept_case
    from app.services.inquiries.notices import NoticeForm, create_notice
    from app.services.ratings.ratings import add_rating
    from tests.test_cases import form

    number = accept_case(db, admin, form(db, "SB-001", "immediate"))
    complete_on_spot(db, admin, number, "当场打印参保证明")
    notice = create_notice(db, admin, NoticeForm("HJ-001", "张桂芳", [1], "13904367788"))
    mine = [add_rating(db, admin, n, 5).id for n in (number, notice)]
    ratings = table_of(Rating)
    with db.engine.begin() as conn:
        conn.execute(insert(ratings).values(**{**a_rating("2208211000126110009999", "citizen", 1, node="07")}))
        conn.execute(delete(table_of(OutboxEntry)))
    db.dispose()
    migrate(db.path, "0023", "downgrade")
    upgrade(db.path)
    with db.engine.connect() as conn:
        got = {r.target_number: (r.item_code, r.target_node) for r in conn.execute(select(ratings))}
        queued = set(conn.execute(select(table_of(OutboxEntry).c.row_id)).scalars())
    node = db.node_code
    assert got == {number: ("SB-001", node), notice: ("HJ-001", node), "2208211000126110009999": ("", "07")}
    assert queued == set(mine)

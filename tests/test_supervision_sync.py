"""督办 across the township on PostgreSQL: issued at the director's workstation, received by the window holding
the case at its next sync (and by no other window), answered there, and the answer back at the director's."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

import app.clock
from app.actor import Actor
from app.center.runtime import Center
from app.models import Supervision
from app.services.supervision import records
from tests.sync_helpers import accept, enrol

DIRECTOR = Actor(staff_id=None, staff_no="8004", name="刘国庆", role="director", workplace="镇民生服务中心")


def test_a_supervision_goes_to_the_window_and_its_answer_comes_back(
        center: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", None)  # the sync's own times are real
    assert isinstance(center, Center)
    window = enrol(center, tmp_path / "w1", "01")
    other = enrol(center, tmp_path / "w2", "02")
    director = enrol(center, tmp_path / "d", "09", kind="director", name="主任办公室")
    assert window.sync().ok and other.sync().ok
    clerk = window.actor()
    number = accept(window, clerk, 1)
    assert window.sync().ok and director.sync().ok

    answer_by = app.clock.local_today() + timedelta(days=3)
    issued = records.issue(director.db, DIRECTOR, number, "请于三日内办结并报告", answer_by)
    assert issued.to_node == "01"
    assert records.open_here(window.db).total == 0
    assert director.sync().ok and window.sync().ok and other.sync().ok
    [seen] = records.open_here(window.db).rows
    assert (seen.id, seen.content, seen.state, seen.issued_by_name) == (issued.id, "请于三日内办结并报告", "pending", "刘国庆")
    assert records.unanswered_count(window.db) == 1
    assert records.list_supervisions(other.db).total == 0  # not addressed to the other window

    records.answer(window.db, clerk, issued.id, "已办结，系材料核实耗时", "rectified")
    assert records.unanswered_count(window.db) == 0
    assert window.sync().ok and director.sync().ok
    back = records.get(director.db, issued.id)
    assert (back.state, back.answer_text, back.answer_result) == ("answered", "已办结，系材料核实耗时", "rectified")

    # A window cannot plant a 督办 at another window: the centre refuses it at the door (quarantined back to
    # its writer), and it never reaches the window it names.
    with other.db.session() as s:
        s.add(Supervision(number="DB02X", target_kind="case", case_number=number, content="伪造督办", org_name="",
                          issued_at=app.clock.utc_now(), rule_code="R99", warning_type="red",
                          state_at=app.clock.utc_now(), result="", window="", to_node="01", due_date=answer_by,
                          issued_by_no="x", issued_by_name="冒充", auto=False))
    refused = other.sync()
    assert [why for _t, _id, why in refused.rejected] == ["督办须由中心主任发出：本节点不是中心主任的工作站，也未经主任本人验证"]
    assert window.sync().ok and director.sync().ok
    with window.db.session() as s:
        assert list(s.scalars(select(Supervision.content))) == ["请于三日内办结并报告"]
    with director.db.session() as s:
        assert list(s.scalars(select(Supervision.content))) == ["请于三日内办结并报告"]
    with center.engine.connect() as conn:
        reasons = [r for (r,) in conn.execute(text("SELECT reason FROM quarantine WHERE table_name = 'supervision'"))]
        assert reasons == ["督办须由中心主任发出：本节点不是中心主任的工作站，也未经主任本人验证"]
        owners = dict(conn.execute(text("SELECT content, _owner FROM supervision")).all())
        assert owners == {"请于三日内办结并报告": "09"}
        assert conn.execute(text("SELECT _owner FROM supervision_answer")).scalar() == "01"


def _manual(station: object, number: str, content: str, to_node: str, actor: Actor) -> None:
    """A 督办 row as a workstation writes it (the core issues only about cases it holds itself)."""
    now = app.clock.utc_now()
    with station.db.session(actor) as s:  # type: ignore[attr-defined]
        s.add(Supervision(number=f"DB{content}", target_kind="case", case_number=number, content=content, org_name="",
                          issued_at=now, rule_code="R99", warning_type="red", state_at=now, result="", window="",
                          to_node=to_node, due_date=app.clock.local_today() + timedelta(days=3),
                          issued_by_no=actor.staff_no, issued_by_name=actor.name, auto=False))


def test_a_director_verified_at_a_window_reaches_the_window_named_and_an_administrator_does_not(
        center: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The door takes a 督办 from a director whose password the centre checked, at any workstation, and the
    feed delivers it to the window it names; an administrator, verified too, issues none."""
    from app.services.people.staff import StaffForm, save_staff

    monkeypatch.setattr(app.clock, "_fixed", None)
    assert isinstance(center, Center)
    window, other = enrol(center, tmp_path / "w1", "01"), enrol(center, tmp_path / "w2", "02")
    assert window.sync().ok  # the centre's administrator comes down first
    admin = window.actor()  # verified by the centre
    save_staff(window.db, admin, StaffForm("8004", "刘国庆", "director", "镇民生服务中心", "13904361004",
                                           password="boss12345"))
    assert window.sync().ok and other.sync().ok
    number = accept(other, other.actor(), 1)
    director = window.actor("8004", "boss12345")
    _manual(window, number, "主任督办", "02", director)
    _manual(window, number, "管理员督办", "02", admin)
    refused = window.sync()
    assert [why for _t, _id, why in refused.rejected] == ["督办须由中心主任发出：本节点不是中心主任的工作站，也未经主任本人验证"]
    assert other.sync().ok
    with other.db.session() as s:
        assert list(s.scalars(select(Supervision.content))) == ["主任督办"]

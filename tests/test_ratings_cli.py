"""`ratings add | defaults | list` on the command line."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

import app.clock
from app.actor import Actor
from app.cli import main
from app.database import Database
from app.services.cases.actions import complete_on_spot
from app.services.cases.records import accept_case
from tests.test_cases import form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=CN)


def test_add_list_and_defaults(db: Database, admin: Actor, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", MONDAY)
    numbers = []
    for _ in range(2):
        number = accept_case(db, admin, form(db, "SB-001", "immediate"), now=MONDAY)
        complete_on_spot(db, admin, number, "当场打印参保证明", now=MONDAY)
        numbers.append(number)
    data = ["--data-dir", str(db.path.parent)]
    assert main([*data, "ratings", "add", numbers[0], "--level", "2"]) == 1
    assert "至少一项" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main([*data, "ratings", "add", numbers[0], "--level", "9"])
    assert usage.value.code == 2 and "评价等级应为" in capsys.readouterr().err
    assert main([*data, "ratings", "add", numbers[0], "--level", "2", "--reasons", "207,213", "--text", "材料清单没给",
                 "--channel", "qr", "--private"]) == 0
    assert "首评“不满意”已记录" in capsys.readouterr().out
    assert main([*data, "ratings", "add", numbers[0], "--level", "5", "--reasons", "517"]) == 0
    assert "追评“非常满意”" in capsys.readouterr().out
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 11, 10, 9, 0, tzinfo=CN))
    assert main([*data, "ratings", "add", numbers[1], "--level", "4", "--channel", "sms"]) == 1
    assert "评价期限已过" in capsys.readouterr().err
    assert main([*data, "ratings", "defaults"]) == 0
    assert "新记 1 条" in capsys.readouterr().out
    assert main([*data, "ratings", "defaults"]) == 0
    assert "新记 0 条" in capsys.readouterr().out
    assert main([*data, "ratings", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    summary = [(r["target"], r["level"], r["which"], r["counts"], r["channel"], r["provenance"], r["reasons"],
                r["private"]) for r in rows]
    assert summary == [
        (numbers[0], 2, "首评", False, "qr", "citizen", ["207", "213"], True),
        (numbers[0], 5, "追评", True, "window", "citizen", ["517"], False),
        (numbers[1], 3, "首评", True, "default", "default", [], False),
    ]
    assert rows[2]["level_label"] == "基本满意" and rows[0]["staff_no"] == admin.staff_no
    assert set(rows[0]) == {"id", "target", "target_kind", "level", "level_label", "reasons", "channel", "provenance",
                            "private", "rated_at", "staff_no", "which", "counts", "excluded"}
    assert main([*data, "ratings", "list"]) == 0
    assert "不计：已有后一评价" in capsys.readouterr().out

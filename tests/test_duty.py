"""Issue 13, 值周: the roster (director), inspections (the week's inspector or the director), the weekly
summary as text and as a repeatable PDF with the embedded font, and the command line."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

import app.clock
from app.actor import Actor
from app.database import Database
from app.services.errors import PermissionDenied, ValidationError
from app.services.people import duty
from app.services.people.auth import login
from app.services.people.staff import StaffForm, save_staff
from tests.pdf_helpers import flat, pdf_text, render, unembedded_fonts

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
TUESDAY = datetime(2026, 11, 3, 9, 30, tzinfo=CN)
WEEK = date(2026, 11, 2)
SHOTS = Path("/tmp/shots")


@pytest.fixture
def people(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> dict[str, Actor]:
    monkeypatch.setattr(app.clock, "_fixed", TUESDAY)
    for no, name, role, place in (("1001", "李秀兰", "clerk", "1号综合受理窗口"), ("1002", "张伟", "clerk", "2号社保窗口"),
                                  ("8004", "刘国庆", "director", "中心主任办公室")):
        save_staff(db, admin, StaffForm(no, name, role, place, "13904361001", password="pass1234"))
    return {no: login(db, no, "pass1234") for no in ("1001", "1002", "8004")}


def test_roster_inspections_and_the_weekly_summary(db: Database, people: dict[str, Actor]) -> None:
    clerk, other, director = people["1001"], people["1002"], people["8004"]
    with pytest.raises(PermissionDenied, match="值周安排须由中心主任或系统管理员排定"):
        duty.set_roster(db, clerk, WEEK, "1001")
    duty.set_roster(db, director, WEEK + timedelta(days=3), "1002")  # any day names its week
    entry = duty.set_roster(db, director, WEEK, "1001")  # changed: the latest counts
    assert entry.week == WEEK and duty.inspector_of(db, date(2026, 11, 8)) == duty.RosterEntry(
        WEEK, "1001", "李秀兰", "刘国庆（8004）")
    assert entry == duty.inspector_of(db, WEEK)  # what set_roster says it stored is what is read back
    with pytest.raises(ValidationError, match="没有工号为 9999 的人员"):
        duty.set_roster(db, director, WEEK, "9999")
    with pytest.raises(ValidationError, match="不超过20个字符"):  # never cut to another person's 工号
        duty.set_roster(db, director, WEEK, "1001" + "0" * 17)
    form = duty.InspectionForm(WEEK, "2号社保窗口", "工作人员离岗未放置暂停服务牌", "fix")
    with pytest.raises(PermissionDenied, match="只有本周值周人或中心主任"):
        duty.record_inspection(db, other, form)
    with pytest.raises(ValidationError) as bad:
        duty.record_inspection(db, clerk, duty.InspectionForm(WEEK, "", "", "fix"))
    assert bad.value.errors == ["请填写检查的窗口", "需整改的，请写明发现的问题"]
    with pytest.raises(ValidationError):
        duty.record_inspection(db, clerk, duty.InspectionForm(WEEK, "1号窗口", "查" * 1001, "pass"))
    duty.record_inspection(db, clerk, form)
    duty.record_inspection(db, clerk, duty.InspectionForm(WEEK, "1号综合受理窗口", "着装规范，桌面整洁", "pass"),
                           now=TUESDAY + timedelta(hours=1))
    duty.record_inspection(db, director, duty.InspectionForm(WEEK + timedelta(days=7), "1号综合受理窗口", "", "pass"))
    summary = duty.week_summary(db, WEEK)
    assert (summary.passed, summary.to_fix) == (1, 1)
    assert [w for w, _records in summary.windows] == ["1号综合受理窗口", "2号社保窗口"]
    text = duty.summary_text(summary)
    assert "值周人：李秀兰（1001）" in text and "需整改（李秀兰）：工作人员离岗未放置暂停服务牌" in text
    assert "合格 1，需整改 1" in text
    assert "2号社保窗口" in duty.known_windows(db)

    pdf = duty.summary_pdf(db, WEEK)
    assert pdf == duty.summary_pdf(db, WEEK)  # byte for byte repeatable
    assert unembedded_fonts(pdf) == []
    words = flat(pdf_text(pdf))
    for expected in ("值周检查情况汇总", "值周人：李秀兰（1001）", "2号社保窗口", "工作人员离岗未放置暂停服务牌", "需整改1次"):
        assert expected in words, expected
    SHOTS.mkdir(exist_ok=True)
    render(pdf, 100)[0].save(SHOTS / "duty_summary.png")


def test_the_command_line(db: Database, people: dict[str, Actor], tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    data = ["--data-dir", str(db.path.parent)]
    assert main([*data, "duty", "roster", "--week", "2026-11-04", "--staff", "1002"]) == 0
    assert "2026-11-02 至 2026-11-08 张伟（1002）" in capsys.readouterr().out
    assert main([*data, "duty", "inspect", "--week", "2026-11-04", "--window", "1号综合受理窗口", "--result", "fix",
                 "--staff-no", "1001"]) == 1
    assert "需整改的，请写明发现的问题" in capsys.readouterr().err
    assert main([*data, "duty", "inspect", "--week", "2026-11-04", "--window", "1号综合受理窗口", "--result", "fix",
                 "--findings", "叫号后无人应答", "--staff-no", "1001"]) == 1
    assert "只有本周值周人或中心主任" in capsys.readouterr().err
    assert main([*data, "duty", "inspect", "--week", "2026-11-04", "--window", "1号综合受理窗口", "--result", "fix",
                 "--findings", "叫号后无人应答", "--staff-no", "1002"]) == 0
    assert main([*data, "duty", "summary", "--week", "2026-11-02"]) == 0
    assert "叫号后无人应答" in capsys.readouterr().out
    out = tmp_path / "duty.pdf"
    assert main([*data, "duty", "summary", "--week", "2026-11-02", "-o", str(out)]) == 0
    assert "叫号后无人应答" in flat(pdf_text(out.read_bytes()))


def test_only_a_window_the_centre_knows_is_inspected(db: Database, people: dict[str, Actor],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 13 trial: `duty inspect --window 3号窗口` recorded an inspection of a window that does not exist.
    The windows are the staff's workplaces (what the statistics group by) and the node's name."""
    from app.cli import main

    director = people["8004"]
    windows = duty.known_windows(db)
    assert {"1号综合受理窗口", "2号社保窗口", "中心主任办公室"} <= set(windows) and "3号窗口" not in windows
    with pytest.raises(ValidationError, match="没有名为“3号窗口”的窗口，本中心的窗口有：.*1号综合受理窗口.*2号社保窗口"):
        duty.record_inspection(db, director, duty.InspectionForm(WEEK, "3号窗口", "", "pass"))
    assert duty.inspections(db, WEEK) == []  # nothing recorded
    assert duty.known_windows(db) == windows  # a refused name never becomes a window
    assert duty.record_inspection(db, director, duty.InspectionForm(WEEK, " 2号社保窗口 ", "", "pass")).window == "2号社保窗口"
    data = ["--data-dir", str(db.path.parent)]
    assert main([*data, "duty", "inspect", "--week", "2026-11-04", "--window", "3号窗口", "--result", "pass"]) == 1
    err = capsys.readouterr().err
    assert "没有名为“3号窗口”的窗口" in err and "2号社保窗口" in err
    assert len(duty.inspections(db, WEEK)) == 1

"""Statistics figures (issue 13): generated cases, ratings and complaints over a few windows and clerks,
put through the services with the clock fixed; every figure checked against a count made another way
(plain Python over the records the services give back), and the scopes against each other."""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import pytest

import app.clock
from app.actor import Actor
from app.database import Database
from app.services.calendar.holidays import load_calendar
from app.services.cases.actions import Decision, Delivery, archive, complete_on_spot, decide, deliver, notify, withdraw
from app.services.cases.deadlines import pause_case
from app.services.cases.records import CaseRecord, accept_case, complete_materials, get_case
from app.services.complaints import handling
from app.services.complaints.complaints import ComplaintForm, register
from app.services.errors import ValidationError
from app.services.inquiries.departments import DepartmentForm, save_department
from app.services.inquiries.notices import NoticeForm, create_notice, list_notices
from app.services.inquiries.register import InquiryForm, list_inquiries, register_inquiry
from app.services.people.auth import login
from app.services.ratings import rectification as rect
from app.services.ratings.defaults import apply_default_ratings
from app.services.ratings.ratings import add_rating, iter_ratings
from app.services.stats.figures import FIGURES
from app.services.stats.report import StatsTable, figures_for
from tests.conftest import add_staff
from tests.test_cases import ID, form

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)
TODAY = date(2026, 12, 10)
DIRECTOR = Actor(staff_id=None, staff_no="8004", name="刘国庆", role="director", workplace="镇民生服务中心")
CLERKS = {"1001": "1号窗口", "1002": "1号窗口", "2001": "2号窗口"}
LATE = "等待县局复核"
COUNTED = ("accepted", "completed", "completed_on_time", "overdue", "overdue_days", "ratings", "ratings_default",
           "bad_ratings", "complaints", "complaints_upheld", "inquiries", "notices")


@dataclass
class Generated:
    cases: list[str] = field(default_factory=list)
    complaints: list[tuple[str, str, bool]] = field(default_factory=list)  # staff, local day, upheld
    inquiries: list[tuple[str, datetime, bool]] = field(default_factory=list)  # staff, when, referred


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CN)


def set_clock(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(app.clock, "_fixed", moment)


def generate(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> Generated:
    """A township's few weeks: every clerk accepts, decides (some late), delivers, and is rated and
    complained about; some cases are left open past their deadline, some withdrawn, some refused."""
    rng = random.Random(13)
    for staff_no, window in CLERKS.items():
        add_staff(db, admin, staff_no, workplace=window)
    clerks = {no: login(db, no, "pass1234") for no in CLERKS}
    made = Generated()
    day = date(2026, 10, 20)  # some cases accepted before the period end inside it
    while day <= date(2026, 11, 27):
        if day.weekday() < 6:
            for clerk in clerks.values():
                for _ in range(rng.randint(0, 2)):
                    made.cases.append(one_case(db, clerk, day, rng))
        day += timedelta(days=1)
    # edges of the period, in local time: 00:30 on the first day counts, 23:30 on the day before does not
    made.cases.append(accept_case(db, clerks["1001"], form(db, "SB-001", "immediate"), now=at(FIRST, 0, 30)))
    made.cases.append(accept_case(db, clerks["1002"], form(db, "SB-001", "immediate"),
                                  now=at(FIRST - timedelta(days=1), 23, 30)))
    rate(db, admin, made, rng)
    for i in range(7):
        staff_no = list(CLERKS)[i % 3]
        day = date(2026, 11, 3 + 3 * i) if i < 6 else date(2026, 10, 30)
        set_clock(monkeypatch, at(day))
        number = register(db, admin, ComplaintForm(category=1, channel="来访", content="态度生硬", name="刘淑兰",
                                                   phone="13904361234", staff_no=staff_no))
        upheld = i % 2 == 0
        if i < 5:
            handling.handle(db, admin, number, "self")
            handling.reply(db, admin, number, "oral", "已当面说明")
            handling.record_satisfaction(db, admin, number, True)
            handling.close(db, admin, number, "upheld" if upheld else "unfounded")
        made.complaints.append((staff_no, day.isoformat(), upheld and i < 5))
    department = save_department(db, admin, DepartmentForm("县公安局出入境管理大队", "县政务服务中心二楼", "0436-7221103",
                                                            "周一至周六 8:30—16:30", "护照"))
    for i in range(9):  # 首问 and one-time notices, one the evening before the period
        clerk = clerks[list(CLERKS)[i % 3]]
        moment = at(date(2026, 11, 2 + 2 * i)) if i else at(FIRST - timedelta(days=1), 23, 50)
        referred = i % 3 == 1
        register_inquiry(db, clerk, InquiryForm("李建国", "13904365678", "phone", "护照在哪里办？",
                                                "referred" if referred else "answered", answer="见说明",
                                                department_id=department if referred else None), now=moment)
        create_notice(db, clerk, NoticeForm("SB-002", "李建国", [1]), now=moment)
        made.inquiries.append((clerk.staff_no, moment, referred))
    set_clock(monkeypatch, at(TODAY))
    return made


def one_case(db: Database, clerk: Actor, day: date, rng: random.Random) -> str:
    kind = rng.choice(["spot", "spot", "promised", "promised", "late", "open", "withdrawn", "rejected", "supplement",
                       "paused"])
    received = at(day, rng.randint(8, 16), rng.choice([0, 30]))
    if kind == "spot":
        number = accept_case(db, clerk, form(db, "SB-001", "immediate"), now=received)
        if rng.random() < 0.8:
            complete_on_spot(db, clerk, number, "当场打印参保证明", now=received + timedelta(minutes=10),
                             late_reason="系统故障")
        return number
    if kind == "rejected":
        return accept_case(db, clerk, form(db, "SB-002", "rejected", rejection_reason="不属于本中心受理范围"),
                           now=received)
    if kind == "supplement":
        number = accept_case(db, clerk, form(db, "SB-002", "supplement", seqs=[]), now=received)
        if rng.random() < 0.6:
            record = get_case(db, number)
            assert record is not None
            complete_materials(db, clerk, number, list(range(1, len(record.item.materials) + 1)),
                               now=received + timedelta(days=2))
        return number
    number = accept_case(db, clerk, form(db, "SB-002", "promised"), now=received)
    if kind == "withdrawn":
        withdraw(db, clerk, number, "申请人自愿撤回", now=received + timedelta(days=rng.choice([1, 20])))
        return number
    if kind == "open":
        return number
    if kind == "paused":  # in a special procedure: its clock stands still, so it is not overdue
        pause_case(db, clerk, number, "鉴定", day + timedelta(days=2), 30, now=received + timedelta(days=2))
        return number
    record = get_case(db, number)
    assert record is not None and record.due_date is not None
    decided = at(record.due_date) + timedelta(days=rng.choice([-6, -1, 0]) if kind == "promised"
                                              else rng.choice([1, 3, 8]))
    approve = rng.random() < 0.8
    decide(db, clerk, number, Decision(True, result="准予领取养老金", late_reason=LATE) if approve else
           Decision(False, reason="不符合条件", basis="《办法》第五条", late_reason=LATE), now=decided)
    if rng.random() < 0.85:
        notify(db, clerk, number, "pickup", now=decided)
        delivered = decided + timedelta(days=rng.choice([0, 1, 2]))
        deliver(db, clerk, number, Delivery("pickup", receiver="张桂芳", receiver_id=ID), now=delivered)
        if rng.random() < 0.3:  # an archived case still counts as completed
            archive(db, clerk, number, "2026-社保-001", now=delivered + timedelta(hours=1))
    return number


def rate(db: Database, admin: Actor, made: Generated, rng: random.Random) -> None:
    """Citizens rate about half the closed cases (a few twice: the later counts), one bad rating's appeal is
    upheld, and the default job gives the rest 基本满意."""
    appealed = False
    for number in made.cases:
        record = get_case(db, number)
        assert record is not None
        if record.status not in ("done", "archived", "withdrawn", "rejected") or rng.random() < 0.5:
            continue
        ended = max(e[0] for e in record.events)
        level = rng.choice([5, 5, 4, 3, 2, 1])
        rating = add_rating(db, admin, number, level, ["214"] if level == 2 else ["115"] if level == 1 else [],
                            now=ended + timedelta(hours=1))
        if level <= 2 and not appealed and in_period(rating.rated_at):
            key = rect.rectification_id(rating.id)
            rect.appeal(db, DIRECTOR, key, "群众误点")
            rect.decide_appeal(db, DIRECTOR, key, True, "录像显示误触")
            appealed = True
        elif rng.random() < 0.2:
            add_rating(db, admin, number, 5, now=ended + timedelta(hours=2))
    assert appealed
    apply_default_ratings(db, now=at(date(2026, 11, 25)))


@pytest.fixture
def generated(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> Iterator[Generated]:
    yield generate(db, admin, monkeypatch)


def local(moment: datetime) -> date:
    return moment.astimezone(CN).date()


def in_period(moment: datetime) -> bool:
    return FIRST <= local(moment) <= LAST


def workdays_after(db: Database, start: date, end: date) -> int:
    calendar = load_calendar(db)
    return sum(1 for n in range(1, (end - start).days + 1) if calendar.is_workday(start + timedelta(days=n)))


def expected(db: Database, made: Generated, group: str) -> dict[str, Counter[str]]:
    """Every counted figure, per group (window / staff / '' for the township), the plain way."""
    out: dict[str, Counter[str]] = defaultdict(Counter)

    def key(staff_no: str) -> str:
        return {"window": CLERKS.get(staff_no, ""), "staff": staff_no, "": ""}[group]

    for number in made.cases:
        case: CaseRecord | None = get_case(db, number)
        assert case is not None
        row = out[key(case.staff_no)]
        kinds = [(e[1], e[0]) for e in case.events]
        if in_period(case.accepted_at):
            row["accepted"] += 1
            supplemented = any(e[1] == "supplemented" for e in case.events)
            row["class:" + ("supplement" if supplemented else case.case_class)] += 1
            row["supplement_completed"] += supplemented
        decided = next((t for k, t in kinds if k in ("approved", "denied", "completed_on_spot")), None)
        ended = next((t for k, t in kinds if k in ("approved", "denied", "completed_on_spot", "withdrawn",
                                                    "terminated")), None)
        done = next((t for k, t in kinds if k in ("completed_on_spot", "delivered")), None)
        if done is not None and in_period(done) and case.status in ("done", "archived"):
            row["completed"] += 1
            assert decided is not None and case.due_date is not None
            row["completed_on_time"] += local(decided) <= case.due_date
            row["trips"] += case.trips
        due = case.due_date
        if due is not None and FIRST <= due <= min(LAST, TODAY - timedelta(days=1)):
            out[""]["suspended_due"] += case.status == "suspended"
            if ended is None and case.status == "accepted":
                row["overdue"] += 1
                row["overdue_days"] += workdays_after(db, due, TODAY)
            elif ended is not None and local(ended) > due:
                row["overdue"] += 1
                row["overdue_days"] += workdays_after(db, due, local(ended))
    for r in iter_ratings(db):
        if r.excluded and in_period(r.rated_at):
            out[""]["excluded_in_period"] += 1
        if r.counts and not r.excluded and in_period(r.rated_at):
            row = out[key(r.staff_no)]
            if r.provenance == "default":
                row["ratings_default"] += 1
            else:
                row["ratings"] += 1
                row["satisfied"] += r.level >= 3
                row["bad_ratings"] += r.level <= 2
    for staff_no, moment, referred in made.inquiries:
        if in_period(moment):
            out[key(staff_no)]["inquiries"] += 1
            out[key(staff_no)]["referred"] += referred
    assert len(list_inquiries(db)) == len(made.inquiries)
    for notice in list_notices(db):
        if in_period(notice.issued_at):
            out[key(notice.staff_no)]["notices"] += 1
    for staff_no, day, upheld in made.complaints:
        if FIRST <= date.fromisoformat(day) <= LAST:
            out[key(staff_no)]["complaints"] += 1
            out[key(staff_no)]["complaints_upheld"] += upheld
    return out


def test_every_figure_equals_a_count_made_another_way(db: Database, generated: Generated) -> None:
    township = figures_for(db, FIRST, LAST)
    assert township.rows == ()
    plain = expected(db, generated, "")[""]
    got = township.total.values
    for name in COUNTED:
        assert got[name] == plain[name], name
    assert got["accepted"] > 20 and got["completed"] > 10 and got["overdue"] > 0 and got["overdue_days"] > 0
    assert got["inquiries"] == 8 and got["notices"] == 8
    assert got["referral_share"] == round(100 * plain["referred"] / plain["inquiries"], 1)
    assert got["ratings"] > 5 and got["ratings_default"] > 0 and got["complaints_upheld"] > 0
    assert got["completed_on_time"] < got["completed"]  # some were decided late
    assert got["trips_avg"] == round(plain["trips"] / plain["completed"], 2)
    assert got["satisfaction"] == round(100 * plain["satisfied"] / plain["ratings"], 1)
    assert got["on_time_rate"] == round(100 * plain["completed_on_time"] / plain["completed"], 1)
    assert plain["excluded_in_period"] == 1  # the upheld appeal's rating is in the period, and left out
    assert township.total.accepted_by_class == {k[6:]: n for k, n in plain.items() if k.startswith("class:")}
    assert set(township.total.accepted_by_class) >= {"immediate", "promised", "rejected", "supplement"}
    assert plain["suspended_due"] > 0  # due in the period, but in a special procedure: not overdue
    assert plain["supplement_completed"] > 0  # completed 补办件 are still 补办件 in 受理量
    assert sum(township.total.accepted_by_class.values()) == got["accepted"]
    for scope in ("window", "staff"):
        table = figures_for(db, FIRST, LAST, scope)
        plain_rows = expected(db, generated, scope)
        for row in table.rows:
            for name in COUNTED:
                assert row.values[name] == plain_rows[row.key][name], (scope, row.key, name)


def test_clerks_add_up_to_their_window_and_windows_to_the_township(db: Database, generated: Generated) -> None:
    total = figures_for(db, FIRST, LAST).total
    # Everyone active owes attendance, so the administrator's window has a row too; its case figures are 0.
    windows = {r.key: r for r in figures_for(db, FIRST, LAST, "window").rows if any(r.values[n] for n in COUNTED)}
    staff = tuple(r for r in figures_for(db, FIRST, LAST, "staff").rows if any(r.values[n] for n in COUNTED))
    assert set(windows) == {"1号窗口", "2号窗口"}
    assert {r.key for r in staff} == set(CLERKS) and staff[0].label == "测试人员1（1001）"
    for name in COUNTED:
        assert sum(int(r.values[name] or 0) for r in windows.values()) == total.values[name], name
        for window, row in windows.items():
            assert sum(int(r.values[name] or 0) for r in staff if CLERKS[r.key] == window) == row.values[name]
    for scope in ("item", "node"):
        rows = figures_for(db, FIRST, LAST, scope).rows
        for name in COUNTED:
            assert sum(int(r.values[name] or 0) for r in rows) == total.values[name], (scope, name)
    assert {r.key for r in figures_for(db, FIRST, LAST, "item").rows} >= {"SB-001", "SB-002"}


def test_ratings_by_item_and_node_are_counted_under_their_targets(db: Database, generated: Generated,
                                                                   admin: Actor) -> None:
    """A rating counts under its case's, notice's or 首问's item and node (copied onto it when given), the
    same as looking each target up by its number."""
    from sqlalchemy import select

    from app.models import Case, Inquiry, Notice

    notice = next(n for n in list_notices(db) if in_period(n.issued_at))
    inquiry = next(i for i in list_inquiries(db) if in_period(i.asked_at))  # about no item: item ""
    add_rating(db, admin, notice.number, 4, now=notice.issued_at + timedelta(minutes=5))
    add_rating(db, admin, inquiry.number, 1, ["115"], now=inquiry.asked_at + timedelta(minutes=5))
    targets: dict[str, tuple[str, str]] = {}
    with db.session() as s:
        for model in (Case, Notice, Inquiry):
            targets.update((n, (i, o)) for n, i, o in s.execute(select(model.number, model.item_code,
                                                                        model.origin_node)))
    for position, scope in enumerate(("item", "node")):
        plain: dict[str, Counter[str]] = defaultdict(Counter)
        for r in iter_ratings(db):
            if r.counts and not r.excluded and in_period(r.rated_at):
                row = plain[targets[r.target_number][position]]
                row["ratings_default" if r.provenance == "default" else "ratings"] += 1
                row["bad_ratings"] += r.provenance != "default" and r.level <= 2
        got = {r.key: r.values for r in figures_for(db, FIRST, LAST, scope).rows}
        for key in set(plain) | set(got):
            for name in ("ratings", "ratings_default", "bad_ratings"):
                assert int(got.get(key, {}).get(name) or 0) == plain[key][name], (scope, key, name)
    assert plain[db.node_code]["ratings"] > 5
    items = {r.key: r.values for r in figures_for(db, FIRST, LAST, "item").rows}
    assert int(items[notice.item_code]["ratings"] or 0) >= 1 and int(items[inquiry.item_code]["bad_ratings"] or 0) >= 1


def test_a_shorter_period_counts_only_its_days(db: Database, generated: Generated) -> None:
    first_week = figures_for(db, FIRST, date(2026, 11, 7)).total.values
    rest = figures_for(db, date(2026, 11, 8), LAST).total.values
    whole = figures_for(db, FIRST, LAST).total.values
    for name in ("accepted", "completed", "ratings", "complaints", "overdue"):
        assert int(first_week[name] or 0) + int(rest[name] or 0) == whole[name], name


def test_every_figure_has_its_written_definition() -> None:
    assert len({f.key for f in FIGURES}) == len(FIGURES)
    for f in FIGURES:
        assert f.label_cn and len(f.definition_cn) >= 10 and f.unit
    satisfaction = next(f for f in FIGURES if f.key == "satisfaction")
    assert "默认" in satisfaction.definition_cn


def test_the_command_line_prints_json_and_a_chinese_table(db: Database, generated: Generated,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    data = ["--data-dir", str(db.path.parent)]
    assert main([*data, "stats", "--from", "2026-11-01", "--to", "2026-11-30", "--by", "window", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"rows", "total", "as_of"} and out["as_of"].startswith("20")  # when it was counted
    for row in (*out["rows"], out["total"]):
        assert {"key", "label", "accepted", "completed", "completed_on_time", "overdue", "trips_avg", "ratings",
                "satisfaction", "complaints", "complaints_upheld", "ratings_default"} <= set(row)
    table: StatsTable = figures_for(db, FIRST, LAST, "window")
    assert out["total"]["accepted"] == table.total.values["accepted"]
    assert [r["key"] for r in out["rows"]] == ["1号窗口", "2号窗口"]
    assert main([*data, "stats", "--from", "2026-11-01", "--to", "2026-11-30"]) == 0
    text = capsys.readouterr().out
    assert "全镇合计" in text and "受理量" in text and "满意度" in text and "口径" in text and "数据截至" in text


@pytest.mark.parametrize(("first", "last", "message"), [
    ("2026-13-01", "2026-11-30", "开始日期“2026-13-01”不是有效的日期"),
    ("2026-11-30", "2026-11-01", "结束日期 2026-11-01 早于开始日期"),
    ("2020-01-01", "2026-11-30", "不能超过三年"),
])
def test_bad_dates_are_refused_in_chinese(db: Database, first: str, last: str, message: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    with pytest.raises(ValidationError, match=message):
        figures_for(db, first, last)
    assert main(["--data-dir", str(db.path.parent), "stats", "--from", first, "--to", last]) == 1
    assert message in capsys.readouterr().err
    with pytest.raises(ValidationError, match="统计范围"):
        figures_for(db, FIRST, LAST, "county")

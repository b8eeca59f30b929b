"""A township's year for the statistics benchmark: 1,000,000 cases with their events, ratings and
rectifications, complaints, first inquiries and one-time notices, written with plain executemany (the
services would take hours) but with the values the services write: the same event kinds and details,
status as the fold of the events, due dates on the real working-day calendar, trips as `trips_after`
counts them, a rectification for every bad rating, a default rating where the citizen gave none.

The year is 2025-11-01 .. 2026-10-31 (working days only), the report month its last, and "today"
2026-11-30, fixed so a cached database gives the same figures whatever day the bench runs.
The database is kept under the bench's cache folder (`cache_dir()`) keyed by this module's and the
migrations' text, so a re-run reuses it; the centre's PostgreSQL copy sits beside it.
"""

from __future__ import annotations

import importlib
import json
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

YEAR_FIRST, YEAR_LAST = date(2025, 11, 1), date(2026, 10, 31)
MONTH_FIRST, MONTH_LAST = date(2026, 10, 1), date(2026, 10, 31)
TODAY = date(2026, 11, 30)
CASES = 1_000_000
COMPLAINTS = 3_000
INQUIRIES = 150_000
EXTRA_NOTICES = 40_000  # notices whose citizen never came back with the materials
CENTER, HALL = "220821100", "01"
WINDOWS = [f"{n}号窗口" for n in range(1, 9)]
AGENCY = {"02": "东屯村代办点", "03": "西岗村代办点", "04": "建平村代办点", "05": "四方坨子村代办点", "06": "莫莫格村代办点"}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
GIVEN = "桂芳秀英兰建国伟强军平丽华敏静杰涛明超勇娟艳霞刚辉玲磊洋春梅红志海斌宇鹏凤云亮林飞波燕雪琴晶"
PASSWORD = "abc12345"
GENERATOR_VERSION = "1"


@dataclass(frozen=True)
class Clerk:
    staff_no: str
    name: str
    workplace: str
    node: str


@dataclass(frozen=True)
class ItemInfo:
    code: str
    name: str
    snapshot: str
    case_class: str
    limit: int
    materials: str


def cache_dir() -> Path:
    """Where the generated year is kept between runs: <tmp>/minsheng-bench/stats-<version>-<schema heads>.
    Bump GENERATOR_VERSION when the generated rows change; a new schema head makes a new one too."""
    from app.center.db import CENTER_SCHEMA_HEAD
    from app.migrations import SCHEMA_HEAD

    return Path(tempfile.gettempdir()) / "minsheng-bench" / f"stats-{GENERATOR_VERSION}-{SCHEMA_HEAD}-{CENTER_SCHEMA_HEAD}"


def ensure_year(progress: Callable[[str], None] = lambda _: None) -> tuple[Path, dict[str, Any]]:
    """The workstation folder holding the year, generated on the first run only (a marker file says the
    generation finished; a half-written folder is started again)."""
    folder = cache_dir() / "workstation"
    marker = cache_dir() / "workstation.done.json"
    if marker.exists():
        return folder, {**json.loads(marker.read_text()), "cached": True}
    if folder.exists():
        shutil.rmtree(folder)
    info = generate(folder, progress=progress)
    marker.write_text(json.dumps(info))
    return folder, {**info, "cached": False}


def ts(moment: datetime) -> str:
    """A UTC moment as SQLAlchemy stores it in SQLite (UtcDateTime: naive UTC, microseconds)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def local_at(day: date, minutes: int) -> datetime:
    """`minutes` after local midnight of `day`, as an aware moment (the workstation's zone)."""
    return (datetime(day.year, day.month, day.day) + timedelta(minutes=minutes)).astimezone()


def office_minute(rng: random.Random) -> int:
    return rng.choice((rng.randint(510, 715), rng.randint(780, 1045)))  # 08:30-11:55, 13:00-17:25


class Writer:
    """Buffered executemany into the named tables, columns checked against the real schema."""

    def __init__(self, conn: sqlite3.Connection, columns: dict[str, Sequence[str]]) -> None:
        self.conn = conn
        self.columns = columns
        self.buffers: dict[str, list[tuple[Any, ...]]] = {t: [] for t in columns}
        self.counts: dict[str, int] = {t: 0 for t in columns}
        for table, cols in columns.items():
            stored = {r[1]: r for r in conn.execute(f"PRAGMA table_info({table})")}
            missing = [name for name, r in stored.items() if name not in cols and r[3] and r[4] is None]
            assert not missing and set(cols) <= set(stored), (table, missing, set(cols) - set(stored))

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= 20_000:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self.buffers):
            rows = self.buffers[name]
            if rows:
                cols = self.columns[name]
                self.conn.executemany(f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                      rows)
                self.counts[name] += len(rows)
                rows.clear()


COLUMNS: dict[str, Sequence[str]] = {
    "case_file": ("id", "origin_node", "created_at", "updated_at", "number", "query_code", "case_class", "class_reason",
                  "status", "item_code", "item_name", "item_snapshot", "applicant_kind", "applicant_name",
                  "applicant_name_rev", "applicant_id_type", "applicant_id_number", "applicant_id_rev",
                  "applicant_phone", "applicant_address", "contact_name", "agent_name", "agent_relation",
                  "agent_id_type", "agent_id_number", "agent_phone", "materials", "missing_reason",
                  "rejection_reason", "lead_window", "co_departments", "accepted_at", "time_limit_days",
                  "clock_start", "due_date", "provisional", "notice_number", "staff_id", "staff_name", "staff_no",
                  "staff_workplace", "staff_phone", "owner_node", "trips"),
    "case_event": ("id", "origin_node", "created_at", "updated_at", "case_id", "kind", "at", "staff_name", "details"),
    "rating": ("id", "origin_node", "created_at", "updated_at", "target_kind", "target_number", "staff_no",
               "staff_name", "window", "item_code", "target_node", "level", "reasons", "text", "private", "channel",
               "provenance", "rated_at", "seq"),
    "rectification": ("id", "origin_node", "created_at", "updated_at", "rating_id", "target_number", "staff_no",
                      "opened_at", "due_date", "status", "called_back", "excluded"),
    "rectification_event": ("id", "origin_node", "created_at", "updated_at", "rectification_id", "kind", "at",
                            "staff_name", "details"),
    "complaint": ("id", "origin_node", "created_at", "updated_at", "number", "category", "channel", "name", "phone",
                  "anonymous", "confidential", "staff_no", "window", "item", "case_number", "content",
                  "registered_at", "due_date", "status", "finding", "satisfied"),
    "complaint_event": ("id", "origin_node", "created_at", "updated_at", "complaint_id", "kind", "at", "staff_name",
                        "details"),
    "inquiry": ("id", "origin_node", "created_at", "updated_at", "number", "asked_at", "citizen_name", "citizen_phone",
                "channel", "question", "item_code", "outcome", "answer", "department_id", "responder_id",
                "responder_name", "responder_no"),
    "notice": ("id", "origin_node", "created_at", "updated_at", "number", "issued_at", "citizen_name", "citizen_phone",
               "item_code", "item_name", "item_snapshot", "present", "note", "staff_id", "staff_name", "staff_no",
               "staff_workplace", "staff_phone", "inquiry_id", "follows_number"),
}
LEVEL_WEIGHTS = ((5, 60), (4, 25), (3, 10), (2, 3), (1, 2))
DELIVERY = (("pickup", 60), ("post", 15), ("agent", 15), ("electronic", 10))


def weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


class Year:
    """Generates the year into an open sqlite3 connection (see `generate`)."""

    def __init__(self, conn: sqlite3.Connection, clerks: list[Clerk], items: list[ItemInfo],
                 add_workdays: Callable[[date, int], date], is_workday: Callable[[date], bool],
                 uuid: Callable[[], str], cases: int, seed: int = 13) -> None:
        self.w = Writer(conn, COLUMNS)
        self.rng = random.Random(seed)
        self.clerks, self.items, self.uuid = clerks, items, uuid
        self.add_workdays, self.is_workday = add_workdays, is_workday
        self.cases = cases
        self.today_end = local_at(TODAY, 0)
        self.seq: dict[tuple[str, str, date], int] = {}
        self.query_codes: dict[str, int] = {}
        self.case_numbers: list[tuple[str, str, str, str]] = []  # a sample: number, staff no, window, item

    def number(self, prefix: str, node: str, day: date, width: int) -> str:
        key = (prefix, node, day)
        n = self.seq[key] = self.seq.get(key, 0) + 1
        return f"{prefix}{CENTER}{node}{day:%y%m%d}{n:0{width}d}"

    def person(self) -> tuple[str, str]:
        rng = self.rng
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        return name, f"139{rng.randint(0, 99999999):08d}"

    def event(self, node: str, case_id: str, kind: str, at: datetime, clerk: Clerk, details: dict[str, object]) -> None:
        if kind != "accepted":
            details = {**details, "by_no": clerk.staff_no, "by_place": clerk.workplace}
        self.w.add("case_event", (self.uuid(), node, ts(at), ts(at), case_id, kind, ts(at), clerk.name,
                                  json.dumps(details, ensure_ascii=False, sort_keys=True)))

    def notice(self, clerk: Clerk, item: ItemInfo, day: date) -> str:
        at = local_at(day, office_minute(self.rng))
        number = self.number("GZ", clerk.node, day, 4)
        name, phone = self.person()
        self.w.add("notice", (self.uuid(), clerk.node, ts(at), ts(at), number, ts(at), name, phone, item.code,
                              item.name, item.snapshot, "[1]", "", None, clerk.name, clerk.staff_no,
                              clerk.workplace, "", None, ""))
        return number

    def rating(self, node: str, kind: str, target: str, item_code: str, clerk: Clerk, at: datetime,
               ended: datetime) -> None:
        """The citizen's rating (55%), else the default job's after 5 working days (40%), else none yet; each
        carries its target's item and node, as a rating given by the services does."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.55:
            level = weighted(rng, LEVEL_WEIGHTS)
            self._rating(node, kind, (target, item_code), clerk, at, level,
                         weighted(rng, (("window", 70), ("qr", 20), ("sms", 10))), "citizen", 1)
            if rng.random() < 0.01:  # a 追评 a few days later
                later = at + timedelta(days=rng.randint(1, 5))
                if later < self.today_end:
                    self._rating(node, kind, (target, item_code), clerk, later,
                                 max(1, min(5, level + rng.choice((-2, -1, 1)))), "qr", "citizen", 2)
        elif roll < 0.95:
            day = self.add_workdays(ended.date(), 5)
            moment = local_at(day + timedelta(days=1), 125)  # the nightly job, 02:05 after the fifth working day
            if moment < self.today_end:
                self._rating(node, kind, (target, item_code), clerk, moment, 3, "default", "default", 1)

    def _rating(self, node: str, kind: str, of: tuple[str, str], clerk: Clerk, at: datetime, level: int,
                channel: str, provenance: str, seq: int) -> None:
        from app.services.ratings.codes import REASONS
        from app.services.ratings.rectification import rectification_id

        rng = self.rng
        rating_id = self.uuid()
        reasons = json.dumps(rng.sample(sorted(REASONS[level]), rng.randint(1, 2))) if level <= 2 or rng.random() < 0.3 \
            else "[]"
        target, item_code = of
        self.w.add("rating", (rating_id, node, ts(at), ts(at), kind, target, clerk.staff_no, clerk.name,
                              clerk.workplace, item_code, node, level, reasons, "", 0, channel, provenance, ts(at), seq))
        if level > 2:
            return
        rect_id = rectification_id(rating_id)
        due = self.add_workdays(at.date(), 5)
        events: list[tuple[str, datetime, dict[str, object]]] = [("opened", at, {"due": due.isoformat()})]
        status, called, excluded = "pending", False, False
        step = at
        for kind_, chance in (("verified", 0.95), ("callback", 0.9), ("fixed", 0.85)):
            step += timedelta(days=1, hours=rng.randint(0, 5))
            if rng.random() > chance or step >= self.today_end:
                break
            events.append((kind_, step, {"note": "已核实并约谈当事人" if kind_ == "verified" else "已电话回访"}))
            status = {"verified": "fixing", "fixed": "fixed"}.get(kind_, status)
            called = called or kind_ == "callback"
        if status == "fixed" and rng.random() < 0.06:  # the clerk appealed and the director upheld it
            step += timedelta(days=2)
            if step < self.today_end:
                events += [("appealed", step, {"reason": "评价人误评"}), ("appeal_decided", step, {"upheld": True})]
                status, excluded = "invalid", True
        self.w.add("rectification", (rect_id, node, ts(at), ts(step), rating_id, target, clerk.staff_no, ts(at),
                                     due.isoformat(), status, int(called), int(excluded)))
        for kind_, moment, details in events:
            self.w.add("rectification_event", (self.uuid(), node, ts(moment), ts(moment), rect_id, kind_, ts(moment),
                                               "李主任", json.dumps({**details, "by_no": "8000"}, ensure_ascii=False,
                                                                   sort_keys=True)))

    def one_case(self, day: date, clerk: Clerk, item: ItemInfo) -> None:
        rng = self.rng
        node = clerk.node
        at = local_at(day, office_minute(rng))
        case_id = self.uuid()
        number = self.number("", node, day, 5)
        qn = self.query_codes[node] = self.query_codes.get(node, 0) + 1
        klass = item.case_class
        roll = rng.random()
        if roll < 0.03:
            klass = "rejected"
        elif roll < 0.11 and klass != "immediate":
            klass = "supplement"
        stored_class = klass  # the column: a 补办件 takes its item's class once complete (the fold)
        notice = self.notice(clerk, item, day - timedelta(days=rng.randint(1, 10))) if rng.random() < 0.2 else ""
        name, phone = self.person()
        id_number = f"220821{rng.randint(1940, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 9999):04d}"
        trips = (1 if notice else 0) + 1
        events: list[tuple[str, datetime, dict[str, object]]] = []
        status, clock_start, due = ("rejected" if klass == "rejected" else
                                    "supplementing" if klass == "supplement" else "accepted"), None, None
        if klass == "immediate":
            clock_start = due = day
            done = at + timedelta(minutes=rng.randint(5, 25))
            events.append(("completed_on_spot", done, {"result": "当场办结，证件已交申请人"}))
            status, ended = "done", done
        elif klass != "rejected":
            start = day
            if klass == "supplement":
                back = self.add_workdays(day, rng.randint(1, 8))
                when = local_at(back, office_minute(rng))
                if rng.random() < 0.9 and when < self.today_end:
                    events.append(("supplemented", when, {"materials": [1, 2], "class": item.case_class}))
                    status, start, trips, stored_class = "accepted", back, trips + 1, item.case_class
            if status == "accepted":
                clock_start = start
                due = self.add_workdays(start, item.limit)
                status, ended, due, trips = self.run_clock(events, start, due, item, trips)
        else:
            ended = at
        if status in ("done", "archived") and rng.random() < 0.3 and ended + timedelta(days=60) < self.today_end:
            events.append(("archived", ended + timedelta(days=60), {"box": f"{ended:%Y}-{rng.randint(1, 400):03d}"}))
            status = "archived"
        accepted_details: dict[str, object] = {"class": klass, "due": due.isoformat() if due else None}
        self.w.add("case_file", (
            case_id, node, ts(at), ts(events[-1][1] if events else at), number, f"{node}{qn:06X}", stored_class, "", status,
            item.code, item.name, item.snapshot, "individual", name, name[::-1], "resident", id_number, id_number[::-1],
            phone, "镇赉县镇赉镇", "", "", "", "", "", "", item.materials, "", "材料不全，不符合受理条件"
            if klass == "rejected" else "", "", "", ts(at), item.limit, clock_start.isoformat() if clock_start else None,
            due.isoformat() if due else None, 0, notice, None, clerk.name, clerk.staff_no, clerk.workplace, "",
            node, trips))
        self.event(node, case_id, "accepted", at, clerk, accepted_details)
        for kind, moment, details in events:
            self.event(node, case_id, kind, moment, clerk, details)
        if status in ("done", "archived"):
            done_at = next(m for k, m, _ in events if k in ("completed_on_spot", "delivered"))
            self.rating(node, "case", number, item.code, clerk, done_at + timedelta(minutes=rng.randint(1, 30)), done_at)
        if rng.random() < 0.005:
            self.case_numbers.append((number, clerk.staff_no, clerk.workplace, item.name))

    def run_clock(self, events: list[tuple[str, datetime, dict[str, object]]], start: date, due: date, item: ItemInfo,
                  trips: int) -> tuple[str, datetime, date, int]:
        """A promised or joint case from its clock start: maybe paused or extended, then decided (4% late),
        notified and delivered; or withdrawn or terminated; still open where that lies after today."""
        rng = self.rng
        base = max(1, item.limit)
        roll = rng.random()
        if roll < 0.015:
            moment = local_at(self.add_workdays(start, rng.randint(1, base)), office_minute(rng))
            if moment < self.today_end:
                kind = "withdrawn" if roll < 0.012 else "terminated"
                events.append((kind, moment, {"reason": "申请人主动撤回申请" if kind == "withdrawn" else "申请人死亡，依法终止"}))
                return kind, moment, due, trips
            return "accepted", moment, due, trips
        if rng.random() < 0.01:  # a special procedure (专家评审) of a few working days
            paused = self.add_workdays(start, 1)
            length = rng.randint(3, 10)
            resumed = self.add_workdays(paused, length)
            if local_at(resumed, 600) >= self.today_end:
                return "accepted", self.today_end, due, trips
            events.append(("paused", local_at(paused, 600), {"procedure": "专家评审", "start": paused.isoformat(),
                                                              "expected_days": length}))
            events.append(("resumed", local_at(resumed, 600), {"end": resumed.isoformat()}))
            due, start = self.add_workdays(due, length), resumed  # decided after the procedure ends
        if rng.random() < 0.03:  # an extension granted before the deadline
            days = rng.randint(5, 10)
            moment = local_at(self.add_workdays(start, max(0, base - 1)), 900)
            if moment >= self.today_end:
                return "accepted", self.today_end, due, trips
            events.append(("extended", moment, {"days": days, "reason": "需现场核查", "approver": "李主任"}))
            due, start, base = self.add_workdays(due, days), moment.date(), days  # decided within the extension
        late = rng.random() < 0.04
        decided_day = self.add_workdays(due, rng.randint(1, 5)) if late else \
            self.add_workdays(start, rng.randint(max(1, base // 3), base))
        decided = local_at(decided_day, office_minute(rng))
        if decided >= self.today_end:
            return "accepted", self.today_end, due, trips
        overdue = {"overdue_days": 0} if not late else {"overdue_days": 1, "late_reason": "需补充核查"}
        if rng.random() < 0.92:
            events.append(("approved", decided, {"result": "准予", **overdue}))
        else:
            events.append(("denied", decided, {"reason": "不符合条件", "basis": "《办事指南》申请条件", **overdue}))
        method = weighted(rng, DELIVERY)
        events.append(("notified", decided + timedelta(minutes=20), {"method": method}))
        delivered = local_at(self.add_workdays(decided_day, rng.randint(0, 5)), office_minute(rng))
        if delivered <= decided:
            delivered = decided + timedelta(minutes=40)
        if delivered >= self.today_end:
            return ("ready" if method == "pickup" else "to_deliver"), delivered, due, trips
        events.append(("delivered", delivered, {"method": method, "receiver": "申请人本人"}))
        if method == "pickup":
            trips += 1
        return "done", delivered, due, trips

    def inquiry(self, day: date) -> None:
        rng = self.rng
        clerk = rng.choice(self.clerks)
        at = local_at(day, office_minute(rng))
        name, phone = self.person()
        outcome = weighted(rng, (("answered", 60), ("notice", 25), ("referred", 15)))
        number = self.number("SW", clerk.node, day, 4)
        item = rng.choice(self.items)
        self.w.add("inquiry", (self.uuid(), clerk.node, ts(at), ts(at), number, ts(at), name, phone,
                               weighted(rng, (("onsite", 80), ("phone", 20))), f"咨询{item.name}需要什么材料",
                               item.code if outcome != "referred" else "", outcome,
                               "已告知办理条件和材料" if outcome != "referred" else "不属本中心职责，请到县不动产登记中心办理",
                               None, None, clerk.name, clerk.staff_no))
        if rng.random() < 0.05:
            self.rating(clerk.node, "inquiry", number, item.code if outcome != "referred" else "", clerk,
                        at + timedelta(minutes=5), at)

    def complaint(self, day: date) -> None:
        rng = self.rng
        at = local_at(day, office_minute(rng))
        number = self.number("TS", HALL, day, 4)
        about = rng.choice(self.case_numbers) if self.case_numbers and rng.random() < 0.4 else None
        clerk = rng.choice(self.clerks)
        staff_no = about[1] if about else (clerk.staff_no if rng.random() < 0.75 else "")
        window = about[2] if about else clerk.workplace
        name, phone = self.person()
        complaint_id = self.uuid()
        due = self.add_workdays(day, 15)
        closed = local_at(self.add_workdays(day, rng.randint(3, 14)), 600)
        status, finding = ("closed", weighted(rng, (("upheld", 20), ("partly", 15), ("unfounded", 65)))) \
            if closed < self.today_end else ("handling", "")
        self.w.add("complaint", (complaint_id, HALL, ts(at), ts(closed if finding else at), number, rng.randint(1, 11),
                                 weighted(rng, (("visit", 50), ("phone", 30), ("hotline", 20))), name, phone, 0, 0,
                                 staff_no, window, about[3] if about else "", about[0] if about else "",
                                 "办事等候时间过长，工作人员态度生硬", ts(at), due.isoformat(), status, finding,
                                 (1 if rng.random() < 0.8 else 0) if finding else None))
        steps = [("registered", at, {})] + ([("handled", at + timedelta(hours=2), {"mode": "self"}),
                                             ("replied", closed - timedelta(hours=2), {"form": "oral", "finding": finding}),
                                             ("closed", closed, {"finding": finding})] if finding else [])
        for kind, moment, details in steps:
            self.w.add("complaint_event", (self.uuid(), HALL, ts(moment), ts(moment), complaint_id, kind, ts(moment),
                                           "李主任", json.dumps(details, ensure_ascii=False, sort_keys=True)))

    def days(self) -> Iterator[date]:
        day = YEAR_FIRST
        while day <= YEAR_LAST:
            if self.is_workday(day):
                yield day
            day += timedelta(days=1)

    def run(self, progress: Callable[[str], None] = lambda _: None) -> dict[str, int]:
        rng = self.rng
        days = list(self.days())
        per_day = self.cases // len(days)
        extra = self.cases - per_day * len(days)
        hall = [c for c in self.clerks if c.node == HALL]
        agents = [c for c in self.clerks if c.node != HALL]
        weights = [rng.uniform(0.3, 3.0) for _ in self.items]  # a few items make up most of the work
        for index, day in enumerate(days):
            for n in range(per_day + (1 if index < extra else 0)):
                clerk = rng.choice(hall) if n % 4 else rng.choice(agents)
                self.one_case(day, clerk, rng.choices(self.items, weights)[0])
            for _ in range(INQUIRIES // len(days)):
                self.inquiry(day)
            for _ in range(EXTRA_NOTICES // len(days)):
                self.notice(rng.choice(self.clerks), rng.choice(self.items), day)
            for _ in range(COMPLAINTS // len(days) + (1 if index % 2 else 0)):
                self.complaint(day)
            if index % 20 == 19:
                self.w.flush()
                self.w.conn.commit()
                progress(f"{day}: {self.w.counts['case_file']} cases")
        self.w.flush()
        self.w.conn.commit()
        return dict(self.w.counts)


def _staff(db: Any) -> list[Clerk]:
    from app.actor import SYSTEM_ACTOR
    from app.services.people.staff import StaffForm, save_staff

    clerks = [Clerk(f"80{10 + n:02d}", f"{SURNAMES[n]}{GIVEN[n]}{GIVEN[n + 9]}", WINDOWS[n // 2], HALL)
              for n in range(2 * len(WINDOWS))]
    clerks += [Clerk(f"81{n:02d}", f"{SURNAMES[20 + n]}{GIVEN[20 + n]}", place, node)
               for n, (node, place) in enumerate(AGENCY.items(), start=1)]
    for clerk in clerks:
        save_staff(db, SYSTEM_ACTOR, StaffForm(clerk.staff_no, clerk.name, "clerk", clerk.workplace,
                                               password=PASSWORD))
    return clerks


def _items(db: Any) -> list[ItemInfo]:
    from sqlalchemy import select

    from app.models import ServiceItem
    from app.services.catalog import items as catalog
    from app.services.catalog.data import item_to_dict

    with db.session() as s:
        codes = list(s.scalars(select(ServiceItem.code).order_by(ServiceItem.code)))
    out = []
    for code in codes:
        item = catalog.load_item(db, code)
        assert item is not None
        materials = json.dumps([{"seq": n, "originals_kept": m.originals_kept, "originals_checked": m.originals_checked,
                                 "copies": m.copies, "electronic": m.electronic}
                                for n, m in enumerate(item.materials, start=1)])
        out.append(ItemInfo(item.code, item.name, json.dumps(item_to_dict(item), ensure_ascii=False, sort_keys=True),
                            item.default_case_class, item.promised_limit_days, materials))
    return out


def generate(folder: Path, cases: int = CASES, progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """Set up a workstation (the township's director's, which syncs every node) in `folder` and fill the
    year; returns the row counts and seconds taken."""
    from app.ids import uuid7
    from app.services.calendar.holidays import load_calendar
    from app.services.setup import SetupRequest, perform_setup
    from app.startup import open_workstation

    start = time.perf_counter()
    db, _ = open_workstation(folder)
    perform_setup(db, SetupRequest(CENTER, "镇赉镇民生服务中心", HALL, "镇民生服务中心", "window", "admin", PASSWORD))
    clerks, items = _staff(db), _items(db)
    calendar = load_calendar(db)
    path = db.path
    db.dispose()
    memo: dict[tuple[date, int], date] = {}

    def add_workdays(day: date, n: int) -> date:
        key = (day, n)
        if key not in memo:
            memo[key] = calendar.add(day, n).day
        return memo[key]

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    counts = Year(conn, clerks, items, add_workdays, calendar.is_workday, lambda: str(uuid7()), cases).run(progress)
    conn.commit()
    progress("case facts (decision, completion, 补正) from the events, as migration 0022 fills them")
    conn.execute(import_module("app.migrations.versions.0022_case_facts").fill_sql())
    conn.commit()  # no ANALYZE: the workstation never runs one, so the planner sees what it sees there
    conn.close()
    return {"rows": counts, "generate_s": round(time.perf_counter() - start, 1), "database": str(path)}


CENTRE_TABLES = ("staff", "service_item", "calendar_year", "calendar_day", "case_file", "case_event", "rating", "rectification", "rectification_event",
                 "complaint", "complaint_event", "inquiry", "notice")
CENTRE_DATABASE = "stats_centre"


def ensure_centre(db: Any, progress: Callable[[str], None] = lambda _: None) -> tuple[str, Any, dict[str, Any]]:
    """The centre's PostgreSQL holding the same year in its replica tables (every node's rows, with
    _owner and _pushed_by as a push leaves them), loaded by COPY on the first run and kept in the cache
    folder's embedded server. Returns its URL, the server handle (stopped at exit) and what was loaded."""
    from sqlalchemy import create_engine, text

    from app.center.db import embedded_url, engine_for, migrate
    from app.center.schema import REPLICA

    marker = cache_dir() / "centre.done.json"
    base, server = embedded_url(cache_dir() / "pgdata")
    head, _, query = base.partition("?")
    url = f"{head.rsplit('/', 1)[0]}/{CENTRE_DATABASE}?{query}"
    if marker.exists():
        return url, server, {**json.loads(marker.read_text()), "cached": True}
    start = time.perf_counter()
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{CENTRE_DATABASE}"'))
        conn.execute(text(f'CREATE DATABASE "{CENTRE_DATABASE}"'))
    admin.dispose()
    engine = engine_for(url)
    migrate(engine)
    source = sqlite3.connect(db.path)
    counts: dict[str, int] = {}
    for table in CENTRE_TABLES:
        replica = {c.name for c in REPLICA[table].columns}
        cols = [r[1] for r in source.execute(f"PRAGMA table_info({table})") if r[1] in replica]
        owned = table not in ("staff", "service_item", "calendar_year", "calendar_day")
        node_at = cols.index("origin_node")
        quoted = ", ".join(f'"{c}"' for c in cols)
        with engine.begin() as conn:
            if table == "rating":  # a bulk load recounts once at the end, as the migration's fill does
                conn.execute(text("ALTER TABLE rating DISABLE TRIGGER rating_outweighed_refresh"))
            driver = conn.connection.driver_connection
            with driver.cursor() as cur:  # type: ignore[union-attr]
                with cur.copy(f'COPY {table} ({quoted}, "_owner", "_pushed_by") FROM STDIN') as copy:
                    n = 0
                    for row in source.execute(f"SELECT {quoted} FROM {table}"):
                        node = row[node_at]
                        copy.write_row((*row, node if owned else None, node if owned else ""))
                        n += 1
        counts[table] = n
        progress(f"centre: {table} {n} rows")
    source.close()
    from app.center.schema import center_node

    fill = importlib.import_module("app.migrations.versions.0023_stats_covering").fill_sql()
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE rating ENABLE TRIGGER rating_outweighed_refresh"))
        conn.execute(text("DELETE FROM rating_outweighed"))
        conn.execute(text(fill))

    with engine.begin() as conn:  # the nodes as enrolled: the report names them
        conn.execute(center_node.insert(), [{"node_code": code, "node_name": name, "kind": kind}
                                            for code, name, kind in [(HALL, "镇民生服务中心", "window"),
                                                                     *((c, n, "agency") for c, n in AGENCY.items())]])
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))  # what autovacuum does after a large load
    engine.dispose()
    info = {"rows": counts, "load_s": round(time.perf_counter() - start, 1)}
    marker.write_text(json.dumps(info))
    return url, server, {**info, "cached": False}


def check_sample(path: Path, sample: int = 2000, seed: int = 5) -> int:
    """Folds a sample of the generated cases' events as the services do and checks the cached columns
    agree (status = `state_after`, trips = `trips_after`): the bench measures rows the services could
    have written. Returns how many cases were checked; raises AssertionError on the first mismatch."""
    from app.services.cases.lifecycle import state_after, trips_after

    conn = sqlite3.connect(path)
    top = int(conn.execute("SELECT max(rowid) FROM case_file").fetchone()[0] or 0)
    rng = random.Random(seed)
    checked = 0
    for rowid in sorted({rng.randint(1, top) for _ in range(sample)}):
        found = conn.execute("SELECT id, status, trips, notice_number FROM case_file WHERE rowid = ?", (rowid,)).fetchone()
        if found is None:
            continue
        case_id, status, trips, notice = found
        events = [(kind, json.loads(details), datetime.fromisoformat(at).replace(tzinfo=UTC).astimezone().date())
                  for kind, details, at in conn.execute("SELECT kind, details, at FROM case_event WHERE case_id = ? "
                                                        "ORDER BY at", (case_id,))]
        assert events and events[0][0] == "accepted", case_id
        klass = str(events[0][1]["class"])
        folded = state_after(klass, [(k, str(d.get("method", "")), str(d.get("class", ""))) for k, d, _ in events[1:]])
        assert folded == status, (case_id, folded, status)
        counted = trips_after(bool(notice), [(k, str(d.get("method", "")), day) for k, d, day in events])
        assert counted == trips, (case_id, counted, trips)
        checked += 1
    conn.close()
    return checked

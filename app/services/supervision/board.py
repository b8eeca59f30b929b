"""The director's board: the township's yellow and red cases and complaints, by window, and one window's list.

A window is the clerk's workplace as the case records it (what the statistics group by), so the counts here
and the statistics screen's per-window rows name the same windows. Lights follow the one rule of
app.services.cases.lights (a complaint is lit while it waits for its answer, as the complaints list does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, literal, select, union_all

from app.clock import utc_now
from app.database import Database
from app.models import Case, Complaint, Staff
from app.services.cases.lights import LIT_STATES, light_of, yellow_horizon
from app.services.cases.reassign import holder_node
from app.services.cases.records import workday_counter
from app.services.complaints.categories import UNANSWERED_STATES
from app.services.paging import PAGE_SIZE, Page, check_window
from app.services.settings import load_settings
from app.services.supervision.records import supervised_numbers

NO_WINDOW = "（未注明窗口）"
HOLDER = holder_node()  # the node holding a case (app.services.cases.reassign)


@dataclass(frozen=True)
class WindowLights:
    window: str  # the key: the workplace as recorded ("" when none)
    red_cases: int
    yellow_cases: int
    red_complaints: int
    yellow_complaints: int

    @property
    def label(self) -> str:
        return self.window or NO_WINDOW

    @property
    def red(self) -> int:
        return self.red_cases + self.red_complaints

    @property
    def yellow(self) -> int:
        return self.yellow_cases + self.yellow_complaints


@dataclass(frozen=True)
class LitRow:
    kind: str  # case | complaint
    number: str
    subject: str  # the item, or the complaint's content
    person: str  # the clerk (a case) or the clerk complained about
    due_date: date
    colour: str  # red | yellow
    light_label: str
    node: str
    supervised: bool  # an unanswered 督办 is out about it

    @property
    def kind_label(self) -> str:
        return "办件" if self.kind == "case" else "投诉"


def _lit(db: Database, today: date) -> tuple[Any, Any]:
    """One query of every lit case and waiting complaint due on or before the yellow horizon."""
    horizon = yellow_horizon(today, workday_counter(db, today), load_settings(db).warning_days_number)
    cases = select(literal("case").label("kind"), Case.number.label("number"), Case.item_name.label("subject"),
                   Case.staff_name.label("person"), Case.due_date.label("due_date"),
                   Case.staff_workplace.label("window"), HOLDER.label("node")).where(
        Case.status.in_(LIT_STATES), Case.due_date <= horizon)
    window = func.coalesce(func.nullif(Complaint.window, ""), Staff.workplace, "")
    complaints = (select(literal("complaint").label("kind"), Complaint.number.label("number"),
                         func.substr(Complaint.content, 1, 60).label("subject"),
                         func.coalesce(Staff.name, "").label("person"), Complaint.due_date.label("due_date"),
                         window.label("window"), Complaint.origin_node.label("node"))
                  .outerjoin(Staff, Staff.staff_no == Complaint.staff_no)
                  .where(Complaint.status.in_(UNANSWERED_STATES), Complaint.due_date <= horizon))
    return union_all(cases, complaints).subquery(), horizon


def by_window(db: Database, now: datetime | None = None) -> list[WindowLights]:
    """Every window with a yellow or red case or complaint: most red first, then most yellow."""
    today = (now or utc_now()).astimezone().date()
    lit, _horizon = _lit(db, today)
    red = lit.c.due_date < today

    def count(kind: str, is_red: bool) -> Any:
        return func.count().filter(lit.c.kind == kind, red if is_red else ~red)

    with db.session() as s:
        rows = s.execute(select(lit.c.window, count("case", True), count("case", False), count("complaint", True),
                                count("complaint", False)).group_by(lit.c.window)).all()
    windows = [WindowLights(r[0] or "", r[1], r[2], r[3], r[4]) for r in rows]
    return sorted(windows, key=lambda w: (-w.red, -w.yellow, w.label))


def window_rows(db: Database, window: str, *, offset: int = 0, limit: int = PAGE_SIZE,
                now: datetime | None = None) -> Page[LitRow]:
    """One window's lit cases and complaints, red first and the most overdue first; with the true total."""
    check_window(offset, limit)
    today = (now or utc_now()).astimezone().date()
    counter = workday_counter(db, today)
    warning_days = load_settings(db).warning_days_number
    lit, _horizon = _lit(db, today)
    where = func.coalesce(lit.c.window, "") == window
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(lit).where(where)) or 0
        rows = s.execute(select(lit).where(where).order_by(lit.c.due_date, lit.c.number)
                         .offset(offset).limit(limit)).all()
    marked = supervised_numbers(db, [r.number for r in rows])
    result = []
    for r in rows:
        light = light_of("accepted", r.due_date, today, counter, warning_days)
        result.append(LitRow(r.kind, r.number, r.subject or "", r.person or "", r.due_date, light.colour, light.label,
                             r.node or "", r.number in marked))
    return Page(result, total, offset)

"""The hall's queue at the centre: 取号, 叫号, 重呼, 过号, 转移, 办结 and the hall's status, as route handlers.

Every handler runs in the request's one transaction with the calling device's Node. A window calls, recalls,
skips, transfers and finishes only as itself: the window is the device's node code, never a code in the
body. 叫号 takes the first waiting ticket with SELECT … FOR UPDATE SKIP LOCKED, so windows calling at the same
moment each get a different ticket without waiting for one another. Priority tickets (appointments checked
in at the kiosk, tickets transferred from another window) are called before the others, each group in the
order it joined the queue.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, case, func, select, update
from sqlalchemy.dialects.postgresql import insert

from app.center.errors import BadRequest, CenterError, Forbidden
from app.center.nodes import Node
from app.center.queue_tables import queue_category, queue_counter, queue_ticket
from app.center.schema import REPLICA, center_node
from app.clock import local_now, utc_now
from app.ids import uuid7
from app.node_identity import KIOSK
from app.services.appointments.checkin import arrival_problem
from app.services.errors import ValidationError
from app.services.queue import rules

CALLERS = ("window", "director")  # an agency point is not in the hall; the kiosk takes tickets, never serves them


def _text(body: dict[str, Any], key: str, limit: int) -> str:
    value = body.get(key, "")
    if not isinstance(value, str) or len(value) > limit:
        raise BadRequest(f"{key} 应为不超过 {limit} 个字符的文字")
    return value


def _checked(check: Any, value: str) -> str:
    try:
        return str(check(value))
    except ValidationError as exc:
        raise BadRequest(exc.message) from exc


def today() -> date:
    return local_now().date()


def _names(conn: Connection) -> dict[str, str]:
    return {r.node_code: r.node_name for r in conn.execute(select(center_node.c.node_code, center_node.c.node_name))}


def as_wire(row: Any, names: dict[str, str], status: str | None = None, window: str | None = None) -> dict[str, Any]:
    """A ticket as the windows read it (app.services.queue.client.ticket_of)."""
    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None
    window = row.window if window is None else window
    return {"id": row.id, "number": row.number, "category": row.category, "taken_at": when(row.taken_at),
            "queued_at": when(row.queued_at), "ahead": row.ahead, "priority": row.priority,
            "appointment": row.appointment, "status": status or row.status, "window": window,
            "window_name": names.get(window, "") if window else "", "called_at": when(row.called_at),
            "announced_at": when(row.announced_at), "recalls": row.recalls, "finished_at": when(row.finished_at)}


def _category(conn: Connection, name: str) -> Any:
    row = conn.execute(select(queue_category).where(queue_category.c.name == name)).first()
    if row is None:
        known = "、".join(conn.execute(select(queue_category.c.name).order_by(queue_category.c.position)).scalars())
        raise BadRequest(f"没有“{name}”这个排队类别；可取的有：{known}")
    return row


def served_by(conn: Connection, node_code: str) -> list[str]:
    """The categories a window serves: those naming it, and those served by every window."""
    rows = conn.execute(select(queue_category.c.name, queue_category.c.windows).order_by(queue_category.c.position))
    return [r.name for r in rows if not r.windows or node_code in r.windows.split(",")]


def _checked_in(conn: Connection, given: str, day: date) -> str:
    """The appointment number behind a phone number or YY… code, by the rule of 到达 (checkin.arrival_problem)."""
    appt = REPLICA["appointment"]
    column = appt.c.number if given.startswith("YY") else appt.c.citizen_phone
    rows = conn.execute(select(appt.c.number, appt.c.kind, appt.c.status, appt.c.day)
                        .where(column == given).order_by(appt.c.day.desc(), appt.c.slot)).all()
    if not rows:
        raise BadRequest(f"没有找到 {given} 的预约；请按普通号取号，或到窗口咨询")
    todays = [r for r in rows if r.day == day and r.kind == "visit" and r.status in ("booked", "arrived")]
    if todays:
        return str(todays[0].number)
    first = rows[0]
    raise BadRequest(arrival_problem(first.number, first.kind, first.status, first.day, day)
                     or f"预约 {first.number} 不能签到")


def _next_seq(conn: Connection, day: date, prefix: str) -> int:
    stmt = insert(queue_counter).values(day=day, prefix=prefix, last=1)
    stmt = stmt.on_conflict_do_update(index_elements=["day", "prefix"], set_={"last": queue_counter.c.last + 1})
    seq = int(conn.execute(stmt.returning(queue_counter.c.last)).scalar_one())
    if seq > rules.MAX_PER_DAY:
        raise CenterError(f"今天“{prefix}”字头的号已取完（{rules.MAX_PER_DAY} 个）", 409)
    return seq


def take(conn: Connection, node: Node, body: dict[str, Any]) -> dict[str, Any]:
    name = _checked(rules.check_category, _text(body, "category", 40))
    given = _checked(rules.check_appointment, _text(body, "appointment", 40))
    category = _category(conn, name)
    day, now = today(), utc_now()
    t = queue_ticket.c
    appointment = _checked_in(conn, given, day) if given else ""
    if appointment:  # the kiosk asked again for the same appointment: the same ticket
        held = conn.execute(select(queue_ticket).where(t.day == day, t.appointment == appointment,
                                                       t.status.in_(("waiting", "called")))).first()
        if held is not None:
            return {"ticket": as_wire(held, _names(conn))}
    waiting = t.day == day, t.category == name, t.status == "waiting"
    ahead_of = (*waiting, t.priority.is_(True)) if appointment else waiting
    ahead = int(conn.execute(select(func.count()).select_from(queue_ticket).where(*ahead_of)).scalar_one())
    seq = _next_seq(conn, day, category.prefix)
    row = {"id": uuid7(), "day": day, "number": rules.ticket_number(category.prefix, seq), "category": name,
           "priority": bool(appointment), "appointment": appointment, "ahead": ahead, "taken_at": now,
           "taken_by": node.code, "queued_at": now, "status": "waiting"}
    made = conn.execute(queue_ticket.insert().values(**row).returning(*queue_ticket.c)).one()
    return {"ticket": as_wire(made, {})}


def _caller(node: Node) -> None:
    if node.kind == KIOSK:
        raise Forbidden("本机是大厅取号机（大厅屏幕），只取号、显示，不叫号；请在办理窗口的工作站叫号")
    if node.kind not in CALLERS:
        raise Forbidden("代办点不在大厅，不能叫号")


def _staff(body: dict[str, Any]) -> dict[str, str]:
    return {"staff_no": _text(body, "staff_no", 20), "staff_name": _text(body, "staff_name", 30)}


def _serving(node_code: str) -> Any:
    """The categories a window serves, in SQL: those naming it, and those served by every window."""
    c = queue_category.c
    return select(c.name).where((c.windows == "") | (func.strpos("," + c.windows + ",", f",{node_code},") > 0))


def call(conn: Connection, node: Node, body: dict[str, Any]) -> dict[str, Any]:
    """Three statements, none waiting for another window: this is the hall's hot path (tests/benchmarks/queue)."""
    _caller(node)
    staff = _staff(body)
    day, now = today(), utc_now()
    t = queue_ticket.c
    # The citizen this window called before has been served (or the window lost its own note of it).
    conn.execute(update(queue_ticket).where(t.day == day, t.window == node.code, t.status == "called")
                 .values(status="done", finished_at=now))
    picked = (select(t.id).where(t.day == day, t.status == "waiting", t.category.in_(_serving(node.code)))
              .order_by(t.priority.desc(), t.queued_at, t.number).limit(1).with_for_update(skip_locked=True))
    row = conn.execute(update(queue_ticket).where(t.id == picked.scalar_subquery())
                       .values(status="called", window=node.code, called_at=now, announced_at=now, recalls=0,
                               **staff).returning(*queue_ticket.c)).first()
    if row is None:
        if not served_by(conn, node.code):
            raise BadRequest("本窗口不在任何排队类别中；请中心主任在排队类别中为本窗口分配类别")
        return {"ticket": None}
    return {"ticket": as_wire(row, {node.code: node.name})}


def _called_here(conn: Connection, node: Node, body: dict[str, Any]) -> Any:
    """The ticket named in the body, locked, as called by this window today; else why not."""
    _caller(node)
    number = _checked(rules.check_number, _text(body, "number", 8))
    t = queue_ticket.c
    row = conn.execute(select(queue_ticket).where(t.day == today(), t.number == number).with_for_update()).first()
    if row is None:
        raise BadRequest(f"今天没有 {number} 号")
    if row.status != "called" or row.window != node.code:
        where = f"（{_names(conn).get(row.window, row.window)}）" if row.window else ""
        state = {"waiting": "仍在等候", "called": f"由其他窗口叫号{where}", "done": "已办结",
                 "skipped": "已过号"}.get(row.status, row.status)
        raise BadRequest(f"{number} 号{state}，不是本窗口正在叫的号")
    return row


def _set(conn: Connection, row: Any, **values: Any) -> Any:
    return conn.execute(update(queue_ticket).where(queue_ticket.c.id == row.id).values(**values)
                        .returning(*queue_ticket.c)).one()


def recall(conn: Connection, node: Node, body: dict[str, Any]) -> dict[str, Any]:
    row = _called_here(conn, node, body)
    row = _set(conn, row, recalls=row.recalls + 1, announced_at=utc_now())
    return {"ticket": as_wire(row, _names(conn))}


SKIP_AFTER_RECALLS = 1


def skip(conn: Connection, node: Node, body: dict[str, Any]) -> dict[str, Any]:
    row = _called_here(conn, node, body)
    if row.recalls < SKIP_AFTER_RECALLS:
        raise BadRequest(f"{row.number} 号还未重呼：请先重呼，仍未到再过号")
    row = _set(conn, row, status="skipped", finished_at=utc_now())
    return {"ticket": as_wire(row, _names(conn))}


def _finished_at(body: dict[str, Any], called_at: datetime) -> datetime:
    """When the window says it finished (a ticket ended there while the centre was away), kept between the
    call and now; else now."""
    now = utc_now()
    given = _text(body, "finished_at", 40)
    if not given:
        return now
    try:
        at = datetime.fromisoformat(given)
    except ValueError as exc:
        raise BadRequest("finished_at 应为带时区的 ISO 时间") from exc
    if at.tzinfo is None:
        raise BadRequest("finished_at 应为带时区的 ISO 时间")
    return min(max(at, called_at), now)


def finish(conn: Connection, node: Node, body: dict[str, Any]) -> dict[str, Any]:
    row = _called_here(conn, node, body)
    row = _set(conn, row, status="done", finished_at=_finished_at(body, row.called_at))
    return {"ticket": as_wire(row, _names(conn))}


def transfer(conn: Connection, node: Node, body: dict[str, Any]) -> dict[str, Any]:
    row = _called_here(conn, node, body)
    to = _checked(rules.check_category, _text(body, "to_category", 40))
    _category(conn, to)
    if not served_by_other(conn, to, node.code):
        raise BadRequest(f"“{to}”没有其他窗口办理，不能转过去")
    now = utc_now()
    moved = _set(conn, row, category=to, status="waiting", priority=True, queued_at=now, window="", staff_no="",
                 staff_name="", called_at=None, announced_at=None, recalls=0, transfers=row.transfers + 1)
    ticket = as_wire(moved, _names(conn), status="transferred", window=node.code)
    ticket["called_at"], ticket["finished_at"] = row.called_at.isoformat(), now.isoformat()
    return {"ticket": ticket}


def served_by_other(conn: Connection, category: str, node_code: str) -> bool:
    windows = conn.execute(select(queue_category.c.windows).where(queue_category.c.name == category)).scalar_one()
    return not windows or any(w != node_code for w in windows.split(","))


def status(conn: Connection, node: Node, body: dict[str, Any]) -> dict[str, Any]:
    """Every category with its waiting count and windows, and the tickets called now, newest call first."""
    day = today()
    t = queue_ticket.c
    counted = conn.execute(select(t.category, func.count()).where(t.day == day, t.status == "waiting")
                           .group_by(t.category))
    waiting: dict[str, int] = {r[0]: int(r[1]) for r in counted}
    windows = [r.node_code for r in conn.execute(select(center_node.c.node_code).where(
        center_node.c.kind == "window", center_node.c.revoked_at.is_(None)).order_by(center_node.c.node_code))]
    categories = [{"name": r.name, "prefix": r.prefix, "waiting": int(waiting.get(r.name, 0)),
                   "windows": r.windows.split(",") if r.windows else windows, "every_window": not r.windows}
                  for r in conn.execute(select(queue_category).order_by(queue_category.c.position,
                                                                        queue_category.c.name))]
    names = _names(conn)
    called = [as_wire(r, names) for r in conn.execute(
        select(queue_ticket).where(t.day == day, t.status == "called")
        .order_by(case((t.announced_at.is_(None), 1), else_=0), t.announced_at.desc()).limit(50))]
    return {"categories": categories, "called": called, "as_of": utc_now().isoformat(),
            "windows": [{"code": code, "name": names.get(code, "")} for code in windows]}


ARRIVAL_DAYS = 7  # a booking workstation offline for a week still learns who checked in at the kiosk
MAX_ARRIVALS = 200


def arrivals(conn: Connection, node: Node, body: dict[str, Any]) -> dict[str, Any]:
    """The appointments booked at the asking workstation that checked in at the kiosk and that its last push
    still shows as booked: it marks them 到达 itself (the centre never writes a workstation's row)."""
    appt, t = REPLICA["appointment"], queue_ticket.c
    rows = conn.execute(
        select(t.appointment, func.min(t.taken_at).label("taken_at"))
        .where(t.day > today() - timedelta(days=ARRIVAL_DAYS), t.appointment != "",
               t.appointment.in_(select(appt.c.number).where(appt.c._owner == node.code, appt.c.status == "booked")))
        .group_by(t.appointment).order_by(t.appointment).limit(MAX_ARRIVALS))
    return {"arrivals": [{"appointment": r.appointment, "taken_at": r.taken_at.isoformat()} for r in rows]}

"""The window's and the kiosk's side of the queue: calls to the centre over the sync channel.

Every call goes to the centre (it keeps the hall's one queue) with this workstation's device token, so the
centre knows which window is calling from the device itself. When the centre cannot be reached the call
raises QueueUnavailable and nothing else stops: the clerk serves walk-ins without tickets. The ticket this
window called is also kept here (app.services.queue.served), so `current()` and the links to what the clerk
records work without the centre, and the wait and service times reach the figures through replication.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.actor import Actor
from app.clock import local_now, utc_now
from app.database import Database
from app.services.errors import UserError
from app.services.queue import served
from app.services.queue.model import Category, QueueStatus, QueueUnavailable, Ticket
from app.services.queue.rules import (
    MAX_CATEGORIES,
    check_appointment,
    check_category,
    check_number,
    check_prefix,
    check_window,
)
from app.sync import wire
from app.sync.transport import HttpTransport, Refused, SyncError, Transport, Unreachable, call

QUEUE_TIMEOUT_S = 3.0  # a call at the window must not hang: a slow centre counts as unreachable
OFFLINE = "暂时无法连接中心的排队叫号服务（{why}）：请先办理现场来人，排队叫号恢复后再叫号"
_overrides: dict[int, Transport] = {}


def use_transport(db: Database, transport: Transport | None) -> None:
    """Route this database's queue calls through `transport` (the centre's own workspace, tests); None
    goes back to HTTPS to the joined centre."""
    if transport is None:
        _overrides.pop(id(db), None)
    else:
        _overrides[id(db)] = transport


@contextmanager
def _channel(db: Database) -> Iterator[tuple[Transport, str]]:
    from app.sync.client import load_state

    state = load_state(db)
    if state is None:
        raise QueueUnavailable("本机尚未连接中心，不能取号或叫号；请先办理现场来人")
    override = _overrides.get(id(db))
    if override is not None:
        yield override, state.device_token
        return
    try:
        transport = HttpTransport(state.center_url, state.ca_cert, timeout=QUEUE_TIMEOUT_S)
    except SyncError as exc:
        raise QueueUnavailable(OFFLINE.format(why=exc)) from exc
    try:
        yield transport, state.device_token
    finally:
        transport.close()


def ask(db: Database, path: str, request: dict[str, Any]) -> dict[str, Any]:
    """One queue request; the centre's refusals become UserError, an unreachable centre QueueUnavailable."""
    with _channel(db) as (transport, token):
        try:
            return call(transport, path, request, token, wire.FAST, wire.SMALL)
        except Refused as exc:
            if exc.status in (404, 503) or exc.status >= 500:
                raise QueueUnavailable(OFFLINE.format(why=exc)) from exc
            raise UserError(str(exc)) from exc
        except Unreachable as exc:
            raise QueueUnavailable(OFFLINE.format(why=exc)) from exc
        except SyncError as exc:
            raise QueueUnavailable(OFFLINE.format(why=exc)) from exc


def _when(value: Any) -> datetime | None:
    return None if value in (None, "") else datetime.fromisoformat(str(value))


def ticket_of(data: dict[str, Any]) -> Ticket:
    """A ticket as the centre sends it (app.center.queue.tickets.as_wire)."""
    try:
        taken = _when(data["taken_at"])
        assert taken is not None
        return Ticket(number=str(data["number"]), category=str(data["category"]), taken_at=taken,
                      ahead=int(data["ahead"]), priority=bool(data["priority"]),
                      appointment=str(data["appointment"]), status=str(data["status"]),
                      window=str(data["window"]), window_name=str(data["window_name"]),
                      called_at=_when(data["called_at"]), recalls=int(data["recalls"]),
                      finished_at=_when(data["finished_at"]))
    except (KeyError, TypeError, ValueError, AssertionError) as exc:
        raise QueueUnavailable("中心的排队答复无法识别，请升级本机或中心") from exc


def _ticket(reply: dict[str, Any]) -> Ticket:
    data = reply.get("ticket")
    if not isinstance(data, dict):
        raise QueueUnavailable("中心的排队答复无法识别，请升级本机或中心")
    return ticket_of(data)


def _remember(db: Database, actor: Actor, reply: dict[str, Any]) -> Ticket:
    """The ticket in a window's answer, written down here as this window's visit."""
    ticket = _ticket(reply)
    data = reply["ticket"]
    queued = _when(data.get("queued_at")) or ticket.taken_at
    served.remember(db, actor, ticket, str(data.get("id", ""))[:36], queued)
    return ticket


def take(db: Database, category: str, appointment: str = "") -> Ticket:
    """取号 at the kiosk; an appointment (phone number or YY… code) checked in today gets a priority ticket."""
    category, appointment = check_category(category), check_appointment(appointment)
    return _ticket(ask(db, "/v1/queue/take", {"category": category, "appointment": appointment}))


def status(db: Database) -> QueueStatus:
    """Every category with how many wait, and the tickets being called now (the hall display, `queue status`)."""
    return _status(ask(db, "/v1/queue/status", {}))


def _status(reply: dict[str, Any]) -> QueueStatus:
    try:
        categories = tuple(Category(str(c["name"]), str(c["prefix"]), int(c["waiting"]),
                                    tuple(str(w) for w in c["windows"]), bool(c.get("every_window", False)))
                           for c in reply["categories"])
        called = tuple(ticket_of(t) for t in reply["called"])
        as_of = _when(reply["as_of"]) or utc_now()
        windows = tuple((str(w["code"]), str(w["name"])) for w in reply.get("windows", []))
    except (KeyError, TypeError, ValueError) as exc:
        raise QueueUnavailable("中心的排队答复无法识别，请升级本机或中心") from exc
    return QueueStatus(categories, called, as_of, windows)


def _staff(actor: Actor) -> dict[str, str]:
    return {"staff_no": actor.staff_no[:20], "staff_name": actor.name[:30]}


def call_next(db: Database, actor: Actor) -> Ticket | None:
    """叫号: the next ticket of the categories this window serves (priority first); None when none waits.
    The ticket this window was serving is finished first, as the clerk moved on to the next citizen."""
    catch_up(db, actor)
    serving = served.current(db)
    if serving is not None and serving.status in ("called", "serving"):
        finish(db, actor, serving.number)
    reply = ask(db, "/v1/queue/call", _staff(actor))
    if reply.get("ticket") is None:
        return None
    return _remember(db, actor, reply)


def _act(db: Database, actor: Actor, path: str, number: str, **extra: str) -> Ticket:
    return _remember(db, actor, ask(db, path, {"number": check_number(number), **_staff(actor), **extra}))


def recall(db: Database, actor: Actor, number: str) -> Ticket:
    """重呼: the hall display and the voice call the same ticket again."""
    return _act(db, actor, "/v1/queue/recall", number)


def skip(db: Database, actor: Actor, number: str) -> Ticket:
    """过号: the citizen did not come after being called again; the window may call the next one."""
    return _act(db, actor, "/v1/queue/skip", number)


def transfer(db: Database, actor: Actor, number: str, to_category: str) -> Ticket:
    """转移: the citizen belongs at another window; the ticket waits there ahead of new tickets."""
    return _act(db, actor, "/v1/queue/transfer", number, to_category=check_category(to_category))


def finish(db: Database, actor: Actor, number: str) -> Ticket:
    """办结: the citizen is served; the service time ends here."""
    return _act(db, actor, "/v1/queue/finish", number)


@dataclass(frozen=True)
class Finished:
    ticket: Ticket
    offline: str  # "" when the centre took it; else why not (finished here, the centre is told later)


def finish_serving(db: Database, actor: Actor, number: str) -> Finished:
    """完成 at the window: the centre ends the ticket; when it cannot be reached the window ends it here
    (its service time kept) and tells the centre at the next chance (`catch_up`)."""
    try:
        return Finished(finish(db, actor, number), "")
    except QueueUnavailable as exc:
        done = served.finish_here(db, actor, check_number(number))
        if done is None:
            raise UserError(f"{number} 号不是本窗口正在办理的号") from exc
        return Finished(done, exc.message)


def catch_up(db: Database, actor: Actor) -> None:
    """Tell the centre of a ticket finished here while it was away, with the time it was finished. A note
    from an earlier day, or one the centre no longer needs (a later call ended that ticket), is dropped;
    an unreachable centre keeps it for the next time (QueueUnavailable)."""
    note = served.pending(db)
    if note is None:
        return
    if note.day != local_now().date():  # numbers restart daily: the centre's day is over
        served.forget_pending(db)
        return
    try:
        _remember(db, actor, ask(db, "/v1/queue/finish", {"number": note.number, **_staff(actor),
                                                          "finished_at": note.finished_at.isoformat()}))
    except QueueUnavailable:
        raise
    except UserError:
        pass  # the centre has already ended it (this window called again): nothing left to tell
    served.forget_pending(db)


def window_status(db: Database, actor: Actor) -> QueueStatus:
    """The call bar's look at the hall: first whatever this window still owes the centre."""
    catch_up(db, actor)
    return status(db)


def current(db: Database) -> Ticket | None:
    """The ticket this window is serving now, from this workstation alone (works offline)."""
    return served.current(db)


def set_categories(db: Database, actor: Actor, categories: Sequence[tuple[str, str, Sequence[str]]]) -> QueueStatus:
    """排队类别 (name, prefix letter, node codes of the windows serving it; none = every window) replace the
    hall's. Only a director or administrator proven to the centre at log-in may do it (the centre checks)."""
    from app.sync.authority import valid_proofs

    with db.engine.connect() as conn:
        proof = valid_proofs(conn).get(actor.staff_id or "")
    if proof is None:
        raise UserError("修改排队类别须由中心核验身份：请以中心主任或管理员身份在联网时重新登录后再试")
    items = [{"name": check_category(name), "prefix": check_prefix(prefix),
              "windows": [check_window(w) for w in windows]} for name, prefix, windows in categories[:MAX_CATEGORIES + 1]]
    reply = ask(db, "/v1/queue/categories", {"proofs": [proof], "categories": items})
    return _status(reply)

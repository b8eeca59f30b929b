"""The queue's plain data, shared by the kiosk, the window's call bar, the hall display and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.services.errors import UserError

STATUSES: dict[str, str] = {
    "waiting": "等候中",
    "called": "已叫号",
    "serving": "办理中",
    "done": "已办结",
    "skipped": "已过号",
    "transferred": "已转移",
}


@dataclass(frozen=True)
class Category:
    """A queue of the hall: its tickets start with `prefix`; `windows` are the node codes serving it."""

    name: str
    prefix: str
    waiting: int
    windows: tuple[str, ...]  # every window's code when the category names none (every_window)
    every_window: bool = False  # named no window: served by all, also those that join later


@dataclass(frozen=True)
class Ticket:
    number: str
    category: str
    taken_at: datetime
    ahead: int  # tickets waiting before it when it was taken: what the printed slip tells the citizen
    priority: bool
    appointment: str
    status: str  # waiting|called|serving|done|skipped|transferred
    window: str  # node code calling it, '' while waiting
    window_name: str
    called_at: datetime | None
    recalls: int
    finished_at: datetime | None

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)


@dataclass(frozen=True)
class QueueStatus:
    categories: tuple[Category, ...]
    called: tuple[Ticket, ...]  # newest call first
    as_of: datetime
    windows: tuple[tuple[str, str], ...] = ()  # the hall's windows: (node code, name)


class QueueUnavailable(UserError):
    """The centre cannot be reached (or has no queue): the window keeps serving walk-ins without tickets."""

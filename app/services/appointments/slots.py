"""Time slots and the labels of appointment values, shown once in the core.

Slots follow the centre's office hours: each opening period is cut into hours from its start, the last
slot of a period ending with it (08:30-12:00 → 08:30-09:30, 09:30-10:30, 10:30-11:30, 11:30-12:00), so a
citizen is never booked into the lunch break or after closing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from app.services.calendar.workdays import OfficeHours

KINDS = {"visit": "到窗口", "home": "上门服务"}
CHANNELS = {"onsite": "现场", "phone": "电话", "online": "网上"}
PURPOSES = {"accept": "办理", "inquiry": "咨询"}
REASONS = {"elderly": "老年", "sick": "患病", "disabled": "残疾", "alone": "孤寡"}
STATUSES = {"booked": "已预约", "arrived": "已到达", "no_show": "未到", "cancelled": "已取消", "done": "已办理"}
SLOT_MINUTES = 60


def slots_of(hours: OfficeHours) -> list[str]:
    """Every bookable slot of a working day, as "HH:MM-HH:MM"."""
    found: list[str] = []
    for start, end in hours.periods:
        moment = datetime.combine(date.min, start)
        close = datetime.combine(date.min, end)
        while moment < close:
            nxt = min(moment + timedelta(minutes=SLOT_MINUTES), close)
            found.append(f"{moment:%H:%M}-{nxt:%H:%M}")
            moment = nxt
    return found


def slot_bounds(slot: str) -> tuple[time, time]:
    """(start, end) of a slot text; ValueError when it is not "HH:MM-HH:MM"."""
    first, _, last = slot.partition("-")
    return time.fromisoformat(first.strip()), time.fromisoformat(last.strip())


def label(table: dict[str, str], key: str) -> str:
    return table.get(key, key)

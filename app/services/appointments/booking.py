"""Booking an appointment (预约) or a home visit (上门服务), and reading them back.

Everything is checked before anything is written: the item, the citizen's name, phone and (optional)
ID number by the same field rules as an acceptance, the day (today or later, a working day, within
BOOKING_DAYS), the slot (one of the office-hours slots, not already over) and the capacity of the
window's slot (centre setting 每时段预约名额). The item's one-time notice (nothing ticked: the whole
list) is issued in the same transaction, so a refused booking leaves neither an appointment nor a notice.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session, selectinload

from app.actor import Actor
from app.clock import local_now, utc_now
from app.database import Database
from app.models import Appointment, NodeInfo, Notice, ServiceItem, Staff
from app.services import field_rules as rules
from app.services.appointments.slots import CHANNELS, KINDS, PURPOSES, REASONS, STATUSES, label, slot_bounds, slots_of
from app.services.calendar.holidays import load_calendar
from app.services.calendar.workdays import OfficeHours, WorkCalendar
from app.services.catalog.data import item_to_dict
from app.services.catalog.items import to_data
from app.services.errors import ValidationError
from app.services.id_numbers import check_id_number
from app.services.numbering import floor_for, next_number
from app.services.paging import STREAM_CHUNK
from app.services.settings import hours_or_default, load_settings
from app.services.validation import check_phone, check_staff_no

BOOKING_DAYS = 60  # how far ahead a slot can be booked
MAX_BATCH = 200  # appointments in one `appointments add` file
CITIZEN = rules.CITIZEN_NAME.with_label("预约人姓名")
PHONE = rules.PHONE.with_label("预约人联系电话")
WINDOW = rules.WORKPLACE.with_label("预约窗口")
ADDRESS = rules.APPLICANT_ADDRESS.with_label("上门地址")


@dataclass
class AppointmentForm:
    item_code: str
    citizen_name: str
    citizen_phone: str
    day: date
    slot: str
    channel: str = "phone"
    kind: str = "visit"
    purpose: str = "accept"
    window: str = ""  # empty: the booking clerk's own window (or this workstation's name)
    citizen_id_number: str = ""
    address: str = ""  # 上门 only
    reason: str = ""  # 上门 only: elderly, sick, disabled, alone
    visitor_no: str = ""  # 上门 only: the staff member who goes


@dataclass(frozen=True)
class AppointmentRecord:
    id: str
    number: str
    kind: str
    channel: str
    purpose: str
    item_code: str
    item_name: str
    citizen_name: str
    citizen_phone: str
    citizen_id_number: str
    day: date
    slot: str
    window: str
    status: str
    notice_number: str
    address: str
    reason: str
    visitor_no: str
    outcome: str
    case_number: str
    created_by: str
    created_by_name: str
    created_at: datetime
    arrived_at: datetime | None = None
    closed_at: datetime | None = None
    labels: dict[str, str] = field(default_factory=dict, compare=False)
    visitor_name: str = ""  # 上门: the name of visitor_no, read from the staff list when the record is read

    @property
    def visitor_label(self) -> str:
        """上门人员 as a person reads it: 李秀兰（8001）, or the bare number when no such staff is known."""
        if not self.visitor_no:
            return ""
        return f"{self.visitor_name}（{self.visitor_no}）" if self.visitor_name else self.visitor_no

    @property
    def kind_label(self) -> str:
        return label(KINDS, self.kind)

    @property
    def channel_label(self) -> str:
        return label(CHANNELS, self.channel)

    @property
    def purpose_label(self) -> str:
        return label(PURPOSES, self.purpose)

    @property
    def status_label(self) -> str:
        return label(STATUSES, self.status)

    @property
    def reason_label(self) -> str:
        return label(REASONS, self.reason) if self.reason else ""

    def as_json(self) -> dict[str, object]:
        """Stable English keys for `appointments list --json`."""
        return {"number": self.number, "kind": self.kind, "channel": self.channel, "purpose": self.purpose,
                "item_code": self.item_code, "item_name": self.item_name, "name": self.citizen_name,
                "phone": self.citizen_phone, "id_number": self.citizen_id_number, "date": self.day.isoformat(),
                "slot": self.slot, "window": self.window, "status": self.status, "status_label": self.status_label,
                "notice_number": self.notice_number, "address": self.address, "reason": self.reason,
                "visitor_no": self.visitor_no, "visitor_name": self.visitor_name, "outcome": self.outcome,
                "case_number": self.case_number,
                "created_by": self.created_by}


def _visitor_name(a: Appointment) -> str:
    """The name of a home visit's visitor: only the staff number is stored, the name is the staff list's."""
    s = object_session(a)
    if a.kind != "home" or not a.visitor_no or s is None:
        return ""
    return s.scalar(select(Staff.name).where(Staff.staff_no == a.visitor_no).limit(1)) or ""


def to_record(a: Appointment) -> AppointmentRecord:
    return AppointmentRecord(
        id=a.id, number=a.number, kind=a.kind, channel=a.channel, purpose=a.purpose, item_code=a.item_code,
        item_name=a.item_name, citizen_name=a.citizen_name, citizen_phone=a.citizen_phone,
        citizen_id_number=a.citizen_id_number, day=a.day, slot=a.slot, window=a.window, status=a.status,
        notice_number=a.notice_number, address=a.address, reason=a.reason, visitor_no=a.visitor_no,
        outcome=a.outcome, case_number=a.case_number, created_by=a.created_by, created_by_name=a.created_by_name,
        created_at=a.created_at, arrived_at=a.arrived_at, closed_at=a.closed_at, visitor_name=_visitor_name(a))


@dataclass(frozen=True)
class BookingRules:
    """What a booking is checked against: read once, so a batch is judged by one set of rules."""

    hours: OfficeHours
    calendar: WorkCalendar
    capacity: int
    now: datetime  # local

    @property
    def slots(self) -> list[str]:
        return slots_of(self.hours)


def booking_rules(db: Database) -> BookingRules:
    settings = load_settings(db)
    return BookingRules(hours_or_default(settings.office_hours), load_calendar(db), settings.appointment_capacity_number, local_now())


def free_slots(db: Database, day: date, window: str) -> list[tuple[str, int]]:
    """(slot, places left) of a window's day, for the booking dialog; over slots are left out."""
    rules_now = booking_rules(db)
    with db.session() as s:
        taken = dict(s.execute(select(Appointment.slot, func.count()).where(
            Appointment.day == day, Appointment.window == window.strip(), Appointment.kind == "visit",
            Appointment.status != "cancelled").group_by(Appointment.slot)).all())
    return [(slot, rules_now.capacity - taken.get(slot, 0)) for slot in rules_now.slots
            if _slot_problem(slot, day, rules_now) is None]


def _slot_problem(slot: str, day: date, r: BookingRules) -> str | None:
    if slot not in r.slots:
        return f"预约时段“{slot[:20]}”不在办公时间内；可选时段：{'、'.join(r.slots)}"
    if day == r.now.date() and slot_bounds(slot)[1] <= r.now.time():
        return f"今天的 {slot} 时段已过，请选择之后的时段"
    return None


def validate_form(form: AppointmentForm, r: BookingRules) -> dict[str, str]:
    """Field → Chinese message for everything wrong with the form on its own (capacity is checked when booking)."""
    today = r.now.date()
    checks: dict[str, str | None] = {
        "kind": None if form.kind in KINDS else "预约类型应为 visit（到窗口）或 home（上门服务）",
        "channel": None if form.channel in CHANNELS else "预约方式应为 onsite（现场）、phone（电话）或 online（网上）",
        "purpose": None if form.purpose in PURPOSES else "预约事由应为 accept（办理）或 inquiry（咨询）",
        "item_code": None if form.item_code.strip() else "请选择预约办理的事项",
        "citizen_name": CITIZEN.check(form.citizen_name),
        "citizen_phone": PHONE.check(form.citizen_phone) or check_phone(form.citizen_phone, PHONE.label, required=True),
        "citizen_id_number": (check_id_number(form.citizen_id_number, "resident", today)
                              if form.citizen_id_number.strip() else None),
        "window": WINDOW.check(form.window, required=False),
    }
    if form.day < today:
        checks["day"] = f"预约日期 {form.day.isoformat()} 已过，不能预约"
    elif form.day > today + timedelta(days=BOOKING_DAYS):
        checks["day"] = f"只能预约{BOOKING_DAYS}天以内的日期"
    elif not r.calendar.is_workday(form.day):
        checks["day"] = f"{form.day.isoformat()} 不是工作日，请选择工作日"
    else:
        checks["slot"] = _slot_problem(form.slot.strip(), form.day, r)
    if form.kind == "home":
        checks["address"] = ADDRESS.check(form.address)
        checks["reason"] = None if form.reason in REASONS else "请选择上门服务的原因：老年、患病、残疾或孤寡"
        checks["visitor_no"] = check_staff_no(form.visitor_no) and "请填写上门人员的工号"
    return {k: v for k, v in checks.items() if v}


def _taken(s: Session, day: date, slot: str, window: str) -> int:
    return s.scalar(select(func.count()).select_from(Appointment).where(
        Appointment.day == day, Appointment.slot == slot, Appointment.window == window,
        Appointment.kind == "visit", Appointment.status != "cancelled")) or 0


def _default_window(s: Session, actor: Actor) -> str:
    if actor.workplace.strip():
        return actor.workplace.strip()
    return s.scalar(select(NodeInfo.node_name).limit(1)) or ""


def _issue_notice(s: Session, db: Database, actor: Actor, item: ServiceItem, form: AppointmentForm,
                  number: str, now: datetime) -> str:
    """The item's one-time notice for the booked citizen, as app.services.inquiries.notices writes one."""
    staff = s.get(Staff, actor.staff_id) if actor.staff_id else None
    notice = Notice(
        number=next_number(s, "notice", now.astimezone().date(), floor_for(db.path)), issued_at=now,
        citizen_name=form.citizen_name.strip(), citizen_phone=form.citizen_phone.strip(), item_code=item.code,
        item_name=item.name,
        item_snapshot=json.dumps(item_to_dict(to_data(item)), ensure_ascii=False, sort_keys=True),
        present="[]", note=f"预约号 {number}，预约时间 {form.day.isoformat()} {form.slot.strip()}",
        staff_id=actor.staff_id, staff_name=actor.name, staff_no=actor.staff_no, staff_workplace=actor.workplace,
        staff_phone=staff.phone if staff else "", inquiry_id=None, follows_number="")
    s.add(notice)
    return notice.number


def book(db: Database, actor: Actor, form: AppointmentForm) -> AppointmentRecord:
    """Book one appointment; ValidationError (nothing written) when any rule is broken."""
    return book_many(db, actor, [form])[0]


def book_many(db: Database, actor: Actor, forms: Sequence[AppointmentForm]) -> list[AppointmentRecord]:
    """Book all or none: one transaction, every form checked (capacity included) before it is kept."""
    if not forms:
        raise ValidationError("没有要登记的预约")
    if len(forms) > MAX_BATCH:
        raise ValidationError(f"一次最多登记{MAX_BATCH}个预约")
    r = booking_rules(db)
    now = utc_now()
    done: list[AppointmentRecord] = []
    with db.session(actor) as s:
        for n, form in enumerate(forms, start=1):
            where = f"第{n}个预约：" if len(forms) > 1 else ""
            errors = validate_form(form, r)
            item = None
            if form.item_code.strip():
                item = s.scalar(select(ServiceItem).options(selectinload(ServiceItem.materials))
                                .where(ServiceItem.code == form.item_code.strip()))
                if item is None:
                    errors["item_code"] = f"事项清单中没有编码为 {form.item_code.strip()[:40]} 的事项"
                elif item.retired_on is not None and item.retired_on <= form.day:
                    errors["item_code"] = f"事项“{item.name}”已于{item.retired_on.isoformat()}停用，不能预约"
            if form.kind == "home" and "visitor_no" not in errors and s.scalar(select(Staff.id).where(
                    Staff.staff_no == form.visitor_no.strip(), Staff.active.is_(True))) is None:
                errors["visitor_no"] = f"没有工号为 {form.visitor_no.strip()} 的在岗人员"
            window = form.window.strip() or _default_window(s, actor)
            if not window and "window" not in errors:
                errors["window"] = "请填写预约窗口"
            if not errors and form.kind == "visit" and _taken(s, form.day, form.slot.strip(), window) >= r.capacity:
                errors["slot"] = (f"{window} {form.day.isoformat()} {form.slot.strip()} 的预约已满"
                                  f"（每时段{r.capacity}个名额），请选择其他时段")
            if errors:
                raise ValidationError(f"{where}预约信息有误，未登记", [where + e for e in errors.values()])
            assert item is not None
            number = next_number(s, "appointment", now.astimezone().date(), floor_for(db.path))
            row = Appointment(
                number=number, kind=form.kind, channel=form.channel, purpose=form.purpose, item_code=item.code,
                item_name=item.name, citizen_name=form.citizen_name.strip(), citizen_phone=form.citizen_phone.strip(),
                citizen_id_number=form.citizen_id_number.strip().upper(), day=form.day, slot=form.slot.strip(),
                window=window, status="booked", notice_number=_issue_notice(s, db, actor, item, form, number, now),
                address=form.address.strip() if form.kind == "home" else "",
                reason=form.reason if form.kind == "home" else "",
                visitor_no=form.visitor_no.strip() if form.kind == "home" else "", outcome="", case_number="",
                created_by=actor.staff_no, created_by_name=actor.name[:30])
            s.add(row)
            s.flush()
            done.append(to_record(row))
    return done


def day_appointments(db: Database, day: date, window: str | None = None) -> list[AppointmentRecord]:
    """A day's appointments by slot (a day holds slots × capacity per window: a screenful, not a table)."""
    return list(iter_appointments(db, day, window))


def iter_appointments(db: Database, day: date, window: str | None = None) -> Iterator[AppointmentRecord]:
    """Streamed in chunks, ordered by slot, window and number."""
    conditions = [Appointment.day == day]
    if window:
        conditions.append(Appointment.window == window)
    with db.session() as s:
        query = select(Appointment).where(*conditions).order_by(Appointment.slot, Appointment.window,
                                                                 Appointment.number)
        for row in s.scalars(query.execution_options(yield_per=STREAM_CHUNK)):
            yield to_record(row)

"""请假: a staff member's leave request, its approval, and the leave days the attendance sheet shows.

Rules (domain.md "People and the hall", seed 003 考勤): half a day is approved by the unit head (单位负责人,
or the director above them), a day or more by the director; nobody approves their own leave; leave over
3 working days names a stand-in (AB岗: an active colleague, not on leave then) who takes over the clerk's
open cases for the leave (leave_handover.py), and who may not go on leave while covering (a request or an
approval for days they are the named stand-in of a pending or approved leave is refused); a person's
requests never overlap. Days are counted in
working half-days on the holiday calendar, so a weekend or a holiday inside the leave costs nothing.

A request is kept by the workstation where it was made (node-owned, replicated up), which alone writes it.
Decided there, it changes at once; decided at another workstation (the director's own), the decision is a
leave_event that the centre passes to the keeper, whose upkeep takes it in (leave_handover.fold_decisions),
as a director's decision on a rating appeal is; until then the request shows 待同步 and is not decided twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import local_today, utc_now
from app.database import Database
from app.models import LeaveEvent, LeaveRequest, Staff
from app.services.calendar.holidays import load_calendar
from app.services.calendar.workdays import WorkCalendar
from app.services.errors import ValidationError
from app.services.paging import STREAM_CHUNK, Page, check_window
from app.services.people.permissions import (
    APPROVE_HALF_DAY_LEAVE,
    APPROVE_LEAVE,
    REQUEST_LEAVE_FOR_OTHERS,
    Permission,
    can,
    require,
)

KINDS = ("事假", "病假", "年休假", "婚丧假", "其他")
FULL, MORNING, AFTERNOON = "全天", "上午", "下午"
HALVES = (FULL, MORNING, AFTERNOON)
STATUS_LABELS = {"pending": "待审批", "approved": "已批准", "rejected": "未批准", "cancelled": "已撤销"}
EVENT_LABELS = {"requested": "申请", "approved": "批准", "rejected": "不批准", "cancelled": "撤销",
                "handed_over": "办件交代岗人", "handed_back": "办件交回"}
LIVE = ("pending", "approved")  # requests that hold their days: a new one may not overlap them
DECISIONS = ("approved", "rejected")  # event kinds that decide a request (here, or at a director's workstation)
STAND_IN_OVER = 6  # half-days: leave over 3 working days names a stand-in
MAX_SPAN = 366  # calendar days one request may cover
MAX_REASON = 200
MAX_NOTE = 200

Slot = tuple[date, int]  # a half day: (day, 0 morning / 1 afternoon)


@dataclass(frozen=True)
class LeaveForm:
    staff_no: str
    kind: str
    from_date: date
    to_date: date
    from_half: str = FULL  # the first day: 全天, or 下午 (from noon); a one-day leave: 全天/上午/下午
    to_half: str = FULL  # the last day: 全天, or 上午 (until noon)
    reason: str = ""
    stand_in: str = ""  # staff_no; required over 3 working days


@dataclass(frozen=True)
class LeaveRecord:
    id: str
    number: str
    staff_no: str
    staff_name: str
    kind: str
    from_date: date
    from_half: str
    to_date: date
    to_half: str
    half_days: int
    reason: str
    stand_in: str
    stand_in_name: str
    status: str
    approved_by: str
    decided_at: datetime | None
    note: str
    handed_over: bool
    handed_back: bool
    origin_node: str
    awaiting: str = ""  # decided at another workstation, not yet taken in by the one keeping it

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def state_text(self) -> str:
        return self.awaiting or self.status_label

    @property
    def days_text(self) -> str:
        """3.5 working days as "3.5天", whole ones as "4天"."""
        return f"{self.half_days // 2}天" if self.half_days % 2 == 0 else f"{self.half_days / 2:g}天"

    @property
    def period_text(self) -> str:
        if self.from_date == self.to_date:
            return f"{self.from_date.isoformat()} {self.from_half}"
        first = "" if self.from_half == FULL else f" {self.from_half}"
        last = "" if self.to_half == FULL else f" {self.to_half}"
        return f"{self.from_date.isoformat()}{first} 至 {self.to_date.isoformat()}{last}"

    @property
    def approver_text(self) -> str:
        return approver_text(self.half_days)


def needed_permission(half_days: int) -> Permission:
    """Half a day: the unit head (or the director); a day or more: the director."""
    return APPROVE_HALF_DAY_LEAVE if half_days <= 1 else APPROVE_LEAVE


def approver_text(half_days: int) -> str:
    return "单位负责人（或中心主任）审批" if half_days <= 1 else "中心主任审批"


def slots(from_date: date, from_half: str, to_date: date, to_half: str) -> tuple[Slot, Slot]:
    """The first and last half day a request covers (inclusive)."""
    if from_date == to_date:
        return (from_date, 1 if from_half == AFTERNOON else 0), (to_date, 0 if from_half == MORNING else 1)
    return (from_date, 1 if from_half == AFTERNOON else 0), (to_date, 0 if to_half == MORNING else 1)


def count_half_days(calendar: WorkCalendar, first: Slot, last: Slot) -> int:
    """Working half-days from `first` to `last`: rest days and holidays cost nothing, 调休 days count."""
    count, day = 0, first[0]
    while day <= last[0]:
        if calendar.is_workday(day):
            count += sum(1 for half in (0, 1) if first <= (day, half) <= last)
        day += timedelta(days=1)
    return count


def _check_form(form: LeaveForm) -> list[str]:
    errors = []
    if form.kind not in KINDS:
        errors.append(f"请假类别应为：{'、'.join(KINDS)}")
    if form.to_date < form.from_date:
        errors.append("结束日期不能早于开始日期")
    elif (form.to_date - form.from_date).days >= MAX_SPAN:
        errors.append("一次请假不能超过一年，请分次申请")
    if not 2000 <= form.from_date.year <= 2100 or not 2000 <= form.to_date.year <= 2100:
        errors.append("请假日期应在2000年至2100年之间")
    if form.from_half not in HALVES or form.to_half not in HALVES:
        errors.append("半天应为：全天、上午或下午")
    elif form.from_date != form.to_date and (form.from_half == MORNING or form.to_half == AFTERNOON):
        errors.append("多日请假的第一天只能选全天或下午（从中午起），最后一天只能选全天或上午（到中午止）")
    if len(form.reason.strip()) > MAX_REASON:
        errors.append(f"请假事由不能超过{MAX_REASON}个字")
    if not form.staff_no.strip() or len(form.staff_no.strip()) > 20:
        errors.append("请假人工号应为1至20个字符")
    if len(form.stand_in.strip()) > 20:
        errors.append("代岗人工号不能超过20个字符")
    return errors


def _overlapping(s: Session, staff_no: str, first: Slot, last: Slot, skip: str = "") -> LeaveRequest | None:
    rows = s.scalars(select(LeaveRequest).where(
        LeaveRequest.staff_no == staff_no, LeaveRequest.status.in_(LIVE), LeaveRequest.id != skip,
        LeaveRequest.from_date <= last[0], LeaveRequest.to_date >= first[0]))
    for row in rows:
        a, b = slots(row.from_date, row.from_half, row.to_date, row.to_half)
        if a <= last and first <= b:
            return row
    return None


def _covering(s: Session, staff_no: str, first: Slot, last: Slot) -> LeaveRequest | None:
    """A pending or approved leave of someone else overlapping these half days that names `staff_no` as its
    stand-in: while they cover those cases they cannot be away themselves (AB岗)."""
    rows = s.scalars(select(LeaveRequest).where(
        LeaveRequest.stand_in == staff_no, LeaveRequest.status.in_(LIVE),
        LeaveRequest.from_date <= last[0], LeaveRequest.to_date >= first[0])
        .order_by(LeaveRequest.from_date, LeaveRequest.number))
    for row in rows:
        a, b = slots(row.from_date, row.from_half, row.to_date, row.to_half)
        if a <= last and first <= b:
            return row
    return None


def _covering_problem(s: Session, applicant: Staff, first: Slot, last: Slot) -> str:
    covered = _covering(s, applicant.staff_no, first, last)
    if covered is None:
        return ""
    period = period_of(covered)
    return (f"{applicant.name}（{applicant.staff_no}）是{covered.staff_name}（{covered.staff_no}）请假 {covered.number}"
            f"（{STATUS_LABELS[covered.status]}，{period}）的代岗人，代岗期间不能请假；"
            f"请先另选代岗人或调整请假时间")


def period_of(leave: LeaveRequest) -> str:
    """A request's days as the messages say them: "2026-12-03 至 2026-12-09" or "2026-12-04 上午"."""
    if leave.from_date == leave.to_date:
        return f"{leave.from_date.isoformat()} {leave.from_half}"
    return f"{leave.from_date.isoformat()} 至 {leave.to_date.isoformat()}"


def _member(s: Session, staff_no: str, what: str) -> Staff:
    member = s.scalar(select(Staff).where(Staff.staff_no == staff_no.strip()))
    if member is None:
        raise ValidationError(f"没有工号为 {staff_no.strip()} 的{what}")
    return member


def _stand_in_problem(s: Session, applicant: Staff, stand_in: str, first: Slot, last: Slot) -> str:
    member = s.scalar(select(Staff).where(Staff.staff_no == stand_in))
    if member is None:
        return f"没有工号为 {stand_in} 的代岗人"
    if member.id == applicant.id:
        return "代岗人不能是请假人本人"
    if not member.active:
        return f"代岗人{member.name}（{member.staff_no}）的账号已停用"
    away = _overlapping(s, member.staff_no, first, last)
    if away is not None:
        return f"代岗人{member.name}在此期间也请了假（{away.number}），请另选代岗人"
    return ""


def _next_number(s: Session, node: str, day: date) -> str:
    prefix = f"QJ{node}{day:%y%m%d}"
    taken = s.scalar(select(func.count()).select_from(LeaveRequest).where(LeaveRequest.number.like(f"{prefix}%")))
    if (taken or 0) >= 999:
        raise ValidationError("本机今天登记的请假申请已达上限（999件）")
    return f"{prefix}{(taken or 0) + 1:03d}"


def _event(s: Session, leave: LeaveRequest, kind: str, actor: Actor, now: datetime, **details: object) -> None:
    s.add(LeaveEvent(leave_id=leave.id, kind=kind, at=now, staff_name=actor.name[:30],
                     details=json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)))


@dataclass(frozen=True)
class Estimate:
    """What a form would ask for, shown while it is filled in: the days, who approves, whether a stand-in
    is needed, or the problems with the form."""

    half_days: int
    errors: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        if self.errors:
            return "；".join(self.errors)
        if not self.half_days:
            return "所选时间都不是工作日，无需请假"
        days = f"{self.half_days // 2}" if self.half_days % 2 == 0 else f"{self.half_days / 2:g}"
        need = "；超过3个工作日，须指定代岗人（AB岗）接手办件" if self.half_days > STAND_IN_OVER else ""
        return f"共 {days} 个工作日，须{approver_text(self.half_days)}{need}"


def estimate(db: Database, form: LeaveForm) -> Estimate:
    """The working days a form covers on the holiday calendar (no database write)."""
    errors = _check_form(form)
    if errors:
        return Estimate(0, tuple(errors))
    to_half = form.from_half if form.from_date == form.to_date else form.to_half
    return Estimate(count_half_days(load_calendar(db), *slots(form.from_date, form.from_half, form.to_date, to_half)))


def request_leave(db: Database, actor: Actor, form: LeaveForm, now: datetime | None = None) -> LeaveRecord:
    """Register a leave request (待审批); nothing is written when a rule is broken."""
    form = replace(form, staff_no=form.staff_no.strip(), reason=form.reason.strip(), stand_in=form.stand_in.strip())
    if form.staff_no != actor.staff_no:
        require(actor, REQUEST_LEAVE_FOR_OTHERS)
    errors = _check_form(form)
    if errors:
        raise ValidationError("请假申请有误，未登记", errors)
    if form.from_date == form.to_date:
        form = replace(form, to_half=form.from_half)
    first, last = slots(form.from_date, form.from_half, form.to_date, form.to_half)
    half_days = count_half_days(load_calendar(db), first, last)
    if half_days == 0:
        raise ValidationError("所选时间都不是工作日，无需请假")
    now = now or utc_now()
    with db.session(actor) as s:
        applicant = _member(s, form.staff_no, "请假人")
        if not applicant.active:
            raise ValidationError(f"{applicant.name}（{applicant.staff_no}）的账号已停用")
        clash = _overlapping(s, applicant.staff_no, first, last)
        if clash is not None:
            raise ValidationError(f"与已有的请假申请 {clash.number}（{STATUS_LABELS[clash.status]}，"
                                  f"{clash.from_date.isoformat()}至{clash.to_date.isoformat()}）时间重叠")
        covering = _covering_problem(s, applicant, first, last)
        if covering:
            raise ValidationError(covering)
        if half_days > STAND_IN_OVER and not form.stand_in:
            raise ValidationError(f"请假{half_days / 2:g}个工作日，超过3个工作日须指定代岗人（AB岗）")
        if form.stand_in:
            problem = _stand_in_problem(s, applicant, form.stand_in, first, last)
            if problem:
                raise ValidationError(problem)
        leave = LeaveRequest(
            number=_next_number(s, db.node_code, local_today()), staff_no=applicant.staff_no,
            staff_name=applicant.name, kind=form.kind, from_date=form.from_date, from_half=form.from_half,
            to_date=form.to_date, to_half=form.to_half, half_days=half_days, reason=form.reason,
            stand_in=form.stand_in, status="pending", approved_by="", note="", handed_over=False, handed_back=False)
        s.add(leave)
        s.flush()
        _event(s, leave, "requested", actor, now, half_days=half_days, stand_in=form.stand_in)
        return _record(s, leave)


def decision_problem(actor: Actor, leave: LeaveRecord, node_code: str) -> str:
    """Why this person may not approve or refuse this request here, or "" (the screen asks before offering)."""
    if leave.status != "pending":
        return f"该请假申请{leave.status_label}，不能再审批"
    if leave.awaiting:
        return f"该请假申请{leave.awaiting}"
    if actor.staff_no == leave.staff_no:
        return "不能审批本人的请假"
    permission = needed_permission(leave.half_days)
    if not can(actor, permission):
        return permission.refusal
    return ""


def decide(db: Database, actor: Actor, number: str, approve: bool, note: str = "",
           now: datetime | None = None) -> LeaveRecord:
    """Approve (已批准) or refuse (未批准) a pending request; an approved leave of over 3 working days that
    has begun hands the clerk's cases to the stand-in at once (leave_handover)."""
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(f"审批意见不能超过{MAX_NOTE}个字")
    now = now or utc_now()
    with db.session(actor) as s:
        leave = _find(s, number)
        problem = decision_problem(actor, _record(s, leave), db.node_code)
        if problem:
            raise ValidationError(problem)
        if approve:  # the days may have been taken since the request: checked again as it is approved
            applicant = _member(s, leave.staff_no, "请假人")
            first, last = slots(leave.from_date, leave.from_half, leave.to_date, leave.to_half)
            problem = _covering_problem(s, applicant, first, last)
            if not problem and leave.stand_in:
                problem = _stand_in_problem(s, applicant, leave.stand_in, first, last)
            if problem:
                raise ValidationError(problem)
        kind, by = ("approved" if approve else "rejected"), f"{actor.name}（{actor.staff_no}）"[:30]
        if leave.origin_node != db.node_code:  # the keeper takes the decision in at its next sync
            _event(s, leave, kind, actor, now, note=note, by=by)
            s.flush()
            return _record(s, leave)
        leave.status, leave.approved_by, leave.decided_at, leave.note = kind, by, now, note
        _event(s, leave, kind, actor, now, note=note, by=by)
        record = _record(s, leave)
    if approve and record.from_date <= local_today():
        from app.services.people.leave_handover import run_leave_upkeep

        run_leave_upkeep(db, now=now)
        return get_leave(db, record.number)
    return record


def approve(db: Database, actor: Actor, number: str, note: str = "", now: datetime | None = None) -> LeaveRecord:
    return decide(db, actor, number, True, note, now)


def reject(db: Database, actor: Actor, number: str, note: str = "", now: datetime | None = None) -> LeaveRecord:
    return decide(db, actor, number, False, note, now)


def cancel_problem(actor: Actor, leave: LeaveRecord, node_code: str) -> str:
    """Why this person may not withdraw this request here, or "" (the screen asks before offering)."""
    if leave.staff_no != actor.staff_no and not can(actor, REQUEST_LEAVE_FOR_OTHERS):
        return REQUEST_LEAVE_FOR_OTHERS.refusal
    if leave.status not in LIVE:
        return f"该请假申请{STATUS_LABELS[leave.status]}，不能撤销"
    if leave.status == "approved" and leave.from_date <= local_today():
        return "请假已经开始，不能撤销"
    if leave.origin_node != node_code:
        return f"该请假申请在{leave.origin_node}号节点登记，请在该工作站撤销"
    return ""


def cancel(db: Database, actor: Actor, number: str, now: datetime | None = None) -> LeaveRecord:
    """The applicant (or a director for them) withdraws a request that is pending or not yet begun."""
    now = now or utc_now()
    with db.session(actor) as s:
        leave = _find(s, number)
        if leave.staff_no != actor.staff_no:
            require(actor, REQUEST_LEAVE_FOR_OTHERS)
        problem = cancel_problem(actor, _record(s, leave), db.node_code)
        if problem:
            raise ValidationError(problem)
        leave.status = "cancelled"
        _event(s, leave, "cancelled", actor, now)
        return _record(s, leave)


def _find(s: Session, number: str) -> LeaveRequest:
    leave = s.scalar(select(LeaveRequest).where(LeaveRequest.number == number.strip().upper()[:20]))
    if leave is None:
        raise ValidationError(f"没有编号为 {number.strip()[:20]} 的请假申请")
    return leave


def _names(s: Session, staff_nos: set[str]) -> dict[str, str]:
    return dict(s.execute(select(Staff.staff_no, Staff.name).where(Staff.staff_no.in_(staff_nos))).all())


def _awaiting(s: Session, leaves: list[LeaveRequest]) -> dict[str, str]:
    """Pending requests already decided at another workstation: id → "已由刘国庆（8004）批准，待同步"."""
    ids = [leave.id for leave in leaves if leave.status == "pending"]
    if not ids:
        return {}
    found: dict[str, str] = {}
    rows = s.execute(select(LeaveEvent.leave_id, LeaveEvent.kind, LeaveEvent.staff_name)
                     .where(LeaveEvent.leave_id.in_(ids), LeaveEvent.kind.in_(DECISIONS))
                     .order_by(LeaveEvent.at, LeaveEvent.id))
    for leave_id, kind, who in rows:
        found.setdefault(leave_id, f"已由{who}{'批准' if kind == 'approved' else '不批准'}，待同步")
    return found


def _record(s: Session, leave: LeaveRequest, names: dict[str, str] | None = None,
            awaiting: dict[str, str] | None = None) -> LeaveRecord:
    names = names if names is not None else _names(s, {leave.stand_in})
    awaiting = awaiting if awaiting is not None else _awaiting(s, [leave])
    return LeaveRecord(leave.id, leave.number, leave.staff_no, leave.staff_name, leave.kind, leave.from_date,
                       leave.from_half, leave.to_date, leave.to_half, leave.half_days, leave.reason, leave.stand_in,
                       names.get(leave.stand_in, ""), leave.status, leave.approved_by, leave.decided_at, leave.note,
                       leave.handed_over, leave.handed_back, leave.origin_node, awaiting.get(leave.id, ""))


def _records(s: Session, rows: list[LeaveRequest]) -> list[LeaveRecord]:
    names, awaiting = _names(s, {r.stand_in for r in rows if r.stand_in}), _awaiting(s, rows)
    return [_record(s, r, names, awaiting) for r in rows]


def get_leave(db: Database, number: str) -> LeaveRecord:
    with db.session() as s:
        return _record(s, _find(s, number))


def list_leave(db: Database, *, staff_no: str | None = None, status: str | None = None,
               offset: int = 0, limit: int = 200) -> Page[LeaveRecord]:
    """One page of requests, newest first, with the true total (a person's own, or all)."""
    check_window(offset, limit)
    where = []
    if staff_no is not None:
        where.append(LeaveRequest.staff_no == staff_no)
    if status is not None:
        where.append(LeaveRequest.status == status)
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(LeaveRequest).where(*where)) or 0
        rows = list(s.scalars(select(LeaveRequest).where(*where)
                              .order_by(LeaveRequest.from_date.desc(), LeaveRequest.number.desc())
                              .offset(offset).limit(limit)))
        return Page(_records(s, rows), total, offset)


def pending_for(db: Database, actor: Actor, offset: int = 0, limit: int = 200) -> Page[LeaveRecord]:
    """The pending requests this person may decide (none of their own, none decided elsewhere and not yet
    taken in; half days only for a unit head), from every workstation whose requests are here."""
    check_window(offset, limit)
    if not can(actor, APPROVE_HALF_DAY_LEAVE):
        return Page([], 0, offset)
    decided = select(LeaveEvent.id).where(LeaveEvent.leave_id == LeaveRequest.id, LeaveEvent.kind.in_(DECISIONS))
    where = [LeaveRequest.status == "pending", LeaveRequest.staff_no != actor.staff_no, ~decided.exists()]
    if not can(actor, APPROVE_LEAVE):
        where.append(LeaveRequest.half_days <= 1)
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(LeaveRequest).where(*where)) or 0
        rows = list(s.scalars(select(LeaveRequest).where(*where).order_by(LeaveRequest.from_date, LeaveRequest.number)
                              .offset(offset).limit(limit)))
        return Page(_records(s, rows), total, offset)


def iter_leave(db: Database) -> Iterator[LeaveRecord]:
    """Every request, oldest first, streamed in chunks (the command line's list)."""
    offset = 0
    while True:
        with db.session() as s:
            rows = list(s.scalars(select(LeaveRequest).order_by(LeaveRequest.from_date, LeaveRequest.number)
                                  .offset(offset).limit(STREAM_CHUNK)))
            records = _records(s, rows)
        yield from records
        if len(rows) < STREAM_CHUNK:
            return
        offset += STREAM_CHUNK


def history(db: Database, number: str) -> list[tuple[datetime, str, str, str]]:
    """A request's events, oldest first: (at, label, who, details as text)."""
    with db.session() as s:
        leave = _find(s, number)
        rows = s.execute(select(LeaveEvent.at, LeaveEvent.kind, LeaveEvent.staff_name, LeaveEvent.details)
                         .where(LeaveEvent.leave_id == leave.id).order_by(LeaveEvent.at, LeaveEvent.id)).all()
        return [(at, EVENT_LABELS.get(kind, kind), who, _details_text(details)) for at, kind, who, details in rows]


def _details_text(details: str) -> str:
    loaded = json.loads(details or "{}")
    if not isinstance(loaded, dict):
        return ""
    parts = []
    if loaded.get("numbers"):
        parts.append(f"办件：{'、'.join(str(n) for n in loaded['numbers'])}")
    if "numbers" in loaded and not loaded["numbers"]:
        parts.append("没有需要转交的办件")
    for key, label in (("stand_in", "代岗人"), ("to", "接手人"), ("note", "意见"), ("problem", "未转办原因")):
        if loaded.get(key):
            parts.append(f"{label}：{loaded[key]}")
    return "；".join(parts)


def _month_bounds(month: date | str) -> tuple[date, date]:
    if isinstance(month, str):
        try:
            first = date.fromisoformat(f"{month.strip()}-01")
        except ValueError:
            raise ValidationError(f"“{month[:20]}”不是有效的月份，应为 YYYY-MM") from None
    else:
        first = month.replace(day=1)
    after = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, after - timedelta(days=1)


def leave_days(db: Database, month: date | str) -> dict[tuple[str, date], str]:
    """(staff_no, working day) → the approved leave's kind that day, "事假" for the whole day or "事假（上午）" /
    "事假（下午）" for half of it: what the monthly attendance sheet shows instead of 旷工."""
    return leave_days_between(db, *_month_bounds(month))


def is_half_day(label: str) -> bool:
    """Whether a day's leave label (leave_days_in) is half a day's: 事假（上午）."""
    return label.endswith((f"（{MORNING}）", f"（{AFTERNOON}）"))


def leave_days_between(db: Database, first_day: date, last_day: date) -> dict[tuple[str, date], str]:
    """As leave_days, for any span of days (the statistics' period)."""
    calendar = load_calendar(db)
    with db.session() as s:
        return leave_days_in(s, first_day, last_day, calendar)


def leave_days_in(s: Session, first_day: date, last_day: date, calendar: WorkCalendar) -> dict[tuple[str, date], str]:
    """As leave_days_between, inside a session with the calendar at hand (the workstation or the centre)."""
    rows = list(s.scalars(select(LeaveRequest).where(
        LeaveRequest.status == "approved", LeaveRequest.from_date <= last_day, LeaveRequest.to_date >= first_day)))
    days: dict[tuple[str, date], str] = {}
    for leave in rows:
        first, last = slots(leave.from_date, leave.from_half, leave.to_date, leave.to_half)
        day = max(first_day, leave.from_date)
        while day <= min(last_day, leave.to_date):
            if calendar.is_workday(day):
                halves = [half for half in (0, 1) if first <= (day, half) <= last]
                if len(halves) == 2:
                    days[(leave.staff_no, day)] = leave.kind
                elif halves:
                    days[(leave.staff_no, day)] = f"{leave.kind}（{MORNING if halves[0] == 0 else AFTERNOON}）"
            day += timedelta(days=1)
    return days

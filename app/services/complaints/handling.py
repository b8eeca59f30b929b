"""What is done about a registered complaint, each step an event appended in one transaction.

handle (自办/转办/督办, with the department and its due date), reply (oral or written: a complaint that
came in writing is answered in writing), satisfaction, reopen (重新核实) when the complainant is not
satisfied, and close with a finding. A step not allowed in the complaint's state is refused in
Chinese and changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import Complaint
from app.services.complaints.categories import FINDINGS, MODES, REPLY_FORMS, STATES, WRITTEN_CHANNELS
from app.services.complaints.complaints import add_event, events_of, find
from app.services.errors import PermissionDenied, ValidationError
from app.services.people.permissions import SUPERVISE_COMPLAINT, require
from app.services.written_here import ensure_written_here

MAX_DEPARTMENT = 60
MAX_REPLY = 2000
MAX_NOTE = 500


def _refuse_unless(status: str, allowed: set[str], action: str) -> None:
    if status not in allowed:
        raise ValidationError(f"投诉{STATES.get(status, status)}，不能{action}")


def _find_for_step(s: Session, db: Database, actor: Actor, key: str) -> Complaint:
    """The complaint to work on: kept here (app.services.written_here), and never by the staff member
    it is about — a clerk closing his own complaint 不属实 would defeat the two-upheld flag (seed 002)."""
    complaint = find(s, key)
    ensure_written_here(db, complaint.origin_node, "投诉")
    if complaint.staff_no and complaint.staff_no == actor.staff_no:
        raise PermissionDenied("这是对您本人的投诉，须由其他工作人员或中心主任办理")
    return complaint


def handle(db: Database, actor: Actor, key: str, mode: str, department: str = "", due: date | None = None) -> None:
    """自办 by the centre, or 转办/督办 to a department with the date it must answer by."""
    department = department.strip()
    errors = []
    if mode not in MODES:
        errors.append("办理方式应为：" + "、".join(MODES.values()))
    if mode in {"refer", "supervise"} and not department:
        errors.append("转办或督办须写明承办部门")
    if len(department) > MAX_DEPARTMENT:
        errors.append(f"承办部门不能超过{MAX_DEPARTMENT}个字")
    today = utc_now().astimezone().date()
    if due is not None and not today <= due <= today + timedelta(days=366):
        errors.append("承办期限应在今天之后一年之内")
    if errors:
        raise ValidationError("投诉交办有误，未保存", errors)
    if mode == "supervise":
        require(actor, SUPERVISE_COMPLAINT)
    with db.session(actor) as s:
        complaint = _find_for_step(s, db, actor, key)
        _refuse_unless(complaint.status, {"registered", "handling"}, "交办")
        add_event(s, complaint, "handled", utc_now(), actor,
                  {"mode": mode, "department": department, "due": due.isoformat() if due else ""})


def reply(db: Database, actor: Actor, key: str, form: str, text: str) -> None:
    """Answers the complainant: orally or in writing (a written complaint only in writing)."""
    text = text.strip()
    if form not in REPLY_FORMS:
        raise ValidationError("答复方式应为口头或书面")
    if not text or len(text) > MAX_REPLY:
        raise ValidationError(f"答复内容应为1至{MAX_REPLY}个字")
    with db.session(actor) as s:
        complaint = _find_for_step(s, db, actor, key)
        _refuse_unless(complaint.status, {"registered", "handling"}, "答复")
        if complaint.anonymous:
            raise ValidationError("匿名投诉无法答复投诉人，请查实后直接办结")
        if form == "oral" and complaint.channel in WRITTEN_CHANNELS:
            raise ValidationError("书面投诉应书面答复")
        add_event(s, complaint, "replied", utc_now(), actor, {"form": form, "text": text})


def record_satisfaction(db: Database, actor: Actor, key: str, satisfied: bool, note: str = "") -> None:
    """The complainant's word after the reply (回访)."""
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(f"回访说明不能超过{MAX_NOTE}个字")
    with db.session(actor) as s:
        complaint = _find_for_step(s, db, actor, key)
        _refuse_unless(complaint.status, {"replied"}, "记录回访满意度")
        add_event(s, complaint, "satisfaction", utc_now(), actor, {"satisfied": satisfied, "note": note})


def reopen(db: Database, actor: Actor, key: str, reason: str) -> None:
    """重新核实: back to handling, only when the complainant said they were not satisfied."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_NOTE:
        raise ValidationError(f"重新核实的原因应为1至{MAX_NOTE}个字")
    with db.session(actor) as s:
        complaint = _find_for_step(s, db, actor, key)
        _refuse_unless(complaint.status, {"replied"}, "重新核实")
        if complaint.satisfied is not False:
            raise ValidationError("投诉人未表示不满意，无须重新核实")
        add_event(s, complaint, "reopened", utc_now(), actor, {"reason": reason})


def close(db: Database, actor: Actor, key: str, finding: str) -> None:
    """办结 with the finding (属实/部分属实/不属实): after the reply and the complainant's word, or for an
    anonymous one (nobody to answer) once it was handed on to be looked into."""
    if finding not in FINDINGS:
        raise ValidationError("核实结论应为：" + "、".join(FINDINGS.values()))
    with db.session(actor) as s:
        complaint = _find_for_step(s, db, actor, key)
        allowed = {"handling"} if complaint.anonymous else {"replied"}
        if complaint.status == "registered":  # a finding comes from looking into it, never at the counter
            raise ValidationError("投诉尚未交办核实（自办、转办或督办），不能办结")
        if complaint.status == "handling" and not complaint.anonymous:
            raise ValidationError("投诉尚未答复投诉人，不能办结")
        _refuse_unless(complaint.status, allowed, "办结")
        if not complaint.anonymous and complaint.satisfied is None:
            raise ValidationError("请先回访投诉人，记录其对答复是否满意，再办结")
        if complaint.satisfied is False and not any(k == "reopened" for k, _ in events_of(s, complaint.id)):
            raise ValidationError("投诉人不满意，请先重新核实")  # after one re-check it may close, told why
        add_event(s, complaint, "closed", utc_now(), actor, {"finding": finding})

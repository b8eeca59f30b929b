"""The second half of a case: decision, 办结通知, delivery, withdrawal, archiving (issue 11).

Every action goes through the lifecycle table (app.services.cases.lifecycle): the case's state is
checked, the action is recorded as an event with its typed payload, and the state column (a cache of
the events' fold) changes in the same transaction. Anything wrong is refused in Chinese before a byte
is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import Case, CaseEvent
from app.services import field_rules as rules
from app.services.cases import lifecycle as life
from app.services.cases.history import event_payload
from app.services.cases.holding import ensure_may_act
from app.services.cases.joint import joint_blocker, joint_parts
from app.services.cases.lifecycle import DELIVERY_METHODS
from app.services.cases.lights import overdue_days
from app.services.cases.records import CaseRecord, deadline_rules, get_case, record_event, workday_counter
from app.services.cases.sms import SmsMessage, completion_sms
from app.services.errors import ValidationError
from app.services.node import load_identity
from app.services.settings import load_settings

SHORT = rules.EVENT_SHORT


@dataclass(frozen=True)
class Decision:
    """准予 with what was granted, or 不予 with the reason and its legal basis."""

    approve: bool
    result: str = ""  # what was granted (准予), e.g. 批准享受城乡居民基本养老保险待遇
    document_number: str = ""  # 证件/批复文号
    amount: str = ""
    valid_until: date | None = None
    reason: str = ""  # 不予: why
    basis: str = ""  # 不予: the law or policy relied on
    department_decision: str = ""  # a department's written decision: its number
    department_decision_date: date | None = None
    late_reason: str = ""  # required when decided after the due date
    joint_override: str = ""  # 联办件 decided before every co-department replied: why


@dataclass(frozen=True)
class Delivery:
    method: str
    receiver: str = ""  # who took it (the applicant, or an agent with written authorisation)
    receiver_id: str = ""
    tracking: str = ""  # post: carrier's tracking number
    carrier: str = ""  # post: 中国邮政 / EMS …
    address: str = ""  # post: where it went
    authorised: bool = False  # someone else collects: the applicant's written authorisation was seen
    items: list[tuple[str, int]] = field(default_factory=list)  # what was handed over: name, count


def _problems(checks: dict[str, str | None]) -> None:
    errors = [message for message in checks.values() if message]
    if errors:
        raise ValidationError("未能办理：" + "；".join(errors), errors)


def _perform(db: Database, actor: Actor, number: str, action: str, details: dict[str, object],
             now: datetime | None, method: str = "", late_reason: str | None = None,
             guard: Callable[[Session, Case], None] | None = None) -> str:
    now = now or utc_now()
    rules = deadline_rules(db)
    with db.session(actor) as s:
        case = s.scalar(select(Case).where(Case.number == number.strip()))
        if case is None:
            raise ValidationError(f"没有编号为 {number} 的办件")
        ensure_may_act(s, case, db.node_code)  # held here, and not offered to another node
        transition = life.check(case.status, case.case_class, action)
        if guard is not None:
            guard(s, case)
        if late_reason is not None:
            today = now.astimezone().date()
            overdue = overdue_days(case.due_date, today, workday_counter(db, today))
            if overdue and not late_reason.strip():
                raise ValidationError(f"该办件已超过办结期限 {overdue} 个工作日，请填写超期原因")
            details = {**details, "overdue_days": overdue, "late_reason": late_reason.strip()}
        expected = life.next_state(case.status, transition, method)
        state = record_event(s, case, action, now, actor, details, rules).state
        if state != expected:  # the fold disagrees with the table: refuse rather than keep a stray event
            raise ValidationError(f"办件 {case.number} 的办理记录与当前状态不一致，未能{transition.label}，请联系管理员")
        return state


def decide(db: Database, actor: Actor, number: str, decision: Decision, now: datetime | None = None) -> str:
    """准予 or 不予许可; returns the new state."""
    if decision.approve:
        _problems({"result": rules.RESULT.check(decision.result),
                   "document_number": SHORT.with_label("证件或批复文号").check(decision.document_number, required=False),
                   "amount": SHORT.with_label("金额").check(decision.amount, required=False)
                   or ("金额不能为负数" if decision.amount.strip()[:1] in ("-", "－", "负") else None),
                   "department_decision": SHORT.with_label("部门决定文号").check(decision.department_decision,
                                                                              required=False),
                   "late_reason": rules.LATE_REASON.check(decision.late_reason, required=False)})
    else:
        _problems({"reason": rules.DENIAL_REASON.check(decision.reason), "basis": rules.LEGAL_BASIS.check(decision.basis),
                   "department_decision": SHORT.with_label("部门决定文号").check(decision.department_decision,
                                                                              required=False),
                   "late_reason": rules.LATE_REASON.check(decision.late_reason, required=False)})
    _problems({"joint_override": rules.LATE_REASON.with_label("联办部门未全部回复即作决定的理由")
               .check(decision.joint_override, required=False)})
    payload = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(decision).items()
               if k not in {"approve", "late_reason"} and v not in ("", None)}

    def all_replied(s: Session, case: Case) -> None:
        if case.case_class != "joint":
            return
        events = s.execute(select(CaseEvent.at, CaseEvent.kind, CaseEvent.staff_name, CaseEvent.details)
                           .where(CaseEvent.case_id == case.id).order_by(CaseEvent.at)).all()
        departments = tuple(d for d in case.co_departments.split("、") if d)
        parts = joint_parts(departments, tuple((e.at, e.kind, e.staff_name, e.details) for e in events))
        blocker = joint_blocker(parts, decision.approve)
        if blocker and not decision.joint_override.strip():
            raise ValidationError(f"{blocker}；须待各部门同意，或写明作出此决定的理由")

    return _perform(db, actor, number, "approved" if decision.approve else "denied", payload, now,
                    late_reason=decision.late_reason, guard=all_replied)


def complete_on_spot(db: Database, actor: Actor, number: str, result: str, now: datetime | None = None,
                     late_reason: str = "") -> str:
    """A 即办件 decided and handed over at once (当场办结); after its due date, with the reason."""
    _problems({"result": rules.RESULT.check(result),
               "late_reason": rules.LATE_REASON.check(late_reason, required=False)})
    return _perform(db, actor, number, "completed_on_spot", {"result": result.strip()}, now, late_reason=late_reason)


def notify(db: Database, actor: Actor, number: str, method: str, now: datetime | None = None) -> str:
    """The result is ready: the citizen is told (办结通知) how it will reach them."""
    if method not in DELIVERY_METHODS:
        raise ValidationError(f"送达方式应为：{'、'.join(DELIVERY_METHODS.values())}")
    case = get_case(db, number.strip())
    if case is None:
        raise ValidationError(f"没有编号为 {number} 的办件")
    settings, identity = load_settings(db), load_identity(db)
    sms = completion_sms(identity.center_name if identity else "民生服务中心", case.applicant_name,
                         case.applicant_phone or case.agent_phone, case.item.name, case.number,
                         case.status == "approved", method, case.staff_workplace or "受理窗口",
                         settings.office_hours.replace(",", "，"), settings.window_phone_for(case.staff_workplace))
    return _perform(db, actor, number, "notified", {"method": method, "sms_phone": sms.phone, "sms_text": sms.text},
                    now, method=method)


def notice_sms(case: CaseRecord) -> SmsMessage | None:
    """The text message of the case's latest 办结通知, as stored for the centre's gateway."""
    for _at, kind, _staff, details in reversed(case.events):
        if kind == "notified":
            payload = event_payload(details)
            text, phone = payload.get("sms_text"), payload.get("sms_phone")
            return SmsMessage(str(phone or ""), str(text)) if text else None
    return None


MAX_DELIVERED_ITEMS = 20
# What each way of delivery must record (the step's screen shows these fields, the service requires
# them): in person a signature (and at the window the collector's ID), by post the carrier's facts.
DELIVERY_FIELDS: dict[str, tuple[str, ...]] = {
    "pickup": ("receiver", "receiver_id"),
    "agent": ("receiver",),
    "post": ("carrier", "tracking", "address"),
    "electronic": (),
}
DELIVERY_OPTIONAL: dict[str, tuple[str, ...]] = {"agent": ("receiver_id",)}  # shown, not required


def parse_items(text: str) -> list[tuple[str, int]]:
    """送达材料 as typed: 决定告知书1份；核定表 2份、证件×1 → [(name, count)]; a count left out is 1."""
    items = []
    for part in re.split(r"[；;、，,\n]+", text):
        part = part.strip()
        if not part:
            continue
        match = re.fullmatch(r"(.+?)[\s×xX*]*(\d{1,3})\s*份?", part)
        name, count = (match.group(1).strip(), int(match.group(2))) if match else (part, 1)
        items.append((name, count))
    if len(items) > MAX_DELIVERED_ITEMS:
        raise ValidationError(f"送达材料至多{MAX_DELIVERED_ITEMS}项")
    return items


def deliver(db: Database, actor: Actor, number: str, delivery: Delivery, now: datetime | None = None) -> str:
    """The result reached the citizen (送达): the case is 已办结.

    At the window the collector shows an ID: the applicant's own (name and number as registered), or
    an agent's with the applicant's written authorisation (委托书), which the clerk confirms having seen.
    By post the carrier, tracking number and address are kept for the 送达回证.
    """
    if delivery.method not in DELIVERY_METHODS:
        raise ValidationError(f"送达方式应为：{'、'.join(DELIVERY_METHODS.values())}")
    needed = DELIVERY_FIELDS[delivery.method]
    _problems({
        "receiver": rules.APPLICANT_NAME.with_label("签收人").check(delivery.receiver, required="receiver" in needed),
        "receiver_id": rules.ID_NUMBER.with_label("签收人证件号码").check(delivery.receiver_id,
                                                                    required="receiver_id" in needed),
        "tracking": SHORT.with_label("邮件单号").check(delivery.tracking, required="tracking" in needed),
        "carrier": SHORT.with_label("寄递单位").check(delivery.carrier, required="carrier" in needed),
        "address": rules.APPLICANT_ADDRESS.with_label("邮寄地址").check(delivery.address, required="address" in needed),
        "items": None if all(0 < count <= 999 and 0 < len(name.strip()) <= 60 for name, count in delivery.items)
        and len(delivery.items) <= MAX_DELIVERED_ITEMS else "送达的材料应写明名称（60字以内）和份数（1至999），至多20项",
    })

    def collector_checked(_s: Session, case: Case) -> None:
        if delivery.method != "pickup":
            return
        own = (delivery.receiver.strip() == case.applicant_name
               and delivery.receiver_id.strip().upper() == case.applicant_id_number)
        if delivery.receiver.strip() == case.applicant_name and not own and not delivery.authorised:
            raise ValidationError("签收人证件号码与申请人登记的不一致，请核对身份证件")
        if not own and not delivery.authorised:
            raise ValidationError("签收人不是申请人本人：须查验申请人的书面委托书，并勾选“已查验委托书”")

    payload = {"method": delivery.method, "receiver": delivery.receiver.strip(),
               "receiver_id": delivery.receiver_id.strip().upper(), "tracking": delivery.tracking.strip(),
               "carrier": delivery.carrier.strip(), "address": delivery.address.strip(),
               "authorised": delivery.authorised,
               "items": [[name.strip(), count] for name, count in delivery.items]}
    return _perform(db, actor, number, "delivered", {k: v for k, v in payload.items() if v}, now,
                    method=delivery.method, guard=collector_checked)


def terminate(db: Database, actor: Actor, number: str, reason: str, now: datetime | None = None) -> str:
    """终止: the procedure ends without a decision (the applicant died, the matter no longer exists …)."""
    _problems({"reason": rules.TERMINATE_REASON.check(reason)})
    return _perform(db, actor, number, "terminated", {"reason": reason.strip()}, now)


def withdraw(db: Database, actor: Actor, number: str, reason: str, now: datetime | None = None) -> str:
    """撤回 at the applicant's request."""
    _problems({"reason": rules.WITHDRAW_REASON.check(reason)})
    return _perform(db, actor, number, "withdrawn", {"reason": reason.strip()}, now)


def archive(db: Database, actor: Actor, number: str, box: str, now: datetime | None = None) -> str:
    """The paper file goes into an archive box (已归档)."""
    _problems({"box": SHORT.with_label("档案盒号").check(box)})
    return _perform(db, actor, number, "archived", {"box": box.strip()}, now)


"""What a clerk enters to accept a case, and every rule it must meet before anything is saved.

Pure functions over plain data: the acceptance screen calls validate_case() as the clerk types, and
accept_case() calls it again inside the transaction, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.clock import local_today
from app.models.cases import CASE_CLASS_LABELS, class_label
from app.services import field_rules as rules
from app.services.catalog.data import ItemData, missing_materials
from app.services.id_numbers import ID_TYPES, check_id_number, check_uscc
from app.services.validation import check_phone

APPLICANT_KINDS = {"individual": "个人", "organisation": "单位"}
MAX_COPIES = 99  # per material and kind of copy, as the checklist's editor allows
AGENT_RELATIONS = ("配偶", "子女", "父母", "其他亲属", "村代办员", "单位经办人", "委托代理人")


@dataclass
class Received:
    """One material as received at the window (counts may differ from the catalogue's)."""

    seq: int
    originals_kept: int = 0
    originals_checked: int = 0
    copies: int = 0
    electronic: bool = False


@dataclass
class CaseForm:
    item_code: str
    case_class: str
    applicant_kind: str = "individual"
    applicant_name: str = ""
    applicant_id_type: str = "resident"
    applicant_id_number: str = ""
    applicant_phone: str = ""
    applicant_address: str = ""
    contact_name: str = ""
    agent_name: str = ""
    agent_relation: str = ""
    agent_id_type: str = "resident"
    agent_id_number: str = ""
    agent_phone: str = ""
    received: list[Received] = field(default_factory=list)
    class_reason: str = ""
    missing_reason: str = ""
    rejection_reason: str = ""
    lead_window: str = ""
    co_departments: list[str] = field(default_factory=list)
    notice_number: str = ""

    @property
    def has_agent(self) -> bool:
        return any(v.strip() for v in (self.agent_name, self.agent_id_number, self.agent_phone, self.agent_relation))


def as_catalogued(item: ItemData, seqs: list[int]) -> list[Received]:
    """Materials received exactly as the catalogue asks for them."""
    return [
        Received(s, m.originals_kept, m.originals_checked, m.copies, m.electronic)
        for s, m in enumerate(item.materials, start=1)
        if s in set(seqs)
    ]


def missing_required(item: ItemData, form: CaseForm) -> list[tuple[int, str]]:
    return [(seq, m.name) for seq, m in missing_materials(item.materials, {r.seq for r in form.received})]


def validate_case(form: CaseForm, item: ItemData | None, today: date | None = None,
                  custom_classes: tuple[str, ...] | list[str] = ()) -> dict[str, str]:
    """Problems by field; empty when the case can be accepted. `custom_classes`: the centre's own."""
    errors: dict[str, str] = {}
    if item is None:
        return {"item_code": "请选择办理事项"}
    if item.retired_on is not None and item.retired_on <= (today or local_today()):
        errors["item_code"] = f"事项“{item.name}”已停用，不能受理"
    known = set(CASE_CLASS_LABELS) | set(custom_classes)
    if form.case_class not in known:
        errors["case_class"] = "请选择办件类型"
    _check_applicant(form, errors)
    if form.has_agent:
        _check_agent(form, errors)
    seen: set[int] = set()
    for received in form.received:
        counts = (received.originals_kept, received.originals_checked, received.copies)
        if not 1 <= received.seq <= len(item.materials):
            errors["received"] = f"收取的材料（第{received.seq}项）不在该事项的材料清单中"
        elif received.seq in seen:
            errors["received"] = f"第{received.seq}项材料重复登记"
        elif min(counts) < 0:
            errors["received"] = "材料份数不能为负数"
        elif max(counts) > MAX_COPIES:
            errors["received"] = f"材料份数不能超过{MAX_COPIES}份"
        seen.add(received.seq)
    missing = missing_required(item, form)
    cls = form.case_class
    if cls != item.default_case_class and cls in known and not form.class_reason.strip():
        if cls not in {"supplement", "rejected"}:  # those carry their own reasons
            errors["class_reason"] = f"该事项默认为{class_label(item.default_case_class)}，改为其他类型须说明理由"
    if cls == "rejected" and not form.rejection_reason.strip():
        errors["rejection_reason"] = "退办件须写明不予受理的政策依据和理由"
    if cls == "supplement" and not missing:
        errors["case_class"] = "必要材料已齐全，不应作为补办件"
    if cls not in {"rejected", "supplement"} and cls in known and missing and not form.missing_reason.strip():
        names = "、".join(name for _, name in missing)
        errors["missing_reason"] = f"缺少必要材料（{names}）：应作为补办件，或写明容缺受理的理由"
    if cls == "joint":
        if not form.lead_window.strip():
            errors["lead_window"] = "联办件须写明牵头窗口"
        if not [d for d in form.co_departments if d.strip()]:
            errors["co_departments"] = "联办件须写明联办部门"
    _check_texts(form, errors)
    return errors


def _check_texts(form: CaseForm, errors: dict[str, str]) -> None:
    """Length and characters of every free-text and label field that is stored, whatever the class."""
    optional = {"class_reason": (rules.CLASS_REASON, form.class_reason),
                "missing_reason": (rules.MISSING_REASON, form.missing_reason),
                "rejection_reason": (rules.REJECTION_REASON, form.rejection_reason),
                "lead_window": (rules.LEAD_WINDOW, form.lead_window)}
    for key, (rule, value) in optional.items():
        problem = rule.check(value, required=False)
        if problem and key not in errors:
            errors[key] = problem
    problem = rules.check_co_departments(form.co_departments)
    if problem and "co_departments" not in errors:
        errors["co_departments"] = problem


def _check_applicant(form: CaseForm, errors: dict[str, str]) -> None:
    if form.applicant_kind not in APPLICANT_KINDS:
        errors["applicant_kind"] = "请选择申请人类型"
        return
    if form.applicant_kind == "individual":
        problem = rules.APPLICANT_NAME.check(form.applicant_name)
        id_problem = _check_id(form.applicant_id_number, form.applicant_id_type)
    else:
        problem = rules.ORGANISATION.check(form.applicant_name)
        id_problem = rules.ID_NUMBER.check(form.applicant_id_number) or check_uscc(form.applicant_id_number)
        contact = rules.CONTACT_NAME.check(form.contact_name)
        if contact:
            errors["contact_name"] = contact
    if problem:
        errors["applicant_name"] = problem
    if id_problem:
        errors["applicant_id_number"] = id_problem
    phone = check_phone(form.applicant_phone, "联系电话", required=True)
    if phone:
        errors["applicant_phone"] = phone
    address = rules.APPLICANT_ADDRESS.check(form.applicant_address)
    if address:
        errors["applicant_address"] = address


def _check_id(number: str, id_type: str, label: str = "证件号码") -> str | None:
    """Characters and length first (the ID checks assume a short clean value), then the ID rules."""
    if id_type not in ID_TYPES:
        return check_id_number(number, id_type)
    return rules.ID_NUMBER.with_label(label).check(number, required=False) or check_id_number(number, id_type)


def _check_agent(form: CaseForm, errors: dict[str, str]) -> None:
    name = rules.AGENT_NAME.check(form.agent_name)
    if name:
        errors["agent_name"] = name
    relation = rules.AGENT_RELATION.check(form.agent_relation)
    if relation:
        errors["agent_relation"] = relation
    if form.agent_id_type not in ID_TYPES:
        errors["agent_id_number"] = "请选择代理人证件类型"
    else:
        problem = _check_id(form.agent_id_number, form.agent_id_type, "代理人证件号码")
        if problem:
            errors["agent_id_number"] = problem if problem.startswith("代理人") else "代理人" + problem
    phone = check_phone(form.agent_phone, "代理人电话")
    if phone:
        errors["agent_phone"] = phone

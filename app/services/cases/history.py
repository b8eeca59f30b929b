"""How a case's history reads to a person: event names and their details in Chinese.

Kept in the core so every screen and printout shows the same words; a class is named through
`class_label` only, so a centre-defined class stored as ``x:上报件`` reads 上报件, never its key.
"""

from __future__ import annotations

import json
from typing import Any

from app.models.cases import class_label
from app.services.cases.lifecycle import ACCEPTANCE_METHODS, DELIVERY_METHODS, TRANSITIONS

REPLY_OUTCOMES = {"agree": "同意", "disagree": "不同意", "other": "其他意见"}  # a co-department's reply

EVENT_LABELS = {
    "accepted": "受理",
    "materials_completed": "材料补齐，开始计时",
    "deadline_recomputed": "办结日期调整",
    "reassigned": "AB岗转办",  # app.services.cases.reassign
    "supplement_visit": "补交部分材料（仍待补正）",
    "joint_handover": "转办联办部门", "joint_reply": "联办部门回复", "visited": "来访",  # .joint
    "transfer_offered": "移交", "transfer_received": "接收移交", "transfer_cancelled": "撤销移交",  # .transfers
    **{t.action: t.label for t in TRANSITIONS},  # every step of the lifecycle, named as its button
}

DETAIL_LABELS = {
    "class": "类型", "due": "办结日期", "from": "原日期", "to": "新日期", "reason": "原因", "provisional": "暂定",
    "procedure": "特别程序", "start": "开始", "end": "结束", "expected_days": "预计天数", "note": "说明",
    "days": "延长工作日", "approver": "批准人", "approver_no": "批准人工号", "seqs": "补交材料序号",
    "result": "办理结果", "document_number": "证件或批复文号", "amount": "金额", "valid_until": "有效期至",
    "basis": "法律依据", "department_decision": "部门决定文号", "department_decision_date": "部门决定日期",
    "late_reason": "超期原因", "overdue_days": "超期工作日", "method": "方式", "receiver": "签收人",
    "receiver_id": "签收人证件号码", "tracking": "邮件单号", "items": "送达材料", "box": "档案盒号",
    "from_class": "原类型", "materials": "实收",
    "from_staff": "原经办人", "to_staff": "接手人", "stand_in_for": "代岗",
    "to_node": "接收方节点", "to_name": "接收方", "from_node": "移交方节点", "from_name": "移交方", "batch": "移交批次",
    "return": "回传",
    "department": "联办部门", "date": "日期", "department_days": "部门时限（工作日）", "department_due": "应回复日期", "outcome": "回复意见",
    "opinion": "部门意见", "purpose": "来访事由", "joint_override": "未全部回复即决定的理由",
    "sms_phone": "短信号码", "sms_text": "短信内容", "carrier": "寄递单位", "address": "邮寄地址",
    "authorised": "已查验委托书", "missing": "仍缺", "pages": "电子件",
}
HIDDEN_DETAILS = frozenset({"offer", "by_no", "by_place"})  # the staff column shows who acted  # the offer a receipt or cancellation settles: its key, not for people
VALUE_LABELS = {"method": {**DELIVERY_METHODS, **ACCEPTANCE_METHODS}, "outcome": REPLY_OUTCOMES}


def event_payload(details: str) -> dict[str, Any]:
    """An event's details (stored as JSON) as a dict; anything else as an empty one."""
    loaded = json.loads(details or "{}")
    return loaded if isinstance(loaded, dict) else {}


def event_label(kind: str) -> str:
    """The Chinese name of an event kind; an unknown kind shows as stored rather than vanish."""
    return EVENT_LABELS.get(kind, kind)


def event_text(details: str) -> str:
    """One line of an event's details (stored as JSON), empty values left out."""
    parts = []
    for key, value in json.loads(details).items():
        if value in (None, "", [], False) or key in HIDDEN_DETAILS:
            continue
        if key in {"class", "from_class"}:
            value = class_label(str(value))
        elif key == "materials" and isinstance(value, list):
            value = "、".join(_counts(m) for m in value if isinstance(m, dict))
        elif key == "reason" and value in EVENT_LABELS:  # a deadline moved by a step (older records: its code)
            value = EVENT_LABELS[str(value)]
        elif key in VALUE_LABELS:
            value = VALUE_LABELS[key].get(str(value), value)
        elif key == "pages" and isinstance(value, dict):  # {"1": 3}: pages captured per material
            value = "、".join(f"{seq}号{n}页" for seq, n in value.items())
        elif key == "items" and isinstance(value, list):
            value = "、".join(f"{name}{count}份" for name, count in value)
        elif value is True:
            value = "是"
        elif isinstance(value, list):
            value = "、".join(str(v) for v in value)
        parts.append(f"{DETAIL_LABELS.get(key, key)}：{value}")
    return "；".join(parts)


def _counts(material: dict[str, object]) -> str:
    """One material as received: 3号（原件收1、验1，复印件2，电子件）, zero counts left out."""
    parts = [f"{label}{material.get(key)}" for key, label in
             (("originals_kept", "原件收"), ("originals_checked", "原件验"), ("copies", "复印件"))
             if material.get(key)]
    if material.get("electronic"):
        parts.append("电子件")
    return f"{material.get('seq')}号（{'，'.join(parts) or '无'}）"

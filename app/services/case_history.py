"""How a case's history reads to a person: event names and their details in Chinese.

Kept in the core so every screen and printout shows the same words; a class is named through
`class_label` only, so a centre-defined class stored as ``x:上报件`` reads 上报件, never its key.
"""

from __future__ import annotations

import json

from app.models.cases import class_label

EVENT_LABELS = {
    "accepted": "受理",
    "materials_completed": "材料补齐，开始计时",
    "paused": "进入特别程序",
    "resumed": "特别程序结束",
    "extended": "批准延期",
    "deadline_recomputed": "办结日期调整",
}

DETAIL_LABELS = {
    "class": "类型", "due": "办结日期", "from": "原日期", "to": "新日期", "reason": "原因", "provisional": "暂定",
    "procedure": "特别程序", "start": "开始", "end": "结束", "expected_days": "预计天数", "note": "说明",
    "days": "延长工作日", "approver": "批准人", "seqs": "补交材料序号",
}


def event_label(kind: str) -> str:
    """The Chinese name of an event kind; an unknown kind shows as stored rather than vanish."""
    return EVENT_LABELS.get(kind, kind)


def event_text(details: str) -> str:
    """One line of an event's details (stored as JSON), empty values left out."""
    parts = []
    for key, value in json.loads(details).items():
        if value in (None, "", [], False):
            continue
        if key == "class":
            value = class_label(str(value))
        elif value is True:
            value = "是"
        elif isinstance(value, list):
            value = "、".join(str(v) for v in value)
        parts.append(f"{DETAIL_LABELS.get(key, key)}：{value}")
    return "；".join(parts)

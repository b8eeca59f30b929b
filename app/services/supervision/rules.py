"""The supervision vocabulary: GB/T 39046 rule and warning codes as this centre uses them, and the limits
every input is held to before it is stored."""

from __future__ import annotations

import uuid

from app.services.field_rules import Chars, FieldRule

RULES: dict[str, str] = {
    "R01": "超期未办结",
    "R02": "超期后申请延期",
    "R03": "不予许可/不予受理未说明理由",
    "R99": "主任督办",
}
WARNINGS: dict[str, str] = {"yellow": "黄色预警", "red": "红色预警"}
RESULTS: dict[str, str] = {"rectified": "已整改", "explained": "已说明情况"}
STATES: dict[str, str] = {"pending": "待答复", "answered": "已答复", "overdue": "逾期未答复"}
TARGETS: dict[str, str] = {"case": "办件", "complaint": "投诉"}

CONTENT_MAX = 500
ANSWER_MAX = 500
CONTENT = FieldRule("督办内容", CONTENT_MAX, Chars.TEXT, ("supervision.content",))
ANSWER = FieldRule("答复内容", ANSWER_MAX, Chars.TEXT, ("supervision_answer.text",))
MAX_ANSWER_DAYS = 60  # an answer-by date further away than this is a typing error
AUTO_ANSWER_WORKDAYS = 3  # an automatic record asks for an answer within three working days

NAMESPACE = uuid.UUID("3b9d6a52-8f4e-4d61-b0c7-5e2a91f4c8d3")  # fixed for ever: automatic ids depend on it


def auto_id(rule: str, target_number: str) -> str:
    """The one id the automatic record of (case, rule) has on every node and at the centre."""
    return str(uuid.uuid5(NAMESPACE, f"supervision:{rule}:{target_number}"))


def rule_label(code: str) -> str:
    return RULES.get(code, code)

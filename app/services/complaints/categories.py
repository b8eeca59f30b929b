"""The complaint vocabulary as data: categories (seed 003, 受理范围, in its order), channels,
handling modes, replies and findings, each with its Chinese label, and the states a complaint moves
through. Kept apart from the services so screens, papers and the command line read one list."""

from __future__ import annotations

import re

CATEGORIES: dict[int, str] = {
    1: "窗口工作人员服务态度较差",
    2: "办事拖拉、相互推诿、处理不公",
    3: "窗口单位不落实“一门受理”，要求在本部对外受理",
    4: "对符合法定条件的申请不予受理",
    5: "对不符合法定条件的申请准予许可或超越法定职权作出准予决定",
    6: "对外受理的审批项目不按期限办结",
    7: "不履行首问负责制或不一次性告知，致使服务对象多次往返",
    8: "不按规定收取费用",
    9: "利用职权吃、拿、卡、要，或变相获得好处",
    10: "上级转办和领导交办的投诉",
    11: "其他违反行政许可规定及中心规章制度的行为",
}
CHANNELS: dict[str, str] = {
    "visit": "来访", "letter": "来信", "phone": "来电", "online": "网上",
    "hotline": "12345转办", "superior": "上级交办",
}
FINDINGS: dict[str, str] = {"upheld": "属实", "partly": "部分属实", "unfounded": "不属实"}
MODES: dict[str, str] = {"self": "自办", "refer": "转办", "supervise": "督办"}
REPLY_FORMS: dict[str, str] = {"oral": "口头答复", "written": "书面答复"}
STATES: dict[str, str] = {
    "registered": "已登记", "handling": "办理中", "replied": "已答复", "closed": "已办结",
}
OPEN_STATES = frozenset({"registered", "handling", "replied"})
# Still owing the complainant an answer: what the due date and its light are about (a complaint answered
# in time is not late while it waits for the complainant's word and the finding).
UNANSWERED_STATES = frozenset({"registered", "handling"})
EVENT_LABELS: dict[str, str] = {
    "registered": "登记", "handled": "交办", "replied": "答复", "satisfaction": "回访满意度",
    "reopened": "重新核实", "closed": "办结",
}
WRITTEN_CHANNELS = frozenset({"letter", "online", "hotline", "superior"})  # answered in writing by default
DEFAULT_DAYS = 5


def channel_key(text: str) -> str | None:
    """A channel by its key or its Chinese label (来访 or visit); None if neither."""
    text = text.strip()
    if text in CHANNELS:
        return text
    return next((k for k, label in CHANNELS.items() if label == text), None)


def days_by_category(setting: str) -> dict[int, int]:
    """Working days per category from the setting "1-9=5；10=10；11=5"; every category not named, 5.

    Raises ValueError with a Chinese message for a malformed entry (settings validation shows it)."""
    days = dict.fromkeys(CATEGORIES, DEFAULT_DAYS)
    for entry in re.split(r"[;；,，\n]+", setting):
        entry = entry.strip()
        if not entry:
            continue
        match = re.fullmatch(r"(\d{1,2})(?:\s*-\s*(\d{1,2}))?\s*[=＝:：]\s*(\d{1,2})", entry)
        if not match:
            raise ValueError(f"投诉办理时限“{entry}”应写成 类别=工作日数，如 1-9=5；10=10")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        value = int(match.group(3))
        if not (1 <= first <= last <= len(CATEGORIES)) or not 1 <= value <= 60:
            raise ValueError(f"投诉办理时限“{entry}”：类别应为1至11，工作日数应为1至60")
        for category in range(first, last + 1):
            days[category] = value
    return days

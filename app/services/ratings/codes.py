"""The national 好差评 levels, reason codes, channels and provenance, with their Chinese labels.

One internal scale (5 = 非常满意 … 1 = 非常不满意, as the national platform's interfaces number them);
an exporter to GB/T 39046 (which numbers them the other way) converts there, not here. Each level has
its own eight reason codes; a code of another level is refused when a rating is given.
"""

from __future__ import annotations

LEVELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
DEFAULT_LEVEL = 3  # no rating within 5 working days counts as 基本满意 (seed 001)
BAD_LEVELS = frozenset({1, 2})  # a reason is required, and a rectification follows
MAX_REASONS = 8
MAX_TEXT = 150
RATING_WINDOW_DAYS = 5  # working days after the service ends

REASONS: dict[int, dict[str, str]] = {
    5: {"510": "一窗受理一次办结", "511": "可以先受理后补材料", "512": "不用提交证明", "513": "可以全程网上办理",
        "514": "可以使用手机办理", "515": "可以就近办理", "516": "无需材料直接办理", "517": "服务热情效率高"},
    4: {"406": "填写一张表单就可完成申报", "407": "在线提交材料窗口核验", "408": "一张清单告知全部申报材料",
        "409": "用告知承诺减免申报材料", "410": "可以在线预约办理", "411": "跑大厅一次办完", "412": "可以使用自助机办理",
        "413": "服务态度较好"},
    3: {"307": "一次性告知需要补正的材料", "308": "提供申报材料样本", "309": "在承诺的时间内办结",
        "310": "办事指南指引准确", "311": "按办事指南要求的材料即可办理", "312": "可以快递送达",
        "313": "跑动次数与承诺的一致", "314": "服务态度一般"},
    2: {"207": "没有提供材料样本", "208": "没有提供材料清单", "209": "未在承诺时间内办结",
        "210": "同样内容的证明材料被要求多次提交", "211": "承诺网办但无法在线办理",
        "212": "在线预约办理后到实体大厅重复取号排队", "213": "窗口人员业务不熟练", "214": "服务态度生硬"},
    1: {"108": "在办事指南之外增加新的审批条件", "109": "需提供办事指南之外的申报材料", "110": "无理由超过法定办理时间",
        "111": "办事指南提供样本有错", "112": "承诺在线收取申报材料实际无法收取", "113": "多头跑窗口和部门",
        "114": "跑动次数与承诺的不一致", "115": "服务态度差效率低"},
}
ALL_REASONS: dict[str, str] = {code: label for codes in REASONS.values() for code, label in codes.items()}

CHANNELS: dict[str, str] = {"window": "窗口评价器", "qr": "扫码", "phone": "电话回访", "sms": "短信",
                            "default": "系统默认", "backfill": "补录"}
CITIZEN_CHANNELS = ("window", "qr", "phone", "sms", "backfill")  # what a person may give; default is the job's
UNTIMED_CHANNELS = frozenset({"window", "backfill"})  # at the window, or a paper rating typed in later
DEFAULT_PROVENANCE = "default"  # written by the default job: never outweighs what a citizen gave
PROVENANCES: dict[str, str] = {"citizen": "群众评价", "default": "默认评价", "backfill": "补录"}
TARGET_KINDS: dict[str, str] = {"case": "办件", "inquiry": "首问登记", "notice": "一次性告知"}
WHICH: dict[int, str] = {1: "首评", 2: "追评"}


def level_label(level: int) -> str:
    return LEVELS.get(level, str(level))


def reason_label(code: str) -> str:
    return ALL_REASONS.get(code, code)


def channel_label(channel: str) -> str:
    return CHANNELS.get(channel, channel)

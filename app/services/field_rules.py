"""One set of rules for every field a person types: how long it may be and which characters it may hold.

The forms (max length of each line edit), the services (validation before anything is written), imports
(`cases accept --json`) and the centre (which decodes with the same column lengths) all read these rules,
so a window can no longer accept what the centre then quarantines. Each rule names the columns it is
stored in; a test checks that every rule fits them, so a rule and its column cannot drift apart.

Characters: a name or a one-line value may not hold control characters (C0/C1, NUL included), invisible
format characters (zero-width space and joiners, BOM, soft hyphen, word joiner, tags...) or bidi marks,
embeddings, overrides and isolates (U+200E/F, U+202A–202E, U+2066–2069, U+061C): they are invisible on
screen and on the receipt, yet change what is stored, how a name sorts and searches, and what a reader
sees (a right-to-left override can make "张三" display as another text). Free text (reasons, answers,
notes) may also hold line breaks and tabs, nothing else of the kind. Private-use characters stay
allowed: some rare-character (生僻字) name systems still encode names there.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible characters whose Unicode category is not "format" (Cf), so the category test misses them:
# combining grapheme joiner, Hangul fillers, Khmer inherent vowels, braille blank, halfwidth Hangul filler.
_INVISIBLE_LETTERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
_TEXT_ALLOWED_CONTROLS = frozenset("\n\r\t")
TEXT_LIMIT = 2000  # the longest free text any rule allows (Text columns have no length of their own)


class Chars(Enum):
    """Which characters a field may hold."""

    LINE = "line"  # names, addresses, labels: one line, nothing invisible
    TEXT = "text"  # reasons, answers, notes: also line breaks and tabs


@dataclass(frozen=True)
class FieldRule:
    """A field as a clerk sees it: its Chinese name, its longest value, its characters, where it is stored."""

    label: str
    max_len: int
    chars: Chars = Chars.LINE
    columns: tuple[str, ...] = ()  # "table.column" it is written to; checked against app.models by a test

    def check(self, value: str, required: bool = True) -> str | None:
        """A one-line Chinese message naming the field and the problem, or None when the value is fine.

        The value is judged as it will be stored: stripped of surrounding white space.
        """
        value = value.strip()
        if not value:
            return f"请填写{self.label}" if required else None
        if len(value) > self.max_len:
            return f"{self.label}不能超过{self.max_len}个字"
        bad = first_forbidden(value, self.chars)
        if bad is not None:
            return f"{self.label}含有不可见或控制字符（{describe(bad)}），请删除后重新输入"
        return None

    def with_label(self, label: str) -> FieldRule:
        """The same rule under another name (the agent's ID number, the contact's name...)."""
        return FieldRule(label, self.max_len, self.chars, self.columns)


def forbidden(ch: str, chars: Chars) -> bool:
    """Whether one character is refused in a field of this kind."""
    if chars is Chars.TEXT and ch in _TEXT_ALLOWED_CONTROLS:
        return False
    if ch in BIDI_CONTROLS or ch in _INVISIBLE_LETTERS:
        return True
    category = unicodedata.category(ch)
    if category in {"Cc", "Cs", "Zl", "Zp"}:  # controls, lone surrogates, line/paragraph separators
        return True
    if category == "Cf":  # format characters: zero-width, joiners, BOM, soft hyphen, tags...
        # free text may keep the zero-width joiners that hold emoji sequences together
        return not (chars is Chars.TEXT and ch in "\u200c\u200d")
    return False


def first_forbidden(value: str, chars: Chars) -> str | None:
    """The first refused character in the value, or None."""
    for ch in value:
        if forbidden(ch, chars):
            return ch
    return None


def describe(ch: str) -> str:
    """How to name a refused character to a clerk: its code point, plus what it is when it is common."""
    names = {"\x00": "空字符", "\t": "制表符", "\n": "换行", "\r": "回车", "\u200b": "零宽空格",
             "\ufeff": "字节顺序标记", "\u00ad": "软连字符", "\u200d": "零宽连接符", "\u200c": "零宽非连接符"}
    if ch in BIDI_CONTROLS:
        return f"U+{ord(ch):04X} 文字方向控制符"
    name = names.get(ch)
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"


# -- the rules, by what a field holds ---------------------------------------------------------------

PERSON_NAME = 40  # a citizen's name, including long minority and foreign names
STAFF_NAME = 30
ORGANISATION_NAME = 60
ADDRESS = 120
PLACE = 60  # a window, an agency point, a department, a centre
SHORT_LABEL = 20  # a relation such as 委托代理人
REASON = 500
LONG_TEXT = TEXT_LIMIT

APPLICANT_NAME = FieldRule("申请人姓名", PERSON_NAME,
                           columns=("case_file.applicant_name", "case_file.applicant_name_rev"))
ORGANISATION = FieldRule("单位名称", ORGANISATION_NAME,
                         columns=("case_file.applicant_name", "case_file.applicant_name_rev"))
CONTACT_NAME = FieldRule("单位经办人", PERSON_NAME, columns=("case_file.contact_name",))
APPLICANT_ADDRESS = FieldRule("地址", ADDRESS, columns=("case_file.applicant_address",))
ID_NUMBER = FieldRule("证件号码", 30, columns=("case_file.applicant_id_number", "case_file.applicant_id_rev",
                                           "case_file.agent_id_number"))
PHONE = FieldRule("联系电话", 20, columns=("case_file.applicant_phone", "case_file.agent_phone",
                                       "inquiry.citizen_phone", "notice.citizen_phone", "staff.phone",
                                       "department.phone"))
AGENT_NAME = FieldRule("代理人姓名", PERSON_NAME, columns=("case_file.agent_name",))
AGENT_RELATION = FieldRule("代理人与申请人的关系", SHORT_LABEL, columns=("case_file.agent_relation",))
CLASS_REASON = FieldRule("改变办件类型的理由", REASON, Chars.TEXT, ("case_file.class_reason",))
MISSING_REASON = FieldRule("容缺受理理由", REASON, Chars.TEXT, ("case_file.missing_reason",))
REJECTION_REASON = FieldRule("不予受理的依据和理由", 1000, Chars.TEXT, ("case_file.rejection_reason",))
LEAD_WINDOW = FieldRule("牵头窗口", PLACE, columns=("case_file.lead_window",))
CO_DEPARTMENT = FieldRule("联办部门名称", PLACE, columns=("department.name",))
CO_DEPARTMENTS_MAX = 20  # how many departments one joint case may name
CO_DEPARTMENTS_COLUMN = "case_file.co_departments"  # the names joined with 、

EXTENSION_REASON = FieldRule("延长时限的理由", REASON, Chars.TEXT, ("case_event.details",))
APPROVER = FieldRule("批准人", STAFF_NAME, columns=("case_event.details",))
PAUSE_NOTE = FieldRule("特别程序说明", REASON, Chars.TEXT, ("case_event.details",))
RESULT = FieldRule("办理结果", REASON, Chars.TEXT, ("case_event.details",))
DENIAL_REASON = FieldRule("不予许可的理由", REASON, Chars.TEXT, ("case_event.details",))
LEGAL_BASIS = FieldRule("法律依据", REASON, Chars.TEXT, ("case_event.details",))
LATE_REASON = FieldRule("超期办结的原因", REASON, Chars.TEXT, ("case_event.details",))
WITHDRAW_REASON = FieldRule("撤回原因", REASON, Chars.TEXT, ("case_event.details",))
TERMINATE_REASON = FieldRule("终止原因", REASON, Chars.TEXT, ("case_event.details",))
EVENT_SHORT = FieldRule("内容", 60, columns=("case_event.details",))  # 文号, 金额, 单号, 档案盒号

CITIZEN_NAME = FieldRule("咨询人姓名", PERSON_NAME, columns=("inquiry.citizen_name", "notice.citizen_name"))
QUESTION = FieldRule("咨询内容", REASON, Chars.TEXT, ("inquiry.question",))
ANSWER = FieldRule("答复内容", LONG_TEXT, Chars.TEXT, ("inquiry.answer",))
NOTICE_NOTE = FieldRule("告知书备注", REASON, Chars.TEXT, ("notice.note",))

STAFF_PERSON = FieldRule("姓名", STAFF_NAME, columns=("staff.name", "case_file.staff_name", "notice.staff_name",
                                                     "inquiry.responder_name", "case_event.staff_name"))
WORKPLACE = FieldRule("所在窗口或代办点", PLACE, columns=("staff.workplace", "case_file.staff_workplace",
                                                      "notice.staff_workplace"))
DEPARTMENT_NAME = FieldRule("部门名称", PLACE, columns=("department.name",))
DEPARTMENT_ADDRESS = FieldRule("地址", ADDRESS, columns=("department.address",))
OFFICE_HOURS = FieldRule("办公时间", ADDRESS, columns=("department.office_hours",))
DUTIES = FieldRule("主要职责", LONG_TEXT, Chars.TEXT, ("department.duties",))

CENTER_ADDRESS = FieldRule("中心地址", ADDRESS, columns=("center_setting.value",))
SETTING_VALUE = FieldRule("中心设置", 200, columns=("center_setting.value",))  # office hours, added case classes
CENTER_NAME = FieldRule("服务中心名称", PLACE, columns=("node_info.center_name",))  # printed on every document
NODE_NAME = FieldRule("本机名称", PLACE, columns=("node_info.node_name",))

# every rule above, found rather than listed, so a new rule cannot miss the column test
ALL_RULES: tuple[FieldRule, ...] = tuple(v for v in list(globals().values()) if isinstance(v, FieldRule))


def check_co_departments(names: list[str]) -> str | None:
    """The departments of a joint case: each a clean name, not too many (they are stored joined)."""
    cleaned = [n.strip() for n in names if n.strip()]
    if len(cleaned) > CO_DEPARTMENTS_MAX:
        return f"联办部门不能超过{CO_DEPARTMENTS_MAX}个"
    for name in cleaned:
        problem = CO_DEPARTMENT.check(name)
        if problem:
            return problem
    return None

"""Plain data for service items and the checks an item must pass before it enters the catalogue.

The same field list drives JSON keys (English), spreadsheet headers (Chinese) and validation, so
an import from either format is judged by exactly the same rules.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from app.models.cases import class_label
from app.models.catalog import CASE_CLASSES
from app.services.input_limits import INT_LIMIT, year_problem
from app.services.validation import check_phone

CASE_CLASS_BY_LABEL = {label: key for key, label in CASE_CLASSES.items()}
SEP = "、"


@dataclass
class MaterialData:
    name: str
    originals_kept: int = 0
    originals_checked: int = 0
    copies: int = 0
    electronic: bool = False
    required: bool = True
    condition: str = ""
    description: str = ""
    form_name: str = ""
    source_department: str = ""


def missing_materials(materials: Sequence[MaterialData], present: Collection[int]) -> list[tuple[int, MaterialData]]:
    """Required materials not brought, numbered from 1 as printed: the one rule behind the checklist's
    summary, the notice's 尚缺, the acceptance check, the 补正 notice and 补齐材料."""
    return [(seq, m) for seq, m in enumerate(materials, start=1) if is_missing(m, seq, present)]


def is_missing(material: MaterialData, seq: int, present: Collection[int]) -> bool:
    """Whether material number `seq` still stops the application (required, and not brought)."""
    return material.required and seq not in present


def conditional_materials(materials: Sequence[MaterialData], present: Collection[int]) -> list[tuple[int, MaterialData]]:
    """Materials needed only in some situations, not brought: to be supplied if they apply."""
    return [(seq, m) for seq, m in enumerate(materials, start=1) if not m.required and seq not in present]


@dataclass
class ItemData:
    code: str
    name: str
    category: str
    department: str
    legal_basis: str
    conditions: str
    procedure: str
    legal_limit_days: int
    promised_limit_days: int
    default_case_class: str
    agent_allowed: bool
    fee: str
    location: str
    office_hours: str
    consult_phone: str
    supervise_phone: str
    effective_date: date
    fee_basis: str = ""
    aliases: list[str] = field(default_factory=list)
    co_departments: list[str] = field(default_factory=list)
    version: int = 1
    retired_on: date | None = None
    materials: list[MaterialData] = field(default_factory=list)

    @property
    def case_class_label(self) -> str:
        return class_label(self.default_case_class)

    @property
    def retired(self) -> bool:
        return self.retired_on is not None


# (attribute, spreadsheet header, kind); kinds: str, text (may be empty), int, bool, date,
# optdate, list, class.
ITEM_FIELDS: list[tuple[str, str, str]] = [
    ("code", "事项编码", "str"),
    ("name", "事项名称", "str"),
    ("aliases", "简称", "list"),
    ("category", "类别", "str"),
    ("department", "责任部门", "str"),
    ("co_departments", "联办部门", "list"),
    ("legal_basis", "设定依据", "str"),
    ("conditions", "受理条件", "str"),
    ("procedure", "办理流程", "str"),
    ("legal_limit_days", "法定时限(工作日)", "int"),
    ("promised_limit_days", "承诺时限(工作日)", "int"),
    ("default_case_class", "默认办件类型", "class"),
    ("agent_allowed", "村级可代办", "bool"),
    ("fee", "收费标准", "str"),
    ("fee_basis", "收费依据", "text"),
    ("location", "办理地点", "str"),
    ("office_hours", "办理时间", "str"),
    ("consult_phone", "咨询电话", "str"),
    ("supervise_phone", "监督电话", "str"),
    ("version", "版本", "int"),
    ("effective_date", "生效日期", "date"),
    ("retired_on", "停用日期", "optdate"),
]
MATERIAL_FIELDS: list[tuple[str, str, str]] = [
    ("name", "材料名称", "str"),
    ("originals_kept", "原件收取(份)", "int"),
    ("originals_checked", "原件核验(份)", "int"),
    ("copies", "复印件(份)", "int"),
    ("electronic", "电子件", "bool"),
    ("required", "必要", "bool"),
    ("condition", "适用情形", "text"),
    ("description", "材料说明", "text"),
    ("form_name", "表格或样表", "text"),
    ("source_department", "要求部门", "text"),
]
# Item codes: ASCII only (they are typed at the counter, printed in barcodes and sorted as text).
CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._")
TEXT_LIMIT = 5000  # a long 办理流程 is two pages; nothing longer belongs in a guide
# The widths of the columns (app.models.catalog), which the centre's PostgreSQL enforces.
ITEM_LENGTHS = {
    "name": ("事项名称", 100), "category": ("类别", 40), "department": ("责任部门", 60),
    "legal_basis": ("设定依据", TEXT_LIMIT), "conditions": ("受理条件", TEXT_LIMIT),
    "procedure": ("办理流程", TEXT_LIMIT), "fee": ("收费标准", TEXT_LIMIT), "fee_basis": ("收费依据", TEXT_LIMIT),
    "location": ("办理地点", TEXT_LIMIT), "office_hours": ("办理时间", TEXT_LIMIT),
    "consult_phone": ("咨询电话", 20), "supervise_phone": ("监督电话", 20),
}
MATERIAL_LENGTHS = {
    "name": ("材料名称", 120), "condition": ("适用情形", TEXT_LIMIT), "description": ("材料说明", TEXT_LIMIT),
    "form_name": ("表格或样表", 120), "source_department": ("要求部门", 60),
}
_DEFAULTS = {f.name: f.default for f in fields(MaterialData)} | {
    f.name: f.default for f in fields(ItemData)
}

_TRUE = {"是", "true", "1", "yes", "y", "√", "需要", "必要"}
_FALSE = {"否", "false", "0", "no", "n", "", "不需要", "非必要"}


class _Bad(ValueError):
    """One field's value could not be converted; the message names the field."""


def _convert(value: Any, kind: str, label: str) -> Any:
    if kind in {"str", "text"}:
        text = "" if value is None else str(value).strip()
        if kind == "str" and not text:
            raise _Bad(f"“{label}”不能为空")
        return text
    if kind == "int":
        if isinstance(value, bool) or value is None or value == "":
            raise _Bad(f"“{label}”应为整数")
        try:
            number = int(str(value).strip()) if not isinstance(value, (int, float)) else value
        except ValueError:
            raise _Bad(f"“{label}”应为整数，而不是“{value}”") from None
        if isinstance(number, float) and not number.is_integer():
            raise _Bad(f"“{label}”应为整数，而不是“{value}”")
        if not -INT_LIMIT <= number <= INT_LIMIT:  # a database integer column holds no more
            raise _Bad(f"“{label}”的数值过大")
        return int(number)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise _Bad(f"“{label}”应填“是”或“否”，而不是“{value}”")
    if kind in {"date", "optdate"}:
        if value is None or value == "":
            if kind == "optdate":
                return None
            raise _Bad(f"“{label}”不能为空")
        if isinstance(value, datetime):
            day = value.date()
        elif isinstance(value, date):
            day = value
        else:
            try:
                day = date.fromisoformat(str(value).strip()[:40])
            except ValueError:
                raise _Bad(f"“{label}”应为日期（如2026-01-01），而不是“{str(value)[:40]}”") from None
        problem = year_problem(day.year, f"“{label}”的年份")
        if problem:
            raise _Bad(problem)
        return day
    if kind == "list":
        if value is None:
            return []
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
        return [p.strip() for p in str(value).replace("，", SEP).replace(",", SEP).split(SEP) if p.strip()]
    if kind == "class":
        text = "" if value is None else str(value).strip()
        if text in CASE_CLASSES:
            return text
        if text in CASE_CLASS_BY_LABEL:
            return CASE_CLASS_BY_LABEL[text]
        raise _Bad(f"“{label}”应为即办件、承诺件或联办件，而不是“{text or '空'}”")
    raise AssertionError(kind)


def _parse_fields(raw: dict[str, Any], spec: list[tuple[str, str, str]], errors: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for attr, label, kind in spec:
        raw_value = raw.get(attr)
        if raw_value is None:
            if kind == "list":
                raw_value = []
            elif kind in {"text", "optdate"}:
                raw_value = ""
            elif isinstance(_DEFAULTS.get(attr), (int, bool)) and kind in {"int", "bool"}:
                raw_value = _DEFAULTS[attr]
            else:
                errors.append(f"缺少“{label}”")
                continue
        try:
            values[attr] = _convert(raw_value, kind, label)
        except _Bad as bad:
            errors.append(str(bad))
    return values


def parse_material(raw: dict[str, Any]) -> tuple[MaterialData | None, list[str]]:
    errors: list[str] = []
    values = _parse_fields(raw, MATERIAL_FIELDS, errors)
    if errors:
        return None, errors
    material = MaterialData(**values)
    for attr, label in (("originals_kept", "原件收取"), ("originals_checked", "原件核验"), ("copies", "复印件")):
        if not 0 <= getattr(material, attr) <= 99:
            errors.append(f"材料“{material.name}”的{label}份数应在0至99之间")
    if not (material.originals_kept or material.originals_checked or material.copies or material.electronic):
        errors.append(f"材料“{material.name}”须至少有一种提交方式（原件、复印件或电子件）")
    if not material.required and not material.condition:
        errors.append(f"材料“{material.name}”不是必要材料，须写明适用情形")
    return (None if errors else material), errors


def parse_item(raw: dict[str, Any], raw_materials: list[dict[str, Any]],
               material_places: list[str] | None = None) -> tuple[ItemData | None, list[str]]:
    """An item checked field by field; on any problem None and every reason found.

    `material_places` names where each material came from (a spreadsheet row), default 第N项材料.
    """
    errors: list[str] = []
    values = _parse_fields(raw, ITEM_FIELDS, errors)
    materials: list[MaterialData] = []
    for index, raw_material in enumerate(raw_materials, start=1):
        material, problems = parse_material(raw_material)
        place = material_places[index - 1] if material_places else f"第{index}项材料"
        errors.extend(f"{place}：{p}" if not p.startswith("材料“") else p for p in problems)
        if material is not None:
            materials.append(material)
    if errors:
        return None, errors
    item = ItemData(**values, materials=materials)
    errors.extend(check_item_rules(item))
    return (None if errors else item), errors


def check_item_rules(item: ItemData) -> list[str]:
    """Rules across fields (domain.md: promised never longer than legal, and so on)."""
    errors: list[str] = []
    if not 4 <= len(item.code) <= 40 or not all(c in CODE_CHARS for c in item.code):
        errors.append("事项编码应为4至40位英文字母、数字或“-”“.”“_”")
    errors.extend(_length_problems(item, ITEM_LENGTHS))
    for attr, label in (("aliases", "简称"), ("co_departments", "联办部门")):
        if len(SEP.join(getattr(item, attr))) > 500:
            errors.append(f"“{label}”合计不能超过500个字")
    for material in item.materials:
        errors.extend(f"材料“{material.name[:20]}”：{p}" for p in _length_problems(material, MATERIAL_LENGTHS))
    if item.legal_limit_days < 0 or item.legal_limit_days > 365:
        errors.append("法定时限应在0至365个工作日之间")
    if item.promised_limit_days < 0:
        errors.append("承诺时限不能为负数")
    if item.promised_limit_days > item.legal_limit_days:
        errors.append(
            f"承诺时限（{item.promised_limit_days}个工作日）不得长于法定时限（{item.legal_limit_days}个工作日）"
        )
    if item.default_case_class == "immediate" and item.promised_limit_days != 0:
        errors.append("即办件的承诺时限应为0（当场办结）")
    if item.default_case_class != "immediate" and item.promised_limit_days == 0:
        errors.append("承诺件和联办件的承诺时限应至少1个工作日")
    if item.default_case_class == "joint" and not item.co_departments:
        errors.append("联办件须写明联办部门")
    if item.fee != "不收费" and not item.fee_basis:
        errors.append("收费事项须写明收费依据")
    for attr, label in (("consult_phone", "咨询电话"), ("supervise_phone", "监督电话")):
        problem = check_phone(getattr(item, attr), label, required=True, allow_hotline=True)
        if problem:
            errors.append(problem)
    if item.version < 1:
        errors.append("版本号应从1开始")
    if item.retired_on is not None and item.retired_on < item.effective_date:
        errors.append("停用日期不能早于生效日期")
    if not item.materials:
        errors.append("每个事项至少要有一项申请材料")
    names = [m.name for m in item.materials]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        errors.append(f"材料名称重复：{SEP.join(duplicates)}")
    return errors


def _length_problems(record: Any, limits: dict[str, tuple[str, int]]) -> list[str]:
    return [f"“{label}”不能超过{limit}个字" for attr, (label, limit) in limits.items()
            if len(getattr(record, attr)) > limit]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def item_to_dict(item: ItemData) -> dict[str, Any]:
    """JSON-ready dict with English keys (the catalogue file format and notice snapshots)."""
    values = {attr: _plain(getattr(item, attr)) for attr, _, _ in ITEM_FIELDS}
    values["aliases"] = list(item.aliases)
    values["co_departments"] = list(item.co_departments)
    values["materials"] = [{a: getattr(m, a) for a, _, _ in MATERIAL_FIELDS} for m in item.materials]
    return values


def item_from_dict(raw: dict[str, Any]) -> ItemData:
    """An item stored by item_to_dict, converted back without re-judging it by today's rules."""
    errors: list[str] = []
    values = _parse_fields(raw, ITEM_FIELDS, errors)
    materials = [MaterialData(**_parse_fields(m, MATERIAL_FIELDS, errors)) for m in raw.get("materials", [])]
    if errors:
        raise ValueError("；".join(errors))
    return ItemData(**values, materials=materials)

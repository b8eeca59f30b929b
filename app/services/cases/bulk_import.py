"""An application prepared elsewhere (the province's online portal, a load test) accepted from a JSON file.

The file holds the acceptance form's own fields. It is read within a size bound, its keys and types are
checked here, and then it goes through exactly what the F6 screen uses: validate_case() for the
field-by-field reasons, then accept_case(), which checks again inside its transaction. Any problem
raises ValidationError with one line per field ("applicant_name：申请人姓名…") and writes nothing.

    {"item_code": "SB-002", "case_class": "promised", "applicant_name": "张桂芳",
     "applicant_id_number": "220821198503121234", "applicant_phone": "13904367788",
     "applicant_address": "镇赉镇红旗村三组", "received": [1, 2, {"seq": 3, "copies": 2}]}

A material in `received` is its number in the catalogue's list (from 1), received as the catalogue asks;
an object may change the counts: originals_kept (or "originals"), originals_checked, copies, electronic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.services.cases.form import CaseForm, Received, validate_case
from app.services.catalog import items as catalog
from app.services.catalog.data import ItemData
from app.services.errors import ValidationError

MAX_BYTES = 1_000_000  # a real application is a few KB; the bound is checked before parsing
TITLE = "办件文件有误，未受理"
TEXT_KEYS = ("item_code", "case_class", "applicant_kind", "applicant_name", "applicant_id_type",
             "applicant_id_number", "applicant_phone", "applicant_address", "contact_name", "agent_name",
             "agent_relation", "agent_id_type", "agent_id_number", "agent_phone", "class_reason", "missing_reason",
             "rejection_reason", "lead_window")
DEFAULTS = {"applicant_kind": "individual", "applicant_id_type": "resident", "agent_id_type": "resident"}
COUNT_KEYS = ("originals_kept", "originals_checked", "copies")
RECEIVED_KEYS = frozenset({"seq", "originals", "electronic", *COUNT_KEYS})
MAX_RECEIVED = 200  # more entries than any item has materials


@dataclass(frozen=True)
class ReceivedSpec:
    """One material as the file gives it: its number, and only the counts the file states."""

    seq: int
    counts: dict[str, int | bool] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseRequest:
    """The file's content, typed: text fields, the materials received, the co-departments."""

    texts: dict[str, str]
    received: tuple[ReceivedSpec, ...]
    co_departments: tuple[str, ...]


def read_case_file(path: Path) -> CaseRequest:
    """The request in the file, or ValidationError naming every problem found (nothing is opened yet)."""
    return parse_case(_load(path))


def _load(path: Path) -> Any:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # never more than the bound, whatever the file claims
    except FileNotFoundError:
        raise ValidationError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} 是文件夹，不是办件文件") from None
    except PermissionError:
        raise ValidationError(f"没有读取 {path} 的权限") from None
    if len(raw) > MAX_BYTES:
        raise ValidationError(f"办件文件过大：不能超过 {MAX_BYTES // 1_000_000} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("办件文件不是 UTF-8 编码的 JSON") from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ValidationError("办件文件嵌套层数过多") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(f"办件文件不是有效的 JSON：第{exc.lineno}行第{exc.colno}列格式有误") from None
    except ValueError as exc:  # NaN/Infinity, or an integer of thousands of digits
        raise ValidationError(f"办件文件不是有效的 JSON：{exc}") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"不能有 {name}")


def _key(name: object) -> str:
    """A key as it can be shown safely on one line (control characters escaped, long keys cut)."""
    shown = json.dumps(str(name), ensure_ascii=False)
    return shown if len(shown) <= 42 else shown[:40] + "…\""


def parse_case(document: Any) -> CaseRequest:
    """Keys and types of an already-parsed document; each problem is one line naming its field."""
    if not isinstance(document, dict):
        raise ValidationError(TITLE, ["文件内容应为一个 JSON 对象（{…}），以字段名对应受理表单的各项"])
    problems: list[str] = []
    known = {*TEXT_KEYS, "received", "co_departments"}
    problems += [f"{_key(k)}：不是受理表单的字段" for k in document if k not in known]
    texts: dict[str, str] = dict(DEFAULTS)
    for key in TEXT_KEYS:
        value = document.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            texts[key] = value
        else:
            problems.append(f"{key}：应为文本（带引号的字符串）")
    received = _received(document.get("received"), problems)
    co_departments = _co_departments(document.get("co_departments"), problems)
    if problems:
        raise ValidationError(TITLE, problems)
    return CaseRequest(texts, received, co_departments)


def _received(value: Any, problems: list[str]) -> tuple[ReceivedSpec, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append("received：应为材料序号的列表，如 [1, 2, 3]")
        return ()
    if len(value) > MAX_RECEIVED:
        problems.append(f"received：不能超过{MAX_RECEIVED}项")
        return ()
    specs: list[ReceivedSpec] = []
    for n, entry in enumerate(value, start=1):
        where = f"received 第{n}项"
        if _is_int(entry):
            specs.append(ReceivedSpec(entry))
            continue
        if not isinstance(entry, dict):
            problems.append(f"{where}：应为材料序号（整数）或 {{\"seq\": 序号, \"copies\": 份数}} 形式的对象")
            continue
        unknown = [_key(k) for k in entry if k not in RECEIVED_KEYS]
        if unknown:
            problems.append(f"{where}：未知的字段 {'、'.join(unknown)}（可用 seq、originals_kept、originals_checked、"
                            "copies、electronic）")
            continue
        if not _is_int(entry.get("seq")):
            problems.append(f"{where}：缺少材料序号 seq（整数）")
            continue
        if "originals" in entry and "originals_kept" in entry:
            problems.append(f"{where}：originals 与 originals_kept 是同一项，只能写一个")
            continue
        counts: dict[str, int | bool] = {}
        for name in ("originals", *COUNT_KEYS):
            if name in entry:
                if not _is_int(entry[name]):
                    problems.append(f"{where}：{name} 应为整数份数")
                else:
                    counts["originals_kept" if name == "originals" else name] = entry[name]
        if "electronic" in entry:
            if isinstance(entry["electronic"], bool):
                counts["electronic"] = entry["electronic"]
            else:
                problems.append(f"{where}：electronic 应为 true 或 false")
        specs.append(ReceivedSpec(entry["seq"], counts))
    return tuple(specs)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _co_departments(value: Any, problems: list[str]) -> tuple[str, ...]:
    """A list of names, or one text with the names separated by 、 as the form takes them."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(d for d in value.replace(",", "、").replace("，", "、").split("、") if d.strip())
    if isinstance(value, list) and all(isinstance(d, str) for d in value):
        return tuple(value)
    problems.append("co_departments：应为部门名称的列表，如 [\"镇医疗保障服务站\"]")
    return ()


def build_form(request: CaseRequest, item: ItemData | None) -> CaseForm:
    """The acceptance form the F6 screen would have built: catalogue counts unless the file changes them."""
    received = []
    for spec in request.received:
        if item is not None and 1 <= spec.seq <= len(item.materials):
            m = item.materials[spec.seq - 1]
            base: dict[str, int | bool] = {"originals_kept": m.originals_kept,
                                           "originals_checked": m.originals_checked, "copies": m.copies,
                                           "electronic": m.electronic}
        else:
            base = {"originals_kept": 0, "originals_checked": 0, "copies": 0, "electronic": False}
        base.update(spec.counts)
        received.append(Received(spec.seq, int(base["originals_kept"]), int(base["originals_checked"]),
                                  int(base["copies"]), bool(base["electronic"])))
    return CaseForm(received=received, co_departments=list(request.co_departments),
                    item_code=request.texts.get("item_code", "").strip(),
                    case_class=request.texts.get("case_class", ""),
                    **{k: v for k, v in request.texts.items() if k not in {"item_code", "case_class"}})


def accept_request(db: Database, actor: Actor, request: CaseRequest) -> str:
    """Accept as the F6 screen does; the new case number. Field-by-field ValidationError, nothing written."""
    from app.services.cases.records import accept_case
    from app.services.settings import load_settings

    code = request.texts.get("item_code", "").strip()
    item = catalog.load_item(db, code) if code else None
    form = build_form(request, item)
    errors = validate_case(form, item, utc_now().astimezone().date(), load_settings(db).custom_classes())
    if item is None and code:
        errors["item_code"] = f"事项清单中没有编码为 {code} 的事项"
    if errors:
        raise ValidationError("受理信息有误，未受理", [f"{key}：{message}" for key, message in errors.items()])
    return accept_case(db, actor, form)

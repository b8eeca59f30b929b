"""排队类别 as the director edits them: the hall's categories read from the centre, checked whole on this
side (the same rules the centre applies), and sent to replace the centre's in one request.

A category is a name, a prefix letter for its tickets and the windows (node codes) that call it; none
named means every window, also one that joins later. The set goes up all at once or not at all, from
the editing screen or from a JSON file (`queue categories --set FILE.json`), so the hall never runs on
half of a change. Categories do not name service items: the citizen picks a category at the kiosk by
its name, and which window serves it is the whole of the routing the hall needs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.actor import Actor
from app.database import Database
from app.services.errors import UserError, ValidationError
from app.services.queue import client
from app.services.queue.model import QueueStatus
from app.services.queue.rules import MAX_CATEGORIES, check_category, check_prefix, check_window, doubled

MAX_FILE_BYTES = 64 * 1024  # 20 categories with every window named fit in a few kilobytes
FILE_KEYS = frozenset({"name", "prefix", "windows", "waiting", "every_window"})  # what `--json` prints
EVERY_WINDOW = "全部窗口"


@dataclass(frozen=True)
class CategoryDraft:
    name: str
    prefix: str
    windows: tuple[str, ...] = ()  # node codes; () = every window

    def windows_label(self, names: dict[str, str]) -> str:
        if not self.windows:
            return EVERY_WINDOW
        return "、".join(f"{code} {names[code]}" if names.get(code) else code for code in self.windows)


def drafts_of(status: QueueStatus) -> list[CategoryDraft]:
    """The centre's categories as the editor starts from them (every window stays every window)."""
    return [CategoryDraft(c.name, c.prefix, () if c.every_window else c.windows) for c in status.categories]


def check_draft(name: str, prefix: str, windows: Sequence[str]) -> CategoryDraft:
    """One category, cleaned (names trimmed, prefix upper case, windows sorted once each); or ValidationError
    listing every problem."""
    errors: list[str] = []
    checked: list[str] = []
    for check, value in ((check_category, name), (check_prefix, prefix)):
        try:
            checked.append(check(value))
        except ValidationError as exc:
            errors.append(exc.message)
    codes: set[str] = set()
    for code in windows:
        try:
            codes.add(check_window(code))
        except ValidationError as exc:
            errors.append(exc.message)
            break
    if errors:
        raise ValidationError("排队类别有误：" + "；".join(errors), errors)
    return CategoryDraft(checked[0], checked[1], tuple(sorted(codes)))


def check_drafts(drafts: Sequence[CategoryDraft]) -> list[CategoryDraft]:
    """The whole set as the centre will take it: 1–20 categories, names and prefixes each used once."""
    if not 0 < len(drafts) <= MAX_CATEGORIES:
        raise ValidationError(f"排队类别应为 1–{MAX_CATEGORIES} 个，现有 {len(drafts)} 个")
    clean = [check_draft(d.name, d.prefix, d.windows) for d in drafts]
    problem = doubled([d.name for d in clean], [d.prefix for d in clean])
    if problem:
        raise ValidationError(problem)
    return clean


def save_categories(db: Database, actor: Actor, drafts: Sequence[CategoryDraft]) -> QueueStatus:
    """Replace the hall's categories with `drafts` (a director or administrator proven at log-in)."""
    clean = check_drafts(drafts)
    return client.set_categories(db, actor, [(d.name, d.prefix, d.windows) for d in clean])


def _draft_of(item: Any, place: int) -> CategoryDraft:
    where = f"第 {place} 个类别"
    if not isinstance(item, dict):
        raise ValidationError(f"{where}应为含 name、prefix、windows 的对象")
    unknown = sorted(str(k)[:20] for k in item if k not in FILE_KEYS)
    if unknown:
        raise ValidationError(f"{where}有不认识的字段：{'、'.join(unknown)}（可用 name、prefix、windows）")
    name, prefix, windows = item.get("name"), item.get("prefix"), item.get("windows", [])
    if not isinstance(name, str) or not isinstance(prefix, str):
        raise ValidationError(f"{where}的 name 和 prefix 应为文字")
    if not isinstance(windows, list) or len(windows) > 99 or not all(isinstance(w, str) for w in windows):
        raise ValidationError(f"{where}的 windows 应为节点编码的列表，如 [\"01\", \"02\"]；空列表表示全部窗口")
    try:
        return check_draft(name, prefix, windows)
    except ValidationError as exc:
        raise ValidationError(f"{where}（{name[:20]}）：{exc.message}", exc.errors) from exc


def read_file(path: Path) -> list[CategoryDraft]:
    """The categories in a JSON file, as `queue categories --json` prints them (or a bare list): read
    within MAX_FILE_BYTES, every category checked before anything is sent."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UserError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise UserError(f"文件 {path.name} 超过 {MAX_FILE_BYTES // 1024} KB，不像排队类别文件；未做任何修改")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"文件 {path.name} 不是 UTF-8 编码的 JSON：{exc}；未做任何修改") from exc
    items = data.get("categories") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise UserError("文件应为 {\"categories\": [...]} 或类别列表；未做任何修改")
    if not 0 < len(items) <= MAX_CATEGORIES:
        raise UserError(f"排队类别应为 1–{MAX_CATEGORIES} 个，文件中有 {len(items)} 个；未做任何修改")
    drafts = [_draft_of(item, n) for n, item in enumerate(items, 1)]
    return check_drafts(drafts)


def as_json(status: QueueStatus) -> dict[str, Any]:
    """What `queue categories --json` prints; `--set` reads it back as it is."""
    return {"categories": [{"name": d.name, "prefix": d.prefix, "windows": list(d.windows),
                            "every_window": not d.windows, "waiting": c.waiting}
                           for d, c in zip(drafts_of(status), status.categories, strict=True)]}

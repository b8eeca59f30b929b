"""The catalogue in the local database: reading guides, applying validated imports, retiring items."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.actor import Actor
from app.clock import local_today
from app.database import Database
from app.ids import uuid7
from app.models import ItemMaterial, ServiceItem
from app.models.tracking import audit, insert_tracked
from app.services.catalog.data import SEP, ItemData, MaterialData, check_item_rules
from app.services.catalog.pinyin import pinyin_keys
from app.services.catalog.search import ItemSummary
from app.services.errors import ValidationError
from app.services.input_limits import check_day
from app.services.people.permissions import EDIT_CATALOG, require

_ITEM_ATTRS = [
    "code", "name", "category", "department", "legal_basis", "conditions", "procedure",
    "legal_limit_days", "promised_limit_days", "default_case_class", "agent_allowed", "fee",
    "fee_basis", "location", "office_hours", "consult_phone", "supervise_phone", "version",
    "effective_date", "retired_on",
]
_MATERIAL_ATTRS = [
    "name", "originals_kept", "originals_checked", "copies", "electronic", "required",
    "condition", "description", "form_name", "source_department",
]


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    unchanged: int


def _require_catalog_editor(actor: Actor) -> None:
    require(actor, EDIT_CATALOG)


def to_data(item: ServiceItem) -> ItemData:
    return _data(item, item.materials)


def _data(item: Any, materials: Sequence[Any]) -> ItemData:
    """An item as plain data, from an ORM object or from Core rows with the same column names."""
    values = {attr: getattr(item, attr) for attr in _ITEM_ATTRS}
    return ItemData(
        **values,
        aliases=[a for a in item.aliases.split(SEP) if a],
        co_departments=[d for d in item.co_departments.split(SEP) if d],
        materials=[MaterialData(**{a: getattr(m, a) for a in _MATERIAL_ATTRS}) for m in materials],
    )


def _stored_items(s: Session) -> dict[str, tuple[str, ItemData]]:
    """Every stored item by code (its id and its data), read as plain rows: building ORM objects for
    thousands of materials only to compare them cost more than the whole rest of an import."""
    columns = [getattr(ServiceItem, a) for a in (*_ITEM_ATTRS, "aliases", "co_departments")]
    material_columns = [getattr(ItemMaterial, a) for a in _MATERIAL_ATTRS]
    materials: dict[str, list[Any]] = {}
    for row in s.execute(select(ItemMaterial.item_id, *material_columns).order_by(ItemMaterial.item_id,
                                                                                  ItemMaterial.seq)):
        materials.setdefault(row.item_id, []).append(row)
    return {row.code: (row.id, _data(row, materials.get(row.id, [])))
            for row in s.execute(select(ServiceItem.id, *columns))}


def load_summaries(db: Database) -> list[ItemSummary]:
    """Every item (retired ones flagged), ordered by category then code, for the browser and search."""
    with db.session() as s:
        rows = s.scalars(select(ServiceItem).order_by(ServiceItem.category, ServiceItem.code))
        return [
            ItemSummary(
                id=i.id,
                code=i.code,
                name=i.name,
                aliases=i.aliases,
                category=i.category,
                department=i.department,
                case_class=i.default_case_class,
                promised_limit_days=i.promised_limit_days,
                agent_allowed=i.agent_allowed,
                retired=i.retired_on is not None and i.retired_on <= local_today(),
                initials=i.search_initials,
                pinyin=i.search_pinyin,
            )
            for i in rows
        ]


def load_item(db: Database, code: str) -> ItemData | None:
    with db.session() as s:
        item = s.scalar(
            select(ServiceItem).options(selectinload(ServiceItem.materials)).where(ServiceItem.code == code)
        )
        return to_data(item) if item is not None else None


def load_all(db: Database) -> list[ItemData]:
    with db.session() as s:
        items = s.scalars(
            select(ServiceItem).options(selectinload(ServiceItem.materials)).order_by(ServiceItem.code)
        )
        return [to_data(i) for i in items]


def load_catalog(db: Database) -> tuple[list[ItemSummary], list[ItemData]]:
    """Summaries for searching and full items for guides and checklists, read together."""
    return load_summaries(db), load_all(db)


def _search_keys(data: ItemData) -> tuple[str, str]:
    return pinyin_keys(data.name, *data.aliases)


def _apply_one(item: ServiceItem, data: ItemData) -> None:
    """Changes an existing item in place, touching only the columns that differ (each one is audited)."""
    renamed = item.name != data.name or item.aliases != SEP.join(data.aliases) or not item.search_initials
    for attr in _ITEM_ATTRS:
        if getattr(item, attr) != getattr(data, attr):
            setattr(item, attr, getattr(data, attr))
    aliases = SEP.join(data.aliases)
    co_departments = SEP.join(data.co_departments)
    if item.aliases != aliases:
        item.aliases = aliases
    if item.co_departments != co_departments:
        item.co_departments = co_departments
    if renamed:  # pinyin is the slow part of an import: only for names that changed
        initials, full = _search_keys(data)
        if item.search_initials != initials:
            item.search_initials = initials
        if item.search_pinyin != full:
            item.search_pinyin = full
    existing = {m.seq: m for m in item.materials}
    for seq, material in enumerate(data.materials, start=1):
        row = existing.pop(seq, None)
        if row is None:
            row = ItemMaterial(seq=seq)
            item.materials.append(row)
        for attr in _MATERIAL_ATTRS:
            if getattr(row, attr) != getattr(material, attr):
                setattr(row, attr, getattr(material, attr))
    for leftover in existing.values():
        item.materials.remove(leftover)


def _new_rows(data: ItemData, node: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Column values of a new item and its materials, for one bulk insert of the whole import.

    The ids are made here (the materials need their item's) and stamped with this node, as a flush would.
    """
    initials, full = _search_keys(data)
    item: dict[str, Any] = {attr: getattr(data, attr) for attr in _ITEM_ATTRS}
    item.update(id=uuid7(node), aliases=SEP.join(data.aliases), co_departments=SEP.join(data.co_departments),
                search_initials=initials, search_pinyin=full)
    materials = [
        {"id": uuid7(node), "item_id": item["id"], "seq": seq} | {attr: getattr(m, attr) for attr in _MATERIAL_ATTRS}
        for seq, m in enumerate(data.materials, start=1)
    ]
    return item, materials


def apply_items(db: Database, actor: Actor, items: list[ItemData], source: str) -> ImportReport:
    """Add or update items by code in one transaction; refuses the whole batch on any bad item.

    New items go in as two bulk inserts (with their outbox and audit rows); unchanged items are
    recognised before anything is touched, so a 13 MB catalogue imports in seconds, not a minute.
    """
    _require_catalog_editor(actor)
    problems = [f"{d.code}：{e}" for d in items for e in check_item_rules(d)]
    counts = Counter(d.code for d in items)
    problems += [f"事项编码重复：{c}" for c in sorted(c for c, n in counts.items() if n > 1)]
    if problems:
        raise ValidationError("事项清单有误，未做任何修改", problems)
    added = updated = unchanged = 0
    with db.session(actor) as s:
        stored = _stored_items(s)
        new_items: list[dict[str, Any]] = []
        new_materials: list[dict[str, Any]] = []
        changed: dict[str, ItemData] = {}
        for data in items:
            known = stored.get(data.code)
            if known is None:
                row, materials = _new_rows(data, s.info["node_code"])
                new_items.append(row)
                new_materials.extend(materials)
                added += 1
            elif known[1] == data:
                unchanged += 1
            else:
                changed[known[0]] = data
                updated += 1
        ids = list(changed)
        for start in range(0, len(ids), 500):
            query = (select(ServiceItem).options(selectinload(ServiceItem.materials))
                     .where(ServiceItem.id.in_(ids[start:start + 500])))
            for item in s.scalars(query):
                _apply_one(item, changed[item.id])
        insert_tracked(s, ServiceItem, new_items)
        insert_tracked(s, ItemMaterial, new_materials)
        audit(
            s,
            "catalog_import",
            table="service_item",
            details={"source": source, "added": added, "updated": updated, "unchanged": unchanged},
        )
    return ImportReport(added=added, updated=updated, unchanged=unchanged)


def retire_item(db: Database, actor: Actor, code: str, on: date) -> None:
    """Retire an item from a date on; cases keep referring to it, so it is never deleted."""
    _require_catalog_editor(actor)
    check_day(on, "停用日期")
    with db.session(actor) as s:
        item = s.scalar(select(ServiceItem).where(ServiceItem.code == code))
        if item is None:
            raise ValidationError(f"没有编码为 {code} 的事项")
        if on < item.effective_date:
            raise ValidationError("停用日期不能早于生效日期")
        item.retired_on = on

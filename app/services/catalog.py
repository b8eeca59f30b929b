"""The catalogue in the local database: reading guides, applying validated imports, retiring items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.actor import Actor
from app.database import Database
from app.models import ItemMaterial, ServiceItem
from app.models.tracking import audit
from app.services.catalog_data import SEP, ItemData, MaterialData, check_item_rules
from app.services.catalog_search import ItemSummary
from app.services.errors import PermissionDenied, ValidationError
from app.services.pinyin_keys import pinyin_keys

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
    if actor.role not in {"admin", "director", "system"}:
        raise PermissionDenied("事项清单由服务中心统一管理，只有管理员或中心主任可以修改")


def to_data(item: ServiceItem) -> ItemData:
    values = {attr: getattr(item, attr) for attr in _ITEM_ATTRS}
    return ItemData(
        **values,
        aliases=[a for a in item.aliases.split(SEP) if a],
        co_departments=[d for d in item.co_departments.split(SEP) if d],
        materials=[MaterialData(**{a: getattr(m, a) for a in _MATERIAL_ATTRS}) for m in item.materials],
    )


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
                retired=i.retired_on is not None and i.retired_on <= date.today(),
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


def _apply_one(item: ServiceItem, data: ItemData) -> None:
    for attr in _ITEM_ATTRS:
        if getattr(item, attr) != getattr(data, attr):
            setattr(item, attr, getattr(data, attr))
    aliases = SEP.join(data.aliases)
    co_departments = SEP.join(data.co_departments)
    if item.aliases != aliases:
        item.aliases = aliases
    if item.co_departments != co_departments:
        item.co_departments = co_departments
    initials, full = pinyin_keys(data.name, *data.aliases)
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


def apply_items(db: Database, actor: Actor, items: list[ItemData], source: str) -> ImportReport:
    """Add or update items by code in one transaction; refuses the whole batch on any bad item."""
    _require_catalog_editor(actor)
    problems = [f"{d.code}：{e}" for d in items for e in check_item_rules(d)]
    codes = [d.code for d in items]
    problems += [f"事项编码重复：{c}" for c in sorted({c for c in codes if codes.count(c) > 1})]
    if problems:
        raise ValidationError("事项清单有误，未做任何修改", problems)
    added = updated = unchanged = 0
    with db.session(actor) as s:
        current = {
            i.code: i
            for i in s.scalars(select(ServiceItem).options(selectinload(ServiceItem.materials)))
        }
        for data in items:
            item = current.get(data.code)
            if item is None:
                item = ServiceItem(aliases="", co_departments="", search_initials="", search_pinyin="")
                _apply_one(item, data)
                s.add(item)
                added += 1
                continue
            before = to_data(item)
            _apply_one(item, data)
            if before == data:
                unchanged += 1
            else:
                updated += 1
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
    with db.session(actor) as s:
        item = s.scalar(select(ServiceItem).where(ServiceItem.code == code))
        if item is None:
            raise ValidationError(f"没有编码为 {code} 的事项")
        if on < item.effective_date:
            raise ValidationError("停用日期不能早于生效日期")
        item.retired_on = on

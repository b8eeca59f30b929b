"""Catalogue: seed content, search, import/export with row-numbered errors, retirement."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.actor import Actor
from app.database import Database
from app.models import ItemMaterial, ServiceItem
from app.paths import SEED_CATALOG_FILE
from app.services.catalog import items as catalog
from app.services.catalog.files import read_catalog, write_catalog
from app.services.catalog.search import search
from app.services.errors import PermissionDenied, ValidationError


def test_seed_catalogue_is_broad_and_complete() -> None:
    items = read_catalog(SEED_CATALOG_FILE)
    assert len(items) >= 30
    categories = Counter(i.category for i in items)
    for needed in ("社会保险", "医疗保障", "社会救助", "户籍管理", "民政事务", "退役军人", "残疾人服务",
                   "老龄服务", "农业农村", "市场监管", "税务"):
        assert categories[needed] >= 1, needed
    names = " ".join(i.name + "".join(i.aliases) for i in items)
    for needed in ("低保", "特困", "临时救助", "高龄", "残疾", "食品经营"):
        assert needed in names
    text = json.dumps([i.__dict__ for i in items], default=str, ensure_ascii=False)
    for placeholder in ("XX", "xxx", "TODO", "待定", "示例", "lorem"):
        assert placeholder not in text
    assert any(i.default_case_class == "joint" and i.co_departments for i in items)
    assert all(i.promised_limit_days <= i.legal_limit_days for i in items)


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("dbsq", "SHJZ-001"),  # 低保申请 by pinyin initials of its alias
        ("低保", "SHJZ-001"),
        ("SHJZ-001", "SHJZ-001"),
        ("shjz-001", "SHJZ-001"),
        ("tkgy", "SHJZ-002"),  # 特困供养
        ("lsjz", "SHJZ-003"),  # 临时救助
        ("出生", "HJ-001"),
        ("canjizheng", "CL-001"),  # full pinyin of 残疾证
        ("gljt", "LL-001"),  # 高龄津贴
    ],
)
def test_search(db: Database, query: str, expected_first: str) -> None:
    results = search(catalog.load_summaries(db), query)
    assert results, query
    assert results[0].code == expected_first


def test_search_with_several_terms_and_no_match(db: Database) -> None:
    summaries = catalog.load_summaries(db)
    assert [i.code for i in search(summaries, "医保 报销")] == ["YB-002"]
    assert search(summaries, "zzzzqqq") == []
    assert len(search(summaries, "")) == len(summaries)


def test_retired_items_are_kept_but_hidden(db: Database, admin: Actor) -> None:
    catalog.retire_item(db, admin, "SP-003", date(2026, 3, 1))
    summaries = catalog.load_summaries(db)
    assert "SP-003" not in {i.code for i in search(summaries, "")}
    assert "SP-003" in {i.code for i in search(summaries, "", include_retired=True)}
    item = catalog.load_item(db, "SP-003")
    assert item is not None and item.retired_on == date(2026, 3, 1)
    with pytest.raises(ValidationError, match="没有编码"):
        catalog.retire_item(db, admin, "NOPE-1", date(2026, 3, 1))


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_export_import_round_trip(db: Database, admin: Actor, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"catalog{suffix}"
    original = catalog.load_all(db)
    write_catalog(path, original)
    assert read_catalog(path) == original
    changed = [replace(original[0], name=original[0].name + "（新版）", version=2)] + original[1:]
    write_catalog(path, changed)
    report = catalog.apply_items(db, admin, read_catalog(path), source=str(path))
    assert (report.added, report.updated, report.unchanged) == (0, 1, len(original) - 1)
    assert catalog.load_all(db)[0].name.endswith("（新版）")


def test_xlsx_bad_rows_are_all_reported_and_nothing_changes(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    write_catalog(path, catalog.load_all(db))
    book = load_workbook(path)
    sheet = book["事项"]
    headers = [c.value for c in sheet[1]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    sheet.cell(row=3, column=col["承诺时限(工作日)"], value=99)  # longer than legal
    sheet.cell(row=5, column=col["监督电话"], value="12")
    sheet.cell(row=7, column=col["默认办件类型"], value="快办件")
    book["材料"].cell(row=4, column=1, value="NO-SUCH")
    book.save(path)
    with pytest.raises(ValidationError) as info:
        read_catalog(path)
    assert any("材料 第4行" in e for e in info.value.errors)
    # fix the orphan, keep the item-row errors
    book["材料"].cell(row=4, column=1, value=sheet.cell(row=2, column=1).value)
    book.save(path)
    with pytest.raises(ValidationError) as info:
        read_catalog(path)
    errors = info.value.errors
    assert any(e.startswith("事项 第3行") and "不得长于法定时限" in e for e in errors)
    assert any(e.startswith("事项 第5行") and "监督电话" in e for e in errors)
    assert any(e.startswith("事项 第7行") and "快办件" in e for e in errors)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ServiceItem)) == 34


def test_json_errors_name_the_item(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    items = json.loads(SEED_CATALOG_FILE.read_text(encoding="utf-8"))["items"][:3]
    items[1]["materials"][0]["required"] = False  # optional without a condition
    del items[2]["legal_limit_days"]
    items.append(dict(items[0]))  # duplicate code
    path.write_text(json.dumps({"items": items}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_catalog(path)
    errors = info.value.errors
    assert any(e.startswith("第2项") and "须写明适用情形" in e for e in errors)
    assert any(e.startswith("第3项") and "缺少“法定时限(工作日)”" in e for e in errors)
    assert any(e.startswith("第4项") and "重复" in e for e in errors)


def test_unreadable_files_give_clear_messages(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("a,b")
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        read_catalog(tmp_path / "x.csv")
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(ValidationError, match="不是有效的 JSON"):
        read_catalog(tmp_path / "broken.json")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ValidationError, match="无法读取 Excel"):
        read_catalog(tmp_path / "broken.xlsx")
    with pytest.raises(ValidationError, match="找不到文件"):
        read_catalog(tmp_path / "missing.json")


def test_materials_are_updated_in_place_and_removed_ones_recorded(db: Database, admin: Actor) -> None:
    item = catalog.load_item(db, "SHJZ-001")
    assert item is not None
    shorter = replace(item, materials=item.materials[:-1], version=item.version + 1)
    catalog.apply_items(db, admin, [shorter], source="test")
    reloaded = catalog.load_item(db, "SHJZ-001")
    assert reloaded is not None and reloaded.materials == shorter.materials
    from app.models import OutboxEntry

    with db.session() as s:
        deletes = s.scalar(
            select(func.count()).where(OutboxEntry.table_name == "item_material", OutboxEntry.op == "delete")
        )
        assert deletes == 1
        assert s.scalar(select(func.count()).select_from(ItemMaterial)) == 149


def test_clerks_cannot_change_the_catalogue(db: Database, admin: Actor) -> None:
    from app.services.people.auth import login
    from app.services.people.staff import StaffForm, save_staff

    save_staff(db, admin, StaffForm("1001", "李秀兰", "clerk", password="pass1234"))
    clerk = login(db, "1001", "pass1234")
    with pytest.raises(PermissionDenied):
        catalog.apply_items(db, clerk, catalog.load_all(db)[:1], source="test")
    with pytest.raises(PermissionDenied):
        catalog.retire_item(db, clerk, "SB-001", date(2026, 12, 1))

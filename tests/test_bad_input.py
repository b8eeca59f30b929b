"""Issue 9, low: bad files and values get a one-line Chinese reason, never a traceback.

Each case here crashed before (OverflowError, RecursionError, csv.Error, ValueError, an SQLite
error) or was silently wrong (a BOM refused, 𠮷 accepted in an item code, a NUL search matching
every inquiry); the CLI cases run app.cli.main as a script would and check exit code 1.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.actor import Actor
from app.cli import main
from app.database import Database
from app.ids import id_node
from app.models import AuditEntry, ItemMaterial, OutboxEntry, ServiceItem
from app.paths import SEED_CATALOG_FILE
from app.services.calendar.holidays import load_calendar, read_calendar_file, set_day, year_days
from app.services.catalog import files as catalog_io
from app.services.catalog import items as catalog
from app.services.catalog.files import read_catalog, write_catalog
from app.services.catalog.search import search
from app.services.errors import ValidationError
from app.services.id_numbers import check_id_number, id_check_digit
from app.services.search_text import clean_search


def run_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> tuple[int, str]:
    code = main(["--data-dir", str(tmp_path / "ws"), *args])
    return code, capsys.readouterr().err


def assert_refused(code: int, err: str, *words: str) -> None:
    """Exit 1, the reason on one line starting 失败：, in Chinese, no traceback."""
    assert code == 1, err
    assert "Traceback" not in err and "Error" not in err, err
    first = err.splitlines()[0]
    assert first.startswith("失败：") and any("\u4e00" <= c <= "\u9fff" for c in first[3:]), err
    for word in words:
        assert word in err, (word, err)


def seed_items() -> list[dict[str, object]]:
    items: list[dict[str, object]] = json.loads(SEED_CATALOG_FILE.read_text(encoding="utf-8"))["items"]
    return items[:3]


# ---- working days and the calendar ----------------------------------------------------------------

def test_workdays_far_in_the_future_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_cli(capsys, tmp_path, "workdays", "add", "9999-12-20", "30")
    assert_refused(code, err, "1949", "2100")
    assert err.count("\n") == 1


@pytest.mark.parametrize("year", ["99999", "-5", "1948", "2101"])
def test_calendar_show_outside_the_years_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     year: str) -> None:
    code, err = run_cli(capsys, tmp_path, "calendar", "show", year)
    assert_refused(code, err, "年份应在1949至2100年之间")
    assert err.count("\n") == 1


def test_calendar_year_bounds_in_the_services(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="1949"):
        year_days(db, 99999)
    with pytest.raises(ValidationError, match="1949"):  # the desktop's 调整单日 shows this on its status line
        set_day(db, admin, date(2101, 1, 1), "holiday", "元旦")
    load_calendar(db)
    assert year_days(db, 2026)  # the shipped schedule still lists


def test_calendar_deep_json_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, err = run_cli(capsys, tmp_path, "calendar", "import", str(path))
    assert_refused(code, err, "嵌套层数过多")


def test_calendar_csv_with_a_huge_field_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.csv"
    path.write_text("date,kind,name\n2027-01-01,休," + "元" * 131_073 + "\n", encoding="utf-8")
    code, err = run_cli(capsys, tmp_path, "calendar", "import", str(path))
    assert_refused(code, err, "第2行过长")
    quoted = tmp_path / "quoted.csv"  # a quote never closed: one field swallowing the rest of the file
    quoted.write_text("date,kind,name\n2027-01-01,休,\"元旦\n" + ("x" * 400 + "\n") * 400, encoding="utf-8")
    code, err = run_cli(capsys, tmp_path, "calendar", "import", str(quoted))
    assert_refused(code, err, "引号不配对")


def test_calendar_file_size_and_years_are_bounded(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text(json.dumps([{"date": "2027-01-01", "kind": "休", "name": "元旦"}] * 40_000), encoding="utf-8")
    with pytest.raises(ValidationError, match="文件过大"):
        read_calendar_file(big)
    years = tmp_path / "years.csv"
    years.write_text("date,kind,name\n2200-01-01,休,元旦\n1900-01-01,休,元旦\n2027-01-01,休,元旦\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_calendar_file(years)
    assert [e.split("：")[0] for e in info.value.errors] == ["第2行", "第3行"]


# ---- the catalogue -------------------------------------------------------------------------------

def test_catalogue_deep_nesting_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"items": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    code, err = run_cli(capsys, tmp_path, "catalog", "import", str(path))
    assert_refused(code, err, "嵌套层数过多")
    # nested just under the decoder's own limit: refused too, before later code recurses into it
    path.write_text(json.dumps({"items": [{"name": json.loads("[" * 500 + "]" * 500)}]}), encoding="utf-8")
    code, err = run_cli(capsys, tmp_path, "catalog", "import", str(path))
    assert_refused(code, err, "嵌套层数过多")


@pytest.mark.parametrize("version", ["10" + "0" * 30, "9" * 5000, "1e300"])
def test_catalogue_huge_version_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           version: str) -> None:
    items = seed_items()
    text = json.dumps({"items": items}, ensure_ascii=False).replace('"version": 1', f'"version": {version}', 1)
    path = tmp_path / "huge.json"
    path.write_text(text, encoding="utf-8")
    code, err = run_cli(capsys, tmp_path, "catalog", "import", str(path))
    assert_refused(code, err)
    assert "数值过大" in err or "位数过多" in err


def test_catalogue_dates_outside_the_years_are_refused(tmp_path: Path) -> None:
    items = seed_items()
    items[0]["effective_date"] = "9999-01-01"
    items[1]["retired_on"] = "1900-01-01"
    path = tmp_path / "dates.json"
    path.write_text(json.dumps({"items": items}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_catalog(path)
    assert any(e.startswith("第1项") and "“生效日期”的年份应在1949至2100年之间" in e for e in info.value.errors)
    assert any(e.startswith("第2项") and "“停用日期”的年份" in e for e in info.value.errors)


def test_catalogue_json_with_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_text(json.dumps({"items": seed_items()}, ensure_ascii=False), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(read_catalog(path)) == 3


@pytest.mark.parametrize("code", ["SB-𠮷01", "SB-００１", "SB 001", "SB-001²", "SB-" + "1" * 38])
def test_item_codes_are_ascii_and_bounded(tmp_path: Path, code: str) -> None:
    items = seed_items()
    items[0]["code"] = code
    path = tmp_path / "codes.json"
    path.write_text(json.dumps({"items": items}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_catalog(path)
    assert any("事项编码应为4至40位英文字母、数字" in e for e in info.value.errors)


def test_item_codes_may_use_dot_and_underscore(tmp_path: Path) -> None:
    items = seed_items()
    items[0]["code"], items[1]["code"] = "SB_001.a", "sb-0.2"
    path = tmp_path / "codes.json"
    path.write_text(json.dumps({"items": items}, ensure_ascii=False), encoding="utf-8")
    assert [i.code for i in read_catalog(path)][:2] == ["SB_001.a", "sb-0.2"]


def test_catalogue_fields_fit_their_columns(tmp_path: Path) -> None:
    items = seed_items()
    items[0]["category"] = "类" * 41
    items[1]["materials"][0]["name"] = "材" * 121  # type: ignore[index]
    path = tmp_path / "long.json"
    path.write_text(json.dumps({"items": items}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_catalog(path)
    assert any(e.startswith("第1项") and "“类别”不能超过40个字" in e for e in info.value.errors)
    assert any(e.startswith("第2项") and "“材料名称”不能超过120个字" in e for e in info.value.errors)


def test_catalogue_file_size_is_bounded_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"items": seed_items()}, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(catalog_io, "MAX_FILE_BYTES", 1000)
    code, err = run_cli(capsys, tmp_path, "catalog", "import", str(path))
    assert_refused(code, err, "文件过大")


def test_catalogue_retire_date_outside_the_years_is_refused(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_cli(capsys, tmp_path, "catalog", "retire", "SB-004", "--date", "9999-12-31")
    assert_refused(code, err, "停用日期的年份应在1949至2100年之间")


def test_unreadable_paths_are_refused(tmp_path: Path) -> None:
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(ValidationError, match="不是文件"):
        read_catalog(tmp_path / "folder.json")
    with pytest.raises(ValidationError, match="找不到文件"):
        read_calendar_file(tmp_path / "missing.csv")


def test_xlsx_that_inflates_too_far_is_refused(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "catalog.xlsx"
    write_catalog(path, catalog.load_all(db))
    monkeypatch.setattr(catalog_io, "MAX_XLSX_INFLATED", 50_000)
    with pytest.raises(ValidationError, match="解压后过大"):
        read_catalog(path)


def test_xlsx_reports_every_kind_of_error_at_once(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    write_catalog(path, catalog.load_all(db))
    book = load_workbook(path)
    items, materials = book["事项"], book["材料"]
    item_col = {c.value: c.column for c in items[1]}
    material_col = {c.value: c.column for c in materials[1]}
    items.cell(row=3, column=item_col["承诺时限(工作日)"], value=99)  # a rule across fields
    items.cell(row=4, column=item_col["版本"], value="第二版")  # a value of the wrong kind
    items.cell(row=5, column=item_col["事项编码"], value="SB-𠮷")  # a code outside the character set
    materials.cell(row=6, column=material_col["复印件(份)"], value="三份")  # a bad material row
    materials.cell(row=4, column=1, value="NO-SUCH")  # a material of no item
    book.save(path)
    with pytest.raises(ValidationError) as info:
        read_catalog(path)
    errors = info.value.errors
    assert any(e.startswith("事项 第3行") and "不得长于法定时限" in e for e in errors), errors
    assert any(e.startswith("事项 第4行") and "“版本”应为整数" in e for e in errors), errors
    assert any(e.startswith("事项 第5行") and "事项编码应为" in e for e in errors), errors
    assert any("材料 第6行" in e and "“复印件(份)”应为整数" in e for e in errors), errors
    assert any(e.startswith("材料 第4行") and "NO-SUCH" in e for e in errors), errors
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ServiceItem)) == 34


def test_xlsx_missing_sheet_and_columns_are_reported_together(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    write_catalog(path, catalog.load_all(db))
    book = load_workbook(path)
    book["事项"].delete_cols(2)  # 事项名称
    book.remove(book["材料"])
    book.save(path)
    with pytest.raises(ValidationError) as info:
        read_catalog(path)
    assert "Excel 文件缺少工作表“材料”" in info.value.errors
    assert any("缺少列：事项名称" in e for e in info.value.errors)


def test_bulk_import_is_captured_like_any_change(db: Database, admin: Actor, tmp_path: Path) -> None:
    """New items go in through bulk inserts: each row still gets its outbox pointer and audit entry."""
    items = seed_items()
    for n, item in enumerate(items):
        item["code"] = f"NEW-{n}"
    path = tmp_path / "new.json"
    path.write_text(json.dumps({"items": items}, ensure_ascii=False), encoding="utf-8")
    with db.session() as s:
        outbox_before = s.scalar(select(func.count()).select_from(OutboxEntry)) or 0
    report = catalog.apply_items(db, admin, read_catalog(path), source="new.json")
    assert report.added == 3
    material_count = sum(len(i["materials"]) for i in items)  # type: ignore[arg-type]
    with db.session() as s:
        new = list(s.scalars(select(ServiceItem).where(ServiceItem.code.like("NEW-%"))))
        assert {i.origin_node for i in new} == {db.node_code} and all(i.created_at for i in new)
        assert all(i.search_initials for i in new)  # pinyin keys computed
        ids = {i.id for i in new}
        material_ids = set(s.scalars(select(ItemMaterial.id).where(ItemMaterial.item_id.in_(ids))))
        assert len(material_ids) == material_count
        assert {id_node(i) for i in ids | material_ids} == {db.node_code}  # stamped as a flush stamps them
        pointed = set(s.scalars(select(OutboxEntry.row_id).where(OutboxEntry.table_name.in_(
            ["service_item", "item_material"]))))
        assert ids | material_ids <= pointed
        audits = {a.row_id: json.loads(a.details) for a in s.scalars(select(AuditEntry).where(
            AuditEntry.row_id.in_(ids | material_ids)))}
        assert set(audits) == ids | material_ids
        assert {audits[i]["code"] for i in ids} == {"NEW-0", "NEW-1", "NEW-2"}
        assert all(audits[i]["search_pinyin"] == "***" for i in ids)
        outbox_after = s.scalar(select(func.count()).select_from(OutboxEntry)) or 0
        # each row and each audit entry, plus the import's own audit entry and its pointer
        assert outbox_after - outbox_before == 2 * (3 + material_count) + 1
    assert catalog.load_item(db, "NEW-1") == read_catalog(path)[1]
    again = catalog.apply_items(db, admin, read_catalog(path), source="new.json")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


# ---- identity numbers and searches ---------------------------------------------------------------

@pytest.mark.parametrize("position", [0, 5, 10, 16, 17])
def test_superscript_digits_in_an_id_number_are_refused(position: int) -> None:
    first17 = "22082119850312123"
    number = first17 + id_check_digit(first17)
    bad = number[:position] + "²" + number[position + 1:]
    assert "²".isdigit()  # why str.isdigit() was not enough
    problem = check_id_number(bad)
    assert problem is not None and "18位" in problem
    assert check_id_number("E1234567²", "passport") == "护照号码应为5至30位字母或数字"
    assert check_id_number("南字第12345号", "other") is None


def test_search_text_drops_control_characters() -> None:
    assert clean_search("张\x00三") == "张三"
    assert clean_search("\u202e低保\t申请\r\n") == "低保 申请"
    assert clean_search("\ue000") == "\ue000"  # private use: rare name characters in old systems
    assert len(clean_search("查" * 10_000)) == 100


def test_searches_with_nul_do_not_fail(db: Database, admin: Actor) -> None:
    from app.services.cases.records import list_cases
    from app.services.inquiries.register import InquiryFilter, InquiryForm, list_inquiries, register_inquiry

    register_inquiry(db, admin, InquiryForm(citizen_name="张桂芳", citizen_phone="13904367788", channel="onsite",
                                            question="低保怎么申请？", outcome="answered", answer="请带户口簿。"))
    for text in ("abc\x00", "\x00\x00\x00\x00", "张\x00"):
        assert list_cases(db, text) == []  # the full-text query used to raise "unterminated string"
    assert list_inquiries(db, InquiryFilter(text="\x00")) != []  # nothing left to filter by: all
    assert list_inquiries(db, InquiryFilter(text="张\x00x")) == []
    assert [r.citizen_name for r in list_inquiries(db, InquiryFilter(text="张\x00桂"))] == ["张桂芳"]
    assert list_inquiries(db, InquiryFilter(text="100%")) == []  # % is a character, not a wildcard
    assert search(catalog.load_summaries(db), "低\x00保")[0].code == "SHJZ-001"


def test_pinyin_initials_are_the_first_letters_of_the_syllables() -> None:
    """pinyin_keys converts each text once (imports of thousands of items); same keys as FIRST_LETTER."""
    from pypinyin import Style, lazy_pinyin

    from app.services.catalog.pinyin import pinyin_keys

    texts = [str(i["name"]) for i in json.loads(SEED_CATALOG_FILE.read_text(encoding="utf-8"))["items"]]
    texts += ["重庆银行", "长大成人", "绿色通道", "嗯", "Ⅱ类残疾证12"]
    for text in texts:
        initials, full = pinyin_keys(text)
        assert initials == "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")).lower(), text
        assert full == "".join(lazy_pinyin(text, errors="ignore")).lower(), text

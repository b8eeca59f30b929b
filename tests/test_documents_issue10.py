"""Issue 10, documents: what a citizen and a lawyer read on the receipts and class notices."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table

from app.actor import Actor
from app.cli import main
from app.database import Database
from app.printing import case_pdf
from app.printing.kinsoku import CANNOT_END, CANNOT_START
from app.printing.layout import styles
from app.services.cases.records import get_case
from app.services.documents import case_sheet, receipt_document, slip_document
from app.services.errors import ValidationError
from app.services.settings import load_settings, refusal_bodies, save_refusal_bodies, save_settings
from tests.pdf_helpers import flat, pdf_text
from tests.test_case_documents import accept

pytestmark = pytest.mark.usefixtures("china_time")


def page_lines(data: bytes) -> list[str]:
    return [line.strip() for page in PdfReader(io.BytesIO(data)).pages for line in page.extract_text().splitlines()]


# 1. A 即办件 is finished on the spot: it has a receipt and no class notice.

def test_immediate_case_has_no_slip(db: Database, admin: Actor, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    number = accept(db, admin, "immediate")
    with pytest.raises(ValidationError, match="即办件"):
        slip_document(db, number)
    assert "受理回执" in flat(pdf_text(receipt_document(db, number)[0]))
    data_dir = str(db.path.parent)
    db.dispose()
    capsys.readouterr()
    out = tmp_path / "slip.pdf"
    assert main(["--data-dir", data_dir, "print", "slip", number, "-o", str(out)]) == 1
    assert "即办件" in capsys.readouterr().err and not out.exists()


def test_case_list_disables_the_notice_for_an_immediate_case(qapp: QApplication, qtbot: QtBot, db: Database,
                                                             admin: Actor) -> None:
    from app.ui.case_view import CaseView
    from app.ui.documents import DocumentOpener
    from app.ui.tasks import TaskRunner

    immediate, promised = accept(db, admin, "immediate"), accept(db, admin, "promised", "2026-11-18T11:00")
    runner = TaskRunner(lambda exc: (_ for _ in ()).throw(exc))
    host = QWidget()
    qtbot.addWidget(host)
    view = CaseView(db, admin, runner, DocumentOpener(db, admin, runner, host), host)
    view.load()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    for row in range(2):
        view.table.selectRow(row)
        case = view.selected()
        assert case is not None and case.number in (immediate, promised)
        assert view.slip_button.isEnabled() == (case.number == promised)
    runner.wait()


# 2. The staff table stays beside the seal box, and the seal carries the dated 落款.

def _inner_tables_fit(table: Table) -> list[str]:
    """Every table nested in a cell is no wider than that cell's column minus its padding."""
    problems = []
    for r, row in enumerate(table._cellvalues):
        for c, cell in enumerate(row):
            if isinstance(cell, Table):
                cell_style = table._cellStyles[r][c]
                room = table._colWidths[c] - cell_style.leftPadding - cell_style.rightPadding
                width = cell.wrap(room, 1000)[0]
                if width > room + 0.01:
                    problems.append(f"cell {r},{c}: {width / mm:.1f} mm in {room / mm:.1f} mm")
    return problems


@pytest.mark.parametrize("case_class", ["promised", "rejected", "supplement"])
def test_staff_table_stays_out_of_the_seal_box(db: Database, admin: Actor, case_class: str) -> None:
    number = accept(db, admin, case_class)
    record = get_case(db, number)
    assert record is not None
    sheet = case_sheet(db, record, None)
    band = case_pdf._footer_band(sheet)
    band.wrap(178 * mm, 1000)
    assert _inner_tables_fit(band) == []
    assert sum(band._colWidths) <= 178 * mm + 0.01
    seal = "（盖章）" if case_class == "rejected" else "受理专用章"  # a refusal is not sealed as accepted
    for build in (receipt_document, slip_document):
        text = flat(pdf_text(build(db, number)[0]))
        assert f"{seal}镇赉镇民生服务中心2026年11月18日" in text  # the 落款 inside the seal box
    if case_class == "rejected":  # the notice does not send the citizen to itself
        assert "理由和救济途径见上文" in flat(pdf_text(slip_document(db, number)[0]))


# 3. The refusal: no acceptance time or time limit, named review body and court, a plain receipt.

def test_refusal_notice_names_the_bodies_and_has_no_time_limit(db: Database, admin: Actor) -> None:
    settings = load_settings(db)
    save_settings(db, admin, replace(settings, review_body="镇赉县人民政府", court="镇赉县人民法院"))
    number = accept(db, admin, "rejected")
    record = get_case(db, number)
    assert record is not None
    slip = flat(pdf_text(slip_document(db, number)[0]))
    for word in ("受理时间", "承诺时限", "承诺办结日期"):
        assert word not in slip
    assert "收件时间2026年11月18日10:00" in slip
    assert "60日内向镇赉县人民政府申请行政复议" in slip and "6个月内依法向镇赉县人民法院提起行政诉讼" in slip
    # a department of its own (a vertically managed office) overrides the township default
    save_refusal_bodies(db, admin, record.item.department, "镇赉县民政局", "白城市洮北区人民法院")
    assert refusal_bodies(db, record.item.department) == ("镇赉县民政局", "白城市洮北区人民法院")
    slip = flat(pdf_text(slip_document(db, number)[0]))
    assert "向镇赉县民政局申请行政复议" in slip and "向白城市洮北区人民法院提起行政诉讼" in slip


def test_refusal_receipt_lists_nothing_as_missing(db: Database, admin: Actor) -> None:
    from app.services.cases.records import accept_case
    from tests.test_cases import at, form

    number = accept_case(db, admin, form(db, "SHJZ-002", "rejected", seqs=[], rejection_reason="不符合条件"),
                         now=at("2026-11-18T10:00"))
    text = flat(pdf_text(receipt_document(db, number)[0]))
    assert "收件回执" in text
    assert "尚缺" not in text and "领取结果" not in text
    assert "承诺时限" not in text and "受理时间" not in text


# 4. The supplement notice: counts for each missing material, 收件时间, when the clock starts.

def test_supplement_notice_lists_counts_and_receipt_time(db: Database, admin: Actor) -> None:
    number = accept(db, admin, "supplement")
    text = flat(pdf_text(slip_document(db, number)[0]))
    assert "受理时间" not in text and "收件时间2026年11月18日10:00" in text
    # LL-001: 3 本人银行卡或存折 (original checked, one copy), 4 高龄津贴申请表 (original kept)
    assert "序号尚缺材料原件收取原件核验退还复印件电子件" in text
    assert "3本人银行卡或存折—1份1份—" in text and "4高龄津贴申请表1份———" in text
    assert "材料补齐后确定" in text and "自材料补齐之日的次日起计算" in text


# 5. Chinese line breaking wherever text wraps.

def _wrapped(text: str, width: float) -> list[str]:
    paragraph = Paragraph(text, styles()["body"])
    paragraph.wrap(width, 10_000)
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        return ["".join(line[1]) for line in lines]
    return ["".join(w.text for w in line.words) for line in lines]


@pytest.mark.parametrize("markup", [False, True])
def test_no_closing_mark_starts_and_no_opening_mark_ends_a_line(markup: bool) -> None:
    text = ("如对本决定不服，可自收到本通知书之日起60日内依法申请行政复议；或者自收到本通知书之日起6个月内依法向"
            "人民法院提起行政诉讼。请携带《居民户口簿》（原件）、“身份证”和【委托书】：缺一不可！")
    broken = 0
    for width in range(40, 180):
        lines = _wrapped(("<b>注</b>" if markup else "") + text, width * mm / 2)
        assert "".join(lines) == ("注" if markup else "") + text  # nothing lost or doubled
        broken += len(lines)
        for before, after in zip(lines, lines[1:]):
            assert after[0] not in CANNOT_START, (width, before, after)
            assert before[-1] not in CANNOT_END, (width, before, after)
    assert broken > 200


def test_notice_lines_follow_the_rules(db: Database, admin: Actor) -> None:
    number = accept(db, admin, "rejected")
    for build in (receipt_document, slip_document):
        for line in page_lines(build(db, number)[0]):
            assert not line or line[0] not in "，。；：、！？）》", line


# 6. The window's phone, not the clerk's mobile.

def test_window_phone_replaces_the_clerks_mobile(db: Database, admin: Actor) -> None:
    from sqlalchemy import update

    from app.models import Staff

    with db.session() as s:
        s.execute(update(Staff).values(phone="13912345678"))
    number = accept(db, admin, "promised")
    record = get_case(db, number)
    assert record is not None and record.staff_phone == "13912345678"
    text = flat(pdf_text(receipt_document(db, number)[0]))
    assert "13912345678" not in text and "139****5678" not in text and "窗口电话：—" in text
    settings = load_settings(db)
    save_settings(db, admin, replace(settings, center_phone="0436-7310000",
                                     window_phones=f"{record.staff_workplace}=0436-7312001；2号窗口=0436-7312002"))
    for build in (receipt_document, slip_document):
        assert "窗口电话：0436-7312001" in flat(pdf_text(build(db, number)[0]))
    save_settings(db, admin, replace(load_settings(db), window_phones="2号窗口=0436-7312002"))
    assert "窗口电话：0436-7310000" in flat(pdf_text(receipt_document(db, number)[0]))  # the centre's phone


def test_window_phones_are_validated(db: Database, admin: Actor) -> None:
    settings = load_settings(db)
    with pytest.raises(ValidationError):
        save_settings(db, admin, replace(settings, window_phones="1号窗口=12"))
    with pytest.raises(ValidationError):
        save_settings(db, admin, replace(settings, window_phones="0436-7312001"))
    assert load_settings(db).window_phones == ""

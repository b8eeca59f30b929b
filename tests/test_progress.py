"""Long work reports how far it is and stops where it safely can: the core (no Qt) side of issue 10's
"long work shows progress" for catalogue import, register export and the ledger."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.actor import Actor
from app.database import Database
from app.models import ServiceItem
from app.progress import NO_PROGRESS, Cancelled, Progress, Step
from app.services.catalog import items as catalog
from app.services.catalog.files import import_catalog, write_catalog
from app.services.documents import ledger_document
from app.services.inquiries.register import EXPORT_COLUMNS, InquiryFilter, export_inquiries
from tests.test_lists_paging import add_inquiries


def recorded() -> tuple[Progress, list[Step]]:
    """A progress that hears every step (no throttling)."""
    steps: list[Step] = []
    return Progress(steps.append, interval=0), steps


def assert_monotonic(steps: list[Step], what: str) -> list[Step]:
    """The steps of one stage: never going back, never beyond their total."""
    stage = [s for s in steps if s.what == what]
    assert stage, (what, {s.what for s in steps})
    done = [s.done for s in stage]
    assert done == sorted(done), done
    totals = [s.total for s in stage]
    assert totals == sorted(totals), totals
    assert all(s.total == 0 or s.done <= s.total for s in stage)
    return stage


def test_progress_throttles_reports_but_keeps_stages_and_the_end() -> None:
    now = [0.0]
    steps: list[Step] = []
    progress = Progress(steps.append, interval=0.1, clock=lambda: now[0])
    for i in range(1000):  # a hot loop within one clock tick: only the stage's first step gets through
        progress.step(i, 1000, "正在导出")
    assert [s.done for s in steps] == [0]
    now[0] = 0.2
    progress.step(500, 1000)
    progress.step(501, 1000)
    progress.step(0, 10, "正在保存")  # a new stage always shows
    progress.step(10, 10)  # and so does the end
    assert [(s.done, s.what) for s in steps] == [(0, "正在导出"), (500, "正在导出"), (0, "正在保存"), (10, "正在保存")]
    assert steps[1].line() == "正在导出 500 / 1,000 50%"
    assert Step(1200, 0, "正在下载").line() == "正在下载 1,200"


def test_cancel_is_refused_past_the_point_of_no_return() -> None:
    progress = Progress()
    progress.check()
    progress.point_of_no_return("正在写入")
    assert not progress.cancel() and not progress.cancelled
    progress.check()  # still going
    asked = Progress()
    assert asked.cancel()
    with pytest.raises(Cancelled):
        asked.point_of_no_return("正在写入")
    assert not NO_PROGRESS.cancel()  # the shared default can never be stopped by anyone


def test_cancel_from_another_thread_stops_the_work_at_its_next_check() -> None:
    progress = Progress()
    started, stopped = threading.Event(), []

    def work() -> None:
        started.set()
        try:
            while True:
                progress.check()
        except Cancelled:
            stopped.append(True)

    worker = threading.Thread(target=work)
    worker.start()
    started.wait(5)
    assert progress.cancel()
    worker.join(5)
    assert stopped == [True]


def test_catalogue_import_reports_progress_and_cancels_only_before_writing(db: Database, admin: Actor,
                                                                           tmp_path: Path) -> None:
    items = catalog.load_all(db)
    path = tmp_path / "catalog.xlsx"
    write_catalog(path, items)
    progress, steps = recorded()
    report = import_catalog(db, admin, path, progress)
    assert report.unchanged == len(items) == 34
    stages = [s.what for s in steps]
    assert stages.index("正在读取事项清单文件") < stages.index("正在检查事项") < stages.index("正在写入事项清单")
    checking = assert_monotonic(steps, "正在检查事项")
    assert checking[-1].done == checking[-1].total == 34
    sheet = assert_monotonic(steps, "正在读取工作表“事项”")
    assert sheet[-1].done >= 35  # header and 34 rows
    assert steps[-1].what.startswith("正在写入") and not steps[-1].cancellable  # the 取消 button greys out

    changed = [item.__class__(**{**item.__dict__, "name": item.name + "（新版）"}) for item in items]
    write_catalog(path, changed)

    def cancel_while_checking(step: Step) -> None:
        if step.what == "正在检查事项" and step.done == 10:
            assert cancelling.cancel()

    cancelling = Progress(cancel_while_checking, interval=0)
    with pytest.raises(Cancelled):
        import_catalog(db, admin, path, cancelling)
    with db.session() as s:  # nothing written
        assert s.scalar(select(func.count()).where(ServiceItem.name.like("%（新版）"))) == 0

    def cancel_while_writing(step: Step) -> None:
        if step.what.startswith("正在写入"):
            assert not late.cancel()  # too late: the import goes through whole

    late = Progress(cancel_while_writing, interval=0)
    assert import_catalog(db, admin, path, late).updated == 34


def test_export_reports_rows_cancels_without_a_file_and_names_the_case(db: Database, admin: Actor,
                                                                       tmp_path: Path) -> None:
    add_inquiries(db, 1200)
    path = tmp_path / "exports" / "register.xlsx"
    progress, steps = recorded()
    assert export_inquiries(db, path, progress=progress) == 1200
    rows = assert_monotonic(steps, "正在导出首问登记")
    assert rows[-1].done == rows[-1].total == 1200
    assert rows[0].total == 0 and {s.total for s in rows[1:]} == {1200}  # counted before the first row is written
    assert steps[-1].what == "正在保存 Excel 文件"

    path.unlink()
    temp_before = _openpyxl_temp_files()

    def cancel_half_way(step: Step) -> None:
        if step.done >= 600:
            cancelling.cancel()

    cancelling = Progress(cancel_half_way, interval=0)
    with pytest.raises(Cancelled):
        export_inquiries(db, path, progress=cancelling)
    assert not path.exists()
    assert list(path.parent.iterdir()) == []  # no partial file of any name
    assert _openpyxl_temp_files() <= temp_before  # nor openpyxl's own streaming file


def test_an_older_file_survives_a_cancelled_export(db: Database, tmp_path: Path) -> None:
    add_inquiries(db, 50)
    path = tmp_path / "register.xlsx"
    path.write_bytes(b"last month's export")
    cancelled = Progress()
    cancelled.cancel()
    with pytest.raises(Cancelled):
        export_inquiries(db, path, progress=cancelled)
    assert path.read_bytes() == b"last month's export"


def followed_by_a_case(db: Database, admin: Actor) -> tuple[str, str, str]:
    """An inquiry answered with a notice, and the case accepted from that notice: their numbers."""
    from app.services.cases.form import CaseForm, as_catalogued
    from app.services.cases.records import accept_case
    from app.services.inquiries.notices import NoticeForm, create_notice
    from app.services.inquiries.register import InquiryForm, register_inquiry
    from tests.sync_helpers import person_id

    record = register_inquiry(db, admin, InquiryForm(citizen_name="马国富", citizen_phone="13104363344",
                                                     channel="onsite", question="低保怎么申请？", outcome="notice",
                                                     item_code="SHJZ-001"))
    notice = create_notice(db, admin, NoticeForm("SHJZ-001", "马国富", [1], "13104363344", inquiry_id=record.id))
    item = catalog.load_item(db, "SHJZ-001")
    assert item is not None
    case = accept_case(db, admin, CaseForm(
        item_code="SHJZ-001", case_class=item.default_case_class, applicant_name="马国富",
        applicant_id_number=person_id(7), applicant_phone="13104363344", applicant_address="镇赉镇红旗村三组",
        received=as_catalogued(item, list(range(1, len(item.materials) + 1))), notice_number=notice))
    return record.number, notice, case


def test_export_has_the_number_of_the_case_that_followed(db: Database, admin: Actor, tmp_path: Path) -> None:
    inquiry, notice, case = followed_by_a_case(db, admin)
    path = tmp_path / "register.xlsx"
    export_inquiries(db, path)
    workbook = load_workbook(path, read_only=True)
    header, row = list(workbook["首问登记簿"].iter_rows(values_only=True))
    workbook.close()
    assert list(header) == EXPORT_COLUMNS
    assert row[0] == inquiry
    assert row[header.index("一次性告知书")] == notice
    assert row[header.index("后续受理办件编号")] == case


def test_ledger_reports_each_row_laid_out_and_cancels(db: Database, tmp_path: Path) -> None:
    add_inquiries(db, 120)
    progress, steps = recorded()
    now = datetime(2026, 3, 31, 9, 0, tzinfo=UTC)
    data = ledger_document(db, InquiryFilter(), "王管理（admin）", now, progress=progress)
    assert data.startswith(b"%PDF")
    assert steps[0].what == "正在读取首问登记"
    prepared = assert_monotonic(steps, "正在准备登记簿")
    drawn = assert_monotonic(steps, "正在排版登记簿")
    assert prepared[-1].done == drawn[-1].done == drawn[-1].total == 120
    assert data == ledger_document(db, InquiryFilter(), "王管理（admin）", now)  # the same pages with or without

    def cancel_on_a_page(step: Step) -> None:
        if step.what == "正在排版登记簿" and step.done >= 60:
            cancelling.cancel()

    cancelling = Progress(cancel_on_a_page, interval=0)
    with pytest.raises(Cancelled):
        ledger_document(db, InquiryFilter(), "王管理（admin）", progress=cancelling)


def _openpyxl_temp_files() -> set[str]:
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    return set(ALL_TEMP_FILES)

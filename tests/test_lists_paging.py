"""Long lists: exports and the command line give every row; screens page lazily and say the true total.

The register once exported 5000 of 6000 entries and exited 0; the case list stopped at 500 and said
共 500 件. These tests fill the tables in bulk (Core inserts, not one service call per row) beyond those caps.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from openpyxl import load_workbook
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, select

from app.actor import Actor
from app.cli import main
from app.database import Database
from app.ids import uuid7
from app.models import Case, Inquiry
from app.models.base import table_of
from app.services.cases.form import CaseForm, as_catalogued
from app.services.cases.records import accept_case, list_cases, page_cases
from app.services.catalog import items as catalog
from app.services.id_numbers import id_check_digit
from app.services.inquiries.notices import NoticeForm, create_notice, list_notices, page_notices
from app.services.inquiries.register import InquiryFilter, iter_inquiries, list_inquiries, page_inquiries
from app.services.paging import PAGE_SIZE, Page
from app.ui.main_window import MainWindow
from app.ui.table_model import PagedRecordModel
from tests.ui_helpers import open_main_window

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
ID = "22082119850312123"
ID += id_check_digit(ID)


def add_inquiries(db: Database, count: int) -> None:
    """`count` answered inquiries, one a minute from START, in one bulk insert."""
    rows = [
        {"id": uuid7(), "origin_node": "01", "created_at": START, "updated_at": START,
         "number": f"ZX22082110001{i:07d}", "asked_at": START + timedelta(minutes=i),
         "citizen_name": f"咨询人{i}", "citizen_phone": "13904367788", "channel": "onsite",
         "question": "低保怎么申请？", "item_code": "", "outcome": "answered", "answer": "请到2号窗口。",
         "department_id": None, "responder_id": None, "responder_name": "王管理", "responder_no": "admin"}
        for i in range(count)
    ]
    with db.session() as s:
        s.execute(insert(table_of(Inquiry)), rows)


def add_cases(db: Database, admin: Actor, count: int) -> list[str]:
    """One case accepted through the service, then `count - 1` copies of its row; numbers newest first."""
    item = catalog.load_item(db, "SB-002")
    assert item is not None
    first = accept_case(db, admin, CaseForm("SB-002", "promised", applicant_name="何桂兰", applicant_id_number=ID,
                                            applicant_phone="13604362288", applicant_address="镇赉镇",
                                            received=as_catalogued(item, [1, 2, 3, 4])), now=START)
    table = table_of(Case)
    with db.session() as s:
        row = dict(s.execute(select(table).where(table.c.number == first)).mappings().one())
        copies = [
            {**row, "id": uuid7(), "number": f"{first[:-5]}{50000 + i}", "query_code": f"Q{i:07d}",
             "accepted_at": START + timedelta(minutes=i)}
            for i in range(1, count)
        ]
        s.execute(insert(table), copies)
    return [c["number"] for c in reversed(copies)] + [first]


def test_inquiry_export_writes_every_entry(db: Database, data_dir: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    add_inquiries(db, 6001)
    path = tmp_path / "register.xlsx"
    assert main(["--data-dir", str(data_dir), "inquiries", "export", str(path)]) == 0
    assert "已导出 6001 条" in capsys.readouterr().out
    workbook = load_workbook(path, read_only=True)
    rows = list(workbook["首问登记簿"].iter_rows(values_only=True))
    workbook.close()
    assert rows[0][0] == "登记号" and len(rows) == 6002
    assert [r[2] for r in rows[1:4]] == ["咨询人0", "咨询人1", "咨询人2"]  # oldest first, as a register reads
    assert rows[-1][2] == "咨询人6000"
    assert not list(tmp_path.glob(".*.part"))  # written whole, then moved into place


def test_register_pages_carry_the_true_total(db: Database) -> None:
    add_inquiries(db, 6001)
    assert len(list_inquiries(db)) == 6001
    page = page_inquiries(db, InquiryFilter(), offset=6000, limit=50)
    assert page.total == 6001 and [r.citizen_name for r in page.rows] == ["咨询人0"]
    first = page_inquiries(db, InquiryFilter(text="咨询人12"), limit=5)
    assert first.total == 111 and first.rows[0].citizen_name == "咨询人1299"  # 12, 120-129, 1200-1299; newest first
    assert sum(1 for _ in iter_inquiries(db, InquiryFilter(text="咨询人59"))) == 111


def test_cases_list_json_returns_every_case(db: Database, admin: Actor, data_dir: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    numbers = add_cases(db, admin, 1201)
    assert main(["--data-dir", str(data_dir), "cases", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [c["number"] for c in listed] == numbers
    assert [c.number for c in list_cases(db)] == numbers
    page = page_cases(db, offset=1200, limit=PAGE_SIZE)
    assert page.total == 1201 and [c.number for c in page.rows] == [numbers[-1]]
    assert page_cases(db, text="何桂兰", status="accepted", limit=3).total == 1201
    assert page_cases(db, text="何桂兰", status="closed").total == 0


def test_notice_pages_and_cli_list_every_notice(db: Database, admin: Actor, data_dir: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    base = NoticeForm(item_code="SB-002", citizen_name="李四", present=[1], citizen_phone="13904360000")
    for i in range(3):
        create_notice(db, admin, replace(base, citizen_name=f"申请人{i}"), now=START + timedelta(minutes=i))
    page = page_notices(db, offset=1, limit=1)
    assert page.total == 3 and [n.citizen_name for n in page.rows] == ["申请人1"]
    assert [n.citizen_name for n in list_notices(db)] == ["申请人2", "申请人1", "申请人0"]
    assert main(["--data-dir", str(data_dir), "notices", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


@pytest.fixture
def window(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor) -> Iterator[MainWindow]:
    with open_main_window(qtbot, db, admin) as main_window:
        yield main_window


def test_case_list_says_the_true_total_and_fetches_more_as_it_scrolls(
        window: MainWindow, qtbot: QtBot, db: Database, admin: Actor) -> None:
    numbers = add_cases(db, admin, 650)
    view = window.cases
    window.show_area(view)
    # After log-in F7 may turn to 预警 (sorted by due date) once the day's summary arrives: let it come,
    # then look at the whole list, newest first.
    qtbot.waitUntil(lambda: bool(window.due_label.text()))
    view.status.setCurrentIndex(0)
    view.load()
    qtbot.waitUntil(lambda: view.count.text() == "共 650 件")
    qtbot.wait(300)  # the refresh the new cases asked for has come too (it keeps the rows the clerk has)
    assert view.model.total() == 650 and view.model.rowCount() < 650  # the first pages only, not everything
    assert view.model.row_at(0).number == numbers[0]
    while view.model.rowCount() < 650:  # the clerk scrolls to the end, again and again
        fetched = view.model.rowCount()
        view.table.scrollToBottom()
        qtbot.waitUntil(lambda fetched=fetched: view.model.rowCount() > fetched)
    assert [view.model.row_at(r).number for r in range(650)] == numbers  # no row twice, none missing
    assert not view.model.canFetchMore()
    view.search.setText(numbers[-1])
    view.load()
    qtbot.waitUntil(lambda: view.count.text() == "共 1 件")
    assert view.model.rowCount() == 1


class HeldRunner:
    """A task runner that runs nothing until told: the test decides in which order pages come back."""

    def __init__(self) -> None:
        self.tasks: list[tuple[Callable[[], Any], Callable[[Any], None]]] = []

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_error: object = None) -> None:
        self.tasks.append((fn, on_done))

    def deliver(self, index: int) -> None:
        fn, on_done = self.tasks[index]
        on_done(fn())


def letters(text: str) -> Callable[[int, int], Page[str]]:
    return lambda offset, limit: Page(list(text[offset:offset + limit]), len(text), offset)


def test_a_late_page_of_an_earlier_search_is_dropped(qapp: QApplication) -> None:
    runner = HeldRunner()
    owner = QObject()
    model: PagedRecordModel[str] = PagedRecordModel([("字", str)], runner, owner, page_size=2)  # type: ignore[arg-type]
    model.load(letters("abcde"))  # everything...
    model.load(letters("x"))  # ...then, before it arrives, a search
    runner.deliver(1)
    runner.deliver(0)  # the first query's page comes back last
    assert model.rows() == ["x"] and model.total() == 1 and not model.canFetchMore()


def test_one_page_at_a_time_until_the_total(qapp: QApplication) -> None:
    runner = HeldRunner()
    owner = QObject()
    model: PagedRecordModel[str] = PagedRecordModel([("字", str)], runner, owner, page_size=2)  # type: ignore[arg-type]
    model.load(letters("abcde"))
    runner.deliver(0)
    assert model.rows() == ["a", "b"] and model.total() == 5 and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()  # the view asks again while the page is on its way: one request only
    assert len(runner.tasks) == 2
    runner.deliver(1)
    model.fetchMore()
    runner.deliver(2)
    assert model.rows() == list("abcde") and not model.canFetchMore()
    model.load(letters("q"))
    del owner  # the view closed while a page was on its way...
    assert not shiboken6.isValid(model)
    runner.deliver(3)  # ...which is dropped, not delivered to a deleted model (that raised RuntimeError)

"""Issue 10: a seeded department directory (and F3 saying when it is empty), whole texts as tooltips in
lists, and the 首问登记簿 showing a new notice and the case that followed without a manual refresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.services.cases.form import CaseForm, as_catalogued
from app.services.cases.records import accept_case
from app.services.catalog.data import MaterialData
from app.services.catalog.items import load_item
from app.services.inquiries.departments import (
    SEED_DEPARTMENTS,
    DepartmentForm,
    list_departments,
    save_department,
    seed_departments,
)
from app.services.inquiries.notices import NoticeForm, create_notice
from app.services.inquiries.register import InquiryForm, get_inquiry, register_inquiry
from app.ui.checklist_model import ChecklistModel
from app.ui.inquiry_dialog import EMPTY_DIRECTORY, InquiryDialog
from app.ui.main_window import MainWindow
from app.ui.table_model import RecordTableModel
from app.ui.tasks import TaskRunner
from tests.ui_helpers import open_main_window

ToolTip = Qt.ItemDataRole.ToolTipRole


def test_setup_seeds_an_editable_directory_once(db: Database, admin: Actor) -> None:
    departments = list_departments(db)
    assert sorted(d.name for d in departments) == sorted(f.name for f in SEED_DEPARTMENTS)
    assert {"派出所", "司法所", "县人社局", "县医保局", "县不动产登记中心", "镇综治中心"} <= {d.name for d in departments}
    police = next(d for d in departments if d.name == "派出所")
    save_department(db, admin, DepartmentForm("派出所", "镇赉镇政府东100米", "0436-7321110", "全天"), police.id)
    assert next(d for d in list_departments(db) if d.name == "派出所").phone == "0436-7321110"
    assert seed_departments(db, admin) == 0  # by name: an edited or stopped seed row is never added again
    assert len(list_departments(db, include_inactive=True)) == len(SEED_DEPARTMENTS)


def test_joining_a_centre_keeps_one_row_per_department(center: object, tmp_path: Path) -> None:
    from tests.sync_helpers import enrol

    station = enrol(center, tmp_path / "w2", "02", set_up_first=True)  # type: ignore[arg-type]
    assert station.sync().ok
    names = [d.name for d in list_departments(station.db, include_inactive=True)]
    assert sorted(names) == sorted(f.name for f in SEED_DEPARTMENTS)


def referral_info(qtbot: QtBot, db: Database, admin: Actor, departments: list) -> str:  # type: ignore[type-arg]
    dialog = InquiryDialog(db, admin, TaskRunner(lambda exc: (_ for _ in ()).throw(exc)), [], departments)
    qtbot.addWidget(dialog)
    dialog.outcome_buttons["referred"].setChecked(True)
    return dialog.department_info.text()


def test_f3_says_where_to_add_a_department_when_the_directory_is_empty(qapp: QApplication, qtbot: QtBot,
                                                                      db: Database, admin: Actor) -> None:
    empty = referral_info(qtbot, db, admin, [])
    assert empty == EMPTY_DIRECTORY and "部门名录" in empty and "F10" in empty
    assert referral_info(qtbot, db, admin, list_departments(db)) == ""  # nothing chosen yet, nothing missing


def test_lists_give_the_whole_text_as_tooltip(qapp: QApplication) -> None:
    long_name = "城乡居民基本养老保险待遇领取资格认证及待遇申领"
    model: RecordTableModel[str] = RecordTableModel([("事项名称", lambda r: r), ("空", lambda _r: "")])
    model.set_rows([long_name])
    assert model.data(model.index(0, 0), ToolTip) == long_name
    assert model.data(model.index(0, 1), ToolTip) is None  # no empty tooltip box
    condition = "申请人委托他人代办的，提供授权委托书及受托人身份证件"
    checklist = ChecklistModel()
    checklist.set_materials([MaterialData(name=long_name + "申请表", originals_kept=1, required=False,
                                          condition=condition, description="由社区代办员填写")])
    assert checklist.data(checklist.index(0, 2), ToolTip).startswith(long_name + "申请表")
    assert checklist.data(checklist.index(0, 7), ToolTip).startswith(f"视情形：{condition}")
    assert "由社区代办员填写" in checklist.data(checklist.index(0, 7), ToolTip)


@pytest.fixture
def window(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor) -> Iterator[MainWindow]:
    with open_main_window(qtbot, db, admin) as main:
        yield main


def test_register_shows_the_notice_and_the_case_that_followed(window: MainWindow, qtbot: QtBot, db: Database,
                                                             admin: Actor) -> None:
    from tests.sync_helpers import person_id

    record = register_inquiry(db, admin, InquiryForm(citizen_name="马国富", citizen_phone="13104363344",
                                                     channel="onsite", question="低保怎么申请？", outcome="notice",
                                                     item_code="SHJZ-001"))
    view = window.register
    view.load()
    qtbot.waitUntil(lambda: [r.number for r in view.model.rows()] == [record.number])
    assert view.model.rows()[0].follow_up == ""
    item = load_item(db, "SHJZ-001")
    assert item is not None
    notice = create_notice(db, admin, NoticeForm("SHJZ-001", "马国富", [1], "13104363344", inquiry_id=record.id))
    window.show_area(view)  # nobody tells the register: it hears the database's change by itself
    qtbot.waitUntil(lambda: view.model.rows()[0].follow_up == notice)
    case = accept_case(db, admin, CaseForm(
        item_code="SHJZ-001", case_class=item.default_case_class, applicant_name="马国富",
        applicant_id_number=person_id(7), applicant_phone="13104363344", applicant_address="镇赉镇红旗村三组",
        received=as_catalogued(item, list(range(1, len(item.materials) + 1))), notice_number=notice))
    qtbot.waitUntil(lambda: case in view.model.rows()[0].follow_up)
    assert view.model.rows()[0].follow_up == f"{notice}，已受理办件 {case}"
    found = get_inquiry(db, record.number)
    assert found is not None and found.case_numbers == (case,)

"""Issue 10, stale screens: the database says what each transaction changed, and open views refresh
themselves from that, with no reload call placed by hand."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, text

import app.clock
from app import changes
from app.actor import Actor
from app.changes import Changes
from app.database import Database
from app.models import Base, Department
from app.services.calendar.holidays import import_calendar, read_calendar_file
from app.services.cases.records import accept_case
from app.services.inquiries.departments import DepartmentForm, save_department
from app.ui.acceptance_view import AcceptanceView
from app.ui.case_view import CaseView
from app.ui.change_watch import watch
from app.ui.documents import DocumentOpener
from app.ui.tasks import TaskRunner
from tests.test_calendar import CSV_2027
from tests.test_cases import form

CN = timezone(timedelta(hours=8))


def collect(db: Database) -> list[frozenset[str]]:
    seen: list[frozenset[str]] = []
    db.changes.subscribe(lambda c: seen.append(c.tables))
    return seen


def test_a_committed_transaction_says_which_tables_it_wrote(db: Database, admin: Actor) -> None:
    seen = collect(db)
    save_department(db, admin, DepartmentForm("县住建局", "县政务服务中心", "12345", "工作日"))
    assert len(seen) == 1 and "department" in seen[0] and "audit_log" in seen[0]
    with db.engine.begin() as conn:  # text, as maintenance code writes
        conn.exec_driver_sql("UPDATE department SET phone = '12345' WHERE name = '县住建局'")
    assert seen[-1] == frozenset({"department"})
    with db.session() as s:  # reading says nothing
        s.scalar(select(Department.name).limit(1))
    assert len(seen) == 2


def test_a_rolled_back_transaction_says_nothing(db: Database) -> None:
    seen = collect(db)
    with pytest.raises(RuntimeError), db.session() as s:
        s.execute(text("DELETE FROM department"))
        raise RuntimeError("the service failed half-way")
    assert seen == []
    with db.session() as s:
        assert s.scalar(select(Department.id).limit(1)) is not None


def test_listeners_hear_after_the_commit_so_a_read_sees_the_new_rows(db: Database, admin: Actor) -> None:
    """Announced once the connection is handed back: another connection reading at once finds the row."""
    found: list[int] = []

    def reader(_changes: Changes) -> None:
        def read() -> None:
            with db.session() as s:
                found.append(len(list(s.scalars(select(Department.id).where(Department.name == "县交通局")))))
        thread = threading.Thread(target=read)
        thread.start()
        thread.join()

    db.changes.subscribe(reader)
    save_department(db, admin, DepartmentForm("县交通局", "县政务服务中心", "12345", "工作日"))
    assert found == [1]


def test_a_broken_listener_does_not_break_the_service(db: Database, admin: Actor) -> None:
    seen = collect(db)
    db.changes.subscribe(lambda _c: 1 / 0)
    unsubscribe = db.changes.subscribe(lambda c: seen.append(c.tables))
    save_department(db, admin, DepartmentForm("县水利局", "县政务服务中心", "12345", "工作日"))
    assert len(seen) == 2  # both working listeners heard it
    unsubscribe()
    save_department(db, admin, DepartmentForm("县林草局", "县政务服务中心", "12345", "工作日"))
    assert len(seen) == 3


def test_every_watched_table_exists() -> None:
    tables = set(Base.metadata.tables)
    groups = [getattr(changes, name) for name in dir(changes) if name.isupper() and isinstance(getattr(changes, name),
                                                                                                frozenset)]
    assert len(groups) >= 8
    for group in groups:
        assert group <= tables, group - tables


class Counter(QWidget):
    def __init__(self, db: Database) -> None:
        super().__init__()
        self.loads = 0
        QVBoxLayout(self).addWidget(QLabel("x"))
        watch(self, db, changes.DEPARTMENTS, self.load)

    def load(self) -> None:
        self.loads += 1


def test_a_hidden_view_reloads_once_when_shown(qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor) -> None:
    view = Counter(db)
    qtbot.addWidget(view)
    for name in ("县一局", "县二局", "县三局"):
        save_department(db, admin, DepartmentForm(name, "县政务服务中心", "12345", "工作日"))
    qtbot.wait(300)
    assert view.loads == 0  # not on screen: no queries
    view.show()
    qtbot.waitUntil(lambda: view.loads == 1)
    save_department(db, admin, DepartmentForm("县四局", "县政务服务中心", "12345", "工作日"))
    save_department(db, admin, DepartmentForm("县五局", "县政务服务中心", "12345", "工作日"))
    qtbot.waitUntil(lambda: view.loads == 2)  # a burst is one reload
    qtbot.wait(300)
    assert view.loads == 2
    with db.session(admin) as s:
        s.add(Department(name="无关", address="x", phone="12345", office_hours="x", duties=""))
        s.rollback()
    from app.services.inquiries.notices import NoticeForm, create_notice

    create_notice(db, admin, NoticeForm("HJ-001", "张桂芳", [1], "13904367788"))  # not a table it shows
    qtbot.wait(300)
    assert view.loads == 2



@pytest.mark.usefixtures("china_time")
def test_the_acceptance_deadline_follows_a_calendar_import(qapp: QApplication, qtbot: QtBot, db: Database,
                                                           admin: Actor, task_runner: TaskRunner, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Importing 2027's schedule in F8 changes the deadline F6 shows for the form being filled."""
    monkeypatch.setattr(app.clock, "_fixed", datetime(2026, 12, 28, 9, 0, tzinfo=CN))
    view = AcceptanceView(db, admin, task_runner)
    qtbot.addWidget(view)
    view.show()
    view.load()
    qtbot.waitUntil(view.is_loaded)
    assert view.picker.select_code("SB-002")
    view.applicant_name.setText("何桂兰")
    qtbot.waitUntil(lambda: "暂定" in view.due_label.text())
    assert "2027年01月11日" in view.due_label.text()
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    import_calendar(db, admin, read_calendar_file(path), "2027.csv")
    qtbot.waitUntil(lambda: "暂定" not in view.due_label.text())
    assert "2027年01月12日" in view.due_label.text()
    assert view.applicant_name.text() == "何桂兰" and view.current_item().code == "SB-002"  # the form is kept


@pytest.mark.usefixtures("china_time")
def test_the_case_list_shows_a_case_accepted_elsewhere_and_keeps_the_selection(
        qapp: QApplication, qtbot: QtBot, db: Database, admin: Actor, task_runner: TaskRunner) -> None:
    first = accept_case(db, admin, form(db, "SB-002", "promised"))
    view = CaseView(db, admin, task_runner, DocumentOpener(db, admin, task_runner, None))  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.show()
    view.load()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    second = accept_case(db, admin, form(db, "SB-002", "promised"))
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    selected = view.selected()
    assert selected is not None and selected.number == first  # still the one the clerk was looking at
    assert {r.number for r in view.model.rows()} == {first, second}
    assert view.count.text() == "共 2 件"

"""节假日安排 (F8, directors and administrators): see a year, import the State Council's schedule,
or correct a single day. Every change recomputes the deadlines of open cases.

An import is one short transaction: it shows a busy window (if it lasts) and cannot be cancelled. The
table refreshes itself whenever the calendar changes, here, from a sync or anywhere else.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.clock import local_today
from app.database import Database
from app.progress import Progress
from app.services.calendar.holidays import (
    CalendarChange,
    import_calendar,
    load_calendar,
    read_calendar_file,
    set_day,
    year_days,
)
from app.services.labels import DAY_KINDS
from app.ui.change_watch import watch
from app.ui.forms import report_on, status_label, to_date, today_qdate
from app.ui.key_binding import bind
from app.ui.messages import show_message
from app.ui.table_model import RecordTableModel, make_table
from app.ui.tasks import TaskRunner

WEEKDAYS = "一二三四五六日"
EDIT_KINDS = {"holiday": "放假", "workday": "调休上班", "": "恢复为普通日子"}
WATCHED_TABLES = ("calendar_day", "calendar_year")
IMPORTING = "正在导入节假日安排并重算在办办件的办结日期"


class CalendarView(QWidget):
    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.runner = runner
        self.year = QSpinBox()
        self.year.setRange(2004, 2100)
        self.year.setValue(local_today().year + 1)
        self.coverage = QLabel()
        self.coverage.setObjectName("coverage")
        self.model: RecordTableModel[tuple[date, str, str]] = RecordTableModel(
            [
                ("日期", lambda r: r[0].isoformat()),
                ("星期", lambda r: "星期" + WEEKDAYS[r[0].weekday()]),
                ("安排", lambda r: DAY_KINDS[r[1]]),
                ("节日", lambda r: r[2]),
            ]
        )
        self.table = make_table(self.model, "calendarTable", 3)
        import_button = QPushButton("导入安排文件(&I)…")
        import_button.clicked.connect(self.choose_file)
        bind(self, "calendar", "import", self.choose_file)
        self.day = QDateEdit(today_qdate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.kind = QComboBox()
        for key, label in EDIT_KINDS.items():
            self.kind.addItem(label, key)
        self.name = QLineEdit()
        self.name.setPlaceholderText("节日名称，如 春节")
        save = QPushButton("保存这一天(&S)")
        save.clicked.connect(self.save_day)
        self.status = status_label()
        top = QHBoxLayout()
        year_label = QLabel("年份(&Y)")
        year_label.setBuddy(self.year)
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addWidget(self.coverage, 1)
        top.addWidget(import_button)
        edit = QHBoxLayout()
        day_label = QLabel("调整单日(&D)")
        day_label.setBuddy(self.day)
        edit.addWidget(day_label)
        edit.addWidget(self.day)
        edit.addWidget(self.kind)
        edit.addWidget(self.name, 1)
        edit.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel("导入文件为 .csv（列：date,kind,name；kind 填 休/班 或 holiday/workday）或 .json；"
                                "导入会替换该年的全部安排，并重新计算在办办件的办结日期。"))
        layout.addWidget(self.table, 1)
        layout.addLayout(edit)
        layout.addWidget(self.status)
        self.year.valueChanged.connect(lambda _v: self.load())
        watch(self, db, WATCHED_TABLES, self.load)
        self.setFocusProxy(self.year)

    def load(self) -> None:
        year = self.year.value()
        self.runner.submit(lambda: (year_days(self.db, year), year in load_calendar(self.db).covered_years),
                           self._loaded)

    def _loaded(self, result: tuple[list[tuple[date, str, str]], bool]) -> None:
        days, covered = result
        self.model.set_rows(days)
        if covered:
            self.coverage.setText(f"{self.year.value()}年安排已导入，共 {len(days)} 天")
            self.coverage.setStyleSheet("")
        else:
            self.coverage.setText(f"{self.year.value()}年安排尚未导入：办结日期按周一至周五暂定计算")
            self.coverage.setStyleSheet("color:#7a4b00; background:#fff3cd; padding:2px;")

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入节假日安排", "", "节假日安排 (*.csv *.json)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        def work(progress: Progress) -> CalendarChange:
            progress.point_of_no_return(IMPORTING)  # tiny and in one transaction: nothing to cancel
            return import_calendar(self.db, self.actor, read_calendar_file(path), path.name)

        self.runner.submit_with_progress("导入节假日安排", work, self._imported, self._import_failed,
                                         cancellable=False, parent=self)

    def _import_failed(self, exc: BaseException) -> bool:
        return report_on(self.status, exc)

    def _imported(self, change: CalendarChange) -> None:
        self.status.setText("")
        self.year.setValue(change.years[0])  # the table follows by itself (it watches the calendar)
        show_message(self, f"已导入 {'、'.join(str(y) for y in change.years)} 年节假日安排；"
                           f"{change.recomputed} 件在办办件的办结日期已重新计算并记录。", "导入完成")

    def save_day(self) -> None:
        day = to_date(self.day.date())
        kind = str(self.kind.currentData()) or None
        name = self.name.text().strip()
        self.runner.submit(lambda: set_day(self.db, self.actor, day, kind, name), self._saved,
                           lambda exc: report_on(self.status, exc))

    def _saved(self, recomputed: int) -> None:
        self.status.setText(f"已保存；{recomputed} 件在办办件的办结日期已重新计算")

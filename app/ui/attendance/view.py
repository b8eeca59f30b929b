"""考勤 (Ctrl+Shift+K): today's 签到 (Alt+I) and 签退 (Alt+O) for the person signed in, their marks for
the month (Alt+M picks it), and for the director or an administrator the month's sheet of everyone,
printed (Ctrl+P, previewed first) or exported to Excel (Ctrl+E).

Everything shown is computed by the core (app.services.people.attendance*): this screen only asks and
shows. It reloads itself when attendance, the calendar, the settings or the staff change (change_watch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import changes
from app.actor import Actor
from app.clock import local_today
from app.database import Database
from app.services.errors import UserError
from app.services.people.attendance import (
    ATTENDANCE_KIND_LABELS,
    LEGEND,
    DayMark,
    SignResult,
    Today,
    may_see_everyone,
    sign,
    today_of,
)
from app.services.people.attendance_print import WEEKDAYS
from app.services.people.attendance_sheet import TOTALS, AttendanceSheet, SheetRow, attendance_sheet, my_month
from app.ui import pdf_folder
from app.ui.change_watch import watch
from app.ui.documents import DocumentOpener
from app.ui.key_binding import bind
from app.ui.messages import show_message, show_user_error
from app.ui.table_model import RecordTableModel, make_table
from app.ui.tasks import TaskRunner

SCREEN = "attendance"
SHEET_TITLE = "考勤表"
SHEET_DOC_TYPE = "attendance"  # print log (at most 12 characters)
BAD_COLOUR = "#fde2e1"  # 迟到、早退、旷工、未签退 rows of one's own month
BAD_TEXT = "#b00020"  # the same marks on everyone's sheet
REST_COLOUR = "#e2e2e2"


@dataclass(frozen=True)
class Loaded:
    today: Today
    mine: SheetRow | None
    sheet: AttendanceSheet | None  # everyone's, for those who may see it


def _time(moment: object) -> str:
    return f"{moment:%H:%M}" if moment is not None else ""


def today_text(today: Today) -> str:
    head = f"今天 {today.day:%Y-%m-%d} 星期{WEEKDAYS[today.day.weekday()]}"
    if not today.workday:
        return f"{head}（休息日，不需考勤）"
    signed = "；".join(part for part in (
        f"已于 {_time(today.sign_in)} 签到" if today.sign_in else "尚未签到",
        f"已于 {_time(today.sign_out)} 签退" if today.sign_out else "") if part)
    verdict = f"：{today.mark.label}" if today.sign_in else ""
    return f"{head}（工作日）　{signed}{verdict}"


def _day_colour(mark: DayMark) -> str | None:
    if mark.status == "rest":
        return REST_COLOUR
    if mark.status == "absent" or mark.late or mark.early or mark.no_sign_out:
        return BAD_COLOUR
    return None


def _mark_of(index: int) -> Callable[[SheetRow], str]:
    return lambda row: row.marks[index].mark


def _total_of(key: str) -> Callable[[SheetRow], int]:
    return lambda row: row.totals.value(key)


class SheetModel(RecordTableModel[SheetRow]):
    """Everyone's month: a column per day with the short mark (迟 早 旷 未 in red, rest days grey), the
    day's full verdict and times on hover, and the totals at the right."""

    FIRST_DAY = 3  # 姓名, 工号, 所在窗口 come first

    def __init__(self, sheet: AttendanceSheet) -> None:
        columns: list[tuple[str, Callable[[SheetRow], Any]]] = [
            ("姓名", lambda r: r.name), ("工号", lambda r: r.staff_no), ("所在窗口", lambda r: r.workplace)]
        for index, day in enumerate(sheet.days):
            columns.append((f"{day.day}\n{WEEKDAYS[day.weekday()]}", _mark_of(index)))
        columns += [(label, _total_of(key)) for key, label in TOTALS]
        super().__init__(columns)
        self.workdays = sheet.workdays
        self.set_rows(list(sheet.rows))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        day = index.column() - self.FIRST_DAY if index.isValid() else -1
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None or not 0 <= day < len(self.workdays):
            return super().data(index, role)
        mark = row.marks[day]
        if role == Qt.ItemDataRole.BackgroundRole and not self.workdays[day]:
            return QColor(REST_COLOUR)
        if role == Qt.ItemDataRole.ForegroundRole and _day_colour(mark) == BAD_COLOUR:
            return QColor(BAD_TEXT)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            times = "，".join(part for part in (f"签到 {_time(mark.sign_in)}" if mark.sign_in else "",
                                               f"签退 {_time(mark.sign_out)}" if mark.sign_out else "") if part)
            return f"{row.name} {mark.day:%m-%d}：{mark.label}" + (f"（{times}）" if times else "")
        return super().data(index, role)


class AttendanceView(QWidget):
    signed = Signal(str)  # the sign-in or sign-out message (the main window's status bar)
    exported = Signal(int, object)  # rows, the file's Path

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, opener: DocumentOpener,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.opener = db, actor, runner, opener
        self.everyone = may_see_everyone(actor)
        self.loaded: Loaded | None = None
        self._generation = 0
        self.today_label = QLabel()
        self.today_label.setObjectName("attendanceToday")
        self.sign_in_button = QPushButton("签到(&I)")
        self.sign_out_button = QPushButton("签退(&O)")
        self.sign_in_button.clicked.connect(lambda: self.sign_now("sign_in"))
        self.sign_out_button.clicked.connect(lambda: self.sign_now("sign_out"))
        self.month = QDateEdit(QDate(local_today().year, local_today().month, 1))
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(False)
        self.month.dateChanged.connect(lambda _d: self.load())
        month_label = QLabel("月份(&M)")
        month_label.setBuddy(self.month)
        top = QHBoxLayout()
        top.addWidget(self.today_label, 1)
        top.addWidget(self.sign_in_button)
        top.addWidget(self.sign_out_button)
        top.addSpacing(16)
        top.addWidget(month_label)
        top.addWidget(self.month)
        self.mine_model: RecordTableModel[DayMark] = RecordTableModel([
            ("日期", lambda m: f"{m.day:%m-%d}"), ("星期", lambda m: WEEKDAYS[m.day.weekday()]),
            ("签到", lambda m: _time(m.sign_in)), ("签退", lambda m: _time(m.sign_out)),
            ("考勤", lambda m: m.label if m.status not in ("pending", "before_start") else "")])
        self.mine_model.set_background(_day_colour)
        self.mine_table = make_table(self.mine_model, "attendanceMine", 4)
        self.mine_totals = QLabel()
        self.mine_totals.setObjectName("attendanceMineTotals")
        mine = QWidget()
        mine_layout = QVBoxLayout(mine)
        mine_layout.setContentsMargins(0, 0, 0, 0)
        mine_layout.addWidget(self.mine_table, 1)
        mine_layout.addWidget(self.mine_totals)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        self.sheet_table: QTableView | None = None
        self.sheet_model: SheetModel | None = None
        self.tabs: QTabWidget | None = None
        if self.everyone:
            self.tabs = QTabWidget()
            self.tabs.setObjectName("attendanceTabs")
            self.tabs.addTab(mine, "本人考勤")
            self.tabs.addTab(self._sheet_page(), "全体考勤表")
            layout.addWidget(self.tabs, 1)
        else:
            layout.addWidget(mine, 1)
        legend = QLabel(f"图例：{LEGEND}")
        legend.setWordWrap(True)
        layout.addWidget(legend)
        self.setFocusProxy(self.sign_in_button)
        watch(self, db, changes.ATTENDANCE | changes.CALENDAR | changes.SETTINGS | changes.STAFF, self.load)

    def _sheet_page(self) -> QWidget:
        page = QWidget()
        self.sheet_table = make_table(RecordTableModel([]), "attendanceSheet", 0)
        self.print_button = QPushButton("打印考勤表(&P)")
        self.print_button.setToolTip("Ctrl+P：预览后打印本月全体人员考勤表")
        self.export_button = QPushButton("导出Excel(&E)…")
        self.export_button.setToolTip("Ctrl+E：本月全体人员考勤表导出为 Excel")
        self.print_button.clicked.connect(self.print_sheet)
        self.export_button.clicked.connect(self.export)
        bind(self, SCREEN, "print_sheet", self.print_sheet)
        bind(self, SCREEN, "export", self.export)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sheet_table, 1)
        layout.addLayout(buttons)
        return page

    def chosen_month(self) -> date:
        q = self.month.date()
        return date(q.year(), q.month(), 1)

    def load(self) -> None:
        month, staff_no, everyone = self.chosen_month(), self.actor.staff_no, self.everyone
        self._generation += 1
        generation = self._generation

        def work() -> Loaded:
            if not everyone:
                return Loaded(today_of(self.db, staff_no), my_month(self.db, staff_no, month), None)
            sheet = attendance_sheet(self.db, month)  # one's own row is read from it, not counted again
            mine = next((row for row in sheet.rows if row.staff_no == staff_no), None)
            return Loaded(today_of(self.db, staff_no), mine, sheet)

        self.runner.submit(work, lambda loaded: self._arrived(generation, loaded), self._failed)

    def _arrived(self, generation: int, loaded: Loaded) -> None:
        if generation != self._generation:
            return  # a later month was asked for meanwhile
        self.loaded = loaded
        today = loaded.today
        self.today_label.setText(today_text(today))
        self.sign_in_button.setEnabled(today.sign_in is None)
        self.sign_out_button.setEnabled(today.sign_in is not None and today.sign_out is None)
        marks = list(loaded.mine.marks) if loaded.mine else []
        self.mine_model.set_rows(marks)
        if loaded.mine is not None:
            totals = loaded.mine.totals
            self.mine_totals.setText("本月：" + "，".join(f"{label} {totals.value(key)} 天" for key, label in TOTALS)
                                     + f"（应出勤 {totals.workdays} 天）")
        else:
            self.mine_totals.setText("本账号不在人员名册中，没有考勤记录")
        if loaded.sheet is not None and self.sheet_table is not None:
            self._show_sheet(loaded.sheet)

    def _show_sheet(self, sheet: AttendanceSheet) -> None:
        model = SheetModel(sheet)
        assert self.sheet_table is not None
        self.sheet_table.setModel(model)
        self.sheet_model = model

    def _shown_sheet(self, month: date) -> AttendanceSheet | None:
        """The sheet on screen, when it is the month asked for (a change reloads it: it is current)."""
        sheet = self.loaded.sheet if self.loaded is not None else None
        return sheet if sheet is not None and sheet.month == month else None

    def sign_now(self, kind: str) -> None:
        staff_no = self.actor.staff_no

        def done(result: SignResult) -> None:
            self.signed.emit(f"{result.name}：{result.message}")
            show_message(self, result.message, ATTENDANCE_KIND_LABELS[kind])
            self.load()

        self.runner.submit(lambda: sign(self.db, self.actor, staff_no, kind), done, self._failed)

    def print_sheet(self) -> None:
        if not self.everyone:
            return
        from app.services.people.attendance_print import sheet_pdf

        month = self.chosen_month()
        printed_by = f"{self.actor.name}（{self.actor.staff_no}）"

        shown = self._shown_sheet(month)

        def work() -> bytes:
            return sheet_pdf(self.db, shown or attendance_sheet(self.db, month), printed_by)

        name = f"{month:%Y-%m}"
        self.runner.submit(work, lambda data: self.opener.show_pdf(
            f"{month.year}年{month.month}月{SHEET_TITLE}", data, f"{SHEET_TITLE}{name}.pdf", SHEET_DOC_TYPE, name),
            self._failed)

    def export(self) -> None:
        if not self.everyone:
            return
        month = self.chosen_month()
        path = pdf_folder.ask_save(self, f"导出{SHEET_TITLE}", f"{SHEET_TITLE}{month:%Y-%m}.xlsx")
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        from app.services.people.attendance_sheet import write_sheet_xlsx

        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        month = self.chosen_month()

        shown = self._shown_sheet(month)

        def work() -> int:
            return write_sheet_xlsx(shown or attendance_sheet(self.db, month), path)

        self.runner.submit(work, lambda count: self._exported(count, path), self._failed)

    def _exported(self, count: int, path: Path) -> None:
        self.exported.emit(count, path)
        show_message(self, f"已导出 {count} 人的考勤到 {path}", "导出完成")

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, UserError):
            show_user_error(self, exc)
            return True
        if isinstance(exc, OSError):  # an export to a folder that cannot be written
            show_message(self, f"无法保存文件：{exc.strerror or exc}（{exc.filename or ''}）", "无法完成")
            return True
        return False

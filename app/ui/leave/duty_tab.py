"""The 值周 tab: the week's inspector and the roster ahead, the week's inspections as the summary text, the
director's 排定 (MANAGE_DUTY), 新检查记录 (the week's inspector or the director) and the printed summary."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.database import Database
from app.services.people.duty import (
    RosterEntry,
    WeekSummary,
    known_windows,
    may_inspect,
    roster,
    set_roster,
    summary_pdf,
    summary_text,
    week_of,
    week_summary,
)
from app.services.people.permissions import MANAGE_DUTY, can
from app.services.people.staff import StaffRecord, list_staff
from app.ui.documents import DocumentOpener
from app.ui.forms import to_date, today_qdate
from app.ui.leave.inspection_dialog import InspectionDialog
from app.ui.messages import show_user_error
from app.ui.table_model import RecordTableModel, make_table
from app.ui.tasks import TaskRunner

PRINT_DOC_TYPE = "duty_summary"  # print log (at most 12 characters)


class DutyTab(QWidget):
    message = Signal(str)

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, opener: DocumentOpener,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.opener = db, actor, runner, opener
        self.dialog: InspectionDialog | None = None
        self.windows: list[str] = []
        self.inspector_here = False
        self.week = QDateEdit(today_qdate())
        self.week.setObjectName("dutyWeek")
        self.week.setCalendarPopup(True)
        self.week.setDisplayFormat("yyyy-MM-dd")
        self.week.dateChanged.connect(self.load)
        self.on_duty = QLabel()
        self.on_duty.setObjectName("dutyInspector")
        self.roster_model: RecordTableModel[RosterEntry] = RecordTableModel([
            ("值周时间", lambda r: r.week_text), ("值周人", lambda r: f"{r.staff_name}（{r.staff_no}）"),
            ("排定人", lambda r: r.set_by)])
        self.roster_table = make_table(self.roster_model, "dutyRoster", 0)
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("dutySummary")
        self.summary.setReadOnly(True)
        self.inspect_button = QPushButton("新检查记录(&I)…")
        self.inspect_button.setToolTip("Ctrl+I：本周值周人或中心主任登记")
        self.inspect_button.clicked.connect(self.new_inspection)
        self.print_button = QPushButton("打印汇总(&P)")
        self.print_button.setToolTip("Ctrl+P")
        self.print_button.clicked.connect(self.print_summary)
        top = QHBoxLayout()
        caption = QLabel("周(&W)")
        caption.setBuddy(self.week)
        top.addWidget(caption)
        top.addWidget(self.week)
        top.addWidget(self.on_duty, 1)
        self.staff: QComboBox | None = None
        if can(actor, MANAGE_DUTY):
            self.staff = QComboBox()
            self.staff.setObjectName("dutyStaff")
            staff_caption = QLabel("值周人(&Y)")
            staff_caption.setBuddy(self.staff)
            roster_button = QPushButton("排定(&R)")
            roster_button.setToolTip("把所选人员排为本周值周人")
            roster_button.clicked.connect(self.set_inspector)
            for widget in (staff_caption, self.staff, roster_button):
                top.addWidget(widget)
        top.addWidget(self.inspect_button)
        top.addWidget(self.print_button)
        splitter = QSplitter()
        splitter.addWidget(self.roster_table)
        splitter.addWidget(self.summary)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 6)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.inspect_button.setEnabled(False)

    def monday(self) -> date:
        return week_of(to_date(self.week.date()))

    def load(self) -> None:
        db, actor, monday = self.db, self.actor, self.monday()
        staff_wanted = self.staff is not None  # refilled each load: a person added or disabled shows at once

        def read() -> tuple[list[RosterEntry], WeekSummary, bool, list[str], list[StaffRecord]]:
            return (roster(db, monday - timedelta(weeks=1), 9), week_summary(db, monday), may_inspect(db, actor, monday),
                    known_windows(db), list_staff(db) if staff_wanted else [])

        self.runner.submit(read, lambda result: self._loaded(monday, *result))

    def _loaded(self, monday: date, entries: list[RosterEntry], summary: WeekSummary, inspector: bool,
                windows: list[str], staff: list[StaffRecord]) -> None:
        if monday != self.monday():
            return  # another week was picked meanwhile
        self.roster_model.set_rows(entries)
        who = summary.inspector
        self.on_duty.setText(f"{monday.isoformat()} 起的一周，值周人：" +
                             (f"{who.staff_name}（{who.staff_no}）" if who else "未排定"))
        self.summary.setPlainText(summary_text(summary))
        self.inspector_here = inspector
        self.inspect_button.setEnabled(inspector)
        self.windows = windows
        if self.staff is not None:
            chosen = self.staff.currentData()
            self.staff.clear()
            for member in staff:
                if member.active:
                    self.staff.addItem(f"{member.staff_no} {member.name}", member.staff_no)
            self.staff.setCurrentIndex(max(0, self.staff.findData(chosen)))

    def set_inspector(self) -> None:
        if self.staff is None or not self.staff.currentData():
            return
        db, actor, monday, staff_no = self.db, self.actor, self.monday(), str(self.staff.currentData())
        self.runner.submit(lambda: set_roster(db, actor, monday, staff_no),
                           lambda entry: self.message.emit(f"已排定值周：{entry.week_text} {entry.staff_name}"),
                           self._failed)

    def new_inspection(self) -> None:
        if not self.inspector_here:
            self.message.emit("只有本周值周人或中心主任可以登记值周检查记录")
            return
        self.dialog = InspectionDialog(self.db, self.actor, self.runner, self.monday(), self.windows, self)
        self.dialog.saved.connect(lambda r: self.message.emit(f"已登记值周检查：{r.window} {r.result_label}"))
        self.dialog.open()

    def print_summary(self) -> None:
        db, monday = self.db, self.monday()
        self.runner.submit(lambda: summary_pdf(db, monday), lambda data: self.opener.show_pdf(
            f"值周汇总 {monday.isoformat()}", data, f"值周汇总{monday.isoformat()}.pdf", PRINT_DOC_TYPE,
            monday.isoformat()), self._failed)

    def _failed(self, exc: BaseException) -> bool:
        from app.services.errors import UserError

        if isinstance(exc, UserError):
            show_user_error(self, exc)
            return True
        return False

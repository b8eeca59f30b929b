"""新请假 (Ctrl+N on the 请假值周 screen): kind, from and to (with half days), stand-in and reason.

Every field has its Alt letter; the dates take typed digits and ↑/↓; the stand-in list answers a typed staff
number. While it is filled in, the line under the form says how many working days it covers on the holiday
calendar and who must approve it (the core's estimate). Ctrl+Enter submits; the core checks everything
again, and a refused form stays open with the reason in red and nothing stored.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.database import Database
from app.services.people.leave import (
    AFTERNOON,
    FULL,
    KINDS,
    MAX_REASON,
    MORNING,
    Estimate,
    LeaveForm,
    LeaveRecord,
    estimate,
    request_leave,
)
from app.services.people.permissions import REQUEST_LEAVE_FOR_OTHERS, can
from app.services.people.staff import StaffRecord
from app.ui.forms import report_on, status_label, to_date, today_qdate
from app.ui.key_binding import bind
from app.ui.tasks import TaskRunner

SCREEN = "leave_dialog"
NO_STAND_IN = "（不指定）"


def _date_edit(value: QDate) -> QDateEdit:
    edit = QDateEdit(value)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(QDate(2000, 1, 1))
    edit.setMaximumDate(QDate(2100, 12, 31))
    return edit


class LeaveDialog(QDialog):
    submitted = Signal(object)  # the LeaveRecord registered

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, staff: list[StaffRecord],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner = db, actor, runner
        self.setWindowTitle(f"新请假 — {actor.name}（{actor.staff_no}）")
        self.setMinimumWidth(560)
        form = QFormLayout()
        self.applicant: QComboBox | None = None
        if can(actor, REQUEST_LEAVE_FOR_OTHERS):  # the director or administrator enters a paper request too
            self.applicant = QComboBox()
            self.applicant.setObjectName("leaveApplicant")
            for member in staff:
                if member.active:
                    self.applicant.addItem(f"{member.staff_no} {member.name}（{member.role_label}）", member.staff_no)
            self.applicant.setCurrentIndex(max(0, self.applicant.findData(actor.staff_no)))
            caption = QLabel("请假人(&P)")
            caption.setBuddy(self.applicant)
            form.addRow(caption, self.applicant)
        self.kind = QComboBox()
        self.kind.addItems(list(KINDS))
        self.from_date = _date_edit(today_qdate())
        self.from_half = QComboBox()
        self.to_date = _date_edit(today_qdate())
        self.to_half = QComboBox()
        self.stand_in = QComboBox()
        self.stand_in.addItem(NO_STAND_IN, "")
        for member in staff:
            if member.active and (self.applicant is not None or member.staff_no != actor.staff_no):
                place = f"，{member.workplace}" if member.workplace else ""
                self.stand_in.addItem(f"{member.staff_no} {member.name}（{member.role_label}{place}）", member.staff_no)
        self.reason = QLineEdit()
        self.reason.setMaxLength(MAX_REASON)
        self.reason.setPlaceholderText("如：家中有事、就医、探亲")
        for label, widget in (("请假类别(&K)", self.kind), ("开始日期(&F)", self.from_date), ("第一天(&M)", self.from_half),
                              ("结束日期(&T)", self.to_date), ("最后一天(&L)", self.to_half),
                              ("代岗人(&D)", self.stand_in), ("请假事由(&R)", self.reason)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        self.estimate = QLabel()
        self.estimate.setObjectName("leaveEstimate")
        self.estimate.setWordWrap(True)
        self.status = status_label()
        self.save_button = QPushButton("提交(&S)")
        self.save_button.setToolTip("Ctrl+Enter")
        self.save_button.setDefault(True)
        cancel = QPushButton("取消")
        self.save_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        bind(self, SCREEN, "confirm", self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        intro = QLabel("半天由单位负责人审批，一天及以上由中心主任审批；超过3个工作日须指定代岗人，"
                       "请假期间您未办结的办件转由代岗人办理，结束后交回。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.estimate)
        layout.addLayout(buttons)
        self._generation = 0
        for combo in (self.kind, self.from_half, self.to_half, self.stand_in):
            combo.currentIndexChanged.connect(self._changed)
        self.from_date.dateChanged.connect(self._from_changed)
        self.to_date.dateChanged.connect(self._changed)
        self._fill_halves()
        self._changed()
        (self.applicant or self.kind).setFocus()

    def _from_changed(self) -> None:
        if self.to_date.date() < self.from_date.date():
            self.to_date.setDate(self.from_date.date())  # the end follows a start moved past it
        self._changed()

    def _fill_halves(self) -> None:
        """One day: 全天, 上午 or 下午. Several: the first day 全天 or from noon, the last 全天 or until noon."""
        one_day = self.from_date.date() == self.to_date.date()
        wanted = ([FULL, MORNING, AFTERNOON], [FULL]) if one_day else ([FULL, AFTERNOON], [FULL, MORNING])
        for combo, items in ((self.from_half, wanted[0]), (self.to_half, wanted[1])):
            if [combo.itemText(i) for i in range(combo.count())] != items:
                keep = combo.currentText()
                combo.blockSignals(True)
                combo.clear()
                combo.addItems(items)
                combo.setCurrentIndex(max(0, combo.findText(keep)))
                combo.blockSignals(False)
        self.to_half.setEnabled(not one_day)

    def leave_form(self) -> LeaveForm:
        applicant = str(self.applicant.currentData() or "") if self.applicant is not None else self.actor.staff_no
        return LeaveForm(staff_no=applicant, kind=self.kind.currentText(),
                         from_date=to_date(self.from_date.date()), to_date=to_date(self.to_date.date()),
                         from_half=self.from_half.currentText(), to_half=self.to_half.currentText() or FULL,
                         reason=self.reason.text(), stand_in=str(self.stand_in.currentData() or ""))

    def _changed(self) -> None:
        self._fill_halves()
        self._generation += 1
        generation, db, form = self._generation, self.db, self.leave_form()
        self.runner.submit(lambda: estimate(db, form), lambda found: self._estimated(generation, found))

    def _estimated(self, generation: int, found: Estimate) -> None:
        if generation == self._generation:  # not an answer for what was typed before
            self.estimate.setText(found.text)

    def submit(self) -> None:
        if not self.save_button.isEnabled():
            return  # already sent: a second Ctrl+Enter must not register it twice
        self.status.setText("")
        self.save_button.setEnabled(False)
        db, actor, form = self.db, self.actor, self.leave_form()
        self.runner.submit(lambda: request_leave(db, actor, form), self._done, self._failed)

    def _failed(self, exc: BaseException) -> bool:
        self.save_button.setEnabled(True)
        return report_on(self.status, exc)

    def _done(self, record: LeaveRecord) -> None:
        self.accept()
        self.submitted.emit(record)

"""The 预约 screen's dialogs: booking (到窗口 or 上门服务), a home visit's outcome, after-hours service.

Each is keyboard-only: Alt letters reach every field, combo boxes answer typed letters, Ctrl+Enter
confirms and Esc cancels. The booking form is checked by the core's own rule as the clerk types
(BookingRules read once when the dialog opens); the capacity and the item are checked by the core when
booking, and a refusal stays in the dialog with its reason and nothing stored.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.actor import Actor
from app.database import Database
from app.services import field_rules as rules
from app.services.appointments.after_hours import AfterHoursForm, AfterHoursRecord, record_after_hours
from app.services.appointments.booking import (
    AppointmentForm,
    AppointmentRecord,
    BookingRules,
    book,
    free_slots,
    validate_form,
)
from app.services.appointments.checkin import record_home_outcome
from app.services.appointments.slots import CHANNELS, KINDS, PURPOSES, REASONS
from app.services.catalog.search import ItemSummary
from app.ui.appointments.date_field import DateField
from app.ui.forms import InlineForm, dialog_with_form, report_on, to_date, today_qdate
from app.ui.item_field import ItemField
from app.ui.key_binding import bind
from app.ui.tasks import TaskRunner

SCREEN = "appointment_dialog"


def _combo(options: dict[str, str]) -> QComboBox:
    box = QComboBox()
    for key, text in options.items():
        box.addItem(text, key)
    return box


class BookingDialog(QDialog):
    booked = Signal(object)  # AppointmentRecord

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, items: list[ItemSummary],
                 booking_rules: BookingRules, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.rules = db, actor, runner, booking_rules
        self.setWindowTitle(f"预约登记 — 登记人：{actor.name}（{actor.staff_no}）")
        self.setMinimumWidth(620)
        self.form = InlineForm()
        self.kind = self.form.add_field("kind", "预约类型(&K)", _combo(KINDS))
        self.channel = self.form.add_field("channel", "预约方式(&C)", _combo(CHANNELS))
        self.channel.setCurrentIndex(self.channel.findData("phone"))
        self.purpose = self.form.add_field("purpose", "事由(&P)", _combo(PURPOSES))
        self.item = self.form.add_field("item_code", "事项(&I)", ItemField())
        self.item.set_items(items)
        self.item.setPlaceholderText("输入名称、编码或拼音首字母后选择")
        self.citizen_name = self.form.add_field("citizen_name", "姓名(&N)", QLineEdit())
        self.citizen_name.setMaxLength(rules.CITIZEN_NAME.max_len)
        self.phone = self.form.add_field("citizen_phone", "联系电话(&T)", QLineEdit())
        self.phone.setMaxLength(rules.PHONE.max_len)
        self.id_number = self.form.add_field("citizen_id_number", "身份证号(&E)", QLineEdit())
        self.id_number.setMaxLength(rules.ID_NUMBER.max_len)
        self.id_number.setPlaceholderText("可不填；填写的须为有效的居民身份证号码")
        self.day = self.form.add_field("day", "日期(&D)", DateField(today_qdate()))
        self.slot = self.form.add_field("slot", "时段(&O)", QComboBox())
        self.window_name = self.form.add_field("window", "窗口(&W)", QLineEdit(actor.workplace))
        self.window_name.setMaxLength(rules.WORKPLACE.max_len)
        self.address = self.form.add_field("address", "上门地址(&A)", QLineEdit())
        self.address.setMaxLength(rules.APPLICANT_ADDRESS.max_len)
        self.reason = self.form.add_field("reason", "上门原因(&R)", _combo(REASONS))
        self.visitor = self.form.add_field("visitor_no", "上门人员工号(&G)", QLineEdit(actor.staff_no))
        self.visitor.setMaxLength(20)
        self.status = dialog_with_form(self, self.form, "登记(&S)", self.submit)
        bind(self, SCREEN, "confirm", self.submit)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.day.dateChanged.connect(lambda _d: self.load_slots())
        self.window_name.editingFinished.connect(self.load_slots)
        self._kind_changed()
        self.load_slots()
        self.kind.setFocus()

    def _kind_changed(self) -> None:
        home = self.kind.currentData() == "home"
        for key in ("address", "reason", "visitor_no"):
            self.form.set_visible(key, home)
        if self.slot.count():
            self.load_slots()

    def load_slots(self) -> None:
        """The slots of the chosen day with the places left at the window (over slots are not offered)."""
        day, window = to_date(self.day.date()), self.window_name.text().strip()
        self.runner.submit(lambda: ((day, window), free_slots(self.db, day, window)), self._slots_loaded)

    def _slots_loaded(self, result: tuple[tuple[date, str], list[tuple[str, int]]]) -> None:
        asked, slots = result
        if asked != (to_date(self.day.date()), self.window_name.text().strip()):
            return  # the day or window changed meanwhile: its own slots are on their way
        current = self.slot.currentData()
        self.slot.clear()
        home = self.kind.currentData() == "home"  # a home visit takes no place at the window
        for slot, left in slots:
            self.slot.addItem(slot if home else f"{slot}（余{max(left, 0)}）", slot)
        index = self.slot.findData(current)
        self.slot.setCurrentIndex(index if index >= 0 else 0)

    def appointment_form(self) -> AppointmentForm:
        return AppointmentForm(
            item_code=self.item.item_code(), citizen_name=self.citizen_name.text(),
            citizen_phone=self.phone.text(), day=to_date(self.day.date()), slot=str(self.slot.currentData() or ""),
            channel=str(self.channel.currentData()), kind=str(self.kind.currentData()),
            purpose=str(self.purpose.currentData()), window=self.window_name.text(),
            citizen_id_number=self.id_number.text(), address=self.address.text(),
            reason=str(self.reason.currentData()), visitor_no=self.visitor.text())

    def submit(self) -> None:
        form = self.appointment_form()
        errors = validate_form(form, self.rules)
        if self.item.text().strip() and not form.item_code:
            errors["item_code"] = "请从列表中选择一个事项"
        if not form.slot:
            errors["slot"] = "当天没有可预约的时段，请另选日期"
        self.form.set_errors(errors)
        if errors:
            self.status.setText("请按提示修改标红的项目")
            return
        self.status.setText("")
        self.runner.submit(lambda: book(self.db, self.actor, form), self._done, self._failed)

    def _done(self, record: AppointmentRecord) -> None:
        self.booked.emit(record)
        self.accept()

    def _failed(self, exc: BaseException) -> bool:
        self.load_slots()  # a full slot shows its place count again
        return report_on(self.status, exc)


class HomeOutcomeDialog(QDialog):
    """上门服务结果: what was done, and the number of the case accepted at the citizen's home."""

    recorded = Signal(object)  # AppointmentRecord

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, record: AppointmentRecord,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.record = db, actor, runner, record
        self.setWindowTitle(f"上门服务结果 — {record.number} {record.citizen_name}（{record.address}）")
        self.setMinimumWidth(560)
        self.form = InlineForm()
        self.outcome = QPlainTextEdit()
        self.outcome.setTabChangesFocus(True)
        self.outcome.setFixedHeight(80)
        self.form.add_field("outcome", "服务结果(&R)", self.outcome)
        self.case_number = self.form.add_field("case_number", "受理的办件编号(&B)", QLineEdit())
        self.case_number.setMaxLength(200)  # a scanned receipt code (a link) is parsed by the core
        self.case_number.setPlaceholderText("上门受理了办件的，扫描或输入受理回执上的编号")
        self.status = dialog_with_form(self, self.form, "确定(&S)", self.submit)
        bind(self, SCREEN, "confirm", self.submit)
        self.outcome.setFocus()

    def submit(self) -> None:
        outcome, case = self.outcome.toPlainText(), self.case_number.text()
        self.runner.submit(lambda: record_home_outcome(self.db, self.actor, self.record.number, outcome, case),
                           self._done, lambda exc: report_on(self.status, exc))

    def _done(self, record: AppointmentRecord) -> None:
        self.recorded.emit(record)
        self.accept()


def _qdatetime(moment: datetime) -> QDateTime:
    return QDateTime(moment.year, moment.month, moment.day, moment.hour, moment.minute, 0)


def _local(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()).astimezone()


class AfterHoursDialog(QDialog):
    """登记延时服务: who served, from when to when, for what."""

    recorded = Signal(object)  # AfterHoursRecord

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, items: list[ItemSummary],
                 span: tuple[datetime, datetime], parent: QWidget | None = None) -> None:
        """`span`: the proposed start and end (after_hours.proposed_span: the latest that would be accepted)."""
        super().__init__(parent)
        self.db, self.actor, self.runner = db, actor, runner
        self.setWindowTitle("登记延时服务（办公时间以外或非工作日）")
        self.setMinimumWidth(560)
        self.form = InlineForm()
        self.staff_no = self.form.add_field("staff_no", "服务人员工号(&G)", QLineEdit(actor.staff_no))
        self.staff_no.setMaxLength(20)
        self.started = self.form.add_field("started", "开始(&B)", QDateTimeEdit(_qdatetime(span[0])))
        self.ended = self.form.add_field("ended", "结束(&E)", QDateTimeEdit(_qdatetime(span[1])))
        for edit in (self.started, self.ended):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.item = self.form.add_field("item_code", "事项(&I)", ItemField())
        self.item.set_items(items)
        self.case_number = self.form.add_field("case_number", "办件编号(&C)", QLineEdit())
        self.case_number.setMaxLength(200)  # a scanned receipt code (a link) is parsed by the core
        self.purpose = self.form.add_field("purpose", "服务内容(&R)", QLineEdit())
        self.purpose.setMaxLength(200)
        self.status = dialog_with_form(self, self.form, "登记(&S)", self.submit)
        bind(self, SCREEN, "confirm", self.submit)
        self.started.setFocus()

    def after_hours_form(self) -> AfterHoursForm:
        return AfterHoursForm(_local(self.started.dateTime()), _local(self.ended.dateTime()), self.purpose.text(),
                              self.item.item_code(), self.case_number.text(), self.staff_no.text())

    def submit(self) -> None:
        form = self.after_hours_form()
        self.runner.submit(lambda: record_after_hours(self.db, self.actor, form), self._done,
                           lambda exc: report_on(self.status, exc))

    def _done(self, record: AfterHoursRecord) -> None:
        self.recorded.emit(record)
        self.accept()


def month_start(day: date) -> date:
    return day.replace(day=1)

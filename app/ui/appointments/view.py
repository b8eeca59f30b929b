"""预约 (Ctrl+Shift+Y): a day's appointments at the windows, check-in, no-shows, home visits, after-hours.

The day list opens on today. Enter on a booked appointment is 到达: the core marks it arrived and the
main window continues with the acceptance (F6) or the 首问 dialog, pre-filled (app.ui.appointments.
arrival); the case accepted from it is linked back by the core (case_accepted). The SMS text of the
selected appointment is shown beside the list, Ctrl+C copies it, Ctrl+P prints its one-time notice.
The second tab lists after-hours service of a period with its count. Both reload on change_watch, and
also when the screen is shown again and on Ctrl+R: `appointments add` in another program writes where
this window's change bus cannot hear it. Ctrl+U on a home visit opens the acceptance pre-filled (上门受理).
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import changes
from app.actor import Actor
from app.clock import local_today
from app.database import Database
from app.services.appointments.after_hours import (
    AfterHoursRecord,
    after_hours_count,
    page_after_hours,
    proposed_span,
)
from app.services.appointments.booking import AppointmentRecord, booking_rules, day_appointments
from app.services.appointments.checkin import (
    cancel,
    check_in,
    link_accepted_case,
    mark_no_show,
    ready_for_home_accept,
    ready_for_home_outcome,
)
from app.services.appointments.sms import appointment_sms
from app.services.catalog.items import load_summaries
from app.services.masking import mask_id
from app.ui.appointments.date_field import DateField
from app.ui.appointments.dialogs import AfterHoursDialog, BookingDialog, HomeOutcomeDialog, month_start
from app.ui.change_watch import watch
from app.ui.documents import DocumentOpener
from app.ui.forms import status_label, to_date, today_qdate
from app.ui.key_binding import bind
from app.ui.shortcuts import shortcut
from app.ui.table_model import PagedRecordModel, RecordTableModel, make_table
from app.ui.tasks import TaskRunner

SCREEN = "appointments"
# The keys the screen's hint line names, with its short words for them (the keys come from app.ui.shortcuts).
HINTED = (("no_show", "未到"), ("cancel", "取消"), ("home_outcome", "上门结果"), ("home_accept", "上门受理"),
          ("after_hours", "延时服务"), ("refresh", "刷新"))


def _key_text(key: str) -> str:
    return "回车" if key == "Return" else key
STATUS_COLOURS = {"arrived": "#e3f2fd", "done": "#e8f5e9", "no_show": "#eeeeee", "cancelled": "#eeeeee"}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def detail_text(r: AppointmentRecord) -> str:
    lines = [f"预约号 {r.number}　{r.kind_label}　{r.channel_label}预约　{r.purpose_label}　{r.status_label}",
             f"{r.day.isoformat()} {r.slot}　{r.window}",
             f"{r.citizen_name}　电话 {r.citizen_phone}" + (f"　身份证 {mask_id(r.citizen_id_number)}" if r.citizen_id_number
                                                           else ""),
             f"事项 {r.item_code} {r.item_name}　告知书 {r.notice_number}"]
    if r.kind == "home":
        lines.append(f"上门地址 {r.address}　原因 {r.reason_label}　上门人员 {r.visitor_label}")
    if r.outcome:
        lines.append(f"服务结果 {r.outcome}")
    if r.case_number and r.case_number not in r.outcome:  # older outcomes name the case themselves
        lines.append(f"办件 {r.case_number}")
    return "<br>".join(escape(line) for line in lines)


class AppointmentsView(QWidget):
    arrived = Signal(object)  # AppointmentRecord, just checked in: the main window opens what comes next
    message = Signal(str)

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, opener: DocumentOpener,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.opener = db, actor, runner, opener
        self.dialog: QDialog | None = None
        self._loaded_once = False  # the main window loads an area on its first showing; later shows reload
        self.tabs = QTabWidget()
        self.day = DateField(today_qdate())
        self.day.setObjectName("appointmentDay")
        day_label = QLabel("日期(&D)")
        day_label.setBuddy(self.day)
        self.count = QLabel()
        self.model: RecordTableModel[AppointmentRecord] = RecordTableModel([
            ("时段", lambda r: r.slot), ("预约号", lambda r: r.number), ("类型", lambda r: r.kind_label),
            ("方式", lambda r: r.channel_label), ("事由", lambda r: r.purpose_label),
            ("姓名", lambda r: r.citizen_name), ("电话", lambda r: r.citizen_phone),
            ("事项", lambda r: r.item_name), ("窗口", lambda r: r.window), ("状态", lambda r: r.status_label),
            ("办件编号", lambda r: r.case_number)])
        self.model.set_background(lambda r: STATUS_COLOURS.get(r.status))
        self.table = make_table(self.model, "appointmentTable", 7)
        self.table.activated.connect(lambda _i: self.check_in_selected())
        self.table.installEventFilter(self)  # Ctrl+C on the list copies the SMS, not the cell
        self.detail = QLabel()
        self.detail.setObjectName("appointmentDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.sms = QPlainTextEdit()
        self.sms.setObjectName("appointmentSms")
        self.sms.setReadOnly(True)
        self.sms.setMaximumHeight(110)
        sms_label = QLabel("短信内容（Ctrl+C 复制）")
        # (button, its action in the shortcuts table): the tooltip and the hint line read the key from there
        buttons = [(QPushButton(text), action, slot) for text, action, slot in (
            ("预约登记(&N)…", "new", self.new_appointment), ("到达(&A)", "check_in", self.check_in_selected),
            ("未到", "no_show", self.no_show_selected), ("打印告知书", "print_notice", self.print_notice),
            ("上门结果…", "home_outcome", self.home_outcome), ("上门受理", "home_accept", self.home_accept),
            ("刷新", "refresh", self.reload))]
        for button, action, slot in buttons:
            declared = shortcut(SCREEN, action)
            button.setToolTip(f"{_key_text(declared.shown)}：{declared.label}")
            button.clicked.connect(slot)
        for action, slot in (("new", self.new_appointment), ("no_show", self.no_show_selected),
                             ("cancel", self.cancel_selected), ("print_notice", self.print_notice),
                             ("copy_sms", self.copy_sms), ("home_outcome", self.home_outcome),
                             ("home_accept", self.home_accept), ("after_hours", self.new_after_hours),
                             ("refresh", self.reload)):
            bind(self, SCREEN, action, slot)
        self.status = status_label()
        top = QHBoxLayout()
        for label in (day_label, self.day, self.count):
            top.addWidget(label)
        top.addStretch(1)
        for button, _action, _slot in buttons:
            top.addWidget(button)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.detail)
        side_layout.addWidget(sms_label)
        side_layout.addWidget(self.sms)
        side_layout.addStretch(1)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        day_page = QWidget()
        day_layout = QVBoxLayout(day_page)
        day_layout.addLayout(top)
        day_layout.addWidget(splitter, 1)
        day_layout.addWidget(self.status)
        day_layout.addWidget(QLabel("回车：到达并转到受理（咨询类转到首问登记）　" + "　".join(
            f"{shortcut(SCREEN, action).shown} {text}" for action, text in HINTED)))
        self.tabs.addTab(day_page, "预约")
        self.tabs.addTab(self._after_hours_page(), "延时服务")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.setFocusProxy(self.table)
        # Tab from the date goes to the list it filters, then the buttons (not seven buttons first)
        chain = [self.day, self.table, *(button for button, _action, _slot in buttons), self.sms]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.day.dateChanged.connect(lambda _d: self.reload_day())  # 延时服务 has its own dates
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_current())
        watch(self, db, changes.APPOINTMENTS, self.reload)

    def _after_hours_page(self) -> QWidget:
        today = local_today()
        self.ah_from = DateField(_qdate(month_start(today)))
        self.ah_to = DateField(_qdate(today))
        for edit in (self.ah_from, self.ah_to):
            edit.dateChanged.connect(lambda _d: self.reload_after_hours())
        from_label = QLabel("从(&F)")
        from_label.setBuddy(self.ah_from)
        to_label = QLabel("到")
        self.ah_count = QLabel()
        self.ah_count.setObjectName("afterHoursCount")
        self.ah_model: PagedRecordModel[AfterHoursRecord] = PagedRecordModel([
            ("日期", lambda r: f"{r.started_at.astimezone():%Y-%m-%d}"),
            ("时间", lambda r: f"{r.started_at.astimezone():%H:%M}-{r.ended_at.astimezone():%H:%M}"),
            ("分钟", lambda r: r.minutes), ("工号", lambda r: r.staff_no), ("姓名", lambda r: r.staff_name),
            ("窗口", lambda r: r.window), ("事项", lambda r: r.item_code), ("办件编号", lambda r: r.case_number),
            ("服务内容", lambda r: r.purpose)], self.runner, self)
        self.ah_table = make_table(self.ah_model, "afterHoursTable", 8)
        add = QPushButton("登记延时服务(&Y)…")
        add.setToolTip(shortcut(SCREEN, "after_hours").shown)
        add.clicked.connect(self.new_after_hours)
        top = QHBoxLayout()
        for widget in (from_label, self.ah_from, to_label, self.ah_to, self.ah_count):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(add)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.ah_table, 1)
        return page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.matches(QKeySequence.StandardKey.Copy)):
            self.copy_sms()
            return True
        return super().eventFilter(watched, event)

    # -- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        self._loaded_once = True
        self.reload()

    def reload(self) -> None:
        self.reload_day()
        self.reload_after_hours()

    def reload_day(self) -> None:
        """The chosen day's list; a result for a day no longer chosen is dropped (results may come back in
        any order: PgUp/PgDn pages faster than they arrive)."""
        day = to_date(self.day.date())
        self.runner.submit(lambda: (day, day_appointments(self.db, day)), self._loaded)

    def reload_after_hours(self) -> None:
        first, last = to_date(self.ah_from.date()), to_date(self.ah_to.date())
        if last < first:
            self.ah_count.setText("结束日期早于开始日期")
            return
        self.ah_model.load(lambda offset, limit: page_after_hours(self.db, first, last, offset, limit))
        self.runner.submit(lambda: ((first, last), after_hours_count(self.db, first, last).get("", {})),
                           self._after_hours_counted)

    def _loaded(self, result: tuple[date, list[AppointmentRecord]]) -> None:
        day, records = result
        if day != to_date(self.day.date()):
            return  # another day was chosen meanwhile: its own list is on its way
        current = self.current()
        self.model.set_rows(records)
        booked = sum(1 for r in records if r.status == "booked")
        self.count.setText(f"共 {len(records)} 个预约，待到达 {booked} 个")
        numbers = [r.number for r in records]
        if numbers:
            self.table.selectRow(numbers.index(current.number) if current and current.number in numbers else 0)
        self._show_current()

    def _after_hours_counted(self, result: tuple[tuple[date, date], dict[str, float]]) -> None:
        """The period's true totals (the list itself pages), when still the period chosen."""
        span, counted = result
        if span != (to_date(self.ah_from.date()), to_date(self.ah_to.date())):
            return
        times, minutes = int(counted.get("after_hours", 0)), int(counted.get("after_hours_minutes", 0))
        self.ah_count.setText(f"共 {times} 次，合计 {minutes // 60} 小时 {minutes % 60} 分钟")

    def current(self) -> AppointmentRecord | None:
        return self.model.row_at(self.table.currentIndex().row())

    def _show_current(self) -> None:
        record = self.current()
        self.detail.setText(detail_text(record) if record else "当天没有预约。按 Ctrl+N 登记预约。")
        self.sms.setPlainText("")
        if record is not None:
            self.runner.submit(lambda: (record.number, appointment_sms(self.db, record).text), self._sms_loaded)

    def _sms_loaded(self, result: tuple[str, str]) -> None:
        number, text = result
        shown = self.current()
        if shown is not None and shown.number == number:  # not another citizen's text, copied by Ctrl+C
            self.sms.setPlainText(text)

    def show_day(self, day: date) -> None:
        self.day.setDate(_qdate(day))

    # -- actions ---------------------------------------------------------------------------------

    def new_appointment(self) -> None:
        self.runner.submit(lambda: (load_summaries(self.db), booking_rules(self.db)), self._open_booking)

    def _open_booking(self, result: tuple[list, object]) -> None:  # type: ignore[type-arg]
        items, rules_now = result
        dialog = BookingDialog(self.db, self.actor, self.runner, items, rules_now, self)  # type: ignore[arg-type]
        dialog.booked.connect(self._booked)
        self.dialog = dialog
        dialog.open()

    def _booked(self, record: AppointmentRecord) -> None:
        self.status.setText("")
        self.message.emit(f"已预约 {record.number}（{record.citizen_name}，{record.day.isoformat()} {record.slot}）："
                          "Ctrl+P 打印告知书，Ctrl+C 复制短信")
        if to_date(self.day.date()) != record.day:
            self.show_day(record.day)
        self.reload()
        self.table.setFocus()

    def check_in_selected(self) -> None:
        record = self.current()
        if record is None:
            return
        if record.kind == "home":
            self.home_outcome()
            return
        self.runner.submit(lambda: check_in(self.db, self.actor, record.number), self._checked_in, self._failed)

    def _checked_in(self, record: AppointmentRecord) -> None:
        self.status.setText("")
        self.arrived.emit(record)

    def no_show_selected(self) -> None:
        record = self.current()
        if record is not None:
            self.runner.submit(lambda: mark_no_show(self.db, self.actor, record.number),
                               lambda r: self.message.emit(f"已标记未到：{r.number} {r.citizen_name}"), self._failed)

    def cancel_selected(self) -> None:
        record = self.current()
        if record is not None:
            self.runner.submit(lambda: cancel(self.db, self.actor, record.number),
                               lambda r: self.message.emit(f"已取消预约：{r.number} {r.citizen_name}"), self._failed)

    def print_notice(self) -> None:
        record = self.current()
        if record is not None and record.notice_number:
            self.opener.open("notice", record.notice_number)

    def copy_sms(self) -> None:
        text = self.sms.toPlainText()
        if text:
            QApplication.clipboard().setText(text)
            self.message.emit("短信内容已复制，可粘贴到短信或微信发送")

    def home_outcome(self) -> None:
        """The 上门结果 dialog, only for a pending home visit: the core says at once why not (a done visit's
        result and case), instead of a dialog that could only refuse when saved."""
        record = self.current()
        if record is not None:
            self.runner.submit(lambda: ready_for_home_outcome(self.db, record.number), self._open_outcome,
                               self._failed)

    def _open_outcome(self, record: AppointmentRecord) -> None:
        self.status.setText("")
        dialog = HomeOutcomeDialog(self.db, self.actor, self.runner, record, self)
        dialog.recorded.connect(lambda r: self.message.emit(f"已登记上门服务结果：{r.number}"))
        self.dialog = dialog
        dialog.open()

    def new_after_hours(self) -> None:
        self.runner.submit(lambda: (load_summaries(self.db), proposed_span(self.db)), self._open_after_hours)

    def _open_after_hours(self, loaded: tuple[list, tuple[datetime, datetime]]) -> None:  # type: ignore[type-arg]
        items, span = loaded
        dialog = AfterHoursDialog(self.db, self.actor, self.runner, items, span, self)
        dialog.recorded.connect(lambda r: self.message.emit(f"已登记延时服务：{r.staff_name} {r.minutes}分钟"))
        self.dialog = dialog
        dialog.open()

    def case_accepted(self, case_number: str) -> None:
        """After any acceptance: the core links the case to the appointment whose notice it follows."""
        self.runner.submit(lambda: link_accepted_case(self.db, self.actor, case_number), self._linked)

    def _linked(self, number: str | None) -> None:
        if number:
            self.message.emit(f"办件已关联预约 {number}")

    def home_accept(self) -> None:
        """上门受理: the acceptance (F6) pre-filled from the home visit and its notice, as 到达 does for a
        window visit; the case accepted there follows the notice, so the core links it to this visit.
        The core refuses up front (a visit not today, or already done) by the rule the link applies."""
        record = self.current()
        if record is not None:
            self.runner.submit(lambda: ready_for_home_accept(self.db, record.number), self._checked_in,
                               self._failed)

    def showEvent(self, event: QShowEvent) -> None:
        """Shown again (tab chosen): reload, so bookings written by another program (`appointments add`
        on the command line, which this process's change bus never hears of) appear without a restart."""
        super().showEvent(event)
        if self._loaded_once:
            self.reload()

    def _failed(self, exc: BaseException) -> bool:
        from app.ui.forms import report_on

        return report_on(self.status, exc)

"""投诉 (Ctrl+Shift+T): the complaints register, real-name first, lit like cases; its detail and history;
the steps the core allows now (Alt+D); the 被投诉预警 list for the director.

The list pages with the true total (共 N 件), filters open / overdue / all and finds a number or a
complainant's name; a confidential complainant is masked by the core for anyone but the director.
The screen reloads itself when complaints, the calendar or the settings change (change_watch).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import changes
from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.services.catalog.items import load_summaries
from app.services.complaints.categories import FINDINGS
from app.services.complaints.complaints import ComplaintRow, Flagged, flagged_staff
from app.services.complaints.detail import SHOWS, STEPS, ComplaintDetail, complaint_detail, page_complaints
from app.services.complaints.documents import RECEIPT as RECEIPT_DOC
from app.services.complaints.documents import REPLY as REPLY_DOC
from app.services.inquiries.departments import list_departments
from app.services.people.permissions import SEE_CONFIDENTIAL_COMPLAINANT, can
from app.services.people.staff import StaffRecord, list_staff
from app.ui.case_view import LIGHT_COLOURS
from app.ui.change_watch import watch
from app.ui.complaints.handle_dialog import StepDialog
from app.ui.complaints.register_dialog import RegisterDialog
from app.ui.documents import DocumentOpener
from app.ui.key_binding import bind
from app.ui.messages import show_message
from app.ui.search_arrows import SearchArrows
from app.ui.table_model import PagedRecordModel, make_table
from app.ui.tasks import TaskRunner

SCREEN = "complaints"


def who(row: ComplaintRow) -> str:
    return "匿名" if row.anonymous else row.name


def due_text(row: ComplaintRow) -> str:
    text = f"{row.due_date:%m-%d}"
    return text + (f" {row.light.label}" if row.light.colour in LIGHT_COLOURS else "")


def detail_html(d: ComplaintDetail) -> str:
    r = d.row
    if r.anonymous:
        person = "匿名投诉"
    else:
        person = escape(r.name) + (f"　电话 {escape(r.phone)}" if r.phone else "")
        if r.confidential:
            person += "　<span style='color:#7a4b00'>（要求保密：仅中心主任可见）</span>"
    about = "；".join(part for part in (
        f"工作人员 {escape(d.staff_name)}（{escape(r.staff_no)}）" if r.staff_no else "",
        f"窗口 {escape(d.window)}" if d.window else "", f"事项 {escape(d.item)}" if d.item else "",
        f"办件 {escape(r.case_number)}" if r.case_number else "") if part) or "—"
    light = f"　<b>{escape(r.light.label)}</b>" if r.light.colour in LIGHT_COLOURS else ""
    handled = f"{d.mode_label}" + (f"：{escape(d.department)}" if d.department else "") if d.mode else "尚未交办"
    finding = f"　核实结论：<b>{FINDINGS.get(r.finding, r.finding)}</b>" if r.finding else ""
    satisfied = {None: "", True: "　回访：满意", False: "　回访：<span style='color:#b00020'>不满意</span>"}[r.satisfied]
    events = "".join(
        f"<tr><td>{e.at.astimezone():%Y-%m-%d %H:%M}</td><td>{escape(e.label)}</td><td>{escape(e.staff_name)}</td>"
        f"<td>{escape(e.text)}</td></tr>" for e in d.events)
    steps = "、".join(STEPS[s].split("（")[0] for s in d.steps) or (
        f"无：由{escape(d.elsewhere)}登记，请在那里办理" if d.elsewhere else "无")
    return (
        f"<h3>投诉 {r.number}　{escape(r.status_label)}</h3>"
        f"<p>{r.category}类：{escape(r.category_label)}<br>渠道 {escape(r.channel_label)}　"
        f"登记 {r.registered_at.astimezone():%Y-%m-%d %H:%M}　办理期限 {r.due_date:%Y-%m-%d}{light}<br>"
        f"投诉人 {person}<br>被投诉 {about}<br>办理 {handled}{finding}{satisfied}</p>"
        f"<p style='background:#f5f5f5'>{escape(r.content).replace(chr(10), '<br>')}</p>"
        f"<p>可办理（Alt+D）：{steps}</p>"
        f"<h4>办理记录</h4><table border='1' cellspacing='0' cellpadding='3'>{events}</table>")


def flagged_html(found: list[Flagged]) -> str:
    if not found:
        return "近十二个月没有被投诉属实两次及以上的工作人员。"
    return "<br>".join(f"<span style='color:#b00020'><b>{escape(f.name or f.staff_no)}</b>（{escape(f.staff_no)}）"
                       f"属实 {f.upheld} 次</span>：{escape('、'.join(f.numbers))}" for f in found)


class ComplaintView(QWidget):
    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, opener: DocumentOpener,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.opener = db, actor, runner, opener
        self.dialog: QDialog | None = None
        self.question: QMessageBox | None = None
        self.steps_menu: QMenu | None = None
        self.current: ComplaintDetail | None = None  # the detail shown, with the steps allowed now
        self.search = QLineEdit()
        self.search.setObjectName("complaintSearch")
        self.search.setPlaceholderText("投诉编号或投诉人姓名")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(40)
        self.show_filter = QComboBox()
        for key, text in SHOWS.items():
            self.show_filter.addItem(text, key)
        self.count = QLabel()
        self.model: PagedRecordModel[ComplaintRow] = PagedRecordModel([
            ("投诉编号", lambda r: r.number),
            ("类别", lambda r: f"{r.category} {r.category_label}"),
            ("渠道", lambda r: r.channel_label),
            ("投诉人", who),
            ("被投诉人", lambda r: r.staff_no),
            ("登记", lambda r: f"{r.registered_at.astimezone():%m-%d %H:%M}"),
            ("办理期限", due_text),
            ("状态", lambda r: r.status_label + (f"（{FINDINGS.get(r.finding, '')}）" if r.finding else "")),
        ], runner, self)
        self.model.set_background(lambda r: LIGHT_COLOURS.get(r.light.colour))
        self.model.loaded.connect(self._loaded)
        self.model.total_changed.connect(lambda total: self.count.setText(f"共 {total} 件"))
        self.table = make_table(self.model, "complaintTable", 1)
        SearchArrows(self.search, self.table)
        self.detail = QTextBrowser()
        self.detail.setObjectName("complaintDetail")
        self.register_button = QPushButton("登记投诉(&N)…")
        self.register_button.setToolTip("Ctrl+N")
        self.register_button.clicked.connect(self.new_complaint)
        self.step_button = QPushButton("办理(&D)…")
        self.step_button.setToolTip("交办、答复、回访满意度、重新核实、办结：列出该投诉当前可办的环节，再按数字选择")
        self.step_button.clicked.connect(self.choose_step)
        self.receipt_button = QPushButton("补打回执(&R)")
        self.receipt_button.clicked.connect(lambda: self.print_selected(RECEIPT_DOC))
        self.reply_button = QPushButton("答复书(&P)")
        self.reply_button.clicked.connect(lambda: self.print_selected(REPLY_DOC))
        bind(self, SCREEN, "register", self.new_complaint)
        bind(self, SCREEN, "reprint_receipt", lambda: self.print_selected(RECEIPT_DOC))
        bind(self, SCREEN, "print_reply", lambda: self.print_selected(REPLY_DOC))
        top = QHBoxLayout()
        label = QLabel("查找(&K)")
        label.setBuddy(self.search)
        top.addWidget(label)
        top.addWidget(self.search, 1)
        shown = QLabel("范围(&F)")
        shown.setBuddy(self.show_filter)
        top.addWidget(shown)
        top.addWidget(self.show_filter)
        for button in (self.register_button, self.step_button, self.receipt_button, self.reply_button):
            top.addWidget(button)
        top.addWidget(self.count)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 6)
        splitter.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.flagged: QLabel | None = None
        if can(actor, SEE_CONFIDENTIAL_COMPLAINANT):  # the director's: seed 002, two upheld and out of the hall
            box = QGroupBox("被投诉预警：近十二个月被投诉属实两次及以上的工作人员")
            self.flagged = QLabel()
            self.flagged.setObjectName("flaggedStaff")
            self.flagged.setWordWrap(True)
            QVBoxLayout(box).addWidget(self.flagged)
            layout.addWidget(box)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.load)
        self.search.textChanged.connect(self._timer.start)
        self.show_filter.currentIndexChanged.connect(self._timer.start)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._show(cur.row()))
        self._update_buttons()
        self.setFocusProxy(self.search)
        watch(self, db, changes.COMPLAINTS | changes.CALENDAR | changes.SETTINGS | changes.STAFF, self.refresh)

    def load(self) -> None:
        text, show = self.search.text(), str(self.show_filter.currentData())
        db, reader = self.db, self.actor
        self.model.load(lambda offset, limit: page_complaints(db, reader, show, text, offset, limit))
        self._load_flagged()

    def refresh(self) -> None:
        """The same list again after a change, keeping the selected complaint selected."""
        row = self.selected()
        self.model.reload(keep=row.number if row else None)
        self._load_flagged()

    def _load_flagged(self) -> None:
        if self.flagged is not None:
            db = self.db
            self.runner.submit(lambda: flagged_staff(db, utc_now()), self._show_flagged)

    def _show_flagged(self, found: list[Flagged]) -> None:
        if self.flagged is not None:
            self.flagged.setText(flagged_html(found))

    def _loaded(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(self.model.kept_row(lambda r: r.number))
        else:
            self.current = None
            self.detail.setHtml("<p>没有符合条件的投诉。</p>")
            self._update_buttons()

    def _show(self, row: int) -> None:
        record = self.model.row_at(row)
        if record is not None:
            db, reader, number = self.db, self.actor, record.number
            self.runner.submit(lambda: complaint_detail(db, reader, number), self._show_detail)

    def _show_detail(self, detail: ComplaintDetail) -> None:
        selected = self.selected()
        if selected is None or selected.number != detail.row.number:
            return  # the clerk has moved on
        self.current = detail
        self.detail.setHtml(detail_html(detail))
        self._update_buttons()

    def _update_buttons(self) -> None:
        d = self.current
        self.step_button.setEnabled(d is not None and bool(d.steps))
        self.receipt_button.setEnabled(d is not None)
        self.reply_button.setEnabled(d is not None and d.written_reply)

    def selected(self) -> ComplaintRow | None:
        return self.model.row_at(self.table.currentIndex().row())

    def show_number(self, number: str) -> None:
        """A complaint found by its number (a scanned 投诉登记回执, or one just registered)."""
        self.show_filter.setCurrentIndex(self.show_filter.findData("all"))
        self.search.setText(number)
        self._timer.stop()
        self.load()

    # --- registering ---------------------------------------------------------------------------------

    def new_complaint(self) -> None:
        """Ctrl+N: the form, with the staff list (who may be complained about) and the catalogue's item
        names read in the background."""
        db = self.db
        self.runner.submit(lambda: (list_staff(db), [i.name for i in load_summaries(db) if not i.retired]),
                           lambda result: self._open_register(*result))

    def _open_register(self, staff: list[StaffRecord], items: list[str]) -> None:
        self.dialog = RegisterDialog(self.db, self.actor, self.runner, staff, items, self)
        self.dialog.registered.connect(self._registered)  # type: ignore[attr-defined]
        self.dialog.open()

    def _registered(self, number: str) -> None:
        self.show_number(number)
        self.question = box = QMessageBox(QMessageBox.Icon.Question, "已登记投诉",
                                          f"已登记投诉 {number}。打印投诉登记回执交投诉人？",
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("receiptQuestion")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.accepted.connect(lambda: self.opener.open(RECEIPT_DOC, number))
        box.open()

    # --- the next step -------------------------------------------------------------------------------

    def choose_step(self) -> None:
        """The steps the core allows the selected complaint now, as a menu (Alt+D, then a digit)."""
        d = self.current
        if d is None:
            return
        if not d.steps:
            where = f"由{d.elsewhere}登记，请在那里办理" if d.elsewhere else f"为“{d.row.status_label}”，没有可办理的环节"
            show_message(self, f"投诉 {d.row.number} {where}。")
            return
        self.steps_menu = menu = QMenu(self)
        for index, step in enumerate(d.steps, 1):
            action = menu.addAction(f"&{index} {STEPS[step]}")
            action.triggered.connect(lambda _checked=False, s=step: self.open_step(s))
        menu.popup(self.step_button.mapToGlobal(self.step_button.rect().bottomLeft()))

    def open_step(self, step: str) -> None:
        """The dialog for one step of the complaint shown, with the department directory for 交办."""
        d = self.current
        if d is None or step not in d.steps:
            return
        db, reader, number = self.db, self.actor, d.row.number

        def read() -> tuple[ComplaintDetail, list]:  # type: ignore[type-arg]
            return complaint_detail(db, reader, number), list_departments(db) if step == "handle" else []

        self.runner.submit(read, lambda result: self._open_step(step, *result))

    def _open_step(self, step: str, detail: ComplaintDetail, departments: list) -> None:  # type: ignore[type-arg]
        if step not in detail.steps:  # changed meanwhile (another window, a sync)
            show_message(self, f"投诉 {detail.row.number} 现为“{detail.row.status_label}”，不能{STEPS[step]}。")
            return
        dialog = StepDialog(self.db, self.actor, self.runner, detail, step, departments,
                            utc_now().astimezone().date(), self)
        dialog.printable.connect(lambda doc_type, number: self.opener.open(doc_type, number))  # at once
        self.dialog = dialog
        dialog.open()

    def print_selected(self, doc_type: str) -> None:
        d = self.current
        if d is None:
            return
        if doc_type == REPLY_DOC and not d.written_reply:
            show_message(self, f"投诉 {d.row.number} 没有书面答复，无答复书可打印。")
            return
        self.opener.open(doc_type, d.row.number)

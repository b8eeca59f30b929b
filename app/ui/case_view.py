"""办件 (F7): find a case by number, query code, name or ID fragment; see its history; reprint.

Scanning a receipt anywhere in the main window lands here with the case selected.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import changes
from app.actor import Actor
from app.database import Database
from app.services.appointments.checkin import HomeVisit, home_visit_of
from app.services.attachments.pages import PageRow, case_pages_of
from app.services.cases.actions import notice_sms
from app.services.cases.history import event_label, event_text
from app.services.cases.joint import EXTRA_ACTIONS, extra_actions, joint_parts
from app.services.cases.lifecycle import Transition, allowed
from app.services.cases.records import URGENT, CaseRecord, get_case, page_cases
from app.services.cases.voice import VoiceEntry, citizen_voice
from app.services.documents import CaseDocument, case_documents
from app.services.labels import CASE_STATUS
from app.services.masking import mask_id
from app.services.people.permissions import APPROVE_EXTENSION
from app.services.people.staff import StaffRecord, holders
from app.ui.capture.case_pages import pages_html
from app.ui.case_step_dialog import STEPS, CaseStepDialog
from app.ui.change_watch import watch
from app.ui.documents import DocumentOpener
from app.ui.joint_dialog import JointDialog
from app.ui.messages import show_message
from app.ui.rating_dialog import RatingActions
from app.ui.search_arrows import SearchArrows
from app.ui.table_model import PagedRecordModel, make_table
from app.ui.tasks import TaskRunner
from app.ui.transfer_dialog import TransferActions

LIGHT_COLOURS = {"yellow": "#fff3cd", "red": "#f8d7da"}  # the rows of cases due soon, and overdue


def due_text(case: CaseRecord) -> str:
    """The due date with the case's warning light in words (the light itself is the core's rule)."""
    if case.due_date is None:
        return "—"
    text = f"{case.due_date:%m-%d}" + ("（暂定）" if case.provisional else "")
    if case.light.colour in LIGHT_COLOURS:
        text += f" {case.light.label}"
    return text


def trips_html(trips: int) -> str:
    """跑动 N 次, in red beyond one (the reform's promise is 最多跑一次)."""
    text = f"跑动 {trips} 次"
    return f"<span style='color:#b00020'>{text}（超过一次）</span>" if trips > 1 else text


def _joint_html(case: CaseRecord) -> str:
    """Each co-department's hand-over and reply, for a 联办件."""
    if case.case_class != "joint":
        return ""
    rows = "".join(f"<tr><td>{escape(p.department)}</td><td>{p.handed_on or '—'}</td><td>{p.due or '—'}</td>"
                   f"<td>{escape(p.status_label)}</td><td>{escape(p.opinion)}</td></tr>"
                   for p in joint_parts(case.co_departments, case.events))
    return ("<h4>联办进度</h4><table border='1' cellspacing='0' cellpadding='3'><tr><th>部门</th><th>转办</th>"
            f"<th>应回复</th><th>状态</th><th>意见</th></tr>{rows}</table>") if rows else ""


def _sms_html(case: CaseRecord) -> str:
    """The 办结通知's text message: no gateway yet, so the clerk sends it or reads it out."""
    sms = notice_sms(case)
    if sms is None:
        return ""
    return (f"<p style='background:#eef5ff'><b>办结通知短信（待发送）</b> 至 {escape(sms.phone or '（无电话）')}：<br>"
            f"{escape(sms.text)}</p>")


def case_html(case: CaseRecord, voice: Sequence[VoiceEntry] = (), home: HomeVisit | None = None,
              pages: str = "") -> str:
    """The case's card; its history shows the events and, between them by time, the citizen's ratings
    and complaints (in italics: they are not steps of the case)."""
    lines = [(at, escape(event_label(kind)), escape(staff), escape(event_text(details)))
             for at, kind, staff, details in case.events]
    lines += [(v.at, f"<i>{escape(v.label)}</i>", escape(v.staff), f"<i>{escape(v.text)}</i>") for v in voice]
    lines.sort(key=lambda line: line[0])
    events = "".join(f"<tr><td>{at.astimezone():%Y-%m-%d %H:%M}</td><td>{label}</td><td>{staff}</td><td>{text}</td></tr>"
                     for at, label, staff, text in lines)
    due = f"{case.due_date:%Y-%m-%d}" if case.due_date else "—"
    warning = ("<p style='color:#7a4b00;background:#fff3cd'>办结日期为暂定：该年度节假日安排尚未导入。</p>"
               if case.provisional else "")
    if case.offered_to:
        warning += (f"<p style='color:#7a4b00;background:#fff3cd'>已移交给{escape(case.offered_to)}，待对方接收；"
                    "撤销移交前本机不能办理。</p>")
    return (
        f"<h3>{escape(case.item.name)}（{escape(case.item.code)}）{'　【上门受理】' if home else ''}</h3>{warning}"
        f"<p>办件编号 {case.number}　查询码 <b>{case.query_code}</b><br>{case.class_label}　{case.status_label}　"
        f"承诺办结 {due}<br>申请人 {escape(case.applicant_name)}　证件 {mask_id(case.applicant_id_number)}　"
        f"电话 {escape(case.applicant_phone)}<br>经办人 {escape(case.staff_name)}（{case.staff_no}）{escape(case.stand_in)}<br>"
        f"{trips_html(case.trips)}</p>{_joint_html(case)}{_sms_html(case)}"
        f"<h4>办理记录</h4><table border='1' cellspacing='0' cellpadding='3'>{events}</table>{pages}"
    )


class CaseView(QWidget):
    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, opener: DocumentOpener,
                 parent: QWidget | None = None, receipt_doc: str = "receipt") -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.runner = runner
        self.opener = opener
        self.dialog: QDialog | None = None
        self.receipt_type = receipt_doc  # a 代办受理单 at an agency point
        self.search = QLineEdit()
        self.search.setObjectName("caseSearch")
        self.search.setPlaceholderText("办件编号、查询码、申请人姓名或证件号码片段")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        # As wide as its shortest sensible label: at 1366 px the search box needs the room (the list opens wider).
        self.status.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status.setMinimumContentsLength(6)
        self.status.view().setMinimumWidth(300)
        self.status.addItem("全部状态", "")
        self.status.addItem("预警：超期、今日到期、即将到期", URGENT)
        for key, text in CASE_STATUS.items():
            self.status.addItem(text, key)
        self.model: PagedRecordModel[CaseRecord] = PagedRecordModel(
            [
                ("办件编号", lambda c: c.number),
                ("类型", lambda c: c.class_label),
                ("事项", lambda c: c.item.name),
                ("申请人", lambda c: c.applicant_name),
                ("受理", lambda c: f"{c.accepted_at.astimezone():%m-%d %H:%M}"),
                ("承诺办结", due_text),
                ("状态", lambda c: c.status_label),
                ("经办人", lambda c: c.staff_name + (f"（{c.stand_in}）" if c.stand_in else "")),
            ],
            runner,
            self,
        )
        self.model.set_background(lambda c: LIGHT_COLOURS.get(c.light.colour))
        self.model.loaded.connect(self._loaded)
        self.model.total_changed.connect(self._show_total)
        self.table = make_table(self.model, "caseTable", 2)
        applicant = self.table.horizontalHeader()  # an organisation's long name must not squeeze the item's
        applicant.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        applicant.resizeSection(3, 8 * self.fontMetrics().horizontalAdvance("中"))
        SearchArrows(self.search, self.table)
        self.detail = QTextBrowser()
        self.detail.setObjectName("caseDetail")
        receipt = QPushButton("补打回执(&R)")
        slip = QPushButton("打印通知书(&P)")
        complete = QPushButton("补齐材料，开始计时(&B)")
        pause = QPushButton("特别程序(&T)")
        extend = QPushButton("延期(&Y)")
        self.step_button = QPushButton("办理(&D)…")
        self.papers_button = QPushButton("文书(&W)…")
        self.papers_menu: QMenu | None = None
        self.papers_button.setToolTip("该办件的全部文书：已出具的按原样补打，未出具的（决定、办结通知、送达回证、延期、特别程序、撤回）可打印")
        self.papers_button.clicked.connect(self.choose_document)
        self.step_button.setToolTip("作出决定、办结通知、送达、撤回、归档：列出该办件当前可办的环节")
        self.step_button.clicked.connect(self.choose_step)
        pause.clicked.connect(self.toggle_procedure)
        extend.clicked.connect(lambda: self._time_limit("extend"))
        receipt.clicked.connect(lambda: self._open(self.receipt_type))
        slip.clicked.connect(lambda: self._open("slip"))
        self.slip_button = slip  # a 即办件 has no class notice: disabled while one is selected
        complete.clicked.connect(self.complete_selected)
        QShortcut(QKeySequence("Ctrl+R"), self, lambda: self._open(self.receipt_type))
        QShortcut(QKeySequence("Ctrl+P"), self, lambda: self._open("slip"))
        self.count = QLabel()
        top = QHBoxLayout()
        label = QLabel("查找(&K)")
        label.setBuddy(self.search)
        top.addWidget(label)
        top.addWidget(self.search, 1)
        top.addWidget(self.status)
        top.addWidget(receipt)
        top.addWidget(slip)
        top.addWidget(complete)
        top.addWidget(pause)
        top.addWidget(extend)
        top.addWidget(self.step_button)
        top.addWidget(self.papers_button)
        self.transfers = TransferActions(self, self)  # 移交(&J): offer, receive by scanning, cancel, the list
        top.addWidget(self.transfers.button)
        self.ratings = RatingActions(self, self)  # 评价(&E): the evaluator for a closed case, or a rating typed in
        top.addWidget(self.ratings.button)
        top.addWidget(self.count)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 6)
        splitter.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.load)
        self.search.textChanged.connect(self._timer.start)
        self.status.currentIndexChanged.connect(self._timer.start)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._show(cur.row()))
        self.setFocusProxy(self.search)
        watch(self, db, changes.CASES | changes.CALENDAR | changes.SETTINGS | changes.RATINGS | changes.COMPLAINTS,
              self.refresh)  # lights too, and the ratings and complaints in a case's history
        watch(self, db, changes.PAGES, self.refresh)  # 电子件 recorded at 补正 or arrived by sync

    def refresh(self) -> None:
        """The same search again after a change, keeping the selected case selected."""
        case = self.selected()
        self.model.reload(keep=case.number if case else None)

    def load(self) -> None:
        text, status = self.search.text(), str(self.status.currentData() or "")
        self.model.load(lambda offset, limit: page_cases(self.db, text, status, offset, limit))

    def _show_total(self, total: int) -> None:
        self.count.setText(f"共 {total} 件")  # every match, not only the rows fetched so far

    def _loaded(self) -> None:
        if self.model.rowCount():  # shows it afresh: the model was reset
            self.table.selectRow(self.model.kept_row(lambda c: c.number))
        else:
            self.detail.setHtml("<p>没有找到办件。</p>")

    def _show(self, row: int) -> None:
        case = self.model.row_at(row)
        if case is not None:
            immediate = case.case_class == "immediate"
            self.slip_button.setEnabled(not immediate)
            self.slip_button.setToolTip("即办件当场办结，没有办件类型通知书" if immediate else "")
            number = case.number
            self.runner.submit(lambda: (get_case(self.db, number), citizen_voice(self.db, number),
                                        home_visit_of(self.db, number), case_pages_of(self.db, number)),
                               self._show_card)
        self.ratings.case_selected(case)

    def _show_card(self, found: tuple[CaseRecord | None, list[VoiceEntry], HomeVisit | None,
                                      tuple[list[PageRow], set[str]]]) -> None:
        case, voice, home, (pages, held) = found
        if case is not None:
            names = [m.name for m in case.item.materials]
            self.detail.setHtml(case_html(case, voice, home, pages_html(names, pages, held)))

    def choose_step(self) -> None:
        """The steps the lifecycle allows this case now, as a menu under the 办理 button (Alt+D, then a digit)."""
        case = self.selected()
        if case is None:
            return
        steps = self.available_steps(case)
        extras = extra_actions(case.case_class, case.status)  # 联办 hand-over and reply, visits
        if not steps and not extras:
            show_message(self, f"办件 {case.number} 为“{case.status_label}”，没有可办理的环节。")
            return
        menu = QMenu(self)
        for index, step in enumerate(steps, 1):
            action = menu.addAction(f"&{index} {step.label}")
            action.triggered.connect(lambda _checked=False, s=step, n=case.number: self._open_step(n, s))
        if steps and extras:
            menu.addSeparator()
        for index, mode in enumerate(extras, len(steps) + 1):
            action = menu.addAction(f"&{index} {EXTRA_ACTIONS[mode]}")
            action.triggered.connect(lambda _checked=False, m=mode, n=case.number: self._open_extra(n, m))
        menu.exec(self.step_button.mapToGlobal(self.step_button.rect().bottomLeft()))

    @staticmethod
    def available_steps(case: CaseRecord) -> list[Transition]:
        return [t for t in allowed(case.status, case.case_class) if t.action in STEPS]

    def _open_extra(self, number: str, mode: str) -> None:
        """The list row has no history: read the case, then ask what the step needs."""
        def opened(case: CaseRecord | None) -> None:
            if case is not None:
                self.dialog = JointDialog(self.db, self.actor, self.runner, case, mode, self)
                self.dialog.open()

        self.runner.submit(lambda: get_case(self.db, number), opened)

    def _open_step(self, number: str, step: Transition) -> None:
        case = self.selected()
        same = case is not None and case.number == number
        self.dialog = CaseStepDialog(self.db, self.actor, self.runner, number, step, self,
                                     case.case_class if case is not None and same else "",
                                     overdue=not same or (case is not None and case.light.colour == "red"))
        self.dialog.printable.connect(lambda doc_type, n: self.opener.open(doc_type, n))  # its paper, at once
        method = self.dialog.method  # the citizen at the window may rate as the case ends (not after a posting)
        self.dialog.accepted.connect(lambda: self.ratings.after_step(number, step.action, str(method.currentData())))
        self.dialog.open()

    def choose_document(self) -> None:
        """Every paper of the selected case, as a menu under the 文书 button (Alt+W, then a digit)."""
        case = self.selected()
        if case is not None:
            number = case.number
            self.runner.submit(lambda: case_documents(self.db, number),
                               lambda papers: self._documents_menu(number, papers))

    def _documents_menu(self, number: str, papers: list[CaseDocument]) -> None:
        if not papers:
            show_message(self, f"办件 {number} 还没有可打印的文书。")
            return
        self.papers_menu = menu = QMenu(self)
        for index, paper in enumerate(papers, 1):
            key = f"&{index} " if index < 10 else ""
            action = menu.addAction(f"{key}{paper.label}")
            action.triggered.connect(lambda _checked=False, d=paper: self.opener.open(d.doc_type, number, source=d.source))
        menu.popup(self.papers_button.mapToGlobal(self.papers_button.rect().bottomLeft()))

    def show_urgent(self) -> None:
        """The 预警 list: overdue first, then due today and soon."""
        self.status.setCurrentIndex(self.status.findData(URGENT))

    def show_number(self, code: str) -> None:
        """A scanned receipt: `number#querycode` from the QR code, or the Code128 number."""
        self.status.setCurrentIndex(0)
        self.search.setText(code.split("#")[0])
        self._timer.stop()
        self.load()

    def selected(self) -> CaseRecord | None:
        return self.model.row_at(self.table.currentIndex().row())

    def _open(self, doc_type: str) -> None:
        case = self.selected()
        if case is not None:
            self.opener.open(doc_type, case.number)

    def toggle_procedure(self) -> None:
        """Start a special procedure, or end the one the case is in."""
        case = self.selected()
        if case is not None:  # list rows carry no history: read the case first
            number = case.number
            self.runner.submit(lambda: get_case(self.db, number), self._toggle_with)

    def _toggle_with(self, case: CaseRecord | None) -> None:
        if case is None:
            return
        self._time_limit("resume" if case.in_special_procedure else "pause")

    def _time_limit(self, mode: str) -> None:
        from app.ui.case_actions import TimeLimitDialog

        case = self.selected()
        if case is None:
            return
        number = case.number
        paper = {"pause": "procedure", "extend": "extension"}.get(mode)  # the notice the slips promise
        if mode != "extend":
            self.dialog = TimeLimitDialog(self.db, self.actor, self.runner, number, mode, self)
            if paper:
                self.dialog.accepted.connect(lambda: self.opener.open(paper, number))
            self.dialog.open()
            return

        def opened(directors: list[StaffRecord]) -> None:  # the approver is one of them, by their password
            self.dialog = TimeLimitDialog(self.db, self.actor, self.runner, number, mode, self, directors)
            self.dialog.accepted.connect(lambda: self.opener.open("extension", number))
            self.dialog.open()

        self.runner.submit(lambda: holders(self.db, APPROVE_EXTENSION), opened)

    def complete_selected(self) -> None:
        case = self.selected()
        if case is None:
            return
        if case.status != "supplementing":
            show_message(self, f"办件 {case.number} 为“{case.status_label}”，不需要补齐材料。")
            return
        self.runner.submit(lambda: get_case(self.db, case.number), self._supplement_with)  # the list has no events

    def _supplement_with(self, case: CaseRecord | None) -> None:
        if case is None:
            return
        from app.ui.supplement_dialog import SupplementDialog

        self.dialog = SupplementDialog(self.db, self.actor, self.runner, case, self)
        dialog = self.dialog
        dialog.accepted.connect(lambda number=case.number: None if dialog.still else self._completed(number))
        self.dialog.open()

    def _completed(self, number: str) -> None:
        self.opener.open("slip", number)

"""The main window: one tab per working area, each reachable by a function key."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QMainWindow, QTabWidget, QWidget

from app.actor import Actor
from app.database import Database
from app.node_identity import NodeIdentity
from app.services.cases.lights import DueSummary
from app.services.catalog.agency import AGENCY
from app.services.documents import receipt_type_for
from app.services.inquiries.register import InquiryRecord
from app.services.labels import role_label
from app.services.people.permissions import EDIT_CALENDAR, JOIN_CENTER, MANAGE_STAFF, REASSIGN_CASES, can
from app.sync.issues import load_issue_rows
from app.ui import pdf_folder
from app.ui.acceptance_view import AcceptanceView
from app.ui.agency_ledger_view import AgencyLedgerView
from app.ui.appointments.view import AppointmentsView
from app.ui.attendance.view import AttendanceView
from app.ui.calendar_view import CalendarView
from app.ui.case_view import CaseView
from app.ui.catalog_view import CatalogView
from app.ui.complaints.view import ComplaintView
from app.ui.department_view import DepartmentView
from app.ui.documents import DocumentOpener
from app.ui.due_label import DueLabel
from app.ui.inquiry_dialog import InquiryDialog
from app.ui.inquiry_view import InquiryView
from app.ui.key_binding import key_of
from app.ui.leave.view import LeaveView
from app.ui.messages import show_message
from app.ui.notice_area import NoticeArea
from app.ui.queue.mount import QueueMount, mount_queue
from app.ui.queue.mount import screens as queue_screens
from app.ui.ratings.view import RatingsView
from app.ui.reassign_dialog import ReassignDialog, open_reassign
from app.ui.scanner import ScanRouter
from app.ui.shortcuts import MENU_AREAS, MENU_HELP, MENU_SYSTEM, shortcut
from app.ui.shortcuts_help import ShortcutsDialog
from app.ui.staff_view import StaffView
from app.ui.stats.view import StatsView
from app.ui.supervision.view import SupervisionView
from app.ui.sync_panel import IssuesDialog, JoinDialog, SyncScheduler
from app.ui.tasks import TaskRunner

if TYPE_CHECKING:  # opened on demand: their modules load when first used
    from app.ui.board_window import BoardWindow
    from app.ui.case_ledger_dialog import CaseLedgerDialog

NOTICE_SCAN = r"GZ\d{21}"
INQUIRY_SCAN = r"SW\d{21}"
CASE_SCAN = r"\d{22}(?:#[0-9A-Z]{8})?"  # Code128: the number; QR: number#query code
COMPLAINT_SCAN = r"TS\d{21}"  # a 投诉登记回执


class MainWindow(QMainWindow):
    logout_requested = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        db: Database,
        identity: NodeIdentity,
        actor: Actor,
        runner: TaskRunner,
        state_file: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.identity = identity
        self.receipt_type = receipt_type_for(identity.node_kind)  # a 代办受理单 at an agency point
        self.actor = actor
        self.runner = runner
        self._settings = QSettings(str(state_file), QSettings.Format.IniFormat)
        pdf_folder.use_settings(self._settings)  # 保存为PDF reopens the folder last saved to
        self._logging_out = False
        title = f"民生服务工作站 — {identity.center_name} · {identity.node_name}"
        if identity.training:
            title += "【培训模式】"
        self.setWindowTitle(title)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("areas")
        self.setCentralWidget(self.tabs)
        self.opener = DocumentOpener(db, actor, runner, self)
        self.inquiry_dialog: InquiryDialog | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.catalog = CatalogView(db, runner, actor=actor)
        self.notices = NoticeArea(db, actor, runner, self.opener)
        self.register = InquiryView(db, actor, runner, self.opener)
        self.acceptance = AcceptanceView(db, actor, runner)
        self.cases = CaseView(db, actor, runner, self.opener, receipt_doc=self.receipt_type)
        self.complaints = ComplaintView(db, actor, runner, self.opener)  # every window user may register
        self.ratings = RatingsView(db, actor, runner, self.opener)  # 好差评: ratings, rectifications, appeals
        self.ratings.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.stats = StatsView(db, actor, runner, self.opener)  # 统计: the director's township, a clerk's own figures
        self.stats.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        # 督办: the director's board by window and 发督办; a window's own 督办 and its answers
        self.supervision = SupervisionView(db, actor, runner)
        self.supervision.case_requested.connect(self.show_case)
        self.supervision.complaint_requested.connect(self.show_complaint)
        self.stats.drill_requested.connect(self.drill_to_supervision)
        self.attendance = AttendanceView(db, actor, runner, self.opener)  # 考勤: one's own; the director everyone's
        self.attendance.signed.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.appointments = AppointmentsView(db, actor, runner, self.opener)  # 预约、上门、延时
        self.appointments.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.appointments.arrived.connect(self._appointment_arrived)
        self.leave = LeaveView(db, actor, runner, self.opener)  # 请假值周: own leave, approvals, duty
        self.leave.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.staff: StaffView | None = None
        self.departments: DepartmentView | None = None
        # (view, tab label, screen id in app.ui.shortcuts: its F-key there and its keys in the F1 list)
        self._areas: list[tuple[QWidget, str, str]] = [
            (self.catalog, "事项目录", "catalog"),
            (self.notices, "一次性告知", "notices"),
            (self.register, "首问登记簿", "register"),
            (self.acceptance, "受理", "acceptance"),
            (self.cases, "办件", "cases"),
            (self.complaints, "投诉", "complaints"),
            (self.ratings, "好差评", "ratings"),
            (self.stats, "统计", "stats"),
            (self.supervision, "督办", "supervision"),
            (self.attendance, "考勤", "attendance"),
            (self.appointments, "预约", "appointments"),
            (self.leave, "请假值周", "leave"),
        ]
        self.calendar: CalendarView | None = None
        if can(actor, EDIT_CALENDAR):
            self.calendar = CalendarView(db, actor, runner)
            self._areas.append((self.calendar, "节假日安排", "calendar"))
        if can(actor, MANAGE_STAFF):
            self.staff = StaffView(db, actor, runner)
            self.departments = DepartmentView(db, actor, runner)
            self._areas.append((self.staff, "人员管理", "staff"))
            self._areas.append((self.departments, "部门名录", "departments"))
        self.agency_ledger: AgencyLedgerView | None = None  # 代办台账: a village agency point's own
        if identity.node_kind == AGENCY:
            self.agency_ledger = AgencyLedgerView(db, actor, runner)
            self.agency_ledger.case_requested.connect(self.show_case)
            self._areas.append((self.agency_ledger, "代办台账", "agency_ledger"))
        self.reassign_dialog: ReassignDialog | None = None
        self.case_ledger_dialog: CaseLedgerDialog | None = None
        self.board_window: BoardWindow | None = None
        for widget, label, screen in self._areas:
            key = shortcut("global", screen).shown
            # A function key fits on the tab; a Ctrl+Shift chord would push the last tabs off a 1366 px
            # screen, so it is shown on hovering (and in F1 and the 功能 menu).
            index = self.tabs.addTab(widget, f"{label}（{key}）" if key.startswith("F") else label)
            self.tabs.setTabToolTip(index, f"{label}：{key}")
        self.tabs.currentChanged.connect(lambda _i: self.tabs.currentWidget().setFocus())
        self._build_menus()
        self._build_status_bar()
        from app.ui.idcard.router import CardRouter

        self.card_reader = CardRouter(self)  # polls only when this machine has a reader set
        self.resize(1280, 720)
        geometry = self._settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = self._settings.value("catalog/splitter")
        if isinstance(splitter, QByteArray):
            self.catalog.splitter.restoreState(splitter)
        self.register.new_requested.connect(self.new_inquiry)
        self.register.notice_requested.connect(self.reopen_notice)
        self.register.case_requested.connect(self.show_case)
        self.runner.notice.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.scanner = ScanRouter(self)
        self.scanner.register(NOTICE_SCAN, self.reopen_notice)
        self.scanner.register(INQUIRY_SCAN, self.show_inquiry)
        self.scanner.register(CASE_SCAN, self.show_case)
        self.scanner.register(COMPLAINT_SCAN, self.show_complaint)
        self.acceptance.accepted_case.connect(self._case_accepted)
        self.notices.editor.accept_requested.connect(self._accept_from_notice)
        self.scanner.install()
        # What the first screen and the notice → acceptance flow need loads now; every other area on
        # first showing (afterwards each keeps itself current through app.ui.change_watch).
        self._unloaded: set[QWidget] = {w for w, _label, _key in self._areas} - {self.catalog, self.notices,
                                                                                 self.acceptance}
        self.tabs.currentChanged.connect(lambda _i: self._load_on_first_show(self.tabs.currentWidget()))
        for widget in (self.catalog, self.notices, self.acceptance):
            widget.load()
        self.catalog.setFocus()

    def _load_on_first_show(self, widget: QWidget) -> None:
        if widget in self._unloaded:
            self._unloaded.discard(widget)
            widget.load()  # type: ignore[attr-defined]

    def _build_menus(self) -> None:
        system = self.menuBar().addMenu(MENU_SYSTEM)
        self.system_menu = system  # the ID card reader adds its setting here
        logout = QAction("注销(&L)", self, shortcut=key_of("global", "logout"))
        logout.triggered.connect(self.logout)
        quit_action = QAction("退出(&X)", self, shortcut=key_of("global", "quit"))
        quit_action.triggered.connect(self.close)
        system.addAction(logout)
        system.addAction(quit_action)
        areas = self.menuBar().addMenu(MENU_AREAS)
        for widget, label, screen in self._areas:
            action = QAction(label, self, shortcut=key_of("global", screen))
            action.triggered.connect(lambda _checked=False, w=widget: self.show_area(w))
            areas.addAction(action)
        inquiry = QAction("首问登记", self, shortcut=key_of("global", "inquiry"))
        inquiry.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        inquiry.triggered.connect(self.new_inquiry)
        areas.addAction(inquiry)
        if can(self.actor, REASSIGN_CASES):
            reassign = QAction("AB岗转办…", self, shortcut=key_of("global", "reassign"))
            reassign.triggered.connect(self.reassign)
            areas.addAction(reassign)
        case_ledger = QAction("办件登记簿…", self, shortcut=key_of("global", "case_ledger"))
        case_ledger.triggered.connect(self.open_case_ledger)
        areas.addAction(case_ledger)
        board = QAction("超期公示（大厅屏幕）…", self, shortcut=key_of("global", "board"))
        board.triggered.connect(self.open_board)
        areas.addAction(board)
        self.queue: QueueMount = mount_queue(self, areas)  # 排队叫号: the call bar and the queue's screens
        find = QAction("查找", self, shortcut=key_of("global", "find"))
        find.triggered.connect(self.focus_search)
        areas.addAction(find)
        sync_now = QAction("立即同步", self, shortcut=key_of("global", "sync"))
        sync_now.triggered.connect(lambda: self.sync.sync_now())  # asked for: a window with 取消
        system.addAction(sync_now)
        issues = QAction("被中心退回的记录…", self, shortcut=key_of("global", "sync_issues"))
        issues.triggered.connect(self.show_sync_issues)
        system.addAction(issues)
        if can(self.actor, JOIN_CENTER) and not self.identity.training:
            join = QAction("连接乡镇中心(&J)…", self)
            join.triggered.connect(self.join_center)
            system.addAction(join)
        help_menu = self.menuBar().addMenu(MENU_HELP)
        keys = QAction("快捷键一览(&K)", self, shortcut=key_of("global", "help"))
        keys.triggered.connect(self.show_shortcuts)
        help_menu.addAction(keys)

    def _build_status_bar(self) -> None:
        role = role_label(self.actor.role)
        self.user_label = QLabel(f"当前用户：{self.actor.name}（工号 {self.actor.staff_no}，{role}）")
        self.user_label.setObjectName("userLabel")
        workplace = self.actor.workplace or self.identity.node_name
        self.place_label = QLabel(
            f"岗位：{workplace}　本机：{self.identity.node_name}（节点 {self.identity.node_code}）"
        )
        self.place_label.setObjectName("placeLabel")
        bar = self.statusBar()
        bar.addWidget(self.user_label)
        bar.addWidget(self.place_label)
        if self.identity.training:
            badge = QLabel("培训模式")
            badge.setObjectName("trainingBadge")
            badge.setStyleSheet("background:#c62828; color:white; padding:1px 8px; font-weight:bold;")
            bar.addPermanentWidget(badge)
        bar.addPermanentWidget(QLabel(self.identity.center_name))
        self.due_label = DueLabel(self.db, self.runner)
        self.due_label.summary_changed.connect(self._first_due_summary)
        bar.addPermanentWidget(self.due_label)
        bar.addPermanentWidget(self.supervision.notice)  # while a 督办 addressed here waits for its answer
        self.supervision.start()  # the automatic records owed today, then that notice
        self.due_label.load()
        self.sync_label = QLabel()
        bar.addPermanentWidget(self.sync_label)
        self.sync = SyncScheduler(self.db, self.runner, self.sync_label, self)
        if not self.identity.training:
            self.sync.start()

    def _first_due_summary(self, summary: DueSummary) -> None:
        """After log-in, cases due today or overdue come first: F7 opens on the 预警 list."""
        self.due_label.summary_changed.disconnect(self._first_due_summary)
        if summary.overdue or summary.due_today:
            self.cases.show_urgent()
            if self.tabs.currentWidget() is self.catalog:  # nothing begun yet: the warning list is the first screen
                self.show_area(self.cases)
            self.statusBar().showMessage(f"{summary.text}：预警办件（F7）", 15000)

    def show_area(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)
        widget.setFocus()

    def new_inquiry(self) -> None:
        """F3 from anywhere: the quick entry, with the catalogue and directory read in the background."""
        from app.services.catalog.items import load_summaries
        from app.services.inquiries.departments import list_departments

        self.runner.submit(lambda: (load_summaries(self.db), list_departments(self.db)), self._open_inquiry)

    def _open_inquiry(self, result: tuple[list, list]) -> None:  # type: ignore[type-arg]
        items, departments = result
        self.inquiry_dialog = InquiryDialog(self.db, self.actor, self.runner, items, departments, self)
        self.inquiry_dialog.registered.connect(self._inquiry_registered)
        self.inquiry_dialog.card_panel.setVisible(self.card_reader.watcher.active)
        self.inquiry_dialog.open()

    def _inquiry_registered(self, record: InquiryRecord) -> None:
        self.statusBar().showMessage(f"已登记 {record.number}（{record.citizen_name}，{record.outcome_label}）", 8000)
        if record.outcome == "notice":
            self.activateWindow()  # straight on to the checklist, keyboard focus included
            self.show_area(self.notices)
            self.notices.tabs.setCurrentWidget(self.notices.editor)
            self.notices.editor.start(record.citizen_name, record.citizen_phone, record.item_code, record.id,
                                      record.number)
        elif record.outcome == "referred":
            self.opener.open("referral", record.number)

    def reopen_notice(self, number: str) -> None:
        self.show_area(self.notices)
        self.notices.reopen(number)
        self.statusBar().showMessage(f"已调出告知书 {number}", 8000)

    def show_case(self, code: str) -> None:
        self.show_area(self.cases)
        self.cases.show_number(code)
        self.statusBar().showMessage(f"已调出办件 {code.split('#')[0]}", 8000)

    def drill_to_supervision(self, scope: str, key: str) -> None:
        """The statistics' drill-down: a window's yellow and red cases in 督办."""
        self.show_area(self.supervision)
        self._load_on_first_show(self.supervision)
        if scope == "window":
            self.supervision.show_window(key)

    def show_complaint(self, number: str) -> None:
        self.show_area(self.complaints)
        self.complaints.show_number(number)
        self.statusBar().showMessage(f"已调出投诉 {number}", 8000)

    def reassign(self) -> None:
        """Ctrl+B: AB岗转办, an absent clerk's open cases to the backup (directors and administrators)."""
        open_reassign(self.db, self.actor, self.runner, self, self._reassign_shown)

    def _reassign_shown(self, dialog: ReassignDialog) -> None:
        self.reassign_dialog = dialog
        dialog.reassigned.connect(lambda done: self.statusBar().showMessage(done.summary, 15000))

    def open_case_ledger(self) -> None:
        """Ctrl+Shift+L: the 办件登记簿 by dates, state, class, clerk and item, to Excel or print."""
        from app.ui.case_ledger_dialog import CaseLedgerDialog

        if self.case_ledger_dialog is None:
            self.case_ledger_dialog = CaseLedgerDialog(self.db, self.actor, self.runner, self.opener, self)
        self.case_ledger_dialog.show()
        self.case_ledger_dialog.activateWindow()

    def open_board(self) -> None:
        """Ctrl+Shift+B: the 超期公示 full screen, on the screen chosen when there are two."""
        from app.ui.board_window import BoardWindow, choose_screen

        screen = choose_screen(self)
        if screen is None:  # the choice of screen was cancelled
            return
        if self.board_window is None:  # one board, shown again on the screen chosen now
            self.board_window = BoardWindow(self.db, self.runner, self.identity.center_name, self)
        self.board_window.show_on(screen)

    def show_sync_issues(self) -> None:
        self.runner.submit(lambda: load_issue_rows(self.db), lambda rows: IssuesDialog(rows, self).open())

    def join_center(self) -> None:
        dialog = JoinDialog(self.db, self.runner, self)
        dialog.joined.connect(self._joined)
        dialog.open()

    def _joined(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)
        show_message(self, message + "。正在首次同步；完成后请用中心发放的账号重新登录（Ctrl+L 注销）。", "已连接中心")
        self.sync.sync_now()

    def _case_accepted(self, number: str, case_class: str) -> None:
        self.statusBar().showMessage(f"已受理 {number}", 8000)
        self.sync.request()
        then = None if case_class == "immediate" else (lambda: self.opener.open("slip", number))
        self.opener.open(self.receipt_type, number, then)
        self.appointments.case_accepted(number)  # the appointment whose notice the case follows is done

    def _appointment_arrived(self, record: object) -> None:
        """预约到达: on to the acceptance (F6) or the 首问 dialog, pre-filled (app.ui.appointments.arrival)."""
        from app.ui.appointments.arrival import continue_arrival

        continue_arrival(self, record)  # type: ignore[arg-type]

    def _accept_from_notice(self, item_code: str, name: str, phone: str, ticked: list[int], notice: str) -> None:
        self.show_area(self.acceptance)
        self.acceptance.start_from_notice(item_code, name, phone, ticked, notice)

    def show_inquiry(self, number: str) -> None:
        self.show_area(self.register)
        self.register.show_number(number)

    def search_field(self) -> QLineEdit:
        """The current screen's own search box; the catalogue's where a screen has none."""
        current = self.tabs.currentWidget()
        if current is self.notices:
            return self.notices.search_field()
        fields: dict[QWidget, QLineEdit] = {self.acceptance: self.acceptance.picker.search_box,
                                            self.cases: self.cases.search, self.register: self.register.text,
                                            self.complaints: self.complaints.search}
        return fields.get(current, self.catalog.search_box)

    def focus_search(self) -> None:
        """Ctrl+F searches where the clerk is (F4, F5, F6, F7); elsewhere it goes to the catalogue."""
        field = self.search_field()
        if field is self.catalog.search_box:
            self.show_area(self.catalog)
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()

    def show_shortcuts(self) -> None:
        """F1: generated from app.ui.shortcuts, for the screens this user has, and the F3 and preview windows."""
        screens = [screen for _w, _label, screen in self._areas] + ["inquiry_dialog", "supplement_dialog", "document",
                                                                    "case_ledger_dialog", "board",
                                                                    "complaint_register_dialog", "complaint_step_dialog",
                                                                    "rectification_dialog", "evaluator",
                                                                    "appointment_dialog", "idcard_settings_dialog",
                                                                    *queue_screens(self.actor)]
        if can(self.actor, REASSIGN_CASES):
            screens.append("reassign_dialog")
        self.shortcuts_dialog = ShortcutsDialog(screens, self)
        self.shortcuts_dialog.open()

    def logout(self) -> None:
        self._logging_out = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.scanner.uninstall()
        self.card_reader.stop()
        self.sync.stop()
        self._settings.setValue("main/geometry", self.saveGeometry())
        self._settings.setValue("catalog/splitter", self.catalog.splitter.saveState())
        self._settings.sync()
        super().closeEvent(event)
        if self._logging_out:
            self.logout_requested.emit()
        else:
            self.quit_requested.emit()

"""督办 (Ctrl+Shift+D): the director's board of the township's yellow and red cases and complaints by window,
the drill-down to one window's list and to the case (F7); 发督办; the list of 督办 and their answers.

At a window the 督办 addressed to it come first, at the top of the area, and the status bar says how many
wait for an answer (`notice`) until they are answered. The screen keeps itself current through
change_watch: a 督办 or an answer arriving by the sync, a case changing, the calendar or the settings.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import changes
from app.actor import Actor
from app.database import Database
from app.services.people.permissions import ISSUE_SUPERVISION, can
from app.services.supervision import board, records
from app.services.supervision.auto import scan
from app.services.supervision.board import LitRow, WindowLights
from app.services.supervision.records import SupervisionItem
from app.ui.case_view import LIGHT_COLOURS
from app.ui.change_watch import watch
from app.ui.messages import show_message
from app.ui.shortcuts import shortcut
from app.ui.supervision.dialogs import AnswerDialog, IssueDialog
from app.ui.table_model import PagedRecordModel, RecordTableModel, make_table
from app.ui.tasks import TaskRunner

SCREEN = "supervision"
SHOWS = {"all": "全部督办", "pending": "待答复", "overdue": "逾期未答复", "answered": "已答复"}
STATE_COLOURS = {"overdue": LIGHT_COLOURS["red"], "pending": LIGHT_COLOURS["yellow"]}
NOTICE_STYLE = "color:#b00020; font-weight:bold; padding-left:12px;"

SUPERVISION_COLUMNS = (  # the 督办编号 and every other GB/T field are in the detail beside the list
    ("办件/投诉编号", lambda r: r.case_number),
    ("监察规则", lambda r: f"{r.rule_code} {r.rule_label}"),
    ("预警", lambda r: r.warning_label),
    ("责任窗口", lambda r: f"{r.window or '—'}（{r.to_node}）"),
    ("督办人", lambda r: r.issued_by_name),
    ("发出", lambda r: f"{r.issued_at.astimezone():%m-%d %H:%M}"),
    ("答复期限", lambda r: f"{r.due_date:%Y-%m-%d}"),
    ("状态", lambda r: r.state_label),
)


def detail_html(item: SupervisionItem) -> str:
    """One 督办: what it asks, its state and the window's answer first (what the director opens it for, seen
    without scrolling), then the remaining GB/T 39046 fields."""
    if item.answered_at is not None:
        answer: tuple[tuple[str, str], ...] = (
            ("答复结果", item.answer_result_label),
            ("答复人", f"{item.answered_by} {item.answered_at.astimezone():%Y-%m-%d %H:%M}"),
            ("答复内容", item.answer_text))
    else:
        answer = (("答复", "尚未答复"),)
    rows = (("督办编号", item.number), ("办件编号", f"{item.target_label} {item.case_number}"),
            ("督办内容", item.content), ("状态", item.state_label), *answer,
            ("答复期限", f"{item.due_date:%Y-%m-%d}"),
            ("督办人", item.issued_by_name + ("（自动）" if item.auto else "")),
            ("督办发出时间", f"{item.issued_at.astimezone():%Y-%m-%d %H:%M}"),
            ("监察规则编号", f"{item.rule_code}（{item.rule_label}）"), ("监察预警类型", item.warning_label),
            ("状态产生时间", f"{item.state_at.astimezone():%Y-%m-%d %H:%M}"), ("监察结果描述", item.result),
            ("责任部门", f"{item.window or '—'}（{item.to_node}号节点）"), ("机构名称", item.org_name),
            ("监察编号", item.id))
    table = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows)
    return f"<table cellpadding='2'>{table}</table>"


class SupervisionView(QWidget):
    case_requested = Signal(str)  # a case number to open in F7
    complaint_requested = Signal(str)

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner = db, actor, runner
        self.director = can(actor, ISSUE_SUPERVISION)
        self.dialog: QDialog | None = None
        self.window_key: str | None = None  # the window whose lit list is shown
        self.notice = QLabel()  # the main window's status bar shows it
        self.notice.setObjectName("supervisionNotice")
        self.notice.setStyleSheet(NOTICE_STYLE)
        layout = QVBoxLayout(self)
        # A window's own open 督办, first.
        self.own_model: RecordTableModel[SupervisionItem] = RecordTableModel(SUPERVISION_COLUMNS)
        self.own_model.set_background(lambda r: STATE_COLOURS.get(r.state))
        self.own_table = make_table(self.own_model, "ownSupervisionTable", 3)
        self.own_table.activated.connect(lambda index: self._answer(self.own_model.row_at(index.row())))
        self.own_table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._follow(self.own_table))
        self.own_table.installEventFilter(self)
        self.own_box = QGroupBox("发给本窗口、待答复的督办（回车答复）")
        QVBoxLayout(self.own_box).addWidget(self.own_table)
        self.own_box.setVisible(not self.director)
        layout.addWidget(self.own_box)
        # The director's board.
        self.windows_model: RecordTableModel[WindowLights] = RecordTableModel([
            ("窗口", lambda w: w.label), ("红灯", lambda w: w.red), ("黄灯", lambda w: w.yellow),
            ("红灯办件", lambda w: w.red_cases), ("黄灯办件", lambda w: w.yellow_cases),
            ("红灯投诉", lambda w: w.red_complaints), ("黄灯投诉", lambda w: w.yellow_complaints)])
        self.windows_model.set_background(lambda w: LIGHT_COLOURS["red" if w.red else "yellow"])
        self.windows_table = make_table(self.windows_model, "supervisionWindows", 0)
        self.windows_table.activated.connect(self._window_activated)
        self.lit_model: PagedRecordModel[LitRow] = PagedRecordModel([
            ("类型", lambda r: r.kind_label), ("编号", lambda r: r.number), ("事项/内容", lambda r: r.subject),
            ("经办人", lambda r: r.person), ("期限", lambda r: f"{r.due_date:%Y-%m-%d}"),
            ("预警", lambda r: r.light_label), ("督办", lambda r: "督办中" if r.supervised else "")], runner, self)
        self.lit_model.set_background(lambda r: LIGHT_COLOURS.get(r.colour))
        self.lit_model.loaded.connect(self._lit_loaded)
        self.lit_table = make_table(self.lit_model, "supervisionLit", 2)
        self.lit_table.activated.connect(self._lit_activated)
        self.lit_title = QLabel("在左侧选择窗口后按回车，查看该窗口的黄灯、红灯办件和投诉")
        self.board_box = QWidget()
        board_layout = QHBoxLayout(self.board_box)
        board_layout.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        windows_label = QLabel("各窗口预警（红灯多的在前）(&W)")
        windows_label.setBuddy(self.windows_table)
        left.addWidget(windows_label)
        left.addWidget(self.windows_table)
        right = QVBoxLayout()
        lit_label = QLabel("窗口预警办件(&J)")
        lit_label.setBuddy(self.lit_table)
        right.addWidget(lit_label)
        right.addWidget(self.lit_title)
        right.addWidget(self.lit_table)
        board_layout.addLayout(left, 4)
        board_layout.addLayout(right, 6)
        self.board_box.setVisible(self.director)
        layout.addWidget(self.board_box, 3)
        # Every 督办 seen here.
        self.show_filter = QComboBox()
        for key, text in SHOWS.items():
            self.show_filter.addItem(text, key)
        self.show_filter.currentIndexChanged.connect(lambda _i: self.load_list())
        self.count = QLabel()
        self.issue_button = QPushButton("发督办(&D)…")
        self.issue_button.setToolTip(shortcut(SCREEN, "issue").label)
        self.issue_button.clicked.connect(self.issue_selected)
        self.issue_button.setVisible(self.director)
        self.answer_button = QPushButton("答复(&A)…")
        self.answer_button.setToolTip(shortcut(SCREEN, "answer").label)
        self.answer_button.clicked.connect(self.answer_selected)
        self.list_model: PagedRecordModel[SupervisionItem] = PagedRecordModel(SUPERVISION_COLUMNS, runner, self)
        self.list_model.set_background(lambda r: STATE_COLOURS.get(r.state))
        self.list_model.total_changed.connect(lambda total: self.count.setText(f"共 {total} 条"))
        self.list_model.loaded.connect(self._list_loaded)
        self.list_table = make_table(self.list_model, "supervisionList", 3)
        self.list_table.activated.connect(lambda index: self._answer(self.list_model.row_at(index.row())))
        self.list_table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._follow(self.list_table))
        self.list_table.installEventFilter(self)
        # The detail shows the current 督办 of the list last gone to (a window's own list or the whole list),
        # and 答复 answers exactly that one (`shown`): what is read is what is answered.
        self.detail_from: QTableView = self.list_table if self.director else self.own_table
        self.shown: SupervisionItem | None = None
        self.detail = QTextBrowser()
        self.detail.setObjectName("supervisionDetail")
        self.detail.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it; arrows, PgDn, Ctrl+End scroll
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction
                                            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        bar = QHBoxLayout()
        list_label = QLabel("督办列表(&L)")
        list_label.setBuddy(self.list_table)
        bar.addWidget(list_label)
        shown = QLabel("状态(&F)")
        shown.setBuddy(self.show_filter)
        bar.addWidget(shown)
        bar.addWidget(self.show_filter)
        bar.addWidget(self.issue_button)
        bar.addWidget(self.answer_button)
        bar.addStretch(1)
        bar.addWidget(self.count)
        layout.addLayout(bar)
        splitter = QSplitter()
        splitter.addWidget(self.list_table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 6)
        splitter.setStretchFactor(1, 4)
        layout.addWidget(splitter, 3)
        self.setFocusProxy(self.windows_table if self.director else self.own_table)
        watch(self.notice, db, changes.SUPERVISION, self.load_notice)  # in the status bar: current on any tab
        watch(self, db, changes.SUPERVISION | changes.CASES | changes.COMPLAINTS | changes.CALENDAR
              | changes.SETTINGS, self.refresh)

    # --- loading ------------------------------------------------------------------------------------

    def start(self) -> None:
        """At start-up: the automatic records this workstation owes today, then the status bar's notice."""
        db = self.db
        self.runner.submit(lambda: scan(db), lambda _result: self.load_notice())

    def load(self) -> None:
        self.load_notice()
        self.load_own()
        if self.director:
            self.load_windows()
        self.load_list()

    def refresh(self) -> None:
        self.load_own()  # the status bar's notice has a watch of its own
        if self.director:
            self.load_windows()
            if self.window_key is not None:
                self.lit_model.reload(keep=self._selected_lit_number())
        selected = self.selected()
        self.list_model.reload(keep=selected.id if selected else None)

    def load_notice(self) -> None:
        db = self.db
        self.runner.submit(lambda: records.unanswered_count(db), self._show_notice)

    def _show_notice(self, count: int) -> None:
        key = shortcut("global", SCREEN).shown
        self.notice.setText(f"待答复督办 {count} 条（{key}）" if count else "")

    def load_own(self) -> None:
        if not self.director:
            db = self.db
            self.runner.submit(lambda: records.open_here(db).rows, self._own_loaded)

    def _own_loaded(self, rows: list[SupervisionItem]) -> None:
        """Keep the 督办 that was current (or take the first), so the list always has a current row that
        the detail shows and 答复 answers."""
        kept = self.own_model.row_at(self.own_table.currentIndex().row())
        self.own_model.set_rows(rows)
        ids = [r.id for r in rows]
        if rows:
            self.own_table.selectRow(ids.index(kept.id) if kept is not None and kept.id in ids else 0)
        self._show_current()

    def load_windows(self) -> None:
        db = self.db
        self.runner.submit(lambda: board.by_window(db), self._windows_loaded)

    def _windows_loaded(self, windows: list[WindowLights]) -> None:
        keep = self.window_key
        self.windows_model.set_rows(windows)
        keys = [w.window for w in windows]
        self.windows_table.selectRow(keys.index(keep) if keep in keys else 0)

    def load_list(self) -> None:
        db, show = self.db, str(self.show_filter.currentData())
        self.list_model.load(lambda offset, limit: records.list_supervisions(db, show, offset=offset, limit=limit))

    def _list_loaded(self) -> None:
        if self.list_model.rowCount():
            self.list_table.selectRow(self.list_model.kept_row(lambda r: r.id))
        self._show_current()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Going to a list (Tab, Alt+L, a click) makes the detail follow that list's current 督办."""
        if event.type() == QEvent.Type.FocusIn and watched in (self.own_table, self.list_table):
            assert isinstance(watched, QTableView)
            self._follow(watched, focused=True)
        return super().eventFilter(watched, event)

    def _follow(self, table: QTableView, focused: bool = False) -> None:
        if focused:
            self.detail_from = table
        if table is self.detail_from:
            self._show_current()

    def _source(self) -> tuple[QTableView, RecordTableModel[SupervisionItem]]:
        """The list the detail follows: a window's own open 督办 while it has any, else the whole list."""
        if self.detail_from is self.own_table and self.own_model.rowCount():
            return self.own_table, self.own_model
        return self.list_table, self.list_model

    def _show_current(self) -> None:
        table, model = self._source()
        item = model.row_at(table.currentIndex().row())
        self.shown = item
        self.detail.setHtml(detail_html(item) if item is not None else "<p>没有符合条件的督办。</p>")

    # --- the drill-down ------------------------------------------------------------------------------

    def show_window(self, key: str) -> None:
        """One window's yellow and red cases and complaints (Enter on the board, or the statistics'
        drill-down with its window key); the list gets the focus."""
        if not self.director:
            return
        self.window_key = key
        self.lit_title.setText(f"{key or board.NO_WINDOW}：读取中…")
        db = self.db
        self.lit_model.load(lambda offset, limit: board.window_rows(db, key, offset=offset, limit=limit))
        self.lit_table.setFocus()

    def _window_activated(self, index: QModelIndex) -> None:
        window = self.windows_model.row_at(index.row())
        if window is not None:
            self.show_window(window.window)

    def _lit_loaded(self) -> None:
        self.lit_title.setText(f"{self.window_key or board.NO_WINDOW}：共 {self.lit_model.total()} 件")
        if self.lit_model.rowCount():
            self.lit_table.selectRow(self.lit_model.kept_row(lambda r: r.number))

    def _lit_activated(self, index: QModelIndex) -> None:
        row = self.lit_model.row_at(index.row())
        if row is not None:
            (self.case_requested if row.kind == "case" else self.complaint_requested).emit(row.number)

    def _selected_lit_number(self) -> str | None:
        row = self.lit_model.row_at(self.lit_table.currentIndex().row())
        return row.number if row else None

    # --- 发督办 and 答复 ----------------------------------------------------------------------------

    def issue_selected(self) -> None:
        """发督办 about the case or complaint selected in the window's list (the director's)."""
        if not self.director:
            show_message(self, "只有中心主任可以发督办。")
            return
        row = self.lit_model.row_at(self.lit_table.currentIndex().row()) if self.window_key is not None else None
        if row is None:
            show_message(self, "请先在窗口预警办件列表中选择要督办的办件或投诉。")
            return
        about = f"{row.kind_label} {row.number}　{row.subject}　经办人 {row.person}　{row.light_label}"
        dialog = IssueDialog(self.db, self.actor, self.runner, row.number, about, self)
        dialog.issued.connect(self._issued)
        self.dialog = dialog
        dialog.open()

    def _issued(self, _key: str) -> None:
        self.show_filter.setCurrentIndex(self.show_filter.findData("all"))
        self.load_list()

    def selected(self) -> SupervisionItem | None:
        return self.list_model.row_at(self.list_table.currentIndex().row())

    def answer_selected(self) -> None:
        """答复 (Alt+A): the 督办 the detail shows, whichever list it came from (the button takes the focus
        from the list, so the focus cannot say which one is meant)."""
        self._answer(self.shown)

    def _answer(self, item: SupervisionItem | None) -> None:
        if item is None:
            show_message(self, "请先选择一条督办。")
            return
        if item.state == "answered":
            show_message(self, f"督办 {item.number} 已于{item.answered_at.astimezone():%Y-%m-%d}答复。" if item.answered_at
                         else "该督办已答复。")
            return
        if item.to_node != self.db.node_code:
            show_message(self, f"督办 {item.number} 发给{item.to_node}号节点（{item.window or '—'}），由该窗口答复。")
            return
        dialog = AnswerDialog(self.db, self.actor, self.runner, item, self)
        self.dialog = dialog
        dialog.open()

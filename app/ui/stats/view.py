"""统计 (Ctrl+Shift+S): the period's figures by window, clerk, item or node with the total last, and three
charts drawn with QPainter: bars per group of a chosen figure, its twelve-month trend and the
satisfaction split.

Who sees what is the core's rule (app.services.stats.visibility): the director and the administrator see
the township and every scope; a clerk or an agent sees their own row and their own satisfaction split
only (no township trend). Everything is read off the GUI thread, and the screen reloads itself when
anything it counts changes (change_watch: cases, ratings, complaints, 首问, notices, appointments,
attendance, leave, and the staff and calendar it labels and counts by). Enter or a double-click on a
window's row emits `drill_requested(scope, key)`, which the main window connects to the supervision
drill-down.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from app import changes
from app.actor import Actor
from app.database import Database
from app.services.errors import UserError
from app.services.ratings.codes import LEVELS
from app.services.stats.figures import BY_KEY, FIGURES, SCOPES
from app.services.stats.report import StatsRow, as_of_text
from app.services.stats.series import SatisfactionSplit, TrendPoint, monthly_trend
from app.services.stats.visibility import (
    OWN_SCOPE,
    VisibleStats,
    scopes_for,
    sees_township,
    visible_figures,
    visible_split,
)
from app.ui.change_watch import watch
from app.ui.documents import DocumentOpener
from app.ui.key_binding import bind
from app.ui.stats.charts import EMPTY_TEXT, BarChart, SplitChart, SplitPart, TrendChart
from app.ui.stats.model import StatsModel
from app.ui.stats.period_picker import PeriodPicker
from app.ui.stats.report_buttons import ReportButtons
from app.ui.table_model import make_table
from app.ui.tasks import TaskRunner

SCREEN = "stats"
LEVEL_COLOURS = {5: "#2e7d32", 4: "#66bb6a", 3: "#aed581", 2: "#ffa726", 1: "#e53935"}
DRILL_HINT = "按窗口统计时，回车或双击一行：转到督办，查看该窗口的黄灯、红灯办件"
WATCHED = (changes.CASES | changes.RATINGS | changes.COMPLAINTS | changes.INQUIRIES | changes.NOTICES
           | changes.APPOINTMENTS | changes.ATTENDANCE | changes.LEAVE | changes.STAFF | changes.CALENDAR)


def split_parts(split: SatisfactionSplit) -> list[SplitPart]:
    """The five levels from 非常满意 down, each with its colour (the defaults are drawn apart)."""
    return [SplitPart(LEVELS[level], split.levels.get(level, 0), LEVEL_COLOURS[level])
            for level in sorted(LEVELS, reverse=True)]


class StatsView(QWidget):
    drill_requested = Signal(str, str)  # scope ('window', 'staff', 'item', 'node'), the row's key
    message = Signal(str)  # a line for the status bar

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, opener: DocumentOpener | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner = db, actor, runner
        self.township = sees_township(actor)
        self._generation = 0  # results of an older request are dropped
        self._trend_generation = 0
        self._split_generation = 0
        self.visible: VisibleStats | None = None
        self.period = PeriodPicker()
        self.scope = QComboBox()
        self.scope.setObjectName("statsScope")
        for key, text in scopes_for(actor).items():
            self.scope.addItem(f"按{text}", key)
        if not self.township:
            self.scope.setEnabled(False)
            self.scope.setToolTip("只能查看本人的统计；全镇及各窗口的统计由中心主任查看")
        self.figure = QComboBox()
        self.figure.setObjectName("statsFigure")
        for figure in FIGURES:  # every figure of the table, in its order (受理量 first)
            self.figure.addItem(figure.label_cn, figure.key)
            self.figure.setItemData(self.figure.count() - 1, figure.definition_cn, Qt.ItemDataRole.ToolTipRole)
        self.model = StatsModel()
        self.table = make_table(self.model, "statsTable", len(FIGURES))  # the name column fits its names
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # as counted, until asked
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.setToolTip(DRILL_HINT)
        self.status = QLabel()
        self.status.setObjectName("statsStatus")
        self.status.setWordWrap(True)
        self.bars = BarChart()
        self.trend = TrendChart()
        self.split = SplitChart()
        self.trend.setVisible(self.township)  # the township's months: not a clerk's to see
        self.report: ReportButtons | None = None  # the township's report: the director's and the admin's
        if self.township:
            self.report = ReportButtons(db, actor, runner, opener, self)
            self.report.message.connect(self.message)
            self.report.set_period(self.period.current_kind(), self.period.period()[0])
            self.period.changed.connect(lambda _f, _l: self._report_period())
            self.period.kind.currentIndexChanged.connect(lambda _i: self._report_period())
            bind(self, SCREEN, "print_report", self.report.print_report)
            bind(self, SCREEN, "export", self.report.export)
        self._build_layout()
        bind(self, SCREEN, "previous_period", lambda: self.period.step(-1))
        bind(self, SCREEN, "next_period", lambda: self.period.step(1))
        bind(self, SCREEN, "sort", self.sort_by_current_column)
        self.period.changed.connect(lambda _f, _l: self.load())  # the trend ends with the period's month
        self.scope.currentIndexChanged.connect(lambda _i: self._load_figures())  # the township's trend stays
        self.figure.currentIndexChanged.connect(lambda _i: self._figure_changed())
        self.table.activated.connect(self._activated)
        self._split_timer = QTimer(self)
        self._split_timer.setSingleShot(True)
        self._split_timer.setInterval(200)
        self._split_timer.timeout.connect(self._load_split)
        # the split and the marked bar follow the row chosen, also when a sort moves rows under the cursor
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._selection_moved())
        self.model.layoutChanged.connect(self._selection_moved)
        self.setFocusProxy(self.period)
        watch(self, db, WATCHED, self.refresh)

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.period)
        for text, widget in (("范围(&W)", self.scope), ("图表指标(&G)", self.figure)):
            label = QLabel(text)
            label.setBuddy(widget)
            top.addWidget(label)
            top.addWidget(widget)
        top.addStretch(1)
        if self.report is not None:
            top.addWidget(self.report.print_button)
            top.addWidget(self.report.export_button)
        table_label = QLabel("统计表(&T)")
        table_label.setBuddy(self.table)
        charts = QWidget()
        row = QHBoxLayout(charts)
        row.setContentsMargins(0, 0, 0, 0)
        for chart in (self.bars, self.trend, self.split):
            row.addWidget(chart, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(charts)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        heading = QHBoxLayout()
        heading.addWidget(table_label)
        heading.addWidget(self.status, 1)
        layout.addLayout(heading)
        layout.addWidget(splitter, 1)
        chain = [self.period.kind, self.period.date_from, self.period.date_to, self.period.previous_button,
                 self.period.next_button, self.scope, self.figure, self.table, self.bars, self.trend, self.split]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _report_period(self) -> None:
        if self.report is not None:
            self.report.set_period(self.period.current_kind(), self.period.period()[0])

    # --- what is asked ----------------------------------------------------------------------------

    def current_scope(self) -> str:
        return str(self.scope.currentData() or OWN_SCOPE)

    def current_figure(self) -> str:
        return str(self.figure.currentData())

    def scope_label(self) -> str:
        return SCOPES[self.current_scope()]

    # --- loading ------------------------------------------------------------------------------------

    def load(self) -> None:
        """Everything: the table and split, and (apart, it reads twelve months) the trend."""
        self._load_figures()
        self._load_trend()

    def refresh(self) -> None:
        self.load()

    def _load_figures(self) -> None:
        """The table and the split for the period and scope shown, read in the background: the split of
        the row that stays chosen (the township's, or one's own), counted once."""
        self._generation += 1
        generation, (first, last) = self._generation, self.period.period()
        db, actor, scope, township = self.db, self.actor, self.current_scope(), self.township
        chosen = self.selected_row()
        split_of = (None, None, "全镇") if chosen is None else (scope, chosen.key, chosen.label)

        def work() -> tuple[int, VisibleStats, SatisfactionSplit, str]:
            visible = visible_figures(db, actor, first, last, scope)
            by, key, name = split_of if any(r.key == split_of[1] for r in visible.rows) else (None, None, "全镇")
            return generation, visible, visible_split(db, actor, first, last, by, key), name if township else "本人"

        self.status.setStyleSheet("")
        self.status.setText(f"正在统计{self.period.text()}…")
        self.runner.submit(work, self._loaded, self._failed)

    def sort_by_current_column(self) -> None:
        """Ctrl+O: sort by the column the cursor is in; again, the other way round."""
        column = max(0, self.table.currentIndex().column())
        header = self.table.horizontalHeader()
        ascending = Qt.SortOrder.AscendingOrder
        order = (Qt.SortOrder.DescendingOrder if header.sortIndicatorSection() == column
                 and header.sortIndicatorOrder() == ascending else ascending)
        self.table.sortByColumn(column, order)

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, UserError):
            self.status.setText(exc.message)
            self.status.setStyleSheet("color:#b00020;")
            self.visible = None
            self.model.set_table((), None, self.scope_label())  # no figures rather than the last period's
            self._show_bars()
            return True
        return False

    def _loaded(self, result: tuple[int, VisibleStats, SatisfactionSplit, str]) -> None:
        generation, visible, split, whose = result
        if generation != self._generation:
            return  # the user asked for another period or scope meanwhile
        selected = self.selected_row()
        self.visible = visible
        self.model.set_table(visible.rows, visible.total, self.scope_label())
        who = "本人" if visible.own_only else f"按{self.scope_label()}"
        self.status.setText(f"{self.period.text()}　{who}　共 {len(visible.rows)} 行　{as_of_text(visible.table.as_of)}"
                            f"（超期、考勤按此时点计算）。{DRILL_HINT}")
        self._show_bars()
        self._split_generation += 1  # a split still on its way was for the figures before these
        self._show_split(split, whose)
        if selected is not None:
            self.select_row(selected.key)  # a reload after a change keeps the row chosen
            self._split_timer.stop()  # its split came with the figures

    def _figure_changed(self) -> None:
        self._show_bars()
        self._load_trend()

    def _load_trend(self) -> None:
        """The township's twelve months of the chosen figure, ending with the period's month."""
        if not self.township:
            return
        self._trend_generation += 1
        generation, figure, (_first, last), db = self._trend_generation, self.current_figure(), self.period.period(), self.db
        self.runner.submit(lambda: (generation, monthly_trend(db, last, 12, (figure,))), self._trend_arrived,
                           self._failed)

    def _trend_arrived(self, result: tuple[int, tuple[TrendPoint, ...]]) -> None:
        if result[0] == self._trend_generation:
            self._show_trend(result[1])

    def _selection_moved(self) -> None:
        """The row chosen changed (or moved): mark its bar now, and reload its split shortly."""
        row = self.selected_row()
        self.bars.select_label(None if row is None else row.label)
        self._split_timer.start()

    def selected_row(self) -> StatsRow | None:
        """The group of the row the cursor is on; None on the total row or with none chosen."""
        index = self.table.currentIndex()
        if not index.isValid() or self.model.is_total(index.row()):
            return None
        return self.model.row_at(index.row())

    def _load_split(self) -> None:
        """The split of the selected row (a window, a clerk, or the ratings of none named), the township's
        on the total row; its title names whose split it is."""
        if not self.township or self.visible is None:
            return
        row = self.selected_row()
        by, key, name = (None, None, "全镇") if row is None else (self.current_scope(), row.key, row.label)
        self._split_generation += 1
        generation, db, (first, last) = self._split_generation, self.db, self.period.period()
        actor = self.actor
        self.runner.submit(lambda: (generation, name, visible_split(db, actor, first, last, by, key)),
                           self._split_arrived, self._failed)

    def _split_arrived(self, result: tuple[int, str, SatisfactionSplit]) -> None:
        generation, name, split = result
        if generation == self._split_generation:
            self._show_split(split, name)

    # --- charts -------------------------------------------------------------------------------------

    def _show_bars(self) -> None:
        figure = BY_KEY[self.current_figure()]
        percent = figure.unit == "%"
        rows: list[StatsRow] = self.model.rows()
        own = self.visible is not None and self.visible.own_only
        title = f"{figure.label_cn}：本人" if own else f"{figure.label_cn}：各{self.scope_label()}（前12名）"
        split = figure.splits(self.current_scope())
        empty = EMPTY_TEXT if split else f"{figure.label_cn}不按{self.scope_label()}统计（见合计行）"
        self.bars.set_data(title, f"{figure.label_cn}（{figure.unit}）", self.scope_label(), percent,
                           [(r.label, r.values.get(figure.key)) for r in rows], empty)
        selected = self.selected_row()
        self.bars.select_label(None if selected is None else selected.label)

    def _show_trend(self, points: tuple[TrendPoint, ...]) -> None:
        figure = BY_KEY[self.current_figure()]
        span = f"{points[0].month} 至 {points[-1].month}" if points else ""
        self.trend.set_data(f"{figure.label_cn}：近12个月走势（全镇，{span}）", f"{figure.label_cn}（{figure.unit}）",
                            figure.unit == "%", [(f"{int(p.month[5:])}月", p.values.get(figure.key)) for p in points])

    def _show_split(self, split: SatisfactionSplit, whose: str) -> None:
        rate = split.satisfaction
        shown = "—" if rate is None else f"{rate:.1f}%"
        self.split.set_data(f"满意度构成：{whose}（满意度 {shown}）", split_parts(split), split.defaults)

    # --- drill-down ---------------------------------------------------------------------------------

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is None or self.model.is_total(index.row()) or not row.key:
            self.message.emit("合计行和（未指明）行没有可转到的明细，请选择一个窗口")
            return
        if self.current_scope() != "window":
            self.message.emit("督办按窗口列出黄灯、红灯办件：请将范围选为“窗口（代办点）”后再转到督办")
            return
        self.drill_requested.emit(self.current_scope(), row.key)
        self.message.emit(f"转到督办：{row.label}")

    def select_row(self, key: str) -> None:
        """Select the row of a group (a test, or coming back from the drill-down)."""
        for i, row in enumerate(self.model.rows()):
            if row.key == key:
                self.table.selectRow(i)
                return

"""The 统计 screen (Ctrl+Shift+S): the table shows the figures of generated data (checked against the
plain count of tests/test_stats.py), sorting keeps the total last, each header's tooltip is the figure's
one definition, a clerk sees only their own row, the QPainter charts paint into an image (the tallest
bar is the largest value), an empty period says 「本期无数据」, the period steps by keyboard, Enter on a
window asks for the drill-down, and the screen reloads itself when a complaint is registered."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.actor import Actor
from app.database import Database
from app.services.complaints.complaints import ComplaintForm, register
from app.services.stats.figures import FIGURES
from app.services.stats.report import figures_for, format_value
from app.services.stats.series import satisfaction_split
from app.services.stats.visibility import visible_figures
from app.ui.stats.charts import BAR_COLOUR, EMPTY_TEXT, BarChart, SplitChart, SplitPart, TrendChart
from app.ui.stats.period_picker import bounds, period_text, step
from app.ui.stats.view import StatsView, split_parts
from app.ui.tasks import TaskRunner
from tests.test_stats import CLERKS, COUNTED, DIRECTOR, FIRST, LAST, Generated, expected, generate
from tests.ui_helpers import visible_message_boxes

pytestmark = pytest.mark.usefixtures("china_time")
SHOTS = Path("/tmp/shots")
CLERK = Actor(staff_id=None, staff_no="1001", name="测试员", role="clerk", workplace="1号窗口")


@pytest.fixture
def made(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> Generated:
    return generate(db, admin, monkeypatch)  # the clock stays at 2026-12-10


def shown(qtbot: QtBot, db: Database, actor: Actor, runner: TaskRunner, first: date = FIRST) -> StatsView:
    """The screen on show, November 2026 loaded (the period picker's change starts the load)."""
    view = StatsView(db, actor, runner)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    view.period.set_period("month", first)
    view.load()  # as the main window does on first showing
    settle(qtbot, view, runner)
    return view


def settle(qtbot: QtBot, view: StatsView, runner: TaskRunner) -> None:
    QApplication.processEvents()  # a debounced split request starts
    qtbot.wait(250)
    qtbot.waitUntil(lambda: not runner.busy and view.visible is not None and "正在" not in view.status.text(),
                    timeout=20000)


def column_of(view: StatsView, key: str) -> int:
    return next(c for c in range(1, view.model.columnCount()) if view.model.figure_key(c) == key)


def cell(view: StatsView, row: int, column: int) -> str:
    return str(view.model.data(view.model.index(row, column)))


def test_the_table_shows_every_figure_of_generated_data_with_the_total_last(
        qtbot: QtBot, db: Database, made: Generated, task_runner: TaskRunner) -> None:
    view = shown(qtbot, db, DIRECTOR, task_runner)
    table = figures_for(db, FIRST, LAST, "window")
    plain = expected(db, made, "window")
    model = view.model
    assert model.rowCount() == len(table.rows) + 1
    assert [cell(view, i, 0) for i in range(len(table.rows))] == [r.label for r in table.rows]
    for i, row in enumerate(table.rows):
        for key in COUNTED:
            assert cell(view, i, column_of(view, key)) == str(plain[row.key][key]), (row.key, key)
        for figure in FIGURES:
            assert cell(view, i, column_of(view, figure.key)) == format_value(figure.key, row.values[figure.key])
    last = model.rowCount() - 1
    assert model.is_total(last) and cell(view, last, 0) == "全镇合计"
    assert model.data(model.index(last, 1), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(0, 1), Qt.ItemDataRole.FontRole) is None
    township = expected(db, made, "")[""]
    assert cell(view, last, column_of(view, "accepted")) == str(township["accepted"])
    rate = cell(view, last, column_of(view, "satisfaction"))
    assert rate.endswith("%") and rate == f"{100 * township['satisfied'] / township['ratings']:.1f}%"
    assert "2026年11月" in view.status.text()


def test_sorting_by_any_column_keeps_the_total_last(qtbot: QtBot, db: Database, made: Generated,
                                                    task_runner: TaskRunner) -> None:
    view = shown(qtbot, db, DIRECTOR, task_runner)
    view.scope.setCurrentIndex(view.scope.findData("staff"))  # more rows to sort
    settle(qtbot, view, task_runner)
    model = view.model
    assert model.rowCount() >= 4
    for key in ("accepted", "satisfaction", "trips_avg"):
        column = column_of(view, key)
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            view.table.sortByColumn(column, order)
            values = [model.rows()[i].values[key] for i in range(len(model.rows()))]
            present = [v for v in values if v is not None]
            assert present == sorted(present, reverse=order == Qt.SortOrder.DescendingOrder), (key, order)
            assert values[:len(present)] == present  # a share of nothing sorts after every value
            assert model.is_total(model.rowCount() - 1)
            assert cell(view, model.rowCount() - 1, 0) == "全镇合计"
    # by keyboard: Ctrl+O sorts by the cursor's column, again the other way round
    column = column_of(view, "accepted")
    view.table.setFocus()
    view.table.setCurrentIndex(model.index(0, column))
    view.sort_by_current_column()
    ascending = [r.values["accepted"] for r in model.rows()]
    view.sort_by_current_column()
    assert [r.values["accepted"] for r in model.rows()] == sorted(ascending, reverse=True)
    assert model.is_total(model.rowCount() - 1)


def test_each_header_tooltip_is_the_figures_one_definition(qtbot: QtBot, db: Database,
                                                            task_runner: TaskRunner) -> None:
    view = shown(qtbot, db, DIRECTOR, task_runner)
    for figure in FIGURES:
        column = column_of(view, figure.key)
        assert view.model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) \
            == figure.definition_cn
        assert view.model.headerData(column, Qt.Orientation.Horizontal).startswith(figure.label_cn)


def test_a_clerk_sees_only_their_own_row_and_split(qtbot: QtBot, db: Database, made: Generated,
                                                   task_runner: TaskRunner) -> None:
    view = shown(qtbot, db, CLERK, task_runner)
    assert view.scope.count() == 1 and not view.scope.isEnabled()
    assert view.model.rowCount() == 1
    own = view.model.row_at(0)
    assert own is not None and own.key == "1001" and not view.model.is_total(0)
    by_staff = {r.key: r for r in figures_for(db, FIRST, LAST, "staff").rows}
    assert own.values == by_staff["1001"].values
    assert cell(view, 0, column_of(view, "accepted")) == str(expected(db, made, "staff")["1001"]["accepted"])
    assert not view.trend.isVisibleTo(view)  # the township's months are not shown to a clerk
    split = satisfaction_split(db, FIRST, LAST, "staff", "1001")
    assert view.split.parts == split_parts(split) and view.split.defaults == split.defaults
    assert [b.label for b in view.bars.bar_geometry()] == [own.label]
    # the rule is the core's: asked for windows, a clerk still gets their own row and no total
    seen = visible_figures(db, CLERK, FIRST, LAST, "window")
    assert seen.own_only and seen.total is None and [r.key for r in seen.rows] == ["1001"]
    director = visible_figures(db, DIRECTOR, FIRST, LAST, "window")
    assert director.total is not None and {r.key for r in director.rows} >= set(CLERKS.values())


def test_the_charts_paint_and_the_tallest_bar_is_the_largest_value(qtbot: QtBot, db: Database, made: Generated,
                                                                   task_runner: TaskRunner) -> None:
    view = shown(qtbot, db, DIRECTOR, task_runner)
    view.figure.setCurrentIndex(view.figure.findData("accepted"))
    settle(qtbot, view, task_runner)
    image = view.bars.render_image()  # as laid out on the 1366-wide screen
    bars = view.bars.bar_geometry()
    rows = {r.label: r.values["accepted"] for r in view.model.rows()}
    assert {b.label for b in bars} == {label for label, v in rows.items() if v is not None}
    tallest = max(bars, key=lambda b: b.rect.height())
    assert tallest.value == max(v for v in rows.values() if v is not None)
    assert all(b.rect.height() > 0 for b in bars if b.value > 0)
    assert image.pixelColor(int(tallest.rect.center().x()), int(tallest.rect.bottom() - 2)) == BAR_COLOUR
    trend_points = view.trend.points
    assert len(trend_points) == 12 and trend_points[-1][0] == "11月"
    assert trend_points[-1][1] == float(view.model.row_at(view.model.rowCount() - 1).values["accepted"])  # type: ignore[union-attr]
    assert not view.trend.is_empty()
    view.trend.render_image(QSize(480, 280))
    assert view.split.citizen_total() > 0
    view.split.render_image(QSize(480, 280))
    assert view.split.shown_text == ""
    # many groups: only the largest twelve, each bar as high as its value says
    chart = BarChart()
    qtbot.addWidget(chart)
    values: list[tuple[str, float | None]] = [(f"{i}号窗口", float(i)) for i in range(1, 16)] + [("无评价", None)]
    chart.set_data("受理量", "受理量（件）", "窗口（代办点）", False, values)
    chart.render_image(QSize(600, 300))
    geometry = chart.bar_geometry()
    assert len(geometry) == 12 and geometry[0].label == "15号窗口"
    ratio = geometry[0].rect.height() / geometry[0].value
    assert all(abs(b.rect.height() - b.value * ratio) < 0.01 for b in geometry)


def test_an_empty_period_says_no_data(qtbot: QtBot, db: Database, task_runner: TaskRunner) -> None:
    view = shown(qtbot, db, DIRECTOR, task_runner)
    assert view.model.rowCount() == 1 and view.model.is_total(0)  # the township's zeros only
    assert cell(view, 0, column_of(view, "satisfaction")) == "—"  # a share of nothing
    assert cell(view, 0, column_of(view, "accepted")) == "0"
    for chart in (view.bars, view.trend, view.split):
        chart.render_image(QSize(400, 240))
        assert chart.is_empty() and chart.shown_text == EMPTY_TEXT, chart.objectName()
    lonely = TrendChart()
    qtbot.addWidget(lonely)
    lonely.set_data("受理量", "件", False, [("1月", 0.0), ("2月", None)])
    lonely.render_image(QSize(300, 200))
    assert lonely.shown_text == EMPTY_TEXT
    split = SplitChart()
    qtbot.addWidget(split)
    split.set_data("满意度构成", [SplitPart("非常满意", 0, "#2e7d32")], 3)  # defaults only: still shown
    image = split.render_image(QSize(300, 200))
    assert not split.is_empty() and split.shown_text == "" and not image.isNull()


def test_the_period_steps_by_keyboard(qtbot: QtBot, db: Database, task_runner: TaskRunner) -> None:
    view = shown(qtbot, db, DIRECTOR, task_runner)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.period.period() == (date(2026, 10, 1), date(2026, 10, 31))
    settle(qtbot, view, task_runner)
    assert "2026年10月" in view.status.text()
    qtbot.keyClick(view.table, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(view.table, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert view.period.period() == (date(2026, 12, 1), date(2026, 12, 31))
    settle(qtbot, view, task_runner)
    view.period.kind.setCurrentIndex(view.period.kind.findData("quarter"))
    assert view.period.period() == (date(2026, 10, 1), date(2026, 12, 31))
    settle(qtbot, view, task_runner)
    # Tab order: period → scope → figure → table → charts
    view.figure.setFocus()
    qtbot.keyClick(view.figure, Qt.Key.Key_Tab)
    assert view.table.hasFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Tab)
    assert view.bars.hasFocus()
    view.period.next_button.setFocus()
    qtbot.keyClick(view.period.next_button, Qt.Key.Key_Tab)
    assert view.scope.hasFocus()


def test_a_period_longer_than_three_years_is_refused_in_chinese(qtbot: QtBot, db: Database,
                                                                task_runner: TaskRunner) -> None:
    view = shown(qtbot, db, DIRECTOR, task_runner)
    view.period.set_period("custom", date(2020, 1, 1), date(2026, 11, 30))
    qtbot.waitUntil(lambda: "三年" in view.status.text())
    task_runner.wait()
    assert view.model.rowCount() == 0 and view.bars.is_empty()


def test_the_screens_keys_are_declared_and_none_clashes(qtbot: QtBot, db: Database, made: Generated,
                                                         task_runner: TaskRunner) -> None:
    from PySide6.QtGui import QKeySequence, QShortcut
    from PySide6.QtWidgets import QAbstractButton, QLabel

    from app.ui import shortcuts
    from app.ui.documents import DocumentOpener

    view = StatsView(db, DIRECTOR, task_runner, DocumentOpener(db, DIRECTOR, task_runner, QWidget()))
    qtbot.addWidget(view)
    view.show()
    portable = QKeySequence.SequenceFormat.PortableText
    keys = {s.key().toString(portable) for s in view.findChildren(QShortcut)}
    assert keys == {"Alt+Left", "Alt+Right", "Ctrl+O", "Ctrl+P", "Ctrl+E"}
    assert keys <= set(shortcuts.bound_keys("stats"))
    mnemonics = [QKeySequence.mnemonic(w.text()).toString(portable) for w in view.findChildren(QWidget)
                 if w.isVisibleTo(view) and (isinstance(w, QAbstractButton)
                                              or (isinstance(w, QLabel) and w.buddy() is not None))]
    assert {"Alt+D", "Alt+W", "Alt+G", "Alt+T", "Alt+P", "Alt+E"} <= set(mnemonics)
    assert shortcuts.clashes("stats", [m for m in mnemonics if m]) == []
    assert shortcuts.shortcut("global", "stats").shown == "Ctrl+Shift+S"
    # the bars read out one by one by keyboard
    view.period.set_period("month", FIRST)
    view.load()
    settle(qtbot, view, task_runner)
    view.bars.setFocus()
    qtbot.keyClick(view.bars, Qt.Key.Key_Right)
    first_bar = view.bars.bars[0]
    assert view.bars.reading() == f"{first_bar[0]}：{int(first_bar[1])}"
    qtbot.keyClick(view.bars, Qt.Key.Key_Right)
    assert view.bars.reading().startswith(view.bars.bars[1][0])
    view.bars.render_image()


def test_period_arithmetic() -> None:
    assert bounds("month", date(2026, 12, 10)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert bounds("quarter", date(2026, 2, 28)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert step("month", date(2026, 12, 1), date(2026, 12, 31), 1) == (date(2027, 1, 1), date(2027, 1, 31))
    assert step("month", date(2026, 3, 1), date(2026, 3, 31), -1) == (date(2026, 2, 1), date(2026, 2, 28))
    assert step("quarter", date(2026, 1, 1), date(2026, 3, 31), -1) == (date(2025, 10, 1), date(2025, 12, 31))
    assert step("year", date(2026, 1, 1), date(2026, 12, 31), 1) == (date(2027, 1, 1), date(2027, 12, 31))
    assert step("day", date(2026, 3, 1), date(2026, 3, 1), -1) == (date(2026, 2, 28), date(2026, 2, 28))
    assert step("custom", date(2026, 3, 1), date(2026, 3, 10), 1) == (date(2026, 3, 11), date(2026, 3, 20))
    assert period_text("quarter", date(2026, 10, 1), date(2026, 12, 31)) == "2026年第四季度"


def test_enter_on_a_window_asks_for_the_drill_down(qtbot: QtBot, db: Database, made: Generated,
                                                  task_runner: TaskRunner) -> None:
    view = shown(qtbot, db, DIRECTOR, task_runner)
    row = next(i for i, r in enumerate(view.model.rows()) if r.key == "2号窗口")
    view.table.setFocus()
    view.table.selectRow(row)
    with qtbot.waitSignal(view.drill_requested) as signal:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert signal.args == ["window", "2号窗口"]
    messages: list[str] = []
    view.message.connect(messages.append)
    view.table.selectRow(view.model.rowCount() - 1)  # the total: nothing to drill into
    with qtbot.assertNotEmitted(view.drill_requested):
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert messages and "合计" in messages[-1]
    view.scope.setCurrentIndex(view.scope.findData("staff"))  # 督办 lists by window: a clerk's row says so
    settle(qtbot, view, task_runner)
    view.table.selectRow(0)
    with qtbot.assertNotEmitted(view.drill_requested):
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert "窗口（代办点）" in messages[-1]


def test_the_screen_reloads_itself_when_a_complaint_is_registered(
        qtbot: QtBot, db: Database, made: Generated, admin: Actor, task_runner: TaskRunner,
        monkeypatch: pytest.MonkeyPatch) -> None:
    view = shown(qtbot, db, DIRECTOR, task_runner, first=date(2026, 12, 1))  # today's month
    column = column_of(view, "complaints")
    total_row = view.model.rowCount() - 1
    before = int(cell(view, total_row, column))
    register(db, admin, ComplaintForm(category=1, channel="来访", content="等候时间过长", name="刘淑兰",
                                      phone="13904361234", staff_no="2001"))
    qtbot.waitUntil(lambda: cell(view, view.model.rowCount() - 1, column) == str(before + 1))
    settle(qtbot, view, task_runner)


def test_screenshot_at_1366_by_768(qtbot: QtBot, db: Database, made: Generated, task_runner: TaskRunner) -> None:
    view = shown(qtbot, db, DIRECTOR, task_runner)
    view.resize(1366, 700)
    view.figure.setCurrentIndex(view.figure.findData("satisfaction"))
    settle(qtbot, view, task_runner)
    view.table.selectRow(0)
    view.bars.setFocus()
    settle(qtbot, view, task_runner)
    SHOTS.mkdir(parents=True, exist_ok=True)
    image = view.grab().toImage()
    image.save(str(SHOTS / "U-stats.png"))
    assert image.width() == 1366
    assert QColor(image.pixelColor(5, 5)).isValid()


def test_the_director_prints_and_exports_the_months_report(qtbot: QtBot, db: Database, made: Generated,
                                                           task_runner: TaskRunner, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from app.ui.documents import DocumentOpener

    view = StatsView(db, DIRECTOR, task_runner, DocumentOpener(db, DIRECTOR, task_runner, QWidget()))
    qtbot.addWidget(view)
    view.show()
    view.period.set_period("month", FIRST)
    report = view.report
    assert report is not None and report.code == "2026-11" and report.print_button.isEnabled()
    shown_pdfs: list[tuple[str, bytes, str]] = []
    assert report.opener is not None
    report.opener.show_pdf = lambda title, data, name, _t, _n: shown_pdfs.append((title, data, name))  # type: ignore[method-assign]
    view.activateWindow()
    view.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    qtbot.keyClick(view.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(shown_pdfs), timeout=30000)
    assert shown_pdfs[0][0] == "统计报表" and shown_pdfs[0][1].startswith(b"%PDF") and "2026-11" in shown_pdfs[0][2]
    target = tmp_path / "统计报表.xlsx"
    messages: list[str] = []
    view.message.connect(messages.append)
    report.export_to(target)
    qtbot.waitUntil(lambda: bool(messages), timeout=30000)
    for box in visible_message_boxes():
        box.close()
    assert target.exists() and len(load_workbook(target).sheetnames) >= 3
    view.period.kind.setCurrentIndex(view.period.kind.findData("day"))  # no report for a single day
    assert report.code is None and not report.print_button.isEnabled() and not report.export_button.isEnabled()
    view.period.kind.setCurrentIndex(view.period.kind.findData("quarter"))
    assert report.code == "2026-Q4"
    task_runner.wait()


def test_a_clerk_has_no_township_report(qtbot: QtBot, db: Database, task_runner: TaskRunner) -> None:
    view = StatsView(db, CLERK, task_runner)
    qtbot.addWidget(view)
    assert view.report is None
    assert not [b for b in view.findChildren(QPushButton) if "报表" in b.text() or "Excel" in b.text()]


def test_the_value_axis_has_round_steps() -> None:
    from app.ui.stats.charts import nice_scale, value_text

    assert nice_scale([5.0, 4.0], False) == (5.0, 5)  # steps of 1 件, never 1.50 件
    assert nice_scale([49.0, 20.0], False) == (50.0, 5)
    assert nice_scale([1.62, 1.8], False) == (2.0, 4)
    assert nice_scale([92.3], True) == (100.0, 4)
    assert nice_scale([], False) == (4.0, 4)
    assert nice_scale([3.0], False) == (3.0, 3)
    assert value_text(12.0, False) == "12" and value_text(1.5, False) == "1.50" and value_text(None, False) == "—"
    assert value_text(92.34, True) == "92.3%"


def test_the_split_and_the_marked_bar_follow_the_chosen_row_through_a_sort(
        qtbot: QtBot, db: Database, made: Generated, task_runner: TaskRunner) -> None:
    """By staff, a row chosen stays chosen when a sort moves it, and the satisfaction split (and its title)
    is that row's, the township's on the total row; the bar of the chosen group is marked."""
    view = shown(qtbot, db, DIRECTOR, task_runner)
    view.scope.setCurrentIndex(view.scope.findData("staff"))
    settle(qtbot, view, task_runner)
    model = view.model
    chosen = model.rows()[0]
    view.table.setFocus()
    view.table.selectRow(0)
    settle(qtbot, view, task_runner)
    assert chosen.label in view.split.title
    column = column_of(view, "accepted")
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        view.table.sortByColumn(column, order)
        if model.rows()[0].key != chosen.key:
            break
    assert model.rows()[0].key != chosen.key  # the sort moved the chosen row
    settle(qtbot, view, task_runner)
    selected = view.selected_row()
    assert selected is not None and selected.key == chosen.key
    assert chosen.label in view.split.title and model.rows()[0].label not in view.split.title
    assert view.split.parts == split_parts(satisfaction_split(db, FIRST, LAST, "staff", chosen.key))
    if any(label == chosen.label for label, _v in view.bars.bars):
        assert view.bars.reading().startswith(chosen.label)
    view.table.selectRow(model.rowCount() - 1)  # the total: the township's split
    settle(qtbot, view, task_runner)
    assert "全镇" in view.split.title and view.bars.reading() == ""
    assert view.split.parts == split_parts(satisfaction_split(db, FIRST, LAST))


def test_the_screen_says_as_of_when_and_attendance_by_item_is_not_split(
        qtbot: QtBot, db: Database, made: Generated, task_runner: TaskRunner) -> None:
    from app.clock import local_now
    from app.services.stats.report import as_of_text

    view = shown(qtbot, db, DIRECTOR, task_runner)
    assert as_of_text(local_now()) in view.status.text()
    assert view.visible is not None and as_of_text(view.visible.table.as_of) in view.status.text()
    view.scope.setCurrentIndex(view.scope.findData("item"))
    view.figure.setCurrentIndex(view.figure.findData("absent"))
    settle(qtbot, view, task_runner)
    view.bars.render_image(QSize(400, 240))
    assert view.bars.is_empty() and "不按事项统计" in view.bars.shown_text
    assert cell(view, 0, column_of(view, "absent")) == "—"


def test_every_chart_draws_its_own_data() -> None:
    """Chart's two hooks (is_empty, _paint) are the base's abstract parts: every chart the screen shows
    overrides both, so the base's NotImplementedError is never reached (Qt's metaclass leaves out ABCMeta)."""
    from app.ui.stats.charts import Chart

    charts = Chart.__subclasses__()
    assert {BarChart, TrendChart, SplitChart} <= set(charts)
    for chart in charts:
        assert chart.is_empty is not Chart.is_empty and chart._paint is not Chart._paint, chart.__name__

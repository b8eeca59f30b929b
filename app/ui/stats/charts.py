"""The statistics charts, drawn with QPainter in plain widgets (no QtCharts, no numpy): bars per group,
a twelve-month trend line and the satisfaction split.

Each chart keeps plain data, paints with Chinese axis titles and the numbers on it, says 「本期无数据」
when there is nothing to draw, and can take keyboard focus (it is in the screen's tab order; a focused
chart draws a frame). The bar chart exposes the geometry it paints (`bar_geometry`) so a test can check
that the tallest bar is the largest value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

EMPTY_TEXT = "本期无数据"
MAX_BARS = 12
BAR_COLOUR = QColor("#3b7dd8")
LINE_COLOUR = QColor("#d9534f")
AXIS_COLOUR = QColor("#555555")
GRID_COLOUR = QColor("#e3e3e3")


def value_text(value: float | None, percent: bool) -> str:
    """A figure as the charts print it: 92.3%, 12, 1.25; no value: —."""
    if value is None:
        return "—"
    if percent:
        return f"{value:.1f}%"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def nice_scale(values: list[float], percent: bool) -> tuple[float, int]:
    """The value axis: its top and how many equal steps of 1, 2, 2.5 or 5 × 10ⁿ lead there (at most five;
    whole steps when every value is a whole number, so never "1.50 件"); 0–100 in four for shares."""
    if percent:
        return 100.0, 4
    largest = max(values, default=0.0)
    whole = all(float(v).is_integer() for v in values)
    if largest <= 0:
        return (4.0, 4) if whole else (1.0, 4)
    raw = largest / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if whole:
        step = max(1.0, float(math.ceil(step)))
    steps = max(1, math.ceil(largest / step - 1e-9))
    return step * steps, steps


class Chart(QWidget):
    """A titled chart area: white ground, a frame when focused, 「本期无数据」 when empty."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.title = title
        self.shown_text = ""  # the message painted instead of a chart (「本期无数据」), '' when a chart is drawn
        self.empty_text = EMPTY_TEXT  # what an empty chart says (a figure the scope cannot split says so)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable by Tab after the table
        self.setMinimumSize(260, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(420, 250)

    def is_empty(self) -> bool:
        """Each chart (bars, trend, split) says whether it has data; Chart itself is never shown."""
        raise NotImplementedError

    def _small_font(self, delta: float = -1) -> QFont:
        font = QFont(self.font())
        size = font.pointSizeF()
        if size > 0:
            font.setPointSizeF(max(7.0, size + delta))
        return font

    def plot_area(self) -> QRectF:
        """Where the chart itself goes, below the title."""
        title_h = QFontMetrics(self._title_font()).height() + 8
        return QRectF(self.rect()).adjusted(8, title_h + 4, -8, -6)

    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.fillRect(self.rect(), QColor("white"))
            painter.setFont(self._title_font())
            painter.setPen(QColor("black"))
            painter.drawText(QRectF(8, 4, self.width() - 16, QFontMetrics(painter.font()).height() + 4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
            painter.setFont(self.font())
            self.shown_text = self.empty_text if self.is_empty() else ""
            if self.shown_text:
                painter.setPen(QColor("#888888"))
                painter.drawText(self.plot_area(), Qt.AlignmentFlag.AlignCenter, self.shown_text)
            else:
                self._paint(painter, self.plot_area())
            if self.hasFocus():
                painter.setPen(QPen(self.palette().highlight().color(), 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        finally:
            painter.end()

    def _paint(self, painter: QPainter, area: QRectF) -> None:
        """Each chart draws its data inside `area` (below the title); the frame and 本期无数据 are drawn here."""
        raise NotImplementedError

    def render_image(self, size: QSize | None = None) -> QImage:
        """The chart painted into an image (tests, the screenshot); sized as asked or as shown."""
        if size is not None:
            self.resize(size)
        image = QImage(self.size(), QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        self.render(image)
        return image

    def _axes(self, painter: QPainter, plot: QRectF, scale: tuple[float, int], percent: bool, axis_title: str) -> None:
        """Horizontal grid lines with their values at the left, and the value axis' title above them."""
        top, steps = scale
        painter.setFont(self._small_font())
        metrics = QFontMetrics(painter.font())
        for i in range(steps + 1):
            value = top * i / steps
            y = plot.bottom() - plot.height() * i / steps
            painter.setPen(QPen(GRID_COLOUR if i else AXIS_COLOUR, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(AXIS_COLOUR)
            painter.drawText(QRectF(plot.left() - 52, y - metrics.height() / 2, 48, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, value_text(value, percent))
        painter.drawText(QRectF(plot.left() - 52, plot.top() - metrics.height() - 6, plot.width(),
                                metrics.height()), Qt.AlignmentFlag.AlignLeft, axis_title)


@dataclass(frozen=True)
class BarGeometry:
    label: str
    value: float
    rect: QRectF


class BarChart(Chart):
    """Bars of one figure per group (window, clerk, item, node), the largest twelve, value on each bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("各窗口对比", "statsBarChart", parent)
        self.axis_title = ""
        self.group_title = ""
        self.percent = False
        self.bars: list[tuple[str, float]] = []
        self.current: int | None = None  # the bar read out by keyboard (← →), drawn darker

    def set_data(self, title: str, axis_title: str, group_title: str, percent: bool,
                 values: list[tuple[str, float | None]], empty_text: str = EMPTY_TEXT) -> None:
        """Groups without a value (a share of nothing) are left out; the largest MAX_BARS are drawn."""
        self.title, self.axis_title, self.group_title, self.percent = title, axis_title, group_title, percent
        self.empty_text = empty_text
        shown = [(label, float(v)) for label, v in values if v is not None]
        shown.sort(key=lambda item: -item[1])
        self.bars = shown[:MAX_BARS]
        self.current = None
        self.update()

    def select_label(self, label: str | None) -> None:
        """Mark the bar of the group chosen in the table (drawn darker and read out above the chart);
        None, or a group not among the bars drawn, marks none."""
        self.current = next((i for i, (name, _v) in enumerate(self.bars) if name == label), None) \
            if label is not None else None
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """← → read the bars one by one (name and value above the chart), for whoever works by keyboard."""
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(Qt.Key(event.key()))
        if step is None or not self.bars or event.modifiers() & Qt.KeyboardModifier.AltModifier:
            super().keyPressEvent(event)  # Alt+← / Alt+→ step the period
            return
        start = -1 if self.current is None and step > 0 else len(self.bars) if self.current is None else self.current
        self.current = max(0, min(len(self.bars) - 1, start + step))
        self.update()

    def reading(self) -> str:
        """The bar read out now: "1号窗口：49"; '' when none is chosen."""
        if self.current is None or not 0 <= self.current < len(self.bars):
            return ""
        label, value = self.bars[self.current]
        return f"{label}：{value_text(value, self.percent)}"

    def is_empty(self) -> bool:
        return not self.bars

    def _plot(self, area: QRectF) -> QRectF:
        metrics = QFontMetrics(self._small_font())
        return area.adjusted(56, metrics.height() + 8, -4, -(metrics.height() * 2 + 22))

    def bar_geometry(self) -> list[BarGeometry]:
        """Each bar's rectangle in widget coordinates, as painted at the widget's present size."""
        if not self.bars:
            return []
        plot = self._plot(self.plot_area())
        top, _steps = nice_scale([v for _l, v in self.bars], self.percent)
        slot = plot.width() / len(self.bars)
        width = min(slot * 0.6, 48.0)
        out = []
        for i, (label, value) in enumerate(self.bars):
            height = plot.height() * max(0.0, value) / top
            x = plot.left() + slot * i + (slot - width) / 2
            out.append(BarGeometry(label, value, QRectF(x, plot.bottom() - height, width, height)))
        return out

    def _paint(self, painter: QPainter, area: QRectF) -> None:
        plot = self._plot(area)
        self._axes(painter, plot, nice_scale([v for _l, v in self.bars], self.percent), self.percent,
                   self.axis_title)
        font = self._small_font()
        painter.setFont(font)
        metrics = QFontMetrics(font)
        slot = plot.width() / len(self.bars)
        for i, bar in enumerate(self.bar_geometry()):
            painter.fillRect(bar.rect, BAR_COLOUR.darker(150) if i == self.current else BAR_COLOUR)
            painter.setPen(QColor("black"))
            painter.drawText(QRectF(bar.rect.center().x() - slot / 2, bar.rect.top() - metrics.height() - 2,
                                    slot, metrics.height()), Qt.AlignmentFlag.AlignCenter,
                             value_text(bar.value, self.percent))
            label_box = QRectF(plot.left() + slot * i + 1, plot.bottom() + 3, slot - 2, metrics.height() * 2 + 2)
            painter.setPen(AXIS_COLOUR)
            painter.drawText(label_box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                             | Qt.TextFlag.TextWrapAnywhere, self._fit(metrics, bar.label, slot - 2))
        painter.setPen(AXIS_COLOUR)
        painter.drawText(QRectF(area.left(), area.bottom() - metrics.height(), area.width(), metrics.height()),
                         Qt.AlignmentFlag.AlignHCenter, self.group_title)
        if self.reading():
            painter.setPen(QColor("black"))
            painter.drawText(QRectF(area.left(), plot.top() - metrics.height() * 2 - 8, area.width(), metrics.height()),
                             Qt.AlignmentFlag.AlignRight, self.reading())

    @staticmethod
    def _fit(metrics: QFontMetrics, label: str, width: float) -> str:
        """A label in at most two lines of the slot, elided when longer (the table has the whole name)."""
        if metrics.horizontalAdvance(label) <= width * 2:
            return label
        return metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(width * 2) - 4)


class TrendChart(Chart):
    """A figure month by month: twelve months ending at the period's month, values at the points."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("近12个月走势", "statsTrendChart", parent)
        self.axis_title = ""
        self.percent = False
        self.points: list[tuple[str, float | None]] = []

    def set_data(self, title: str, axis_title: str, percent: bool, points: list[tuple[str, float | None]]) -> None:
        self.title, self.axis_title, self.percent, self.points = title, axis_title, percent, list(points)
        self.update()

    def is_empty(self) -> bool:
        return not any(v for _l, v in self.points)

    def point_positions(self) -> list[QPointF | None]:
        """Where each month's point is painted (None: no value that month)."""
        plot = self._plot(self.plot_area())
        values = [v for _l, v in self.points if v is not None]
        top, _steps = nice_scale(values, self.percent)
        step = plot.width() / max(1, len(self.points))
        return [None if v is None else QPointF(plot.left() + step * (i + 0.5), plot.bottom() - plot.height() * v / top)
                for i, (_l, v) in enumerate(self.points)]

    def _plot(self, area: QRectF) -> QRectF:
        metrics = QFontMetrics(self._small_font())
        return area.adjusted(56, metrics.height() + 8, -4, -(metrics.height() + 10))

    def _paint(self, painter: QPainter, area: QRectF) -> None:
        plot = self._plot(area)
        values = [v for _l, v in self.points if v is not None]
        self._axes(painter, plot, nice_scale(values, self.percent), self.percent, self.axis_title)
        font = self._small_font(-1.5)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        step = plot.width() / max(1, len(self.points))
        positions = self.point_positions()
        painter.setPen(QPen(LINE_COLOUR, 2))
        previous: QPointF | None = None
        for point in positions:
            if point is not None and previous is not None:
                painter.drawLine(previous, point)
            previous = point
        for i, ((label, value), point) in enumerate(zip(self.points, positions, strict=True)):
            painter.setPen(AXIS_COLOUR)
            painter.drawText(QRectF(plot.left() + step * i, plot.bottom() + 3, step, metrics.height()),
                             Qt.AlignmentFlag.AlignHCenter, label)
            if point is None:
                continue
            painter.setBrush(LINE_COLOUR)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(point, 3, 3)
            painter.setPen(QColor("black"))
            painter.drawText(QRectF(point.x() - step / 2 - 6, point.y() - metrics.height() - 3, step + 12,
                                    metrics.height()), Qt.AlignmentFlag.AlignHCenter, value_text(value, self.percent))


@dataclass(frozen=True)
class SplitPart:
    label: str
    count: int
    colour: str


class SplitChart(Chart):
    """The satisfaction split: the citizens' ratings by level as one 100% bar with a legend of counts and
    shares; the system's default ratings apart (they are not in 满意度)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("满意度构成", "statsSplitChart", parent)
        self.parts: list[SplitPart] = []
        self.defaults = 0

    def set_data(self, title: str, parts: list[SplitPart], defaults: int) -> None:
        self.title, self.parts, self.defaults = title, list(parts), defaults
        self.update()

    def is_empty(self) -> bool:
        return not self.defaults and not any(p.count for p in self.parts)

    def citizen_total(self) -> int:
        return sum(p.count for p in self.parts)

    def segments(self) -> list[tuple[SplitPart, QRectF]]:
        """Each level's stretch of the 100% bar, as painted at the widget's present size."""
        area = self.plot_area()
        total = self.citizen_total()
        if not total:
            return []
        bar = QRectF(area.left() + 4, area.top() + 4, area.width() - 8, min(34.0, area.height() / 5))
        out, x = [], bar.left()
        for part in self.parts:
            width = bar.width() * part.count / total
            out.append((part, QRectF(x, bar.top(), width, bar.height())))
            x += width
        return out

    def _paint(self, painter: QPainter, area: QRectF) -> None:
        metrics = QFontMetrics(painter.font())
        total = self.citizen_total()
        segments = self.segments()
        for part, rect in segments:
            painter.fillRect(rect, QColor(part.colour))
            share = f"{100 * part.count / total:.0f}%"
            if part.count and metrics.horizontalAdvance(share) + 4 < rect.width():
                painter.setPen(QColor("white"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, share)
        y = (segments[0][1].bottom() if segments else area.top()) + 10
        if not total:
            painter.setPen(QColor("#888888"))
            painter.drawText(QRectF(area.left() + 4, y, area.width(), metrics.height()), Qt.AlignmentFlag.AlignLeft,
                             "本期无群众评价")
            y += metrics.height() + 6
        line = metrics.height() + 4
        column = (area.width() - 8) / 2
        for i, part in enumerate(self.parts):
            x = area.left() + 4 + column * (i % 2)
            row_y = y + line * (i // 2)
            self._legend(painter, x, row_y, column, part.colour, f"{part.label} {part.count} 条"
                         + (f"（{100 * part.count / total:.1f}%）" if total else ""))
        y += line * ((len(self.parts) + 1) // 2) + 6
        self._legend(painter, area.left() + 4, y, area.width() - 8, "#9e9e9e",
                     f"系统默认评价 {self.defaults} 条（另列，不计入满意度）")

    @staticmethod
    def _legend(painter: QPainter, x: float, y: float, width: float, colour: str, text: str) -> None:
        metrics = QFontMetrics(painter.font())
        side = metrics.height() - 4
        painter.fillRect(QRectF(x, y + 2, side, side), QColor(colour))
        painter.setPen(QColor("black"))
        painter.drawText(QRectF(x + side + 6, y, width - side - 6, metrics.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

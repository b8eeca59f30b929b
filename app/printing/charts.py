"""The statistics report's charts, drawn with reportlab.graphics from plain numbers: bars per window, a
monthly trend line and the satisfaction split.

reportlab's chart parts default to Helvetica, which a PDF would list unembedded (and draw Chinese as
nothing): the drawing's initial state and every string here — title, axis labels, legend, slice labels,
bar values — are given the embedded face
(fonts.register_pdf_font) explicitly, and a test reads the finished PDF's fonts to hold us to it. Text
with characters the main face lacks is rare in window names; such a label is drawn as far as the face
goes (the tables beside the chart print it whole).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from app.printing.fonts import register_pdf_font

PALETTE = (colors.HexColor("#3b6fb6"), colors.HexColor("#e08a2e"), colors.HexColor("#4a9a5b"),
           colors.HexColor("#c0504d"), colors.HexColor("#8064a2"), colors.HexColor("#9a9a9a"))
LEVEL_COLOURS = (colors.HexColor("#2e7d32"), colors.HexColor("#66bb6a"), colors.HexColor("#c5e1a5"),
                 colors.HexColor("#ef9a9a"), colors.HexColor("#c62828"), colors.HexColor("#b0b0b0"))
LABEL_SIZE = 7
Series = Sequence[tuple[str, Sequence[float | None]]]  # (legend name, one value per category)


def _drawing(width: float, height: float, title: str) -> Drawing:
    # the drawing's starting state names a font even when nothing is written: ours, not Helvetica
    drawing = Drawing(width, height, initialFontName=register_pdf_font())
    drawing.add(String(width / 2, height - 11, title, fontName=register_pdf_font(), fontSize=10,
                       textAnchor="middle"))
    return drawing


def _legend(x: float, y: float, names: Sequence[str], palette: Sequence[colors.Color],
            columns: int = 0) -> Legend:
    legend = Legend()
    legend.fontName = register_pdf_font()
    legend.fontSize = LABEL_SIZE
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.dx = legend.dy = 7
    legend.deltay = 9
    legend.columnMaximum = columns or len(names)
    legend.deltax = 60
    legend.colorNamePairs = list(zip(palette, names, strict=False))
    return legend


def _nice_top(value: float) -> float:
    """An axis top a little above the largest value, on a round step (never 0: an empty chart still has
    an axis)."""
    if value <= 0:
        return 5.0
    step = 1.0
    while value / step > 10:
        step *= 2 if str(int(step))[0] in "15" else 2.5
    return float(int(value / step + 1) * step)


def _axis_fonts(chart: VerticalBarChart | HorizontalLineChart) -> None:
    font = register_pdf_font()
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = LABEL_SIZE
    chart.valueAxis.valueMin = 0


def bar_chart(title: str, categories: Sequence[str], series: Series, width: float = 178 * mm,
              height: float = 75 * mm) -> Drawing:
    """Grouped bars (one group per window, one bar per series), the legend top right; many or long
    names are slanted so they do not run into each other."""
    drawing = _drawing(width, height, title)
    chart = VerticalBarChart()
    slanted = len(categories) > 6 or any(len(c) > 6 for c in categories)
    bottom = 22 * mm if slanted else 10 * mm
    chart.x, chart.y = 12 * mm, bottom
    chart.width, chart.height = width - 16 * mm, height - bottom - 16 * mm
    chart.data = [[float(v or 0) for v in values] for _, values in series] or [[0.0]]
    chart.categoryAxis.categoryNames = [c[:12] for c in categories] or ["—"]
    _axis_fonts(chart)
    chart.valueAxis.valueMax = _nice_top(max((v for row in chart.data for v in row), default=0))
    if slanted:
        chart.categoryAxis.labels.angle = 35
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.dx, chart.categoryAxis.labels.dy = 2, -2
    chart.groupSpacing = 6
    chart.barSpacing = 1
    for index in range(len(series)):
        chart.bars[index].fillColor = PALETTE[index % len(PALETTE)]
        chart.bars[index].strokeColor = None
    if len(categories) <= 12:  # the values on top, while there is room for them
        chart.barLabelFormat = "%.0f"
        chart.barLabels.fontName = register_pdf_font()
        chart.barLabels.fontSize = 6
        chart.barLabels.nudge = 5
    drawing.add(chart)
    if not categories:
        drawing.add(String(chart.x + chart.width / 2, chart.y + chart.height / 2, "本期没有窗口数据",
                           fontName=register_pdf_font(), fontSize=9, textAnchor="middle"))
    drawing.add(_legend(width - 30 * mm, height - 4, [name for name, _ in series], PALETTE))
    return drawing


def line_chart(title: str, categories: Sequence[str], series: Series, unit: str = "", width: float = 178 * mm,
               height: float = 62 * mm, top: float | None = None) -> Drawing:
    """Lines over the months, a marker on each point; a month without a value (a share with no base)
    has no marker, and the line joins the months that have one."""
    from reportlab.graphics.widgets.markers import makeMarker

    drawing = _drawing(width, height, title + (f"（{unit}）" if unit else ""))
    chart = HorizontalLineChart()
    chart.x, chart.y = 12 * mm, 10 * mm
    chart.width, chart.height = width - 16 * mm, height - 26 * mm
    chart.data = [[None if v is None else float(v) for v in values] for _, values in series] or [[0.0]]
    chart.categoryAxis.categoryNames = list(categories) or ["—"]
    _axis_fonts(chart)
    chart.valueAxis.valueMax = top if top is not None else _nice_top(
        max((v for row in chart.data for v in row if v is not None), default=0))
    # a line needs two points: with fewer in any series (a share over months without ratings) the points
    # are drawn as markers only, which reportlab can always draw
    chart.joinedLines = int(all(sum(v is not None for v in row) >= 2 for row in chart.data))
    for index in range(len(series)):
        chart.lines[index].strokeColor = PALETTE[index % len(PALETTE)]
        chart.lines[index].strokeWidth = 1.5
        chart.lines[index].symbol = makeMarker("FilledCircle", size=3, fillColor=PALETTE[index % len(PALETTE)])
    drawing.add(chart)
    drawing.add(_legend(width - 30 * mm, height - 4, [name for name, _ in series], PALETTE))
    return drawing


def pie_chart(title: str, parts: Sequence[tuple[str, int]], note: str = "", width: float = 178 * mm,
              height: float = 62 * mm) -> Drawing:
    """The satisfaction split: a pie of the counted ratings per level with a legend giving each count and
    share; parts with no ratings are left out of the pie but kept in the legend. No ratings at all: the
    legend says so instead of an empty circle."""
    font = register_pdf_font()
    drawing = _drawing(width, height, title)
    total = sum(n for _, n in parts)
    names = [f"{label}　{n} 条" + (f"（{100.0 * n / total:.1f}%）" if total else "") for label, n in parts]
    shown = [(i, n) for i, (_, n) in enumerate(parts) if n > 0]
    if shown:
        pie = Pie()
        size = height - 22 * mm
        pie.x, pie.y, pie.width, pie.height = 22 * mm, 8 * mm, size, size
        pie.data = [n for _, n in shown]
        pie.labels = None
        pie.simpleLabels = 1
        pie.slices.strokeColor = colors.white
        pie.slices.strokeWidth = 0.5
        pie.slices.fontName = font  # labels are off; set anyway so no slice ever asks for Helvetica
        for slot, (index, _) in enumerate(shown):
            pie.slices[slot].fillColor = LEVEL_COLOURS[index % len(LEVEL_COLOURS)]
        drawing.add(pie)
    else:
        drawing.add(String(22 * mm + (height - 22 * mm) / 2, height / 2, "本期没有计入的评价", fontName=font,
                           fontSize=9, textAnchor="middle"))
    drawing.add(_legend(width / 2 - 10 * mm, height - 18, names, LEVEL_COLOURS))
    if note:
        drawing.add(String(width / 2 - 10 * mm, 6, note, fontName=font, fontSize=LABEL_SIZE))
    return drawing

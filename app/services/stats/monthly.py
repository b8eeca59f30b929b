"""The monthly or quarterly report (统计报表): its tables, trend and split gathered once, then handed as plain
data to the PDF (app.printing.stats_report_pdf) or written as a workbook (workbook.py).

The same gathering serves the workstation, the centre (a report.Source over the centre's PostgreSQL) and
the county (over the townships it subscribes to, by township and item instead of window and clerk, whose
names repeat from one township to the next): what differs is where the rows are, what the place is called,
which tables it has and which figures it has no records for (printed as “—” and said so in the notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.clock import local_now
from app.database import Database
from app.printing.stats_report_pdf import ReportTable, StatsReportSheet, TableBlock
from app.safe_write import write_bytes_atomically
from app.services.errors import ValidationError
from app.services.stats.figures import BY_KEY, EVERY_SCOPE, FIGURES, values_of
from app.services.stats.periods import ReportPeriod, parse_report_period
from app.services.stats.queue_figures import QUEUE_FIGURES
from app.services.stats.report import (
    Source,
    StatsRow,
    StatsTable,
    as_of_note,
    as_of_text,
    class_counts_text,
    counted_at,
    format_value,
    source_of,
    tables_for,
    uncounted_note,
)
from app.services.stats.series import TREND_FIGURES, SatisfactionSplit, TrendPoint, monthly_trend, satisfaction_split
from app.services.stats.service_figures import SERVICE_FIGURES

# What the paper tables show (A4 portrait has room for eleven figures); the workbook has every figure.
REPORT_COLUMNS = ("accepted", "completed", "on_time_rate", "overdue", "avg_workdays", "one_visit_rate", "trips_avg",
                  "ratings", "satisfaction", "bad_ratings", "complaints")
# The service figures (预约, 上门, 延时服务, 考勤) each scope table carries as a second block beneath the
# case figures, those that cannot be split by the scope left out (attendance has no 事项: Figure.scopes).
SERVICE_COLUMNS = tuple(f.key for f in SERVICE_FIGURES)
# The hall queue's times, a third block of the scopes they split by (window, clerk): a block of their own,
# as the service block already fills the page's width.
QUEUE_COLUMNS = tuple(f.key for f in QUEUE_FIGURES)
QUEUE_BLOCK = "排队叫号"
SHORT_LABELS = {"avg_workdays": "平均办结工作日", "after_hours_hours": "延时服务时长（小时）",  # narrow columns
                "queue_wait_avg": "平均等候时长（分钟）", "queue_service_avg": "平均办理时长（分钟）"}
CASE_BLOCK = "办件、评价和投诉"
SERVICE_BLOCK = "预约、上门、延时服务和考勤"
SERVICE_BLOCK_NO_ATTENDANCE = "预约、上门和延时服务"  # by 事项: attendance belongs to people
NO_SERVICE = "本期没有预约、上门或延时服务。"
TOP_ITEMS = 20
OTHER_ITEMS = "其他"
SCOPE_TITLES = {"window": "按窗口（代办点）", "staff": "按工作人员", "item": "按事项", "township": "按乡镇"}
BARS_TITLES = {"window": "各窗口（代办点）受理量与办结量", "township": "各乡镇受理量与办结量"}  # the first table's bars
LEFT_OUT_NOTES = {"item": "考勤属于人员及其窗口，不按事项统计。"}  # why a scope's table lacks a service figure
REPORT_SCOPES = ("window", "staff", "item")  # a township's report; the first scope's rows are the bar chart's


@dataclass(frozen=True)
class ReportData:
    period: ReportPeriod
    tables: dict[str | None, StatsTable]  # None: the township; window, staff, item
    trend: tuple[TrendPoint, ...]  # the 12 months ending with the period's last month
    split: SatisfactionSplit
    scopes: tuple[str, ...] = REPORT_SCOPES  # the tables after the total, in order
    uncounted: frozenset[str] = frozenset()  # figures the source holds no records for (the county: attendance)

    @property
    def township(self) -> StatsRow:
        return self.tables[None].total

    @property
    def as_of(self) -> datetime:
        """The moment every figure of the report was counted at (one moment for all its tables)."""
        return self.tables[None].as_of


def gather(db: Database | Source, period: str | ReportPeriod, today: date | None = None,
           scopes: tuple[str, ...] = REPORT_SCOPES) -> ReportData:
    """Every number the report prints, for a period given as 2026-11 or 2026-Q4."""
    named = period if isinstance(period, ReportPeriod) else parse_report_period(period)
    day, as_of = counted_at(today)
    first, last = named.period.first, named.period.last
    source = source_of(db)
    tables = tables_for(source, first, last, (None, *scopes), as_of)
    trend = monthly_trend(source, last, 12, TREND_FIGURES, today=day)
    return ReportData(named, tables, trend, satisfaction_split(source, first, last), scopes, source.uncounted)


def top_items(table: StatsTable, count: int = TOP_ITEMS, uncounted: frozenset[str] = frozenset()) -> tuple[StatsRow, ...]:
    """The `count` items most accepted, then the rest as one 其他 line counted from their summed counts
    (a share of 其他 is its own share, not an average of shares)."""
    ranked = sorted(table.rows, key=lambda r: (-int(r.values["accepted"] or 0), r.key))
    rest = ranked[count:]
    if not rest:
        return tuple(ranked)
    raw: dict[str, float] = {}
    for row in rest:
        for name, value in row.raw.items():
            raw[name] = raw.get(name, 0) + value
    return (*ranked[:count], StatsRow("", f"{OTHER_ITEMS}（{len(rest)} 项）", values_of(raw, None, uncounted), {}, raw))


def _block(caption: str, keys: tuple[str, ...], rows: tuple[StatsRow, ...], total: StatsRow) -> TableBlock:
    def formatted(row: StatsRow) -> tuple[str, ...]:
        return tuple(format_value(key, row.values[key]) for key in keys)

    return TableBlock(caption, tuple(SHORT_LABELS.get(k, BY_KEY[k].label_cn) for k in keys),
                      tuple((r.label, formatted(r)) for r in rows), formatted(total))


def service_columns(by: str) -> tuple[str, ...]:
    """The service figures a scope's table shows: those that can be split by it."""
    return tuple(k for k in SERVICE_COLUMNS if BY_KEY[k].splits(by))


def _scope_table(data: ReportData, by: str) -> ReportTable:
    """A scope's table: the case figures, then the service figures of the same groups (for 事项, only
    when some item had a service: attendance has no 事项, so little is left to show)."""
    township = data.township
    rows = top_items(data.tables[by], uncounted=data.uncounted) if by == "item" else data.tables[by].rows
    notes = [f"按受理量列出前 {TOP_ITEMS} 个事项，其余合为“{OTHER_ITEMS}”。"] if by == "item" else []
    blocks = [_block(CASE_BLOCK, REPORT_COLUMNS, rows, township)]
    keys = service_columns(by)
    counted = tuple(k for k in keys if k not in data.uncounted)
    served = tuple(r for r in rows if any(r.values[k] for k in counted))
    if counted and by == "item" and not served:
        notes.append(NO_SERVICE)
    elif counted:  # none counted: nothing of the service is held here, which the notes say once (uncounted_note)
        caption = SERVICE_BLOCK if len(keys) == len(SERVICE_COLUMNS) else SERVICE_BLOCK_NO_ATTENDANCE
        blocks.append(_block(caption, keys, rows if by != "item" else served, township))
    left_out = [BY_KEY[k].label_cn for k in SERVICE_COLUMNS if k not in keys]
    if counted and left_out:
        notes.append(LEFT_OUT_NOTES.get(by) or f"{'、'.join(left_out)}不按{EVERY_SCOPE[by]}统计。")
    queued = tuple(k for k in QUEUE_COLUMNS if BY_KEY[k].splits(by) and k not in data.uncounted)
    if queued and any(township.values[k] is not None for k in queued):  # a hall without the queue: no empty block
        blocks.append(_block(QUEUE_BLOCK, queued, tuple(r for r in rows if any(r.values[k] is not None for k in queued)),
                             township))
    return ReportTable(SCOPE_TITLES[by], EVERY_SCOPE[by], tuple(blocks), "".join(notes))


def report_sheet(data: ReportData, center_name: str, printed_by: str, training: bool = False) -> StatsReportSheet:
    """The plain data the PDF lays out."""
    township = data.township
    tables = [_scope_table(data, by) for by in data.scopes]
    windows = data.tables[data.scopes[0]].rows
    period = data.period.period
    return StatsReportSheet(
        center_name=center_name, period_title=data.period.title,
        period_text=f"{period.first.isoformat()} 至 {period.last.isoformat()}",
        as_of=as_of_text(data.as_of),
        printed=local_now().strftime("%Y-%m-%d %H:%M"), printed_by=printed_by,
        township=tuple((f.label_cn, _with_unit(f.key, township.values[f.key])) for f in FIGURES),
        class_counts=class_counts_text(township),
        tables=tuple(tables),
        window_bars=tuple((r.label, float(r.values["accepted"] or 0), float(r.values["completed"] or 0))
                          for r in windows),
        trend=tuple((p.label, p.values["accepted"] or 0.0, p.values["completed"] or 0.0, p.values["satisfaction"])
                    for p in data.trend),
        split=tuple(data.split.parts()),
        definitions=tuple((f.label_cn, f.unit, f.definition_cn) for f in FIGURES),
        as_of_note=" ".join(n for n in (as_of_note(data.as_of), uncounted_note(data.uncounted)) if n),
        training=training, area=township.label.removesuffix("合计"),
        bars_title=BARS_TITLES.get(data.scopes[0], f"各{EVERY_SCOPE[data.scopes[0]]}受理量与办结量"))


def _with_unit(key: str, value: int | float | None) -> str:
    text = format_value(key, value)
    unit = BY_KEY[key].unit
    return text if value is None or unit == "%" else f"{text} {unit}"


def check_output(path: Path) -> str:
    """The kind of file asked for (pdf or xlsx), refused in Chinese otherwise; nothing is written here."""
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("pdf", "xlsx"):
        raise ValidationError("报表文件应以 .pdf 或 .xlsx 结尾")
    if len(str(path)) > 1000:
        raise ValidationError("报表文件路径过长")
    return kind


def write_report(data: ReportData, path: Path, center_name: str, printed_by: str, training: bool = False) -> None:
    """The PDF or the workbook, by the file's ending; it appears only when whole."""

    from app.printing.stats_report_pdf import stats_report_pdf
    from app.services.stats.workbook import write_workbook

    if check_output(path) == "xlsx":
        write_workbook(data, path, center_name)
        return
    write_bytes_atomically(path, stats_report_pdf(report_sheet(data, center_name, printed_by, training)))

"""差评整改台账: the bad ratings and their rectification as landscape A4 pages, the column header on every
page, 第 N 页 共 M 页 in the footer and the totals at the end.

Laid out as the 办件登记簿 is (app.printing.case_ledger_pdf): rows in small tables, the header drawn by
each later page itself, the page count drawn once into a form every footer refers to. A rating an
upheld appeal excluded stays on the ledger, greyed and marked 申诉成立（不计入）, and is left out of the
counted totals; an overdue rectification is printed in red. ID and mobile numbers typed into free text
are masked. Building changes nothing and reports progress per row, so it may be cancelled anywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    NextPageTemplate,
    Spacer,
    Table,
)

from app.printing.case_ledger_pdf import build_ledger, dense
from app.printing.fonts import register_pdf_font
from app.printing.layout import GREY, RED, Paragraph, grid, styles
from app.printing.ledger_pdf import _CountedCell
from app.printing.text import mask_free_text, para
from app.progress import NO_PROGRESS, Progress

TITLE = "差评整改台账"
PREPARING = "正在准备差评整改台账"
HEADER = ("序号", "评价日期／评价对象编号", "被评价人／窗口", "评价等级", "评价原因", "评价内容", "整改状态",
          "整改期限", "亮灯", "回访（回访人、时间、情况、是否满意）", "整改说明", "申诉复核")
# 265 mm: landscape A4 less the margins; a date, a 22-digit number and a date each fit on one line.
WIDTHS_MM = (8, 38, 24, 11, 28, 40, 14, 17, 13, 32, 22, 18)
CELL_PADDING = 3
ROWS_PER_TABLE = 30
STATE_ORDER = (("pending", "待核实"), ("fixing", "整改中"), ("fixed", "已整改"), ("unfixable", "无法整改"))


@dataclass(frozen=True)
class LedgerRow:
    rated: str
    target: str
    staff: str  # "王晓东（1002）\n社保窗口"
    level: str
    reasons: str
    text: str
    state: str  # its label; 申诉成立（不计入） when excluded
    status: str  # the code, for the totals
    excluded: bool
    due: str
    light: str
    overdue: bool
    callback: str
    called_back: bool
    outcome: str
    appeal: str
    superseded: bool = False  # a later rating of the citizen's (追评) counts instead: not in the figures


@dataclass(frozen=True)
class LedgerSheet:
    center_name: str
    period: str
    printed: str
    printed_by: str
    total: int  # rows that will follow (what progress counts against)
    training: bool = False


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    tiny = styles()["tiny"]
    center = styles()["tiny_center"]
    return {"cell": ParagraphStyle("rect_cell", parent=tiny, fontSize=7.5, leading=9.5),
            "center": ParagraphStyle("rect_center", parent=center, fontSize=7.5, leading=9.5),
            "red": ParagraphStyle("rect_red", parent=center, fontSize=7.5, leading=9.5, textColor=RED),
            "grey": ParagraphStyle("rect_grey", parent=tiny, fontSize=7.5, leading=9.5, textColor=GREY)}


def _widths() -> list[float]:
    return [w * mm for w in WIDTHS_MM]


def _header() -> Table:
    return dense(grid([[Paragraph(para(h), _styles()["center"]) for h in HEADER]], _widths()))


def _cells(index: int, row: LedgerRow, total: int, progress: Progress) -> list[object]:
    st = _styles()
    body = st["grey"] if row.excluded or row.superseded else st["cell"]
    center = st["center"]

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(para(text), style)

    return [_CountedCell(str(index), center, index, total, progress), p(f"{row.rated}\n{row.target}"),
            p(row.staff), p(row.level, center), p(row.reasons), p(mask_free_text(row.text)),
            p(row.state, center), p(row.due, st["red"] if row.overdue else center),
            p(row.light, st["red"] if row.overdue else center), p(mask_free_text(row.callback)),
            p(mask_free_text(row.outcome)), p(mask_free_text(row.appeal))]


@dataclass
class _Tally:
    """What the totals need of each row (the rows themselves are not kept: a ledger may be long)."""

    rows: int = 0
    counted: int = 0
    superseded: int = 0
    called: int = 0
    overdue: int = 0

    def __post_init__(self) -> None:
        self.states: Counter[str] = Counter()

    def add(self, row: LedgerRow) -> None:
        self.rows += 1
        if row.excluded:
            return
        if row.superseded:
            self.superseded += 1
            return
        self.counted += 1
        self.states[row.status] += 1
        self.called += row.called_back
        self.overdue += row.overdue

    def text(self) -> str:
        parts = "、".join(f"{label} {self.states.get(code, 0)} 条" for code, label in STATE_ORDER)
        excluded = self.rows - self.counted - self.superseded
        replaced = f"、已被追评取代（不计入）{self.superseded} 条" if self.superseded else ""
        return (f"合计：差评 {self.rows} 条，其中计入统计 {self.counted} 条、申诉成立（不计入）{excluded} 条{replaced}。"
                f"计入统计的：{parts}；已回访 {self.called} 条、未回访 {self.counted - self.called} 条；"
                f"超期 {self.overdue} 条。")


def ledger_pdf(sheet: LedgerSheet, rows: Iterable[LedgerRow], progress: Progress = NO_PROGRESS) -> bytes:
    register_pdf_font()  # before the styles that name the font
    st = styles()
    story: list[Flowable] = [
        NextPageTemplate("later"),
        Paragraph(f"{para(sheet.center_name)}{TITLE}", st["title"]),
        Paragraph(f"评价日期：{para(sheet.period)}　共 {sheet.total} 条　打印：{para(sheet.printed_by)} "
                  f"{para(sheet.printed)}", st["subtitle"]),
        Spacer(1, 3 * mm),
        _header(),
    ]
    tally = _Tally()
    chunk: list[list[object]] = []
    progress.step(0, sheet.total, PREPARING)
    for index, row in enumerate(rows, start=1):
        total = max(sheet.total, index)
        progress.step(index, total, PREPARING)
        progress.check()
        tally.add(row)
        chunk.append(_cells(index, row, total, progress))
        if len(chunk) == ROWS_PER_TABLE:
            story.append(dense(grid(chunk, _widths(), header=False)))
            chunk = []
    if chunk:
        story.append(dense(grid(chunk, _widths(), header=False)))
    if not tally.rows:
        story.append(Paragraph("（没有符合条件的差评）", st["subtitle"]))
    story += [Spacer(1, 3 * mm), Paragraph(para(tally.text()), st["body"]), Spacer(1, 1 * mm), Paragraph(
        "说明：整改期限按工作日计算，超期的以红色标出；申诉成立的差评保留在台账中（灰色），不计入任何统计；"
        "文字中的身份证号和手机号已作部分隐藏。", st["small"])]
    return build_ledger(story, TITLE, _header, sheet.training)

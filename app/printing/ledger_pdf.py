"""首问登记簿: the register as a landscape ledger; phone and ID numbers are masked.

A year's register runs to hundreds of pages and takes a while to lay out, so the build reports its
progress (app.progress): per row prepared, then per row as it is drawn on its page. Building changes
nothing, so it may be cancelled anywhere (app.progress.Cancelled ends reportlab's build).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.printing.layout import PageSetup, build_pdf, grid, styles
from app.printing.text import mask_free_text, para
from app.progress import NO_PROGRESS, Progress
from app.services.masking import mask_phone

PREPARING = "正在准备登记簿"
DRAWING = "正在排版登记簿"


@dataclass(frozen=True)
class LedgerRow:
    number: str
    asked: str
    citizen_name: str
    citizen_phone: str
    channel: str
    question: str
    item: str
    outcome: str
    follow_up: str
    responder: str


@dataclass(frozen=True)
class LedgerSheet:
    center_name: str
    period: str
    printed: str
    printed_by: str
    rows: tuple[LedgerRow, ...]
    training: bool = False


class _CountedCell(Paragraph):
    """The 序号 cell: drawing it means its row is on a page, which is what progress counts."""

    def __init__(self, text: str, style: object, index: int, total: int, progress: Progress) -> None:
        super().__init__(text, style)  # type: ignore[arg-type]
        self._index, self._total, self._progress = index, total, progress

    def draw(self) -> None:
        self._progress.step(self._index, self._total, DRAWING)
        self._progress.check()
        super().draw()


def ledger_pdf(sheet: LedgerSheet, progress: Progress = NO_PROGRESS) -> bytes:
    st = styles()
    cell, center = st["tiny"], st["tiny_center"]
    total = len(sheet.rows)

    def p(text: str, style: object = cell) -> Paragraph:
        return Paragraph(para(text), style)  # type: ignore[arg-type]

    header = [p(h, center) for h in ("序号", "登记号", "时间", "咨询人", "联系电话", "渠道", "咨询内容", "相关事项",
                                      "处理结果", "去向/告知书", "首问责任人")]
    rows: list[list[object]] = [header]
    progress.step(0, total, PREPARING)
    for index, r in enumerate(sheet.rows, start=1):
        progress.step(index, total, PREPARING)
        progress.check()
        rows.append(
            [
                _CountedCell(str(index), center, index, total, progress), p(r.number), Paragraph(para(r.asked).replace(" ", "<br/>", 1), cell),
                p(r.citizen_name), p(mask_phone(r.citizen_phone)),
                p(r.channel, center), p(mask_free_text(r.question)), p(r.item), p(r.outcome, center),
                p(mask_free_text(r.follow_up)), p(r.responder),
            ]
        )
    widths = [8, 46, 20, 15, 23, 9, 34, 26, 15, 45, 24]  # 265 mm: landscape A4 less margins
    story: list[Flowable] = [
        Paragraph(f"{para(sheet.center_name)}首问登记簿", st["title"]),
        Paragraph(f"登记期间：{para(sheet.period)}　共 {len(sheet.rows)} 条　打印：{para(sheet.printed_by)} "
                  f"{para(sheet.printed)}", st["subtitle"]),
        Spacer(1, 3 * mm),
        grid(rows, [w * mm for w in widths]),
        Spacer(1, 2 * mm),
        Paragraph("说明：为保护个人信息，登记簿中的电话号码和身份证号码已作部分隐藏。", st["small"]),
    ]
    return build_pdf(story, PageSetup(title="首问登记簿", training=sheet.training, landscape=True, footer="首问登记簿"))

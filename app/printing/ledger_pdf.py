"""首问登记簿: the register as a landscape ledger; phone and ID numbers are masked."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.printing.layout import PageSetup, build_pdf, grid, styles
from app.printing.text import mask_free_text, para
from app.services.masking import mask_phone


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


def ledger_pdf(sheet: LedgerSheet) -> bytes:
    st = styles()
    cell, center = st["tiny"], st["tiny_center"]

    def p(text: str, style: object = cell) -> Paragraph:
        return Paragraph(para(text), style)  # type: ignore[arg-type]

    header = [p(h, center) for h in ("序号", "登记号", "时间", "咨询人", "联系电话", "渠道", "咨询内容", "相关事项",
                                      "处理结果", "去向/告知书", "首问责任人")]
    rows: list[list[object]] = [header]
    for index, r in enumerate(sheet.rows, start=1):
        rows.append(
            [
                p(str(index), center), p(r.number), Paragraph(para(r.asked).replace(" ", "<br/>", 1), cell),
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

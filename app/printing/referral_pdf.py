"""转介告知单: why the matter is not the centre's, and exactly where and when to go instead."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.printing.barcodes import Code128
from app.printing.layout import PageSetup, band, build_pdf, grid, styles, title_block
from app.printing.text import para


@dataclass(frozen=True)
class ReferralSheet:
    number: str
    center_name: str
    asked: str
    citizen_name: str
    citizen_phone: str
    channel: str
    question: str
    reason: str
    department_name: str
    department_address: str
    department_phone: str
    department_hours: str
    department_duties: str
    responder_name: str
    responder_no: str
    responder_window: str
    supervise_phone: str
    training: bool = False
    reprint_at: str | None = None


def referral_pdf(sheet: ReferralSheet) -> bytes:
    st = styles()
    body, cell = st["body"], st["cell"]

    def p(text: str) -> Paragraph:
        return Paragraph(para(text), cell)

    title = title_block(sheet.center_name, "转介告知单", sheet.reprint_at)
    header = band([title, Code128(sheet.number)], [None, 75 * mm])
    story: list[Flowable] = [
        header,
        Spacer(1, 3 * mm),
        grid(
            [
                [p("登记编号"), p(sheet.number), p("登记时间"), p(sheet.asked)],
                [p("咨询人"), p(sheet.citizen_name), p("联系电话"), p(sheet.citizen_phone)],
                [p("咨询方式"), p(sheet.channel), p("首问责任人"), p(f"{sheet.responder_name}（工号{sheet.responder_no}）")],
            ],
            [26 * mm, 64 * mm, 26 * mm, 62 * mm],
            header=False,
        ),
        Paragraph("您咨询的事项", st["heading"]),
        Paragraph(para(sheet.question), body),
        Paragraph("不属本中心受理范围的原因", st["heading"]),
        Paragraph(para(sheet.reason), body),
        Paragraph("请到以下部门办理", st["heading"]),
        grid(
            [
                [p("部门名称"), p(sheet.department_name)],
                [p("地址"), p(sheet.department_address)],
                [p("联系电话"), p(sheet.department_phone)],
                [p("办公时间"), p(sheet.department_hours)],
                [p("主要职责"), p(sheet.department_duties or "—")],
            ],
            [26 * mm, 152 * mm],
            header=False,
        ),
        Spacer(1, 3 * mm),
        Paragraph(
            f"本中心首问责任人{para(sheet.responder_name)}（{para(sheet.responder_window)}）已为您登记并转介。如到该部门后仍无法"
            f"办理，请持本单联系首问责任人，或拨打监督电话 {para(sheet.supervise_phone)}。",
            body,
        ),
        Spacer(1, 10 * mm),
        Paragraph("咨询人签收：＿＿＿＿＿＿＿＿＿＿　　　日期：＿＿＿＿年＿＿月＿＿日", body),
    ]
    return build_pdf(story, PageSetup(title=f"转介告知单 {sheet.number}", training=sheet.training, footer=sheet.number))

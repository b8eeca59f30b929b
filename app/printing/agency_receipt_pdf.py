"""代办受理单: the receipt a village agent gives a villager whose application the agency point accepted.

It says what a window's 受理回执 says (number, item, applicant, materials received, the promised date)
and, in its place, who took the papers: the 代办员 and the agency point, and the township centre that
will handle the case once the papers are handed over. Like every case document it carries the number as
Code128 and text, and a QR code with the number and the query code. Built from plain data only.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from app.printing.barcodes import Code128, QrCode
from app.printing.case_parts import PLAIN_CELLS, seal, staff_band
from app.printing.case_pdf import CaseSheet, electronic_text, qr_payload
from app.printing.layout import PageSetup, Paragraph, band, build_pdf, fitted, grid, styles, title_block
from app.printing.text import para


@dataclass(frozen=True)
class AgencyReceiptSheet:
    """The case as its receipt shows it (CaseSheet: staff_* are the agent's), and the agency point.
    Kept as issued like every sheet (app.printing.sheet_json); `reprint_at` marks a reprint 补打."""

    case: CaseSheet
    agency_name: str  # 红旗村民生服务代办点 (this node's name)
    agency_phone: str = ""  # the point's own phone, else the agent's window phone from the sheet
    reprint_at: str | None = None  # set on a reprint (the case sheet's own mark counts too)


def agency_receipt_title(sheet: AgencyReceiptSheet) -> str:
    """Nothing is accepted for a refusal or an incomplete file: then the paper is a 代办收件单."""
    return "代办收件单" if sheet.case.case_class in ("rejected", "supplement") else "代办受理单"


FACTS_WIDTHS = (26 * mm, 70 * mm, 22 * mm, 60 * mm)
MATERIAL_WIDTHS = (12 * mm, 86 * mm, 20 * mm, 24 * mm, 18 * mm, 18 * mm)


def _facts(sheet: AgencyReceiptSheet, st: dict) -> Flowable:  # type: ignore[type-arg]
    case, c = sheet.case, st["cell"]

    def p(text: str, column: int = 1) -> object:
        return fitted(text, c, FACTS_WIDTHS[column])

    limit = "当场办结" if case.time_limit_days == 0 else f"{case.time_limit_days}个工作日"
    rows: list[list[object]] = [
        ["办件编号", p(case.number), "查询码", p(case.query_code, 3)],
        ["办理事项", p(f"{case.item_name}（{case.item_code}）"), "办件类型", p(case.class_label, 3)],
        ["申请人", p(case.applicant), "证件号码", p(case.applicant_id, 3)],
        ["联系电话", p(case.applicant_phone), "地址", p(case.applicant_address, 3)],
        ["代理人", p(case.agent or "无"), "代办时间", p(case.accepted, 3)],
        ["代办点", p(sheet.agency_name), "办理单位", p(case.center_name, 3)],
    ]
    if case.case_class == "supplement":
        rows.append(["承诺办结日期", p("材料补齐后确定"), "承诺时限", p(f"{limit}（自材料补齐次日起算）", 3)])
    elif case.case_class != "rejected":
        due = (case.due or "—") + ("（暂定）" if case.provisional_note else "")
        rows.append(["承诺办结日期", p(due), "承诺时限", p(limit, 3)])
    table = grid(rows, list(FACTS_WIDTHS), header=False)
    table.setStyle(TableStyle([PLAIN_CELLS]))
    return table


def _materials(sheet: AgencyReceiptSheet, st: dict) -> Flowable:  # type: ignore[type-arg]
    c = st["cell"]

    def n(value: int) -> str:
        return f"{value}份" if value else "—"

    rows: list[list[object]] = [["序号", "已收材料", "原件收取", "原件核验退还", "复印件", "电子件"]]
    for line in sheet.case.received:
        rows.append([str(line.seq), fitted(line.name, c, MATERIAL_WIDTHS[1]), n(line.originals_kept),
                     n(line.originals_checked), n(line.copies), electronic_text(line)])
    if len(rows) == 1:
        rows.append(["—", "未收取材料", "", "", "", ""])
    table = grid(rows, list(MATERIAL_WIDTHS))
    table.setStyle(TableStyle([PLAIN_CELLS, ("ALIGN", (0, 0), (-1, 0), "CENTER"), ("ALIGN", (0, 1), (0, -1), "CENTER"),
                               ("ALIGN", (2, 1), (-1, -1), "CENTER")]))
    return table


def _footer_band(sheet: AgencyReceiptSheet) -> Table:
    """代办员 in place of 受理人, beside the box for the agency point's seal over its name and the date."""
    case = sheet.case
    return staff_band([[f"代办员：{case.staff_name}", f"工号：{case.staff_no}"],
                       [f"代办点：{sheet.agency_name}", f"代办点电话：{sheet.agency_phone or case.window_phone or '—'}"],
                       [f"咨询电话：{case.consult_phone}", f"监督电话：{case.supervise_phone}"]],
                      seal(sheet.agency_name, case.signed, "代办专用章"))


def _what_next(sheet: AgencyReceiptSheet) -> str:
    """The hand-over in words: the papers go to the township, the result comes back through the agent."""
    case = sheet.case
    centre, point = para(case.center_name), para(sheet.agency_name)
    if case.case_class == "rejected":
        reason = case.rejection_reason.strip().rstrip("。")
        return (f"本代办点已收到您的申请材料。该事项不予受理，理由：{para(reason)}。"
                f"如有疑问，可凭本单到{centre}窗口咨询。")
    if case.case_class == "supplement":
        missing = "、".join(case.missing)
        return (f"您的申请材料尚不齐全，请补齐：{para(missing)}。补齐后交本代办点，由代办员随移交清单"
                f"送交{centre}窗口办理；办理时限自材料补齐次日起计算。")
    return (f"本代办点已代您受理上述事项。代办员将把申请材料随《移交清单》送交{centre}窗口，"
            f"窗口接收材料后即行办理（责任部门：{para(case.department)}）；办理结果回传{point}后，"
            "由代办员通知您领取或送达给您本人。")


def _closing(case: CaseSheet) -> str:
    """The small print: how to ask, and what to bring next time, which depends on the class."""
    ask = f"凭本单办件编号或查询码 {para(case.query_code)} 可到本代办点、乡镇任一窗口或拨打咨询电话查询"
    if case.case_class == "rejected":
        return f"{ask}本件情况。"
    if case.case_class == "supplement":
        return f"{ask}办理进度；补齐材料时请携带本单，扫描条码即可继续办理，无需重新申请。"
    return f"{ask}办理进度；领取结果时请携带本单和申请人身份证件。"


def agency_receipt_pdf(sheet: AgencyReceiptSheet) -> bytes:
    st = styles()
    case = sheet.case
    title = agency_receipt_title(sheet)
    lines = title_block(case.center_name, title, sheet.reprint_at or case.reprint_at)
    lines.insert(1, Paragraph(para(sheet.agency_name), st["subtitle"]))  # the point issues it for the centre
    header = band([lines, Code128(case.number), QrCode(qr_payload(case))], [None, 80 * mm, 27 * mm])
    story: list[Flowable] = [header, Spacer(1, 3 * mm), _facts(sheet, st)]
    if case.provisional_note:
        story.append(Paragraph(f"注：{para(case.provisional_note)}", st["alert"]))
    story += [Paragraph("收取材料", st["heading"]), _materials(sheet, st)]
    if case.missing and case.case_class not in ("rejected", "supplement"):
        story.append(Paragraph(f"尚缺材料：{para('、'.join(case.missing))}。", st["alert"]))
    story += [
        Paragraph("代办流程", st["heading"]),
        Paragraph(_what_next(sheet), st["body"]),
        Spacer(1, 4 * mm),
        _footer_band(sheet),
        Spacer(1, 6 * mm),
        Paragraph("申请人（代理人）签字：＿＿＿＿＿＿＿　代办员签字：＿＿＿＿＿＿　"
                  "日期：＿＿＿＿年＿＿月＿＿日", st["body"]),
        Spacer(1, 2 * mm),
        Paragraph(_closing(case), st["small"]),
    ]
    return build_pdf(story, PageSetup(title=f"{title} {case.number}", training=case.training, footer=case.number))

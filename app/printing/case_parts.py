"""What every case document after acceptance shares: the heading with both barcodes, the case facts,
the staff band beside the dated seal box (落款: the centre's name and the date), signature lines.

The documents of one family each live in their own module (decision_pdf, completion_pdf …) and build
their body from these parts, so a citizen sees the same heading and the same seal on every paper of
the case, and every paper scans back to its case at any window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from app.printing.barcodes import Code128, QrCode
from app.printing.fonts import register_pdf_font
from app.printing.layout import GRID_COLOR, PageSetup, Paragraph, band, build_pdf, fitted, grid, styles, title_block
from app.printing.text import para


@dataclass(frozen=True)
class CaseHead:
    """The case as every later document names it: who applied for what, who handles it, whom to call."""

    number: str
    query_code: str
    center_name: str
    item_name: str
    item_code: str
    department: str
    applicant: str  # name, or organisation with its contact person
    applicant_id: str  # masked
    applicant_phone: str  # masked
    applicant_address: str
    agent: str  # "李四（子女，220821********1234）" or ""
    staff_name: str
    staff_no: str
    staff_window: str
    window_phone: str  # the window's phone (a centre setting), never the clerk's mobile
    supervise_phone: str
    consult_phone: str
    training: bool = False
    qr: str = ""  # the public page's link (办结通知书, when the centre set its address); "": number#query code


# Fixed one-line text (labels, headings, counts) goes into tables as plain strings, drawn with one
# drawString instead of a Paragraph's wrapping and text object: a receipt has some forty such cells.
# With the paragraphs' leading their baselines and row heights are the same as a "cell" paragraph's.
PLAIN_CELLS = ("LEADING", (0, 0), (-1, -1), 12)
FACTS_WIDTHS = (26 * mm, 70 * mm, 22 * mm, 60 * mm)
FOOTER_WIDTHS = (130 * mm, 48 * mm)
STAFF_WIDTHS = (64 * mm, 64 * mm)
SEAL_WIDTH = 46 * mm
FRAME_WIDTH = 178 * mm  # A4 less the 16 mm margins


def qr_payload(head: CaseHead) -> str:
    """The same QR content as the receipt's: the public page's link, else number and query code."""
    return head.qr or f"{head.number}#{head.query_code}"


def header(head: CaseHead, title: str, reprint_at: str | None) -> Flowable:
    """Centre, title and (on a reprint) the 补打 line, beside the Code128 and the QR code of the case."""
    return band([title_block(head.center_name, title, reprint_at), Code128(head.number), QrCode(qr_payload(head))],
                [None, 80 * mm, 27 * mm])


Row = tuple[str, str, str, str]  # label, value, label, value (a label "" spans the value over the row)


def facts(head: CaseHead, extra: Sequence[Row] = ()) -> Table:
    """The case's facts as a bordered table: number, item, applicant, agent, then `extra` rows."""
    c = styles()["cell"]
    rows: list[Row] = [
        ("办件编号", head.number, "查询码", head.query_code),
        ("办理事项", f"{head.item_name}（{head.item_code}）", "承办部门", head.department or "—"),
        ("申请人", head.applicant, "证件号码", head.applicant_id),
        ("联系电话", head.applicant_phone or "—", "地址", head.applicant_address or "—"),
        ("代理人", head.agent or "无", "", ""),
        *extra,
    ]
    return fact_table(rows, c)


def fact_table(rows: Sequence[Row], c: ParagraphStyle) -> Table:
    """Label/value rows in the facts' four columns; a row whose third label is "" spans its value."""
    cells: list[list[object]] = []
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    for i, (label, value, label2, value2) in enumerate(rows):
        first = fitted(label, c, FACTS_WIDTHS[0])  # a label too long for its column wraps, never overflows
        if label2 == "" and value2 == "":
            cells.append([first, fitted(value, c, sum(FACTS_WIDTHS[1:])), "", ""])
            spans.append(("SPAN", (1, i), (3, i)))
        else:
            cells.append([first, fitted(value, c, FACTS_WIDTHS[1]), fitted(label2, c, FACTS_WIDTHS[2]),
                          fitted(value2, c, FACTS_WIDTHS[3])])
    table = grid(cells, list(FACTS_WIDTHS), header=False)
    table.setStyle(TableStyle([PLAIN_CELLS, *spans]))
    return table


def seal(center_name: str, signed: str, label: str = "（盖章）") -> Table:
    """The box the seal is pressed into, over the 落款: the centre's name and the document's date."""
    cc = styles()["cell_center"]
    rows: list[list[object]] = [[label], [""], [fitted(center_name, cc, SEAL_WIDTH)], [fitted(signed, cc, SEAL_WIDTH)]]
    table = Table(rows, colWidths=[SEAL_WIDTH], rowHeights=[None, 8 * mm, None, None])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), register_pdf_font()),
                               ("FONTSIZE", (0, 0), (-1, -1), cc.fontSize), PLAIN_CELLS,
                               ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                               ("BOX", (0, 0), (-1, -1), 0.5, GRID_COLOR),
                               ("LINEBELOW", (0, 0), (-1, 0), 0.5, GRID_COLOR),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def staff_band(rows: list[list[str]], seal_box: Table) -> Table:
    """Three lines of who handled it and whom to call, beside the seal box; no padding between them."""
    staff = grid(rows, list(STAFF_WIDTHS), header=False)
    table = band([staff, seal_box], list(FOOTER_WIDTHS))
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def staff_and_seal(head: CaseHead, signed: str, seal_label: str = "（盖章）") -> Table:
    """Who handled it and whom to call, beside the dated seal box."""
    return staff_band([[f"经办人：{head.staff_name}", f"工号：{head.staff_no}"],
                       [f"窗口：{head.staff_window or '—'}", f"窗口电话：{head.window_phone or '—'}"],
                       [f"咨询电话：{head.consult_phone or '—'}", f"监督电话：{head.supervise_phone or '—'}"]],
                      seal(head.center_name, signed, seal_label))


def signature(*labels: str) -> Paragraph:
    """One line of signature blanks with a date: 受送达人签名：＿＿＿　日期：＿＿年＿＿月＿＿日."""
    blanks = "　　".join(f"{para(label)}：＿＿＿＿＿＿＿＿＿＿" for label in labels)
    return Paragraph(f"{blanks}　　日期：＿＿＿＿年＿＿月＿＿日", styles()["body"])


def query_note(head: CaseHead, then: str = "") -> Paragraph:
    """The small print: how to ask about the case, and what the citizen does next."""
    phone = "手机扫描右上角二维码并输入查询码可查询办理进度、评价服务；" if head.qr else ""
    return Paragraph(f"{phone}凭办件编号或查询码 {para(head.query_code)} 可到任一窗口或拨打咨询电话 "
                     f"{para(head.consult_phone or '—')} 查询本件情况。{para(then)}", styles()["small"])


def closing(head: CaseHead, signed: str, seal_label: str = "（盖章）") -> list[Flowable]:
    """Staff band with the dated seal, after a little space."""
    return [Spacer(1, 5 * mm), staff_and_seal(head, signed, seal_label), Spacer(1, 5 * mm)]


def build(head: CaseHead, title: str, story: list[Flowable]) -> bytes:
    """The page(s) with the case number in the footer and the training watermark when training."""
    return build_pdf(story, PageSetup(title=f"{title} {head.number}", training=head.training, footer=head.number))


def table_of(rows: list[list[object]], widths: Sequence[float], centred_from: int = 2) -> Table:
    """A bordered table with a shaded header row; columns from `centred_from` on are centred (counts)."""
    table = grid(rows, list(widths))
    table.setStyle(TableStyle([PLAIN_CELLS, ("ALIGN", (0, 0), (-1, 0), "CENTER"), ("ALIGN", (0, 1), (0, -1), "CENTER"),
                               ("ALIGN", (centred_from, 1), (-1, -1), "CENTER")]))
    return table

"""Complaint papers (投诉): the 投诉登记回执 handed to the complainant at registration, and the 投诉答复书
that answers a complaint in writing.

Both carry the complaint number as Code128 and as a QR code (the number only: nothing personal goes
into a code), so a clerk scans the paper the complainant brings back. The complainant's own name is
printed (the paper is theirs; an anonymous complaint says 匿名), the phone masked as on every paper.
The complaint and the reply may each run to 2,000 characters: they are paragraphs of the page, not
table cells, so a long text breaks (by the Chinese line-breaking rules) and flows onto a second page.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.printing.barcodes import Code128, QrCode
from app.printing.case_parts import Row, fact_table, seal, signature, staff_band
from app.printing.layout import PageSetup, Paragraph, band, build_pdf, styles, title_block
from app.printing.text import para

RECEIPT_TITLE = "投诉登记回执"
REPLY_TITLE = "投诉答复书"
CONFIDENTIAL_NOTE = "您已要求对身份保密：您的姓名和联系方式仅中心主任可以查阅，处理过程中不向被投诉人透露。"


@dataclass(frozen=True)
class ComplaintReceiptSheet:
    number: str
    center_name: str
    category: str  # "1．窗口工作人员服务态度较差"
    channel: str  # 来访, 来信 …
    registered: str  # "2026年11月30日 09:00"
    complainant: str  # the name, or 匿名
    complainant_phone: str  # masked, "" when none
    anonymous: bool
    confidential: bool
    subject: str  # "被投诉人：王晓东（工号1002）；窗口：社保窗口" or ""
    content: str
    mode: str  # 自办 / 转办 / 督办, or "" before it is handed over
    department: str
    handling_due: str  # the department's date, "" when none
    reply_due: str  # "2026年12月7日"
    registered_by: str
    center_phone: str
    supervise_phone: str
    signed: str  # the date under the seal: the day it was registered
    training: bool = False
    reprint_at: str | None = None


@dataclass(frozen=True)
class ComplaintReplySheet:
    number: str
    center_name: str
    complainant: str
    category: str
    channel: str
    registered: str
    subject: str
    content: str
    mode: str
    department: str
    finding: str  # 属实 / 部分属实 / 不属实, "" while not yet concluded
    reply_text: str
    replied: str  # "2026年12月2日 15:10"
    replied_by: str
    center_phone: str
    supervise_phone: str
    signed: str  # the date under the seal: the day of the reply
    training: bool = False
    reprint_at: str | None = None


def _header(number: str, center_name: str, title: str, reprint_at: str | None) -> Flowable:
    return band([title_block(center_name, title, reprint_at), Code128(number), QrCode(number)],
                [None, 80 * mm, 27 * mm])


def handling_text(mode: str, department: str, due: str = "") -> str:
    """"转办：县人社局（承办期限 2026年12月4日）", "自办", or "待交办" before anyone is assigned."""
    if not mode:
        return "待交办"
    text = f"{mode}：{department}" if department else mode
    return f"{text}（承办期限 {due}）" if due else text


def _phones(center: str, supervise: str) -> list[str]:
    """The phones a citizen can call, as set in F10, in the band as on every case paper ("—": not set;
    an empty box would read as a field to fill in). The sentences leave an unset phone out."""
    return [f"中心电话：{center or '—'}", f"监督电话：{supervise or '—'}"]


def _text_block(title: str, text: str) -> list[Flowable]:
    st = styles()
    return [Paragraph(title, st["heading"]), Paragraph(para(text or "—"), st["body"])]


def receipt_pdf(sheet: ComplaintReceiptSheet) -> bytes:
    st = styles()
    rows: list[Row] = [
        ("投诉编号", sheet.number, "登记时间", sheet.registered),
        ("投诉类别", sheet.category, "", ""),
        ("投诉渠道", sheet.channel, "投诉人", sheet.complainant),
        ("联系电话", sheet.complainant_phone or "—", "身份保密", "是" if sheet.confidential else "否"),
        ("投诉对象", sheet.subject or "—", "", ""),
        ("办理方式", handling_text(sheet.mode, sheet.department, sheet.handling_due), "", ""),
        ("答复期限", sheet.reply_due, "", ""),
    ]
    if sheet.anonymous:
        promise = f"本投诉为匿名投诉，我们将于 <b>{para(sheet.reply_due)}</b> 前核实办结；因无法联系投诉人，不另行答复。"
    else:
        promise = f"您的投诉已登记。我们将于 <b>{para(sheet.reply_due)}</b> 前答复。"
    story: list[Flowable] = [
        _header(sheet.number, sheet.center_name, RECEIPT_TITLE, sheet.reprint_at),
        Spacer(1, 3 * mm),
        fact_table(rows, st["cell"]),
        *_text_block("投诉内容", sheet.content),
        Spacer(1, 2 * mm),
        Paragraph(promise, st["alert"]),
    ]
    if sheet.confidential:
        story.append(Paragraph(CONFIDENTIAL_NOTE, st["body"]))
    story += [
        Spacer(1, 4 * mm),
        staff_band([[f"登记人：{sheet.registered_by}", f"登记时间：{sheet.registered}"],
                    _phones(sheet.center_phone, sheet.supervise_phone),
                    ["办理时限不含法定节假日", "逾期未答复可拨打监督电话反映" if sheet.supervise_phone else "逾期未答复可向中心主任反映"]],
                   seal(sheet.center_name, sheet.signed)),
        Spacer(1, 6 * mm),
    ]
    if not sheet.anonymous:
        story.append(signature("投诉人签收"))
    story += [Spacer(1, 2 * mm), Paragraph(
        f"凭投诉编号 {para(sheet.number)} 可到窗口"
        + (f"或拨打中心电话 {para(sheet.center_phone)} " if sheet.center_phone else "") + "查询办理情况；"
        "对处理结果不满意的，可在答复后提出重新核实。", st["small"])]
    return build_pdf(story, PageSetup(title=f"{RECEIPT_TITLE} {sheet.number}", training=sheet.training,
                                      footer=sheet.number))


def reply_pdf(sheet: ComplaintReplySheet) -> bytes:
    st = styles()
    body = st["body"]
    rows: list[Row] = [
        ("投诉编号", sheet.number, "登记时间", sheet.registered),
        ("投诉类别", sheet.category, "", ""),
        ("投诉人", sheet.complainant, "投诉渠道", sheet.channel),
        ("投诉对象", sheet.subject or "—", "", ""),
        ("办理方式", handling_text(sheet.mode, sheet.department), "", ""),
    ]
    if sheet.finding:
        rows.append(("核实结论", sheet.finding, "", ""))
    story: list[Flowable] = [
        _header(sheet.number, sheet.center_name, REPLY_TITLE, sheet.reprint_at),
        Spacer(1, 3 * mm),
        Paragraph(f"{para(sheet.complainant)}：", body),
        Paragraph(f"　　您于{para(sheet.registered)}以{para(sheet.channel)}方式反映的问题（投诉编号 {para(sheet.number)}）"
                  "已收悉。经调查核实，现将处理情况答复如下。", body),
        Spacer(1, 2 * mm),
        fact_table(rows, st["cell"]),
        *_text_block("投诉内容", sheet.content),
        *_text_block("答复意见", sheet.reply_text),
        Spacer(1, 2 * mm),
        Paragraph("如对本答复不满意，请在收到本答复书后告知本中心，我们将重新核实"
                  + (f"；也可拨打监督电话 {para(sheet.supervise_phone)} 反映。" if sheet.supervise_phone else "。"), body),
        Spacer(1, 4 * mm),
        staff_band([[f"答复人：{sheet.replied_by}", f"答复时间：{sheet.replied}"],
                    _phones(sheet.center_phone, sheet.supervise_phone),
                    ["答复方式：书面答复", f"核实结论：{sheet.finding or '见答复意见'}"]],
                   seal(sheet.center_name, sheet.signed)),
        Spacer(1, 6 * mm),
        signature("投诉人签收"),
    ]
    return build_pdf(story, PageSetup(title=f"{REPLY_TITLE} {sheet.number}", training=sheet.training,
                                      footer=sheet.number))

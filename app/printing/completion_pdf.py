"""办结通知书: the result is ready. What was decided, and how it reaches the citizen: where and when to
collect it and what to bring (the receipt and ID; someone collecting for the applicant brings a
written authorisation), or how it will be sent (post, the village agent, electronically).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.printing.case_parts import CaseHead, Row, build, closing, fact_table, facts, header, query_note
from app.printing.layout import Paragraph, styles
from app.printing.text import para

TITLE = "办结通知书"


@dataclass(frozen=True)
class CompletionSheet:
    head: CaseHead
    approve: bool
    result: str  # what was decided, in words for the citizen
    notified: str  # 2026年11月05日: the date of this notice, by the seal
    method: str  # pickup / post / agent / electronic
    method_label: str  # 窗口领取 …
    document_number: str = ""
    amount: str = ""
    valid_until: str = ""
    place: str = ""  # where to collect: the centre, its window and address
    hours: str = ""  # when: the centre's office hours
    phone: str = ""  # the window's phone
    address: str = ""  # post: where it is sent
    bring: tuple[str, ...] = ()  # what to bring when collecting
    reprint_at: str | None = None


def _how(sheet: CompletionSheet) -> tuple[str, list[Row]]:
    """The sentence and the rows that tell the citizen how the result reaches them."""
    if sheet.method == "pickup":
        return ("请按以下时间、地点领取办理结果：", [
            ("领取地点", sheet.place or "—", "", ""),
            ("领取时间", sheet.hours or "—", "", ""),
            ("联系电话", sheet.phone or "—", "", ""),
        ])
    if sheet.method == "post":
        return (f"办理结果将通过邮寄送达至：{sheet.address or '您登记的地址'}。请注意查收，签收时请出示本人身份证件。"
                "如地址有变，请及时致电告知。", [("联系电话", sheet.phone or "—", "", "")])
    if sheet.method == "agent":
        return ("办理结果将由您所在村（社区）的代办员送达，签收时请出示本人身份证件。", [
            ("联系电话", sheet.phone or "—", "", "")])
    return ("办理结果将以电子方式送达，请注意查收。", [("联系电话", sheet.phone or "—", "", "")])


def completion_pdf(sheet: CompletionSheet) -> bytes:
    st = styles()
    body = st["body"]
    head = sheet.head
    name = para(head.applicant)
    item = f"“{para(head.item_name)}”"
    result: list[Row] = [("办理结果", sheet.result if sheet.approve else f"不予许可，{sheet.result}", "", "")]
    if sheet.document_number or sheet.amount:
        result.append(("证照/文号", sheet.document_number or "—", "金额", sheet.amount or "—"))
    if sheet.valid_until:
        result.append(("有效期至", sheet.valid_until, "", ""))
    result.append(("送达方式", sheet.method_label, "", ""))
    how, rows = _how(sheet)
    story: list[Flowable] = [
        header(head, TITLE, sheet.reprint_at), Spacer(1, 3 * mm), facts(head, result), Spacer(1, 3 * mm),
        Paragraph(f"{name}：您申请的{item}事项（办件编号 {para(head.number)}）已办理完毕。{para(how)}", body),
    ]
    if rows:
        story += [Spacer(1, 2 * mm), fact_table(rows, st["cell"])]
    if sheet.bring:
        story.append(Paragraph("领取时请携带", st["heading"]))
        story += [Paragraph(f"{i}．{para(text)}", body) for i, text in enumerate(sheet.bring, 1)]
    story += closing(head, sheet.notified)
    story.append(query_note(head, "如不能按时领取，请提前致电窗口。" if sheet.method == "pickup" else ""))
    return build(head, TITLE, story)

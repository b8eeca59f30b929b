"""决定告知书: the decision on a case, 准予 (what was granted) or 不予许可 (why, on what basis, and the
citizen's rights of 行政复议 within 60 days and 行政诉讼 within 6 months, naming the review body and
the court). A refusal carries no 受理时间 and no 承诺时限; its date is the decision's, by the seal.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.printing.case_parts import CaseHead, Row, build, closing, fact_table, facts, header, query_note, signature
from app.printing.layout import Paragraph, styles
from app.printing.text import para

APPROVED_TITLE = "准予许可决定告知书"
DENIED_TITLE = "不予许可决定告知书"


@dataclass(frozen=True)
class DecisionSheet:
    head: CaseHead
    approve: bool
    decided: str  # 2026年11月05日: the decision's date, printed by the seal
    result: str = ""  # 准予: what was granted
    document_number: str = ""  # 证件/批复文号
    amount: str = ""
    valid_until: str = ""  # 2027年11月30日 or ""
    reason: str = ""  # 不予: why
    basis: str = ""  # 不予: the law or policy relied on
    department_decision: str = ""  # a department's written decision: its number
    department_decision_date: str = ""
    review_body: str = ""  # 复议机关 named; "" leaves the generic wording
    court: str = ""
    collect_note: str = ""  # how the result reaches the citizen (the 办结通知 follows)
    reprint_at: str | None = None


def title_of(sheet: DecisionSheet) -> str:
    return APPROVED_TITLE if sheet.approve else DENIED_TITLE


def remedies(review_body: str, court: str, paper: str = "本告知书") -> str:
    """The rights against a refusal: 60 days for 行政复议, 6 months for 行政诉讼, naming the bodies."""
    review = f"向{para(review_body)}" if review_body else "依法"
    court_text = para(court) if court else "人民法院"
    return (f"如对本决定不服，可以自收到{paper}之日起<b>60日内</b>{review}申请行政复议，也可以自收到{paper}之日起"
            f"<b>6个月内</b>依法向{court_text}提起行政诉讼。")


def _department_rows(sheet: DecisionSheet) -> list[Row]:
    if not sheet.department_decision:
        return []
    return [("部门决定文号", sheet.department_decision, "决定日期", sheet.department_decision_date or "—")]


def decision_pdf(sheet: DecisionSheet) -> bytes:
    st = styles()
    body = st["body"]
    head = sheet.head
    title = title_of(sheet)
    name = para(head.applicant)
    item = f"“{para(head.item_name)}”"
    story: list[Flowable] = [header(head, title, sheet.reprint_at), Spacer(1, 3 * mm), facts(head)]
    if sheet.approve:
        granted: list[Row] = [("办理结果", sheet.result, "", "")]
        if sheet.document_number or sheet.amount:
            granted.append(("证照/文号", sheet.document_number or "—", "金额", sheet.amount or "—"))
        if sheet.valid_until:
            granted.append(("有效期至", sheet.valid_until, "", ""))
        granted += _department_rows(sheet)
        story += [
            Spacer(1, 3 * mm),
            Paragraph(f"{name}：您申请的{item}事项（办件编号 {para(head.number)}），经审查，符合规定的条件和标准，"
                      "决定<b>准予</b>。", body),
            Paragraph("准予的内容", st["heading"]),
            fact_table(granted, st["cell"]),
        ]
        if sheet.collect_note:
            story += [Spacer(1, 2 * mm), Paragraph(para(sheet.collect_note), body)]
    else:
        story += [
            Spacer(1, 3 * mm),
            Paragraph(f"{name}：您申请的{item}事项（办件编号 {para(head.number)}），经审查，决定<b>不予许可</b>。", body),
            Paragraph("不予许可的理由", st["heading"]),
            Paragraph(para(sheet.reason), body),
            Paragraph("不予许可的依据", st["heading"]),
            Paragraph(para(sheet.basis), body),
        ]
        if sheet.department_decision:
            story += [Spacer(1, 2 * mm), fact_table(_department_rows(sheet), st["cell"])]
        story += [Paragraph("救济途径", st["heading"]), Paragraph(remedies(sheet.review_body, sheet.court), body)]
    story += closing(head, sheet.decided)
    story += [signature("申请人签收"), Spacer(1, 2 * mm), query_note(head)]
    return build(head, title, story)

"""Notices that change a case's time limit, which the acceptance slips promise: 延期告知书 (the reason,
the director who approved it, the new due date) and 特别程序告知书 (which procedure, from when, how
long it is expected to take; its time does not count against the limit).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.printing.case_parts import CaseHead, Row, build, closing, facts, header, query_note
from app.printing.layout import Paragraph, styles
from app.printing.text import para

EXTENSION_TITLE = "延期告知书"
PROCEDURE_TITLE = "特别程序告知书"


@dataclass(frozen=True)
class ExtensionSheet:
    head: CaseHead
    approved: str  # 2026年11月10日: the day the extension was approved, by the seal
    days: int  # working days added
    reason: str
    approver: str  # the director who approved it
    due_before: str  # 2026年11月16日
    due_after: str  # 2026年11月23日
    basis: str = ""  # the legal basis, required past the item's legal limit
    provisional: bool = False  # the new date falls in a year whose holidays are not yet published
    reprint_at: str | None = None


@dataclass(frozen=True)
class ProcedureSheet:
    head: CaseHead
    signed: str  # the day the procedure was recorded, by the seal
    procedure: str  # 听证, 检测, 鉴定 …
    start: str  # 2026年11月04日
    expected_days: int
    due_before: str  # the due date before the pause ("" when none)
    note: str = ""
    reprint_at: str | None = None


def extension_pdf(sheet: ExtensionSheet) -> bytes:
    st = styles()
    body = st["body"]
    head = sheet.head
    after = sheet.due_after + ("（暂定）" if sheet.provisional else "")
    rows: list[Row] = [
        ("原办结日期", sheet.due_before or "—", "延长时限", f"{sheet.days}个工作日"),
        ("新办结日期", after or "—", "批准人", sheet.approver),
        ("延期理由", sheet.reason, "", ""),
    ]
    if sheet.basis:
        rows.append(("延期依据", sheet.basis, "", ""))
    story: list[Flowable] = [
        header(head, EXTENSION_TITLE, sheet.reprint_at), Spacer(1, 3 * mm), facts(head, rows), Spacer(1, 3 * mm),
        Paragraph(f"{para(head.applicant)}：您申请的“{para(head.item_name)}”事项（办件编号 {para(head.number)}），"
                  f"因{para(sheet.reason.rstrip('。'))}，不能在原承诺期限内办结。经{para(sheet.approver)}批准，办理期限延长"
                  f"<b>{sheet.days}个工作日</b>，承诺办结日期由{para(sheet.due_before or '原定日期')}延至"
                  f"<b>{para(after)}</b>（法定节假日不计）。特此告知。", body),
    ]
    if sheet.provisional:
        story.append(Paragraph("注：新的办结日期所在年度的节假日安排尚未公布，日期暂按周一至周五计算；安排公布后如有调整，"
                               "以调整后的日期为准，并另行告知。", st["alert"]))
    story += closing(head, sheet.approved)
    story.append(query_note(head, "办结后将另行通知您领取结果。"))
    return build(head, EXTENSION_TITLE, story)


def procedure_pdf(sheet: ProcedureSheet) -> bytes:
    st = styles()
    body = st["body"]
    head = sheet.head
    rows: list[Row] = [
        ("特别程序", sheet.procedure, "开始日期", sheet.start),
        ("预计所需时间", f"{sheet.expected_days}天", "原办结日期", sheet.due_before or "—"),
    ]
    if sheet.note:
        rows.append(("说明", sheet.note, "", ""))
    procedure = para(sheet.procedure)
    story: list[Flowable] = [
        header(head, PROCEDURE_TITLE, sheet.reprint_at), Spacer(1, 3 * mm), facts(head, rows), Spacer(1, 3 * mm),
        Paragraph(f"{para(head.applicant)}：您申请的“{para(head.item_name)}”事项（办件编号 {para(head.number)}）需要进行"
                  f"<b>{procedure}</b>，自{para(sheet.start)}起进入特别程序，预计需要<b>{sheet.expected_days}天</b>。", body),
        Paragraph(f"依照规定，{procedure}所需时间不计入办理时限，承诺办结日期相应顺延。{procedure}结束后，"
                  "我们将继续办理，并告知您新的办结日期。特此告知。", body),
    ]
    story += closing(head, sheet.signed)
    story.append(query_note(head))
    return build(head, PROCEDURE_TITLE, story)

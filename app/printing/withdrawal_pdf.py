"""撤回确认书: the applicant asked to withdraw the application. The request and its reason, the date,
the originals handed back (what the window had kept), and the applicant's signature confirming both.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.printing.case_parts import CaseHead, Row, build, closing, facts, header, query_note, signature, table_of
from app.printing.layout import Paragraph, fitted, styles
from app.printing.text import para

TITLE = "撤回申请确认书"


@dataclass(frozen=True)
class ReturnedItem:
    seq: int  # the material's number on the item's list
    name: str
    originals: int  # originals the window kept and now hands back


@dataclass(frozen=True)
class WithdrawalSheet:
    head: CaseHead
    requested: str  # 2026年11月05日 10:20: when the applicant asked
    signed: str  # the date by the seal
    reason: str
    returned: tuple[ReturnedItem, ...]
    reprint_at: str | None = None


RETURN_WIDTHS = (14 * mm, 134 * mm, 30 * mm)


def _returned(sheet: WithdrawalSheet) -> Flowable:
    c = styles()["cell"]
    rows: list[list[object]] = [["序号", "退还的材料", "原件份数"]]
    rows += [[str(r.seq), fitted(r.name, c, RETURN_WIDTHS[1]), f"{r.originals}份"] for r in sheet.returned]
    if len(rows) == 1:
        rows.append(["—", "窗口未留存原件，无需退还", ""])
    return table_of(rows, RETURN_WIDTHS)


def withdrawal_pdf(sheet: WithdrawalSheet) -> bytes:
    st = styles()
    body = st["body"]
    head = sheet.head
    rows: list[Row] = [("申请撤回时间", sheet.requested, "", ""), ("撤回理由", sheet.reason, "", "")]
    story: list[Flowable] = [
        header(head, TITLE, sheet.reprint_at), Spacer(1, 3 * mm), facts(head, rows), Spacer(1, 3 * mm),
        Paragraph(f"{para(head.applicant)}：您于{para(sheet.requested)}申请撤回“{para(head.item_name)}”事项的办理申请"
                  f"（办件编号 {para(head.number)}）。本中心已确认撤回，该申请不再办理；如需办理，可重新提出申请。", body),
        Paragraph("退还材料", st["heading"]),
        _returned(sheet),
        Spacer(1, 3 * mm),
        Paragraph("申请人确认：本人自愿撤回上述申请，已收到上述退还的材料。", body),
        Spacer(1, 3 * mm),
        signature("申请人签名"),
    ]
    story += closing(head, sheet.signed)
    story.append(query_note(head))
    return build(head, TITLE, story)

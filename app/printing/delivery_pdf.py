"""送达回证: proof that the result reached the citizen. What was handed over (name, count), how (at the
window, by post with the carrier and tracking number, through the village agent, electronically),
to whom, when, and the signatures of the receiver (受送达人) and of the person who served it (送达人).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, TableStyle

from app.printing.case_parts import (
    FACTS_WIDTHS,
    PLAIN_CELLS,
    CaseHead,
    build,
    closing,
    header,
    query_note,
    table_of,
)
from app.printing.layout import Paragraph, fitted, grid, styles

TITLE = "送达回证"


@dataclass(frozen=True)
class DeliveredItem:
    name: str
    count: int


@dataclass(frozen=True)
class DeliverySheet:
    head: CaseHead
    method: str  # pickup / post / agent / electronic
    method_label: str
    delivered: str  # 2026年11月05日 10:20
    signed: str  # 2026年11月05日, by the seal
    result: str  # what was decided, in words
    documents: tuple[str, ...]  # the documents served (不予许可决定告知书 …)
    items: tuple[DeliveredItem, ...]  # what was handed over, with counts
    receiver: str  # who signed for it
    receiver_id: str  # masked
    on_behalf: bool  # someone other than the applicant received it (代收)
    place: str  # the window, or the address it was sent to
    carrier: str = ""  # post: 承运单位
    tracking: str = ""  # post: 邮件单号
    server: str = ""  # 送达人: the clerk or agent who served it
    reprint_at: str | None = None


ITEM_WIDTHS = (14 * mm, 134 * mm, 30 * mm)
SIGN_HEIGHT = 14 * mm


def _facts(sheet: DeliverySheet) -> list[Flowable]:
    head, c = sheet.head, styles()["cell"]
    wide = sum(FACTS_WIDTHS[1:])
    receiver = sheet.receiver or ("以邮件签收记录为准" if sheet.method == "post" else head.applicant)
    if sheet.receiver_id:
        receiver += f"（{sheet.receiver_id}）"
    if sheet.on_behalf:
        receiver += "　代收"
    how = sheet.method_label
    if sheet.method == "post":
        how += f"　承运单位：{sheet.carrier or '＿＿＿＿＿＿'}　邮件单号：{sheet.tracking or '—'}"
    rows: list[list[object]] = [
        ["办件编号", fitted(head.number, c, FACTS_WIDTHS[1]), "查询码", fitted(head.query_code, c, FACTS_WIDTHS[3])],
        ["办理事项", fitted(f"{head.item_name}（{head.item_code}）", c, wide), "", ""],
        ["受送达人", fitted(head.applicant, c, FACTS_WIDTHS[1]), "证件号码", fitted(head.applicant_id, c, FACTS_WIDTHS[3])],
        ["办理结果", fitted(sheet.result, c, wide), "", ""],
        ["送达文书", fitted("、".join(sheet.documents) or "—", c, wide), "", ""],
        ["送达方式", fitted(how, c, wide), "", ""],
        ["送达地点", fitted(sheet.place or "—", c, wide), "", ""],
        ["寄出时间" if sheet.method == "post" else "送达时间", fitted(sheet.delivered, c, FACTS_WIDTHS[1]), "签收人",
         fitted(receiver, c, FACTS_WIDTHS[3])],
    ]
    table = grid(rows, list(FACTS_WIDTHS), header=False)
    table.setStyle(TableStyle([PLAIN_CELLS, *[("SPAN", (1, i), (3, i)) for i in (1, 3, 4, 5, 6)]]))
    return [table]


def _items(sheet: DeliverySheet) -> Flowable:
    c = styles()["cell"]
    rows: list[list[object]] = [["序号", "送达的材料", "份数"]]
    rows += [[str(i), fitted(item.name, c, ITEM_WIDTHS[1]), f"{item.count}份"] for i, item in enumerate(sheet.items, 1)]
    if len(rows) == 1:
        rows.append(["—", "（未逐项登记）", ""])
    return table_of(rows, ITEM_WIDTHS)


def _signatures(sheet: DeliverySheet) -> Flowable:
    """Two tall rows for the signatures, each with its own date blank."""
    date_blank = "＿＿＿＿年＿＿月＿＿日"
    c = styles()["cell"]
    receiver = "代收人签名（并注明与申请人的关系）" if sheet.on_behalf else "受送达人签名"
    server = f"送达人签名（{sheet.server}）" if sheet.server else "送达人签名"
    widths = [62 * mm, 76 * mm, 40 * mm]
    rows: list[list[object]] = [
        [fitted(receiver, c, widths[0]), "", date_blank],
        [fitted(server, c, widths[0]), "", date_blank],
    ]
    table = grid(rows, widths, header=False, heights=[SIGN_HEIGHT, SIGN_HEIGHT])
    table.setStyle(TableStyle([PLAIN_CELLS, ("ALIGN", (2, 0), (2, -1), "CENTER")]))
    return table


def delivery_pdf(sheet: DeliverySheet) -> bytes:
    st = styles()
    head = sheet.head
    story: list[Flowable] = [header(head, TITLE, sheet.reprint_at), Spacer(1, 3 * mm), *_facts(sheet),
                             Paragraph("送达的材料", st["heading"]), _items(sheet), Spacer(1, 4 * mm),
                             _signatures(sheet)]
    if sheet.method == "post":
        story += [Spacer(1, 2 * mm), Paragraph("邮寄送达的，以邮件的签收记录为送达凭证，本回证由窗口附卷。", st["small"])]
    story += closing(head, sheet.signed)
    later = "如有缺漏，请及时致电窗口。" if sheet.method in ("post", "electronic") else "如有缺漏，请当场提出。"
    story.append(query_note(head, f"签收即表示已收到上述材料；{later}"))
    return build(head, TITLE, story)

"""移交清单: the list that travels with a batch of papers from one node to another (an agency point to the
township window, or the result back: 回传清单).

The batch number is printed as Code128 and QR, and every case on its row as its own Code128, so the
receiving clerk scans each case in as its paper arrives; both sides sign and date the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, TableStyle

from app.printing.barcodes import Code128, QrCode
from app.printing.layout import PageSetup, Paragraph, band, build_pdf, fitted, grid, styles, title_block
from app.printing.text import para


@dataclass(frozen=True)
class TransferLine:
    number: str
    applicant: str  # name
    applicant_id: str  # masked
    item: str
    class_label: str
    materials: int  # kinds of material received
    sheets: int  # originals kept and copies
    received: str  # when the receiver scanned it in, or ""


@dataclass(frozen=True)
class TransferSheet:
    center_name: str
    batch: str
    from_node: str  # "11号节点（红旗村代办点）"
    to_node: str
    is_return: bool
    offered: str  # date and time of the offer
    staff_name: str  # 移交人 as recorded
    lines: tuple[TransferLine, ...]
    training: bool = False
    reprint_at: str | None = None


LINE_WIDTHS = (8 * mm, 63 * mm, 37 * mm, 43 * mm, 13 * mm, 14 * mm)  # the frame's 178 mm; a case's Code128 is 58
FACT_WIDTHS = (22 * mm, 67 * mm, 22 * mm, 67 * mm)


def title_of(sheet: TransferSheet) -> str:
    return "办件回传清单" if sheet.is_return else "办件移交清单"


def _facts(sheet: TransferSheet, st: dict) -> Flowable:  # type: ignore[type-arg]
    c = st["cell"]
    rows: list[list[object]] = [
        ["移交批次", fitted(sheet.batch, c, FACT_WIDTHS[1]), "移交时间", fitted(sheet.offered, c, FACT_WIDTHS[3])],
        ["移交方", fitted(sheet.from_node, c, FACT_WIDTHS[1]), "接收方", fitted(sheet.to_node, c, FACT_WIDTHS[3])],
        ["件数", f"{len(sheet.lines)}件", "移交人", fitted(sheet.staff_name, c, FACT_WIDTHS[3])],
    ]
    return grid(rows, list(FACT_WIDTHS), header=False)


def _lines(sheet: TransferSheet, st: dict) -> Flowable:  # type: ignore[type-arg]
    c, cc = st["cell"], st["cell_center"]
    rows: list[list[object]] = [["序号", "办件编号（逐件扫描接收）", "申请人", "办理事项", "材料", "接收"]]
    for index, line in enumerate(sheet.lines, 1):
        rows.append([
            str(index),
            Code128(line.number, bar_height=9 * mm),
            Paragraph(f"{para(line.applicant)}<br/><font size=\"8\">{para(line.applicant_id)}</font>", c),
            Paragraph(f"{para(line.item)}<br/>（{para(line.class_label)}）", c),
            Paragraph(f"{line.materials}种<br/>{line.sheets}份" if line.materials else "无", cc),
            Paragraph(para(line.received) if line.received else "□", cc),
        ])
    table = grid(rows, list(LINE_WIDTHS))
    table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, 0), "CENTER"), ("ALIGN", (0, 1), (0, -1), "CENTER"),
                               ("ALIGN", (1, 1), (1, -1), "CENTER")]))
    return table


def transfer_pdf(sheet: TransferSheet) -> bytes:
    st = styles()
    title = title_of(sheet)
    what = "办理结果回传至受理的代办点，由代办员送达申请人" if sheet.is_return else "代办的申请材料移交接收方办理"
    story: list[Flowable] = [
        band([title_block(sheet.center_name, title, sheet.reprint_at), Code128(sheet.batch), QrCode(sheet.batch)],
             [None, 77 * mm, 27 * mm]),
        Spacer(1, 3 * mm),
        _facts(sheet, st),
        Spacer(1, 2 * mm),
        Paragraph(f"本批{len(sheet.lines)}件{what}。接收方须逐件核对纸质材料并扫描办件条码接收；"
                  "未扫描接收的办件仍由移交方负责。", st["body"]),
        Spacer(1, 2 * mm),
        _lines(sheet, st),
        Spacer(1, 8 * mm),
        Paragraph("移交人（签字）：＿＿＿＿＿＿＿＿＿＿　　　日期：＿＿＿＿年＿＿月＿＿日", st["body"]),
        Spacer(1, 6 * mm),
        Paragraph("接收人（签字）：＿＿＿＿＿＿＿＿＿＿　　　日期：＿＿＿＿年＿＿月＿＿日", st["body"]),
        Spacer(1, 3 * mm),
        Paragraph("本清单一式两份，移交方、接收方各留一份。", st["small"]),
    ]
    return build_pdf(story, PageSetup(title=f"{title} {sheet.batch}", training=sheet.training, footer=sheet.batch))

"""值周汇总: one A4 page (more if the week was busy) listing the week's inspections per window, for the weekly
meeting. Built from plain data; the same data gives the same bytes (fixed metadata, embedded font)."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.printing.layout import PageSetup, Paragraph, build_pdf, grid, styles, title_block
from app.printing.text import para


@dataclass(frozen=True)
class DutyRow:
    window: str
    at: str  # "11-03 09:30"
    inspector: str
    result: str  # 合格 / 需整改
    findings: str


@dataclass(frozen=True)
class DutySheet:
    center_name: str
    week: str  # "2026-11-02 至 2026-11-08"
    inspector: str  # "张伟（1002）" or 未排定
    rows: tuple[DutyRow, ...]
    passed: int
    to_fix: int
    printed: str
    training: bool = False


def duty_pdf(sheet: DutySheet) -> bytes:
    st = styles()
    cell, body = st["cell"], st["body"]

    def p(text: str) -> Paragraph:
        return Paragraph(para(text), cell)

    story: list[Flowable] = [
        *title_block(sheet.center_name, "值周检查情况汇总", None),
        Spacer(1, 3 * mm),
        Paragraph(para(f"值周时间：{sheet.week}　　值周人：{sheet.inspector}"), body),
        Paragraph(para(f"共检查 {sheet.passed + sheet.to_fix} 次：合格 {sheet.passed} 次，需整改 {sheet.to_fix} 次"),
                  body),
        Spacer(1, 3 * mm),
    ]
    if sheet.rows:
        rows: list[list[object]] = [[p("窗口"), p("检查时间"), p("检查人"), p("结果"), p("检查情况")]]
        rows += [[p(r.window), p(r.at), p(r.inspector), p(r.result), p(r.findings or "—")] for r in sheet.rows]
        story.append(grid(rows, [36 * mm, 24 * mm, 20 * mm, 16 * mm, 82 * mm]))
    else:
        story.append(Paragraph("本周尚无检查记录。", body))
    story += [
        Spacer(1, 8 * mm),
        Paragraph("以上情况在每周例会上通报，计入月度考核。", body),
        Spacer(1, 10 * mm),
        Paragraph("值周人签字：＿＿＿＿＿＿＿＿　　　中心主任签字：＿＿＿＿＿＿＿＿", body),
        Paragraph(para(f"打印时间：{sheet.printed}"), st["small"]),
    ]
    return build_pdf(story, PageSetup(title=f"值周检查情况汇总 {sheet.week}", training=sheet.training,
                                      footer=f"值周汇总 {sheet.week}"))

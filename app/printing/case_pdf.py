"""Case documents: the 受理回执 for every case, and each class's own notice (承诺件、联办件、退办件、补办件).

Every document carries the case number as Code128 and as text, and a QR code with the number and the
query code, so the slip can be scanned at any window and the citizen can ask by phone.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from app.printing.barcodes import Code128, QrCode
from app.printing.case_parts import PLAIN_CELLS, seal, staff_band
from app.printing.decision_pdf import remedies
from app.printing.layout import (
    PageSetup,
    Paragraph,
    band,
    build_pdf,
    fitted,
    grid,
    styles,
    title_block,
)
from app.printing.text import para


@dataclass(frozen=True)
class ReceivedLine:
    seq: int
    name: str
    originals_kept: int
    originals_checked: int
    copies: int
    electronic: bool
    pages: int = 0  # 电子件 pages recorded for this material when the paper was issued


def electronic_text(line: ReceivedLine, missing: bool = False) -> str:
    """The 电子件 cell: the page count recorded ("3页"), else whether one is asked or received."""
    if line.pages and not missing:
        return f"{line.pages}页"
    return ("需要" if missing else "已收") if line.electronic else "—"


@dataclass(frozen=True)
class CaseSheet:
    number: str
    query_code: str
    center_name: str
    case_class: str
    class_label: str
    item_name: str
    item_code: str
    applicant: str  # name, or organisation name
    applicant_id: str  # masked
    applicant_phone: str  # masked
    applicant_address: str
    agent: str  # "李四（子女，220821********1234）" or ""
    received: tuple[ReceivedLine, ...]
    missing: tuple[str, ...]
    accepted: str
    due: str  # "2026年10月20日" or ""
    provisional_note: str  # why the date may still change, or ""
    time_limit_days: int
    department: str
    lead_window: str
    co_departments: tuple[str, ...]
    rejection_reason: str
    missing_reason: str
    class_reason: str
    staff_name: str
    staff_no: str
    staff_window: str
    window_phone: str  # the window's own phone (a centre setting), never the clerk's mobile
    supervise_phone: str
    consult_phone: str
    location: str
    office_hours: str
    training: bool = False
    reprint_at: str | None = None
    signed: str = ""  # the date under the seal (落款): the day the case was received or decided
    missing_lines: tuple[ReceivedLine, ...] = ()  # missing required materials with the catalogue's counts
    review_body: str = ""  # 复议机关 named on a refusal; "" leaves the generic wording
    court: str = ""  # 人民法院 named on a refusal
    result: str = ""  # 当场办结: what the citizen was given on the spot
    completed: str = ""  # 当场办结: when
    qr: str = ""  # the public page's link when the centre set its address (kept as issued); "": number#query code


def qr_payload(sheet: CaseSheet) -> str:
    """The link to the centre's public page when there is one, else the number and the query code."""
    return sheet.qr or f"{sheet.number}#{sheet.query_code}"


def _header(sheet: CaseSheet, title: str, st: dict) -> Flowable:  # type: ignore[type-arg]
    lines = title_block(sheet.center_name, title, sheet.reprint_at)
    return band([lines, Code128(sheet.number), QrCode(qr_payload(sheet))], [None, 80 * mm, 27 * mm])


FACTS_WIDTHS = (26 * mm, 70 * mm, 22 * mm, 60 * mm)


def _facts(sheet: CaseSheet, st: dict) -> Flowable:  # type: ignore[type-arg]
    c = st["cell"]

    def p(text: str, column: int = 1) -> object:
        return fitted(text, c, FACTS_WIDTHS[column])

    due = sheet.due or "—"
    received = "收件时间" if sheet.case_class in ("rejected", "supplement") else "受理时间"
    limit = "当场办结" if sheet.time_limit_days == 0 else f"{sheet.time_limit_days}个工作日"
    rows: list[list[object]] = [  # labels are fixed one-line text: plain cells (PLAIN_CELLS)
        ["办件编号", p(sheet.number), "查询码", p(sheet.query_code, 3)],
        ["办理事项", p(f"{sheet.item_name}（{sheet.item_code}）"), "办件类型", p(sheet.class_label, 3)],
        ["申请人", p(sheet.applicant), "证件号码", p(sheet.applicant_id, 3)],
        ["联系电话", p(sheet.applicant_phone), "地址", p(sheet.applicant_address, 3)],
        ["代理人", p(sheet.agent or "无"), received, p(sheet.accepted, 3)],
    ]
    if sheet.result:  # 当场办结: this receipt is also the record of the result
        rows.append(["办理结果", p(f"当场办结：{sheet.result}"), "办结时间", p(sheet.completed, 3)])
    if sheet.case_class == "supplement":  # nothing accepted yet: the clock starts when the file is complete
        rows.append(["承诺办结日期", p("材料补齐后确定"), "承诺时限", p(f"{limit}（自材料补齐次日起算）", 3)])
    elif sheet.case_class != "rejected":  # a refusal has no time limit and no due date
        rows.append(["承诺办结日期", p(due + ("（暂定）" if sheet.provisional_note else "")), "承诺时限", p(limit, 3)])
    table = grid(rows, list(FACTS_WIDTHS), header=False)
    table.setStyle(TableStyle([PLAIN_CELLS]))
    return table


MATERIAL_WIDTHS = (12 * mm, 86 * mm, 20 * mm, 24 * mm, 18 * mm, 18 * mm)


def _materials(sheet: CaseSheet, st: dict, missing: bool = False) -> Flowable:  # type: ignore[type-arg]
    """The received materials, or (missing=True) the ones still to bring, with the counts the catalogue asks."""
    c = st["cell"]

    def n(value: int) -> str:
        return f"{value}份" if value else "—"

    heads = ("序号", "尚缺材料" if missing else "已收材料", "原件收取", "原件核验退还", "复印件", "电子件")
    rows: list[list[object]] = [list(heads)]  # headings, numbers and counts: plain centred cells
    for line in sheet.missing_lines if missing else sheet.received:
        electronic = electronic_text(line, missing)
        rows.append([str(line.seq), fitted(line.name, c, MATERIAL_WIDTHS[1]), n(line.originals_kept),
                     n(line.originals_checked), n(line.copies), electronic])
    if len(rows) == 1:
        rows.append(["—", "无" if missing else "未收取材料", "", "", "", ""])
    table = grid(rows, list(MATERIAL_WIDTHS))
    table.setStyle(TableStyle([PLAIN_CELLS, ("ALIGN", (0, 0), (-1, 0), "CENTER"), ("ALIGN", (0, 1), (0, -1), "CENTER"),
                               ("ALIGN", (2, 1), (-1, -1), "CENTER")]))
    return table


def _footer_band(sheet: CaseSheet) -> Table:
    """Staff facts beside the box for the seal, with the dated 落款 it is pressed over: the 受理专用章
    on what was accepted, the centre's seal on a refusal."""
    return staff_band([[f"经办人：{sheet.staff_name}", f"工号：{sheet.staff_no}"],
                       [f"窗口：{sheet.staff_window}", f"窗口电话：{sheet.window_phone or '—'}"],
                       [f"咨询电话：{sheet.consult_phone}", f"监督电话：{sheet.supervise_phone}"]],
                      seal(sheet.center_name, sheet.signed, "（盖章）" if sheet.case_class == "rejected" else "受理专用章"))


def _closing(sheet: CaseSheet, on_slip: bool = False) -> str:
    """The small print: what the citizen does with this paper next, which depends on the class (and
    on whether it is the class notice itself)."""
    ask = f"凭本单办件编号或查询码 {para(sheet.query_code)} 可到任一窗口或拨打咨询电话查询"
    if sheet.qr:  # the QR code opens the centre's public page
        ask = f"手机扫描右上角二维码、输入查询码 {para(sheet.query_code)}，或到任一窗口、拨打咨询电话，可查询"
    if sheet.result:
        return f"{ask}本件情况；本件已当场办结，办理结果已当场交付，请妥善保管本单。"
    if sheet.case_class == "rejected":
        where = "见上文" if on_slip else "见《不予受理（退办件）通知书》"
        return f"{ask}本件情况。本件不予受理，理由和救济途径{where}。"
    if sheet.case_class == "supplement":
        return f"{ask}办理进度；补齐材料时请携带本单，窗口扫描条码即可继续办理。"
    return f"{ask}办理进度；领取结果时请携带本单和申请人身份证件。"


def _footer(sheet: CaseSheet, st: dict, signer: str = "申请人（代理人）签字",  # type: ignore[type-arg]
            on_slip: bool = False) -> list[Flowable]:
    body = st["body"]
    return [
        Spacer(1, 4 * mm),
        _footer_band(sheet),
        Spacer(1, 6 * mm),
        Paragraph(f"{signer}：＿＿＿＿＿＿＿＿＿＿　　　日期：＿＿＿＿年＿＿月＿＿日", body),
        Spacer(1, 2 * mm),
        Paragraph(_closing(sheet, on_slip), st["small"]),
    ]


def _provisional(sheet: CaseSheet, st: dict) -> list[Flowable]:  # type: ignore[type-arg]
    return [Paragraph(f"注：{para(sheet.provisional_note)}", st["alert"])] if sheet.provisional_note else []


def _remedies(sheet: CaseSheet) -> str:
    return remedies(sheet.review_body, sheet.court, "本通知书")


def receipt_title(sheet: CaseSheet) -> str:
    if sheet.result:
        return "受理办结回执"  # a 即办件 decided and handed over on the spot: one paper for both
    return {"rejected": "收件回执", "supplement": "收件回执"}.get(sheet.case_class, "受理回执")


def receipt_pdf(sheet: CaseSheet) -> bytes:
    st = styles()
    title = receipt_title(sheet)
    story: list[Flowable] = [
        _header(sheet, title, st),
        Spacer(1, 3 * mm),
        _facts(sheet, st),
        *_provisional(sheet, st),
        Paragraph("收取材料", st["heading"]),
        _materials(sheet, st),
    ]
    if sheet.missing and sheet.case_class != "rejected":  # a refusal asks for nothing more
        story.append(Paragraph(f"尚缺材料：{para('、'.join(sheet.missing))}。", st["alert"]))
    story += _footer(sheet, st)
    return build_pdf(story, PageSetup(title=f"{title} {sheet.number}", training=sheet.training, footer=sheet.number))


def _slip_heading(sheet: CaseSheet) -> str:
    titles = {
        "promised": "承诺件通知书",
        "joint": "联办件通知书",
        "rejected": "不予受理（退办件）\n通知书",  # broken by hand: the title column holds about nine characters
        "supplement": "补正材料（补办件）\n通知书",
    }
    return titles.get(sheet.case_class, f"{sheet.class_label}通知书")


def slip_title(sheet: CaseSheet) -> str:
    """The class notice's title on one line (as the list of issued documents names it)."""
    return _slip_heading(sheet).replace("\n", "")


def slip_pdf(sheet: CaseSheet) -> bytes:
    """The class's own notice; a 即办件 is finished on the spot and has none (its receipt is all)."""
    if sheet.case_class == "immediate":
        raise ValueError("a 即办件 has no class notice")
    st = styles()
    body = st["body"]
    heading = _slip_heading(sheet)
    title = heading.replace("\n", "")
    story: list[Flowable] = [
        _header(sheet, heading, st), Spacer(1, 3 * mm), _facts(sheet, st), *_provisional(sheet, st), Spacer(1, 3 * mm)
    ]
    name = para(sheet.applicant)
    item = f"“{para(sheet.item_name)}”"
    if sheet.case_class == "promised" or sheet.case_class.startswith("x:"):  # the centre's own classes too
        story += [
            Paragraph(f"{name}：您申请的{item}事项材料齐全、符合法定形式，已予受理。本中心承诺于"
                      f"<b>{para(sheet.due)}</b>前办结（{sheet.time_limit_days}个工作日，自受理次日起算，法定节假日不计）。", body),
            Paragraph("查询与领取", st["heading"]),
            Paragraph(f"可凭办件编号或查询码 {para(sheet.query_code)} 到窗口或拨打 {para(sheet.consult_phone)} 查询进度；"
                      f"办结后请携带本通知书和身份证件到{para(sheet.location)}领取结果（{para(sheet.office_hours)}）。"
                      "需要听证、检测、鉴定或专家评审的，所需时间不计入时限，届时另行书面告知。", body),
        ]
    elif sheet.case_class == "joint":
        departments = "、".join(sheet.co_departments)
        story += [
            Paragraph(f"{name}：您申请的{item}事项需多个部门共同办理，已由综合窗口一次受理。", body),
            Paragraph("牵头窗口与联办部门", st["heading"]),
            Paragraph(f"牵头窗口：{para(sheet.lead_window)}（负责协调、流转和答复）；责任部门：{para(sheet.department)}；"
                      f"联办部门：{para(departments)}。各部门在承诺时限内同步办理，您无需分别到各部门提交材料。", body),
            Paragraph(f"承诺于 <b>{para(sheet.due)}</b> 前办结，办结后由牵头窗口通知您领取结果。", body),
        ]
    elif sheet.case_class == "rejected":
        story += [
            Paragraph(f"{name}：经审查，您申请的{item}事项不予受理。", body),
            Paragraph("不予受理的理由和依据", st["heading"]),
            Paragraph(para(sheet.rejection_reason), body),
            Paragraph("救济途径", st["heading"]),
            Paragraph(_remedies(sheet), body),
        ]
    else:  # supplement
        story += [
            Paragraph(f"{name}：您申请的{item}事项材料不齐全，请补正以下材料（共{len(sheet.missing_lines)}项）：", body),
            _materials(sheet, st, missing=True),
            Paragraph("补正说明", st["heading"]),
            Paragraph("请按本通知书一次性补齐上述材料。本事项未规定补正期限；办理时限自材料补齐之日的次日起计算，"
                      "补正期间不计入办理时限。补齐材料时请携带本通知书，窗口扫描条码即可继续办理，无需重新申请。", body),
        ]
    story += [Paragraph("已收材料", st["heading"]), _materials(sheet, st)]
    story += _footer(sheet, st, "申请人签收", on_slip=True)
    return build_pdf(story, PageSetup(title=f"{title} {sheet.number}", training=sheet.training, footer=sheet.number))

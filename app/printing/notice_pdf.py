"""一次性告知书: everything a citizen needs for an item, in one page or two, with what is missing marked."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.printing.barcodes import Code128
from app.printing.layout import PageSetup, Paragraph, band, build_pdf, grid, styles, title_block
from app.printing.text import para
from app.services.catalog.data import MaterialData, conditional_materials, missing_materials


@dataclass(frozen=True)
class MaterialRow:
    seq: int
    name: str
    originals_kept: int
    originals_checked: int
    copies: int
    electronic: bool
    required: bool
    condition: str
    description: str
    form_name: str
    source_department: str
    present: bool

    @property
    def status(self) -> str:
        if self.present:
            return "已提交"
        return "尚缺" if self.required else "如适用须补"


@dataclass(frozen=True)
class NoticeSheet:
    number: str
    center_name: str
    issued: str
    citizen_name: str
    citizen_phone: str
    item_name: str
    item_code: str
    case_class: str
    department: str
    co_departments: tuple[str, ...]
    conditions: str
    procedure: str
    legal_limit_days: int
    promised_limit_days: int
    fee: str
    fee_basis: str
    location: str
    office_hours: str
    consult_phone: str
    supervise_phone: str
    materials: tuple[MaterialRow, ...]
    staff_name: str
    staff_no: str
    staff_window: str
    staff_phone: str  # the window's phone (centre setting), not the clerk's own
    note: str = ""
    follows_number: str = ""
    training: bool = False
    reprint_at: str | None = None

    @property
    def missing(self) -> list[MaterialRow]:
        """Required materials not brought, by the one rule (app.services.catalog.data)."""
        return [self.materials[seq - 1] for seq, _m in missing_materials(self._as_materials(), self._present())]

    @property
    def conditional_missing(self) -> list[MaterialRow]:
        """Materials needed only in some situations, not brought (the same module's rule)."""
        return [self.materials[seq - 1] for seq, _m in conditional_materials(self._as_materials(), self._present())]

    def _as_materials(self) -> list[MaterialData]:
        """The rows as the rules take them, in printed order (row n is material n)."""
        return [MaterialData(m.name, required=m.required) for m in self.materials]

    def _present(self) -> set[int]:
        return {n for n, m in enumerate(self.materials, start=1) if m.present}


def _limit(days: int) -> str:
    return "当场办结" if days == 0 else f"{days}个工作日"


def _count(n: int) -> str:
    return f"{n}份" if n else "—"


def _header(sheet: NoticeSheet, st: dict) -> Flowable:  # type: ignore[type-arg]
    title = title_block(sheet.center_name, "一次性告知书", sheet.reprint_at)
    return band([title, Code128(sheet.number)], [None, 75 * mm])


def _facts(sheet: NoticeSheet, st: dict) -> Flowable:  # type: ignore[type-arg]
    c = st["cell"]

    def p(text: str) -> Paragraph:
        return Paragraph(para(text), c)

    rows = [
        [p("文书编号"), p(sheet.number), p("告知时间"), p(sheet.issued)],
        [p("申请人（咨询人）"), p(sheet.citizen_name), p("联系电话"), p(sheet.citizen_phone or "—")],
        [p("办理事项"), p(f"{sheet.item_name}（{sheet.item_code}）"), p("办件类型"), p(sheet.case_class)],
        [p("责任部门"), p(sheet.department), p("联办部门"), p("、".join(sheet.co_departments) or "无")],
    ]
    return grid(rows, [28 * mm, 72 * mm, 22 * mm, 56 * mm], header=False)


def _material_table(sheet: NoticeSheet, st: dict) -> Flowable:  # type: ignore[type-arg]
    c, cc = st["cell"], st["cell_center"]
    rows: list[list[object]] = [
        [Paragraph(h, cc) for h in ("序号", "材料名称及要求", "原件收取", "原件核验", "复印件", "电子件", "是否必要", "本次情况")]
    ]
    for m in sheet.materials:
        notes = [para(m.description)] if m.description else []
        if m.form_name:
            notes.append(f"表格/样表：{para(m.form_name)}")
        if m.source_department:
            notes.append(f"要求部门：{para(m.source_department)}")
        name = f"{para(m.name)}" + (f"<br/><font size=8 color='#555555'>{'；'.join(notes)}</font>" if notes else "")
        need = "必要" if m.required else f"视情形：{para(m.condition)}"
        color = "#2e7d32" if m.present else ("#b00020" if m.required else "#b26a00")
        status = f"<font color='{color}'>{m.status}</font>"
        rows.append(
            [
                Paragraph(str(m.seq), cc),
                Paragraph(name, c),
                Paragraph(_count(m.originals_kept), cc),
                Paragraph(_count(m.originals_checked), cc),
                Paragraph(_count(m.copies), cc),
                Paragraph("需要" if m.electronic else "—", cc),
                Paragraph(need, c),
                Paragraph(status, cc),
            ]
        )
    return grid(rows, [10 * mm, 62 * mm, 15 * mm, 15 * mm, 14 * mm, 13 * mm, 30 * mm, 19 * mm])


def _missing_summary(sheet: NoticeSheet, st: dict) -> list[Flowable]:  # type: ignore[type-arg]
    missing = sheet.missing
    story: list[Flowable] = []
    if missing:
        names = "；".join(f"{m.seq}. {para(m.name)}" for m in missing)
        story.append(Paragraph(f"尚缺材料（共{len(missing)}项），请补齐后再来办理：{names}。", st["alert"]))
    else:
        story.append(Paragraph("必要材料已经齐全，可以直接申请办理。", st["body"]))
    conditional = sheet.conditional_missing
    if conditional:
        names = "；".join(f"{m.seq}. {para(m.name)}（{para(m.condition)}）" for m in conditional)
        story.append(Paragraph(f"下列材料在所述情形下也须提供：{names}。", st["body"]))
    return story


def _joint_requirements(sheet: NoticeSheet, st: dict) -> list[Flowable]:  # type: ignore[type-arg]
    if not sheet.co_departments:
        return []
    story: list[Flowable] = [Paragraph("七、联办部门要求", st["heading"])]
    for department in (sheet.department, *sheet.co_departments):
        own = [m for m in sheet.materials if m.source_department == department]
        if own:
            listed = "；".join(f"{m.seq}. {para(m.name)}（{m.status}）" for m in own)
            text = f"{para(department)}：{listed}。"
        else:
            text = f"{para(department)}：无单独材料要求，由综合窗口统一收取、一并流转。"
        story.append(Paragraph(text, st["body"]))
    story.append(
        Paragraph("联办事项由综合窗口一次收件，各部门在承诺时限内同步办理，申请人无需分别到各部门提交。", st["small"])
    )
    return story


def notice_pdf(sheet: NoticeSheet) -> bytes:
    st = styles()
    body = st["body"]
    story: list[Flowable] = [
        _header(sheet, st),
        Spacer(1, 3 * mm),
        _facts(sheet, st),
        Spacer(1, 3 * mm),
        Paragraph(
            f"{para(sheet.citizen_name)}：您咨询（申请）办理的“{para(sheet.item_name)}”事项，办理条件、流程、时限和"
            "需要提交的全部材料一次性告知如下。请按本告知书准备材料，避免多次往返。",
            body,
        ),
        Paragraph("一、受理条件", st["heading"]),
        Paragraph(para(sheet.conditions), body),
        Paragraph("二、办理流程", st["heading"]),
        Paragraph(para(sheet.procedure), body),
        Paragraph("三、办理时限", st["heading"]),
        Paragraph(
            f"法定时限{_limit(sheet.legal_limit_days)}，承诺时限{_limit(sheet.promised_limit_days)}。"
            "时限按工作日计算，自材料齐全受理之日的次日起算；法定节假日不计算在内；听证、检测、鉴定、专家评审等"
            "特别程序所需时间不计入时限，届时另行告知。",
            body,
        ),
        Paragraph("四、收费标准", st["heading"]),
        Paragraph(para(sheet.fee) + (f"（依据：{para(sheet.fee_basis)}）" if sheet.fee_basis else ""), body),
        Paragraph("五、申请材料清单", st["heading"]),
        _material_table(sheet, st),
        Spacer(1, 2 * mm),
        *_missing_summary(sheet, st),
        Paragraph("六、办理地点和时间", st["heading"]),
        Paragraph(f"{para(sheet.location)}；{para(sheet.office_hours)}。", body),
        *_joint_requirements(sheet, st),
    ]
    if sheet.note:
        story += [Paragraph("其他说明", st["heading"]), Paragraph(para(sheet.note), body)]
    if sheet.follows_number:
        story.append(Paragraph(f"本告知书接续告知书 {para(sheet.follows_number)}。", st["small"]))
    story += [
        Spacer(1, 4 * mm),
        grid(
            [
                [f"经办人：{sheet.staff_name}", f"工号：{sheet.staff_no}", f"窗口：{sheet.staff_window}",
                 f"窗口电话：{sheet.staff_phone or '—'}"],
                [f"咨询电话：{sheet.consult_phone}", f"监督电话：{sheet.supervise_phone}", "", ""],
            ],
            [42 * mm, 42 * mm, 52 * mm, 42 * mm],
            header=False,
        ),
        Spacer(1, 8 * mm),
        Paragraph("申请人（咨询人）签字：＿＿＿＿＿＿＿＿＿＿　　　日期：＿＿＿＿年＿＿月＿＿日", body),
        Spacer(1, 3 * mm),
        Paragraph(
            "请妥善保管本告知书。材料补齐后到任一窗口出示本告知书，窗口扫描条码即可调出本次告知内容，直接进入受理。",
            st["small"],
        ),
    ]
    return build_pdf(story, PageSetup(title=f"一次性告知书 {sheet.number}", training=sheet.training, footer=sheet.number))

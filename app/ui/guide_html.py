"""The 办事指南 of an item as HTML for the guide pane (pure string work, no Qt)."""

from __future__ import annotations

import re
from html import escape

from app.services.catalog.data import SEP, ItemData, MaterialData


def _limit(days: int) -> str:
    return "当场办结" if days == 0 else f"{days}个工作日"


def _steps(text: str) -> str:
    parts = [p.strip() for p in re.split(r"(?=\d+\.\s)", text) if p.strip()]
    if len(parts) <= 1:
        return f"<p>{escape(text)}</p>"
    return "".join(f"<p style='margin:2px 0'>{escape(p)}</p>" for p in parts)


def _count(n: int) -> str:
    return f"{n}份" if n else "—"


def _material_row(index: int, m: MaterialData) -> str:
    need = "必要" if m.required else f"视情形：{escape(m.condition)}"
    notes = [escape(m.description)] if m.description else []
    if m.form_name:
        notes.append(f"表格/样表：{escape(m.form_name)}")
    if m.source_department:
        notes.append(f"要求部门：{escape(m.source_department)}")
    return (
        f"<tr><td align='center'>{index}</td><td><b>{escape(m.name)}</b></td>"
        f"<td align='center'>{_count(m.originals_kept)}</td><td align='center'>{_count(m.originals_checked)}</td>"
        f"<td align='center'>{_count(m.copies)}</td><td align='center'>{'需要' if m.electronic else '—'}</td>"
        f"<td>{need}</td><td>{'<br>'.join(notes)}</td></tr>"
    )


def guide_html(item: ItemData) -> str:
    retired = (
        f"<p style='color:#b00020'><b>本事项已于{item.retired_on.isoformat()}停用，不再受理。</b></p>"
        if item.retired_on
        else ""
    )
    facts = [
        ("事项编码", item.code),
        ("责任部门", item.department),
        ("联办部门", SEP.join(item.co_departments) or "无"),
        ("默认办件类型", item.case_class_label),
        ("法定时限", _limit(item.legal_limit_days)),
        ("承诺时限", _limit(item.promised_limit_days)),
        ("村级代办", "可由村代办员代办" if item.agent_allowed else "须到中心窗口办理"),
        ("收费标准", item.fee),
        ("收费依据", item.fee_basis or "—"),
        ("办理地点", item.location),
        ("办理时间", item.office_hours),
        ("咨询电话", item.consult_phone),
        ("监督电话", item.supervise_phone),
        ("版本", f"第{item.version}版，{item.effective_date.isoformat()}起施行"),
    ]
    fact_rows = "".join(
        f"<tr><td width='22%' style='color:#555'>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in facts
    )
    materials = "".join(_material_row(i, m) for i, m in enumerate(item.materials, start=1))
    aliases = f"<p style='color:#555'>又称：{escape(SEP.join(item.aliases))}</p>" if item.aliases else ""
    return f"""
<h2 style='margin-bottom:2px'>{escape(item.name)}</h2>{aliases}{retired}
<table cellspacing='0' cellpadding='3' width='100%'>{fact_rows}</table>
<h3>设定依据</h3><p>{escape(item.legal_basis)}</p>
<h3>受理条件</h3><p>{escape(item.conditions)}</p>
<h3>办理流程</h3>{_steps(item.procedure)}
<h3>申请材料（共{len(item.materials)}项）</h3>
<table border='1' cellspacing='0' cellpadding='3' width='100%' style='border-color:#999'>
<tr style='background:#eef'><th width='5%'>序号</th><th width='25%'>材料名称</th><th width='8%'>原件收取</th>
<th width='8%'>原件核验</th><th width='8%'>复印件</th><th width='7%'>电子件</th><th width='17%'>是否必要</th>
<th width='22%'>说明</th></tr>{materials}</table>
"""

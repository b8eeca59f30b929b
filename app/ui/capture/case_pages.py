"""The 电子件 section of a case's card in F7: pages per material, how and when they came, and whether this
workstation holds the images (a director's PC fetches the others from the centre when opened)."""

from __future__ import annotations

from collections import defaultdict
from html import escape

from app.services.attachments.pages import SOURCES, PageRow


def pages_html(material_names: list[str], pages: list[PageRow], held: set[str]) -> str:
    if not pages:
        return "<h4>电子件</h4><p>无</p>"
    by_material: dict[int, list[PageRow]] = defaultdict(list)
    for page in pages:
        by_material[page.material_seq].append(page)
    rows = []
    for seq, taken in sorted(by_material.items()):
        name = material_names[seq - 1] if 1 <= seq <= len(material_names) else f"材料{seq}"
        how = "、".join(sorted({SOURCES.get(p.source, p.source) for p in taken}))
        when = "、".join(sorted({"补正" if p.step == "supplement" else "受理" for p in taken}))
        missing = sum(1 for p in taken if p.sha256 not in held)
        here = f"{missing} 页图像在中心" if missing else "图像在本机"
        rows.append(f"<tr><td>{seq}</td><td>{escape(name)}</td><td>{len(taken)} 页</td><td>{how}</td>"
                    f"<td>{when}</td><td>{here}</td></tr>")
    return (f"<h4>电子件（共 {len(pages)} 页）</h4><table border='1' cellspacing='0' cellpadding='3'>"
            "<tr><th>序号</th><th>材料</th><th>页数</th><th>来源</th><th>环节</th><th>图像</th></tr>"
            f"{''.join(rows)}</table>")

"""`stats --from D --to D [--by window|staff|item|node] [--json]`: every statistics figure for a period,
for the township or per window, clerk, item or node, as JSON for other tools or as a Chinese table."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from app.database import Database


def add_parsers(sub: Any) -> None:
    """The `stats` command."""
    from app.services.stats.figures import SCOPES

    stats = sub.add_parser("stats", help="统计数据（受理量、办结量、超期、跑动次数、评价、投诉等）")
    stats.add_argument("--from", dest="date_from", required=True, help="开始日期 YYYY-MM-DD（含）")
    stats.add_argument("--to", dest="date_to", required=True, help="结束日期 YYYY-MM-DD（含）")
    stats.add_argument("--by", choices=tuple(SCOPES), default=None,
                       help="分组：" + "，".join(f"{k} {v}" for k, v in SCOPES.items()) + "（不填只列全镇合计）")
    stats.add_argument("--json", action="store_true", help="输出 JSON：{\"rows\": [...], \"total\": {...}}")


def cmd(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database]) -> int:
    from app.services.stats.figures import FIGURES, SCOPES
    from app.services.stats.periods import make_period
    from app.services.stats.report import as_of_text, class_counts_text, figures_for, format_value

    make_period(args.date_from, args.date_to)  # bad dates are refused before the database is opened
    table = figures_for(open_db(args), args.date_from, args.date_to, args.by)
    if args.json:
        print(json.dumps({"from": table.period.first.isoformat(), "to": table.period.last.isoformat(),
                          "by": table.by, "as_of": table.as_of.isoformat(timespec="minutes"), "rows": [r.as_json() for r in table.rows],
                          "total": table.total.as_json()}, ensure_ascii=False, indent=1))
        return 0
    print(f"统计期间：{table.period.first.isoformat()} 至 {table.period.last.isoformat()}"
          + (f"　按{SCOPES[table.by]}" if table.by else "") + f"　{as_of_text(table.as_of)}")
    header = [SCOPES[table.by] if table.by else "范围", *(f.label_cn for f in FIGURES)]
    print("\t".join(header))
    for row in (*table.rows, table.total):
        print("\t".join([row.label, *(format_value(f.key, row.values[f.key]) for f in FIGURES)]))
    print(f"受理量分件类（全镇）：{class_counts_text(table.total)}")
    print("口径：")
    for f in FIGURES:
        print(f"  {f.label_cn}（{f.unit}）：{f.definition_cn}")
    return 0

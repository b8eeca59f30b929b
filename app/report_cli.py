"""`report --period YYYY-MM|YYYY-Qn -o F.pdf|F.xlsx`: the month's or quarter's statistics report (统计报表)
of this workstation's township, as a PDF with charts or an Excel workbook with one sheet per table."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.actor import Actor
from app.database import Database


def add_parsers(sub: Any) -> None:
    """The `report` command."""
    report = sub.add_parser("report", help="月度或季度统计报表（PDF 含图表，或 Excel 工作簿）")
    add_report_arguments(report)


def add_report_arguments(parser: Any) -> None:
    """--period and -o, shared with `center report`."""
    parser.add_argument("--period", required=True, help="统计期：月份 YYYY-MM（如 2026-11）或季度 YYYY-Qn（如 2026-Q4）")
    parser.add_argument("-o", "--output", required=True, type=Path, help="输出文件：.pdf（含图表）或 .xlsx（每表一页）")


def cmd(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], actor: Actor) -> int:
    from app.services.cases.documents import center_of
    from app.services.stats.monthly import check_output, gather, write_report
    from app.services.stats.periods import parse_report_period
    from app.services.stats.report import as_of_text

    period = parse_report_period(args.period)  # bad input is refused before anything is opened or written
    check_output(args.output)
    db = open_db(args)
    center_name, training = center_of(db)
    data = gather(db, period)
    write_report(data, args.output, center_name, actor.name, training)
    total = data.township.values
    print(f"已生成 {center_name} {period.title} 统计报表：{args.output}"
          f"（受理 {total['accepted']} 件，办结 {total['completed']} 件；{as_of_text(data.as_of)}）")
    return 0

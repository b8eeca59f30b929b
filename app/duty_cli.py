"""`duty roster | inspect | list | summary`: the weekly duty (值周) from the command line.

The command line acts as the "system" role, which holds MANAGE_DUTY: it may draw up the roster and record
an inspection (recorded as made by 命令行管理, or with --staff-no in the name of that staff member, whose own
right to inspect that week is then checked).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.actor import Actor
from app.database import Database


def add_parsers(sub: Any) -> None:
    from app.cli import _Parser, date_arg
    from app.services.people.duty import RESULTS

    duty = sub.add_parser("duty", help="值周：值周安排、检查记录、每周汇总")
    dsub = duty.add_subparsers(dest="duty_command", required=True, parser_class=_Parser)
    roster = dsub.add_parser("roster", help="排定某周的值周人（不给 --staff 则列出自该周起8周的安排）")
    roster.add_argument("--week", type=date_arg, required=True, help="该周任一天 YYYY-MM-DD")
    roster.add_argument("--staff", help="值周人工号")
    inspect = dsub.add_parser("inspect", help="登记一次值周检查")
    inspect.add_argument("--week", type=date_arg, required=True, help="该周任一天 YYYY-MM-DD")
    inspect.add_argument("--window", required=True, help="检查的窗口（须为本中心已有的窗口：人员的所在窗口或节点名称）")
    inspect.add_argument("--result", required=True, choices=list(RESULTS), help="pass 合格 / fix 需整改")
    inspect.add_argument("--findings", default="", help="检查情况（需整改时必填，不超过1000字）")
    inspect.add_argument("--staff-no", help="检查人工号（不给则以“命令行管理”登记）")
    summary = dsub.add_parser("summary", help="某周的值周汇总（屏幕文字；给 -o 则生成 PDF）")
    summary.add_argument("--week", type=date_arg, required=True, help="该周任一天 YYYY-MM-DD")
    summary.add_argument("-o", "--output", type=Path, help="输出的 PDF 文件")


def cmd(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], fallback_actor: Actor) -> int:
    from app.cases_cli import clerk
    from app.safe_write import write_bytes_atomically
    from app.services.people import duty

    db = open_db(args)
    if args.duty_command == "roster":
        if args.staff:
            entry = duty.set_roster(db, fallback_actor, args.week, args.staff)
            print(f"值周：{entry.week_text} {entry.staff_name}（{entry.staff_no}）")
        else:
            for entry in duty.roster(db, args.week):
                print(f"{entry.week_text}\t{entry.staff_no}\t{entry.staff_name}")
        return 0
    if args.duty_command == "inspect":
        actor = fallback_actor if args.staff_no is None else clerk(db, args.staff_no, fallback_actor)
        record = duty.record_inspection(db, actor, duty.InspectionForm(args.week, args.window, args.findings,
                                                                       args.result))
        print(f"已登记值周检查：{record.window} {record.result_label}（{record.inspector_name}）")
        return 0
    if args.output is not None:
        write_bytes_atomically(args.output, duty.summary_pdf(db, args.week))
        print(f"已生成 {args.output}")
        return 0
    print(duty.summary_text(duty.week_summary(db, args.week)))
    return 0

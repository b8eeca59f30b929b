"""`attendance sign-in | sign-out --staff STAFF_NO` and `attendance sheet --month YYYY-MM -o F.pdf|F.xlsx`.

Signing prints the time and the mark (签到 08:47，迟到 17 分钟). The command line runs as the system
(whoever runs it holds the data folder), so it may sign for anyone. A bad 工号, month or path ends with a
Chinese message and a non-zero exit (app.cli), and nothing is written.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.actor import Actor
from app.database import Database


def add_parsers(sub: Any) -> None:
    """The `attendance` command and its sub-commands."""
    attendance = sub.add_parser("attendance", help="考勤：签到、签退、月度考勤表")
    asub = attendance.add_subparsers(dest="attendance_command", required=True)
    for name, text in (("sign-in", "签到"), ("sign-out", "签退")):
        p = asub.add_parser(name, help=f"{text}（现在）并显示是否迟到、早退")
        p.add_argument("--staff", required=True, help="工号")
    sheet = asub.add_parser("sheet", help="导出月度考勤表（PDF 或 Excel）")
    sheet.add_argument("--month", required=True, help="月份，如 2026-11")
    sheet.add_argument("-o", "--output", required=True, help="输出文件，以 .pdf 或 .xlsx 结尾")


def cmd(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], actor: Actor) -> int:
    from app.services.people.attendance import sign
    from app.services.people.attendance_print import check_sheet_path, export_sheet
    from app.services.people.attendance_sheet import parse_month

    if args.attendance_command == "sheet":
        month = parse_month(args.month)  # before opening anything: a bad month changes nothing
        path = Path(args.output)
        check_sheet_path(path)
        sheet = export_sheet(open_db(args), month, path, actor.name)
        print(f"{sheet.title_month}考勤表（{len(sheet.rows)} 人）已保存到 {path}")
        return 0
    kind = "sign_in" if args.attendance_command == "sign-in" else "sign_out"
    result = sign(open_db(args), actor, args.staff, kind)
    print(f"{result.name}（{result.staff_no}）{result.message}")
    return 0

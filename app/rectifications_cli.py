"""`rectifications list | verify | callback | close | export`: the bad-rating ledger (差评整改) from the
command line; ID is the record's id or the rated case's number. An appeal is the rated staff member's
own and its decision the director's: both are made signed in (好差评, Ctrl+Shift+R), not here, where
nobody has proven who they are."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from app.actor import Actor
from app.database import Database

YES_NO = {"yes": True, "no": False}


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("日期格式应为 YYYY-MM-DD") from None


def add_parsers(sub: Any) -> None:
    """The `rectifications` command and its sub-commands."""
    rect = sub.add_parser("rectifications", help="差评整改、回访、申诉")
    rsub = rect.add_subparsers(dest="rectifications_command", required=True)
    listing = rsub.add_parser("list", help="列出全部差评整改（状态、期限、亮灯、是否已回访）")
    listing.add_argument("--json", action="store_true")
    verify = rsub.add_parser("verify", help="核实差评，转入整改中")
    verify.add_argument("id", help="整改记录编号，或被评价的办件编号")
    verify.add_argument("--note", required=True, help="核实情况")
    call = rsub.add_parser("callback", help="记录回访（回访人为当前操作人，时间为现在）")
    call.add_argument("id", help="整改记录编号，或被评价的办件编号")
    call.add_argument("--result", required=True, help="回访情况")
    call.add_argument("--satisfied", choices=tuple(YES_NO), required=True, help="群众是否满意：yes 或 no")
    close = rsub.add_parser("close", help="办结整改：fixed 已整改，unfixable 无法整改，invalid 无效差评（须申诉成立）")
    close.add_argument("id", help="整改记录编号，或被评价的办件编号")
    close.add_argument("--outcome", choices=("fixed", "unfixable", "invalid"), required=True)
    close.add_argument("--note", required=True, help="整改说明或无法整改的原因")
    close.add_argument("--until", type=_day, default=None, help="无法整改时新的整改期限 YYYY-MM-DD（默认再加整改时限）")
    export = rsub.add_parser("export", help="导出差评整改台账为 .xlsx（不限行数）")
    export.add_argument("file", type=Path)
    export.add_argument("--from", dest="date_from", type=_day, default=None, help="评价日期自（YYYY-MM-DD）")
    export.add_argument("--to", dest="date_to", type=_day, default=None, help="评价日期至（含当天）")


def cmd(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], fallback_actor: Actor) -> int:
    from app.services.ratings import rectification as rect

    db = open_db(args)
    command = args.rectifications_command
    if command == "verify":
        rect.verify(db, fallback_actor, args.id, args.note)
        print(f"{args.id}：已核实，转入整改中")
    elif command == "callback":
        rect.callback(db, fallback_actor, args.id, args.result, YES_NO[args.satisfied])
        print(f"{args.id}：回访已记录（{'满意' if YES_NO[args.satisfied] else '不满意'}）")
    elif command == "close":
        rect.close(db, fallback_actor, args.id, args.outcome, args.note, args.until)
        print(f"{args.id}：{rect.OUTCOMES[args.outcome]}")
    elif command == "export":
        from app.cli_progress import terminal_progress
        from app.services.ratings.ledger import write_rectification_ledger_xlsx

        with terminal_progress() as progress:  # Ctrl+C: stopped between rows, no file written
            count = write_rectification_ledger_xlsx(db, args.file, progress, date_from=args.date_from,
                                                    date_to=args.date_to)
        print(f"已导出 {count} 条差评整改到 {args.file}")
    elif args.json:
        rows = [{"id": r.id, "rating": r.rating_id, "target": r.target_number, "staff_no": r.staff_no,
                 "level": r.level, "state": r.status, "state_label": r.status_label,
                 "due": r.due_date.isoformat(), "light": r.light.colour, "callback_done": r.called_back,
                 "excluded": r.excluded} for r in rect.list_rectifications(db)]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    else:
        for r in rect.list_rectifications(db):
            print(f"{r.id}\t{r.target_number}\t{r.status_label}\t{r.due_date.isoformat()}\t{r.light.label or '—'}\t"
                  f"{'已回访' if r.called_back else '未回访'}")
    return 0


def print_ledger(db: Database, args: argparse.Namespace) -> int:
    """`print rectification-ledger -o F.pdf`: the printed 差评整改台账, written whole or not at all."""
    from app.cli_progress import terminal_progress
    from app.safe_write import write_bytes_atomically
    from app.services.ratings.ledger import rectification_ledger_pdf

    with terminal_progress() as progress:  # Ctrl+C: stopped while laying out, no file written
        pdf = rectification_ledger_pdf(db, "命令行", progress=progress, date_from=args.date_from,
                                       date_to=args.date_to)
    write_bytes_atomically(args.output, pdf)
    print(f"已生成差评整改台账：{args.output}")
    return 0

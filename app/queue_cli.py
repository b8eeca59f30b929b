"""`queue take|call|status`: the hall's queue from the command line of a workstation joined to the centre.

`take` prints the ticket number alone on standard output (the place in the queue goes to standard error),
`call --window NODE_CODE` calls for this workstation's own window only (the centre knows the caller by its
device credential, so another window's code is refused here before anything is sent), and `status --json`
gives `categories` by name with their waiting counts and windows, and the tickets being called.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.services.errors import UserError


def add_parsers(sub: Any) -> None:
    from app.cli import _Parser

    queue = sub.add_parser("queue", help="大厅排队叫号：取号、叫号、查看排队情况（须已连接中心）")
    qsub = queue.add_subparsers(dest="queue_command", required=True, parser_class=_Parser)
    take = qsub.add_parser("take", help="取号；输出排队号")
    take.add_argument("--category", required=True, help="排队类别，如 综合")
    take.add_argument("--appointment", default="", help="预约签到：预约时登记的手机号或 YY 开头的预约号（优先叫号）")
    call = qsub.add_parser("call", help="为本窗口叫下一个号；输出叫到的排队号")
    call.add_argument("--window", required=True, help="本机的节点编码（两位数字），如 01")
    status = qsub.add_parser("status", help="各类别等候人数与正在叫的号")
    status.add_argument("--json", action="store_true")


def _minutes(since: Any) -> int:
    return max(0, int((utc_now() - since).total_seconds() // 60))


def cmd(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], actor: Actor) -> int:
    from app.services.queue import client as queue

    if args.queue_command == "call" and not (len(args.window) == 2 and args.window.isdigit()):
        raise UserError("--window 应为两位数字的节点编码，如 01")
    db = open_db(args)
    if args.queue_command == "take":
        ticket = queue.take(db, args.category, args.appointment)
        print(ticket.number)
        kind = "预约优先号" if ticket.priority else "普通号"
        print(f"{ticket.category} {kind}，前面还有 {ticket.ahead} 人等候", file=sys.stderr)
        return 0
    if args.queue_command == "call":
        if args.window != db.node_code:
            raise UserError(f"本机是节点 {db.node_code}，只能为本窗口叫号，不能替节点 {args.window} 叫号")
        called = queue.call_next(db, actor)
        if called is None:
            print("当前没有等候的号")
            return 0
        print(called.number)
        print(f"{called.category}{'（预约优先）' if called.priority else ''}，等候 {_minutes(called.taken_at)} 分钟，"
              f"请到 {called.window_name or called.window} 办理", file=sys.stderr)
        return 0
    shown = queue.status(db)
    if args.json:
        print(json.dumps({
            "as_of": shown.as_of.isoformat(timespec="seconds"),
            "categories": {c.name: {"prefix": c.prefix, "waiting": c.waiting, "windows": list(c.windows)}
                           for c in shown.categories},
            "called": [{"number": t.number, "category": t.category, "window": t.window, "window_name": t.window_name,
                        "called_at": t.called_at.isoformat(timespec="seconds") if t.called_at else None,
                        "recalls": t.recalls, "priority": t.priority} for t in shown.called],
        }, ensure_ascii=False, indent=1))
        return 0
    print("类别\t号头\t等候\t窗口")
    for c in shown.categories:
        print(f"{c.name}\t{c.prefix}\t{c.waiting}\t{'、'.join(c.windows) or '—'}")
    print("正在叫号：" + ("；".join(f"{t.number} → {t.window_name or t.window}" for t in shown.called) or "无"))
    return 0

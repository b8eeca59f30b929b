"""`queue take|call|status`: the hall's queue from the command line of a workstation joined to the centre.

`take` prints the ticket number alone on standard output (the place in the queue goes to standard error;
with `-o TICKET.pdf` the ticket paper is also written, for a kiosk without a printer),
`call --window NODE_CODE` calls for this workstation's own window only (the centre knows the caller by its
device credential, so another window's code is refused here before anything is sent), and `status --json`
gives `categories` by name with their waiting counts and windows, and the tickets being called.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
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
    take.add_argument("-o", "--output", type=Path, help="同时把排队小票写成 PDF 文件（.pdf），供没有小票打印机时打印或转发")
    take.add_argument("--paper", help="与 -o 同用：小票纸张，58、80（毫米热敏小票）或 a6；不给则用本机取号机设置的纸张")
    call = qsub.add_parser("call", help="为本窗口叫下一个号；输出叫到的排队号")
    call.add_argument("--window", required=True, help="本机的节点编码（两位数字），如 01")
    status = qsub.add_parser("status", help="各类别等候人数与正在叫的号")
    status.add_argument("--json", action="store_true")
    cats = qsub.add_parser("categories", help="排队类别：列出；或用 --set 以 JSON 文件整体替换（中心主任或管理员）")
    cats.add_argument("--json", action="store_true", help="以 JSON 输出（可修改后用 --set 读回）")
    cats.add_argument("--set", metavar="FILE.json", help="用文件中的类别整体替换大厅的排队类别（全部成功或不做修改）")
    cats.add_argument("--prove", metavar="工号",
                      help="与 --set 同用：以该中心主任或管理员身份向中心核验（密码从提示或标准输入读取）")


def _minutes(since: Any) -> int:
    return max(0, int((utc_now() - since).total_seconds() // 60))


def cmd(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], actor: Actor) -> int:
    from app.services.queue import client as queue

    if args.queue_command == "call" and not (len(args.window) == 2 and args.window.isdigit()):
        raise UserError("--window 应为两位数字的节点编码，如 01")
    if args.queue_command == "categories":
        return _categories(args, open_db)
    if args.queue_command == "take":
        _check_output(args)  # before the ticket is taken: a bad -o takes no number
    db = open_db(args)
    if args.queue_command == "take":
        return _take(args, db)
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


def _check_output(args: argparse.Namespace) -> None:
    from app.printing.ticket_pdf import PAPERS  # here, not at import: every command's start would load reportlab

    if args.paper is not None and args.paper.strip().lower()[:4] not in PAPERS:
        raise UserError("--paper 应为 58、80 或 a6")
    if args.output is None:
        if args.paper is not None:
            raise UserError("--paper 只与 -o 同用（写出排队小票的 PDF）")
        return
    if args.output.suffix.lower() != ".pdf" or len(str(args.output)) > 1000:
        raise UserError("排队小票的输出文件应以 .pdf 结尾")
    if args.output.is_dir():
        raise UserError(f"{args.output} 是文件夹，请给出 .pdf 文件名")


def _take(args: argparse.Namespace, db: Database) -> int:
    """The number on standard output; with -o also the ticket paper the kiosk prints, as a PDF (the same bytes)."""
    from app.printing.ticket_pdf import PAPERS, ticket_pdf
    from app.safe_write import write_bytes_atomically
    from app.services.queue import client as queue
    from app.services.queue.kiosk_settings import load_kiosk_settings, ticket_slip

    ticket = queue.take(db, args.category, args.appointment)
    print(ticket.number)
    kind = "预约优先号" if ticket.priority else "普通号"
    print(f"{ticket.category} {kind}，前面还有 {ticket.ahead} 人等候", file=sys.stderr)
    if args.output is not None:
        paper = args.paper.strip().lower()[:4] if args.paper else load_kiosk_settings(db).paper
        write_bytes_atomically(args.output, ticket_pdf(ticket_slip(db, ticket), paper))
        print(f"已生成排队小票（{PAPERS[paper]}）：{args.output}", file=sys.stderr)
    return 0


def _categories(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database]) -> int:
    """List the hall's categories, or replace them from a file as a person the centre has just proven."""

    from app.services.queue import categories
    from app.services.queue import client as queue

    if args.set is None:
        if args.prove:
            raise UserError("--prove 只与 --set 同用")
        shown = queue.status(open_db(args))
        if args.json:
            print(json.dumps(categories.as_json(shown), ensure_ascii=False, indent=1))
            return 0
        names = dict(shown.windows)
        print("类别\t号头\t等候\t办理窗口")
        for draft, c in zip(categories.drafts_of(shown), shown.categories, strict=True):
            print(f"{c.name}\t{c.prefix}\t{c.waiting}\t{draft.windows_label(names)}")
        return 0
    if not args.prove:
        raise UserError("修改排队类别须由中心核验身份：请加 --prove 工号（中心主任或管理员），密码按提示输入")
    drafts = categories.read_file(Path(args.set))  # the whole file is checked before anyone is asked anything
    db = open_db(args)
    person = _proven(db, args.prove.strip()[:20])
    shown = categories.save_categories(db, person, drafts)
    print(f"已替换排队类别，共 {len(shown.categories)} 个：" + "、".join(f"{c.name}（{c.prefix}）" for c in shown.categories))
    return 0


def _proven(db: Database, staff_no: str) -> Actor:
    """The person behind --prove, once the centre has checked their password (the proof is kept here)."""
    from sqlalchemy import select

    from app.models import Staff
    from app.sync.authority import vouch
    from app.sync.cli import _read_password
    from app.sync.transport import SyncError

    try:
        done = vouch(db, staff_no, _read_password(f"工号 {staff_no} 的密码："))
    except SyncError as exc:
        raise UserError(f"中心未能核验身份：{exc}；未做任何修改") from exc
    with db.session() as s:
        staff = s.scalar(select(Staff).where(Staff.id == done.staff_id))
        name, role = (staff.name, staff.role) if staff else (staff_no, "")
    return Actor(staff_id=done.staff_id, staff_no=staff_no, name=name, role=role)

"""`leave add | list | approve | reject | cancel | handover`: leave requests (请假) from the command line.

The command line acts as the "system" role, which may approve leave: whoever runs it holds the data
folder anyway, and the approval is recorded as made by 命令行管理 (or, with --staff-no, in the name of
that director or unit head, whose own rights are then checked, as `cases reassign` does).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from app.actor import Actor
from app.database import Database


def add_parsers(sub: Any) -> None:
    from app.cli import _Parser, date_arg
    from app.services.people.leave import HALVES, KINDS

    leave = sub.add_parser("leave", help="请假：申请、审批、列表；超过3个工作日由代岗人接手办件")
    lsub = leave.add_subparsers(dest="leave_command", required=True, parser_class=_Parser)
    add = lsub.add_parser("add", help="登记请假申请；输出编号和审批人（最后一行为编号）")
    add.add_argument("--staff", required=True, help="请假人工号")
    add.add_argument("--from", dest="date_from", type=date_arg, required=True, help="开始日期 YYYY-MM-DD")
    add.add_argument("--to", dest="date_to", type=date_arg, required=True, help="结束日期 YYYY-MM-DD（含当天）")
    add.add_argument("--stand-in", default="", help="代岗人工号（超过3个工作日必填）")
    add.add_argument("--kind", default="事假", choices=list(KINDS), help="请假类别，默认事假")
    add.add_argument("--reason", default="", help="请假事由（不超过200字）")
    add.add_argument("--from-half", default="全天", choices=list(HALVES), help="第一天：全天、下午（一天内：上午或下午）")
    add.add_argument("--to-half", default="全天", choices=list(HALVES), help="最后一天：全天或上午")
    listing = lsub.add_parser("list", help="列出全部请假申请")
    listing.add_argument("--json", action="store_true")
    for name, label in (("approve", "批准"), ("reject", "不批准")):
        decide = lsub.add_parser(name, help=f"{label}一项待审批的请假申请")
        decide.add_argument("number", help="请假申请编号（QJ…）")
        decide.add_argument("--note", default="", help="审批意见")
        decide.add_argument("--staff-no", help="审批人工号（不给则以“命令行管理”审批）")
    cancel = lsub.add_parser("cancel", help="撤销一项尚未开始的请假申请")
    cancel.add_argument("number", help="请假申请编号（QJ…）")
    lsub.add_parser("handover", help="请假开始时把办件转给代岗人、结束后交回（可重复运行，不会重复转办）")


def _row(record: Any) -> dict[str, object]:
    return {"number": record.number, "staff_no": record.staff_no, "staff_name": record.staff_name,
            "kind": record.kind, "from": record.from_date.isoformat(), "from_half": record.from_half,
            "to": record.to_date.isoformat(), "to_half": record.to_half, "working_days": record.half_days / 2,
            "stand_in": record.stand_in, "status": record.status, "status_label": record.status_label,
            "approved_by": record.approved_by, "awaiting": record.awaiting, "handed_over": record.handed_over, "handed_back": record.handed_back,
            "reason": record.reason}


def cmd(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], fallback_actor: Actor) -> int:
    from app.cases_cli import clerk
    from app.services.people import leave
    from app.services.people.leave_handover import run_leave_upkeep

    db = open_db(args)
    command = args.leave_command
    if command == "add":
        record = leave.request_leave(db, fallback_actor, leave.LeaveForm(
            staff_no=args.staff, kind=args.kind, from_date=args.date_from, to_date=args.date_to,
            from_half=args.from_half, to_half=args.to_half, reason=args.reason, stand_in=args.stand_in))
        stand_in = f"，代岗人 {record.stand_in_name}（{record.stand_in}）" if record.stand_in else ""
        print(f"已登记请假申请：{record.staff_name}（{record.staff_no}）{record.kind} {record.period_text}，"
              f"共{record.days_text}{stand_in}；须{record.approver_text}")
        print(record.number)
        return 0
    if command == "list":
        if args.json:
            from app.cli import _print_json_rows

            _print_json_rows(_row(record) for record in leave.iter_leave(db))
        else:
            for record in leave.iter_leave(db):
                print(f"{record.number}\t{record.staff_no}{record.staff_name}\t{record.kind}\t{record.period_text}\t"
                      f"{record.days_text}\t{record.stand_in or '—'}\t{record.status_label}")
        return 0
    if command in ("approve", "reject"):
        actor = fallback_actor if args.staff_no is None else clerk(db, args.staff_no, fallback_actor)
        record = leave.decide(db, actor, args.number, command == "approve", args.note)
        print(f"{record.number}：{record.awaiting or f'{record.status_label}（{record.approved_by}）'}")
        if record.handed_over:
            print("请假已开始：未办结办件已转给代岗人")
        return 0
    if command == "cancel":
        record = leave.cancel(db, fallback_actor, args.number)
        print(f"{record.number}：{record.status_label}")
        return 0
    print(run_leave_upkeep(db).summary)
    return 0

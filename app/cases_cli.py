"""`cases accept --json FILE`: accept an application prepared elsewhere, as the F6 screen would.

The file is read and checked before the data folder is opened, so a bad file changes nothing. The case
is accepted in the name of the clerk given by --staff-no (their name, number and window go on the
receipt as 经办人); without it, in the name of the command line, like every other command here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.actor import Actor
from app.database import Database


def add_accept_parser(cases_sub: Any) -> None:
    """The `accept` sub-command under `cases`."""
    accept = cases_sub.add_parser("accept", help="按受理（F6）界面的同样规则受理一份 JSON 办件文件；最后一行输出办件编号")
    accept.add_argument("--json", dest="json_file", metavar="FILE", required=True, type=Path,
                        help="办件文件（UTF-8 JSON 对象，不超过1 MB；字段同受理表单）")
    accept.add_argument("--staff-no", help="经办人工号（须为在用账号）；不给则以“命令行管理”受理")


def clerk(db: Database, staff_no: str | None, fallback: Actor) -> Actor:
    """The clerk named on the command line, who must hold an active account; else the command line."""
    if staff_no is None:
        return fallback
    from sqlalchemy import select

    from app.models import Staff
    from app.services.errors import ValidationError
    from app.services.people.auth import actor_of

    with db.session() as s:
        member = s.scalar(select(Staff).where(Staff.staff_no == staff_no.strip()))
        if member is None or not member.active:
            raise ValidationError(f"工号 {staff_no} 不存在或已停用，不能作为经办人")
        return actor_of(member)


def cmd_accept(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], fallback: Actor) -> int:
    """Prints what was accepted, then the new case number alone on the last line."""
    from app.models.cases import class_label
    from app.services.cases.bulk_import import accept_request, read_case_file
    from app.services.errors import ValidationError
    from app.services.setup import is_set_up

    request = read_case_file(args.json_file)  # the whole file is checked before the data folder is opened
    db = open_db(args)
    if not is_set_up(db):
        raise ValidationError("请先设置本工作站（setup），再受理办件")
    number = accept_request(db, clerk(db, args.staff_no, fallback), request)
    print(f"已受理{class_label(request.texts.get('case_class', ''))}：{request.texts.get('item_code', '').strip()}")
    print(number)
    return 0


ACTIONS = ("decide", "notify", "deliver", "withdraw", "archive", "supplement")


def _seqs(text: str) -> list[int]:
    """"1,3" or "1，3" → [1, 3]: material numbers as printed on the list."""
    try:
        seqs = [int(part) for part in text.replace("，", ",").split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("材料序号应为逗号分隔的数字，如 1,3") from None
    if not seqs or len(seqs) > 99 or any(not 1 <= seq <= 99 for seq in seqs):
        raise argparse.ArgumentTypeError("材料序号应为1至99的数字，如 1,3")
    return seqs


def add_action_parsers(cases_sub: Any) -> None:
    """decide, notify, deliver, withdraw, archive: the second half of a case (issue 11)."""
    from app.services.cases.actions import DELIVERY_METHODS

    methods = ", ".join(f"{k}={v}" for k, v in DELIVERY_METHODS.items())
    decide = cases_sub.add_parser("decide", help="作出决定：--approve 准予（--result 办理结果）或 --deny 不予许可（--reason --basis）")
    decide.add_argument("number")
    verdict = decide.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--approve", action="store_true", help="准予")
    verdict.add_argument("--deny", action="store_true", help="不予许可")
    decide.add_argument("--result", default="", help="准予的内容，如 批准享受……待遇")
    decide.add_argument("--document-number", default="", help="证件或批复文号")
    decide.add_argument("--amount", default="", help="金额")
    decide.add_argument("--reason", default="", help="不予许可的理由")
    decide.add_argument("--basis", default="", help="不予许可的法律依据")
    decide.add_argument("--late-reason", default="", help="超过办结期限时必填：超期原因")
    notify = cases_sub.add_parser("notify", help="办结通知：告知申请人结果已出及领取或送达方式")
    notify.add_argument("number")
    notify.add_argument("--method", required=True, choices=list(DELIVERY_METHODS), help=methods)
    deliver = cases_sub.add_parser("deliver", help="送达：办件结果交到申请人手中（已办结）")
    deliver.add_argument("number")
    deliver.add_argument("--method", required=True, choices=list(DELIVERY_METHODS), help=methods)
    deliver.add_argument("--receiver", default="", help="签收人姓名（窗口领取、代办员送达时必填）")
    deliver.add_argument("--receiver-id", default="", help="签收人证件号码")
    deliver.add_argument("--tracking", default="", help="邮件单号（邮寄时必填）")
    withdraw = cases_sub.add_parser("withdraw", help="申请人撤回申请")
    withdraw.add_argument("number")
    withdraw.add_argument("--reason", required=True, help="撤回原因")
    archive = cases_sub.add_parser("archive", help="归档：纸质材料入档案盒")
    archive.add_argument("number")
    archive.add_argument("--box", required=True, help="档案盒号")
    supplement = cases_sub.add_parser("supplement", help="补正：补办件补齐材料（按清单序号，份数按事项要求），开始计时")
    supplement.add_argument("number")
    supplement.add_argument("--materials", required=True, type=_seqs, help="本次带来的材料序号，如 1,3")
    for parser in (decide, notify, deliver, withdraw, archive, supplement):
        parser.add_argument("--staff-no", help="经办人工号（须为在用账号）；不给则以“命令行管理”办理")


def cmd_action(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], fallback: Actor) -> int:
    """Performs the action on the machine's own time; prints the case's new state."""
    from app.services.cases import actions as act
    from app.services.cases.lifecycle import state_label

    db = open_db(args)
    actor = clerk(db, args.staff_no, fallback)
    command = args.cases_command
    if command == "decide":
        decision = act.Decision(approve=args.approve, result=args.result, document_number=args.document_number,
                                amount=args.amount, reason=args.reason, basis=args.basis, late_reason=args.late_reason)
        state = act.decide(db, actor, args.number, decision)
    elif command == "notify":
        state = act.notify(db, actor, args.number, args.method)
    elif command == "deliver":
        state = act.deliver(db, actor, args.number, act.Delivery(args.method, args.receiver, args.receiver_id,
                                                                 args.tracking))
    elif command == "supplement":
        from app.services.cases.records import complete_materials, get_case

        complete_materials(db, actor, args.number, args.materials)
        record = get_case(db, args.number)
        state = record.status if record else ""
    elif command == "withdraw":
        state = act.withdraw(db, actor, args.number, args.reason)
    else:
        state = act.archive(db, actor, args.number, args.box)
    print(f"办件 {args.number.strip()}：{state_label(state)}")
    return 0

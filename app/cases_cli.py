"""`cases accept --json FILE`: accept an application prepared elsewhere, as the F6 screen would.

The file is read and checked before the data folder is opened, so a bad file changes nothing. The case
is accepted in the name of the clerk given by --staff-no (their name, number and window go on the
receipt as 经办人); without it, in the name of the command line, like every other command here.
"""

from __future__ import annotations

import argparse
import sys
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
    """The clerk named on the command line, who must hold an active account; else the command line,
    working at this node (its name is the window the case lists and the public board show)."""
    if staff_no is None:
        from dataclasses import replace

        from app.services.node import load_identity

        identity = load_identity(db)
        return replace(fallback, workplace=fallback.workplace or (identity.node_name if identity else ""))
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


TRANSFERS = ("transfer", "receive", "cancel-transfer")  # hand-overs between nodes: cmd_transfer, below
REPORTS = ("ledger", "board")  # read-only: the 办件登记簿 and the 超期公示 (cmd_report, below)
STEPS = ("decide", "notify", "deliver", "onspot", "withdraw", "terminate", "archive", "supplement", "handover", "reply", "visit", "reassign")
ACTIONS = STEPS + REPORTS + TRANSFERS  # every `cases` command but list and accept: cmd_action dispatches


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
    from app.cli import date_arg
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
    decide.add_argument("--joint-override", default="", help="联办件：联办部门未全部回复即作决定的理由")
    notify = cases_sub.add_parser("notify", help="办结通知：告知申请人结果已出及领取或送达方式")
    notify.add_argument("number")
    notify.add_argument("--method", required=True, choices=list(DELIVERY_METHODS), help=methods)
    deliver = cases_sub.add_parser("deliver", help="送达：办件结果交到申请人手中（已办结）")
    deliver.add_argument("number")
    deliver.add_argument("--method", required=True, choices=list(DELIVERY_METHODS), help=methods)
    deliver.add_argument("--receiver", default="", help="签收人姓名（窗口领取、代办员送达时必填）")
    deliver.add_argument("--receiver-id", default="", help="签收人证件号码")
    deliver.add_argument("--tracking", default="", help="邮件单号（邮寄时必填）")
    deliver.add_argument("--carrier", default="", help="寄递单位（邮寄时必填），如 中国邮政")
    deliver.add_argument("--address", default="", help="邮寄地址（邮寄时必填）")
    deliver.add_argument("--authorised", action="store_true", help="代领：已查验申请人的书面委托书")
    deliver.add_argument("--items", default="", help="送达的材料，如 \"决定告知书1份；核定表2份\"")
    onspot = cases_sub.add_parser("onspot", help="当场办结：即办件当场作出决定并交付（一张受理办结回执）")
    onspot.add_argument("number")
    onspot.add_argument("--result", required=True, help="办理结果")
    onspot.add_argument("--late-reason", default="", help="超过办结期限时必填：超期原因")
    withdraw = cases_sub.add_parser("withdraw", help="申请人撤回申请")
    withdraw.add_argument("number")
    withdraw.add_argument("--reason", required=True, help="撤回原因")
    terminate = cases_sub.add_parser("terminate", help="终止：办理程序终结，不作决定（如申请人死亡、事项已不存在）")
    terminate.add_argument("number")
    terminate.add_argument("--reason", required=True, help="终止原因")
    archive = cases_sub.add_parser("archive", help="归档：纸质材料入档案盒")
    archive.add_argument("number")
    archive.add_argument("--box", required=True, help="档案盒号")
    supplement = cases_sub.add_parser("supplement", help="补正：补办件补齐材料（按清单序号，份数按事项要求），开始计时")
    supplement.add_argument("number")
    supplement.add_argument("--materials", required=True, type=_seqs, help="本次带来的材料序号，如 1,3")
    handover = cases_sub.add_parser("handover", help="联办件转办：交联办部门办理（其时限自次日起算）")
    handover.add_argument("number")
    handover.add_argument("--department", required=True, help="联办部门名称")
    handover.add_argument("--days", required=True, type=int, help="该部门的办理时限（工作日）")
    handover.add_argument("--date", type=date_arg, default=None, help="转办日期，默认今天")
    reply = cases_sub.add_parser("reply", help="登记联办部门的书面回复")
    reply.add_argument("number")
    reply.add_argument("--department", required=True, help="联办部门名称")
    reply.add_argument("--outcome", required=True, choices=["agree", "disagree", "other"],
                       help="agree 同意 / disagree 不同意 / other 其他意见")
    reply.add_argument("--opinion", required=True, help="部门意见")
    reply.add_argument("--date", type=date_arg, default=None, help="回复日期，默认今天")
    visit = cases_sub.add_parser("visit", help="登记群众为该办件的其他来访（计入跑动次数）")
    visit.add_argument("number")
    visit.add_argument("--purpose", required=True, help="来访事由：咨询进度、补充说明、领取材料、其他")
    visit.add_argument("--note", default="", help="说明")
    for parser in (decide, notify, deliver, onspot, withdraw, terminate, archive, supplement, handover, reply, visit):
        parser.add_argument("--staff-no", help="经办人工号（须为在用账号）；不给则以“命令行管理”办理")
    add_reassign_parser(cases_sub)
    add_report_parsers(cases_sub)
    add_transfer_parsers(cases_sub)


def cmd_action(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], fallback: Actor) -> int:
    """Performs the action on the machine's own time; prints the case's new state."""
    from app.services.cases import actions as act
    from app.services.cases.lifecycle import state_label
    from app.services.cases.records import complete_materials, get_case

    if args.cases_command in REPORTS:
        return cmd_report(args, open_db)
    if args.cases_command in TRANSFERS:
        return cmd_transfer(args, open_db, fallback)
    db = open_db(args)
    actor = clerk(db, args.staff_no, fallback)
    command = args.cases_command
    if command == "reassign":
        return cmd_reassign(db, actor, args)
    if command == "decide":
        decision = act.Decision(approve=args.approve, result=args.result, document_number=args.document_number,
                                amount=args.amount, reason=args.reason, basis=args.basis, late_reason=args.late_reason,
                                joint_override=args.joint_override)
        state = act.decide(db, actor, args.number, decision)
    elif command == "notify":
        state = act.notify(db, actor, args.number, args.method)
        record = get_case(db, args.number.strip())
        sms = act.notice_sms(record) if record else None
        if sms:  # no gateway yet: the clerk sends or reads it out
            print(f"短信（待发送）至 {sms.phone or '（无电话）'}：{sms.text}")
    elif command in ("handover", "reply", "visit"):
        state = _joint_action(db, actor, args)
    elif command == "deliver":
        state = act.deliver(db, actor, args.number, act.Delivery(
            args.method, args.receiver, args.receiver_id, args.tracking, carrier=args.carrier, address=args.address,
            authorised=args.authorised, items=act.parse_items(args.items)))
    elif command == "onspot":
        state = act.complete_on_spot(db, actor, args.number, args.result, late_reason=args.late_reason)
    elif command == "supplement":
        still = complete_materials(db, actor, args.number, args.materials)
        if still:  # the visit is recorded; the clock waits for the rest
            print(f"已登记本次补交的材料，仍缺：{'、'.join(still)}")
        record = get_case(db, args.number)
        state = record.status if record else ""
    elif command == "withdraw":
        state = act.withdraw(db, actor, args.number, args.reason)
    elif command == "terminate":
        state = act.terminate(db, actor, args.number, args.reason)
    else:
        state = act.archive(db, actor, args.number, args.box)
    print(f"办件 {args.number.strip()}：{state_label(state)}")
    return 0


def _joint_action(db: Database, actor: Actor, args: argparse.Namespace) -> str:
    """联办 hand-over and reply, and visits: events that leave the state as it is."""
    from app.clock import local_today
    from app.services.cases import joint
    from app.services.cases.records import get_case

    day = args.date if getattr(args, "date", None) else local_today()
    if args.cases_command == "handover":
        due = joint.hand_over(db, actor, args.number, args.department, day, args.days)
        print(f"已转办“{args.department.strip()}”，该部门应于 {due.isoformat()} 前回复")
    elif args.cases_command == "reply":
        joint.record_reply(db, actor, args.number, args.department, day, args.outcome, args.opinion)
        print(f"已登记“{args.department.strip()}”的回复")
    else:
        trips = joint.record_visit(db, actor, args.number, args.purpose, args.note)
        print(f"已登记来访，该办件跑动 {trips} 次")
    record = get_case(db, args.number.strip())
    return record.status if record else ""


def add_reassign_parser(cases_sub: Any) -> None:
    """`cases reassign --from A --to B --reason TEXT`: AB岗, A's open cases held here pass to B."""
    reassign = cases_sub.add_parser("reassign", help="AB岗转办：把离岗人员（A岗）在本机的未办结办件转给接手人员（B岗）")
    reassign.add_argument("--from", dest="from_no", required=True, metavar="STAFF_NO", help="离岗人员工号（A岗）")
    reassign.add_argument("--to", dest="to_no", required=True, metavar="STAFF_NO", help="接手人员工号（B岗，须为在用账号）")
    reassign.add_argument("--reason", required=True, help="转办原因，如 休假、外出培训")
    reassign.add_argument("--staff-no", help="办理人工号（中心主任或管理员）；不给则以“命令行管理”办理")


def cmd_reassign(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    """Prints each case moved, then one summary line."""
    from app.services.cases.reassign import reassign

    done = reassign(db, actor, args.from_no, args.to_no, args.reason)
    for number in done.numbers:
        print(number)
    if done.in_transit:
        print(f"正在移交途中、未转办：{'、'.join(done.in_transit)}")
    print(done.summary)
    return 0




def add_report_parsers(cases_sub: Any) -> None:
    """`cases ledger` and `cases board`: the case ledger to .xlsx or .pdf, and the public board to .pdf."""
    from app.cli import date_arg

    ledger = cases_sub.add_parser("ledger", help="办件登记簿：按受理日期、状态、类型、经办人、事项导出 .xlsx 或打印 .pdf（不限行数）")
    ledger.add_argument("--from", dest="date_from", type=date_arg, help="受理日期自（YYYY-MM-DD）")
    ledger.add_argument("--to", dest="date_to", type=date_arg, help="受理日期至（含当天）")
    ledger.add_argument("--status", default="", help="状态代码或名称，如 accepted 或 办理中")
    ledger.add_argument("--class", dest="case_class", default="", help="办件类型代码或名称，如 promised 或 承诺件")
    ledger.add_argument("--staff", default="", help="经办人工号")
    ledger.add_argument("--item", default="", help="事项编码")
    ledger.add_argument("-o", "--output", type=Path, required=True, help="输出文件：.xlsx 或 .pdf")
    board = cases_sub.add_parser("board", help="超期公示：各窗口超期未办结和近期办结的办件（姓名已隐藏）生成 PDF")
    board.add_argument("--days", type=int, default=7, help="近几日办结（1至366，默认7）")
    board.add_argument("-o", "--output", type=Path, required=True, help="输出文件（.pdf）")


def cmd_report(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database]) -> int:
    """Writes the file whole or not at all (Ctrl+C leaves none); prints what was written."""
    from app.cli_progress import terminal_progress
    from app.safe_write import write_bytes_atomically
    from app.services.errors import ValidationError

    suffix = args.output.suffix.lower()
    if args.cases_command == "board":
        from app.services.cases.board import board_document

        if suffix != ".pdf":
            raise ValidationError("超期公示的输出文件应以 .pdf 结尾")
        if not 1 <= args.days <= 366:
            raise ValidationError("近期办结的天数应为1至366")
        write_bytes_atomically(args.output, board_document(open_db(args), args.days))
        print(f"已生成超期公示：{args.output}")
        return 0
    from app.services.cases.ledger import LedgerFilter, export_ledger, ledger_document

    if suffix not in (".xlsx", ".pdf"):
        raise ValidationError("办件登记簿的输出文件应以 .xlsx 或 .pdf 结尾")
    flt = LedgerFilter(args.date_from, args.date_to, args.status, args.case_class, args.staff, args.item)
    db = open_db(args)
    with terminal_progress() as progress:  # Ctrl+C: stopped between rows, no file written
        if suffix == ".xlsx":
            count = export_ledger(db, args.output, flt, progress)
        else:
            pdf = ledger_document(db, flt, "命令行", progress)
            write_bytes_atomically(args.output, pdf)
            count = -1
    print(f"已导出 {count} 件办件到 {args.output}" if count >= 0 else f"已生成办件登记簿：{args.output}")
    return 0


def add_transfer_parsers(cases_sub: Any) -> None:
    """transfer, receive, cancel-transfer: hand-overs between nodes (移交、接收、回传)."""
    transfer = cases_sub.add_parser("transfer", help="移交：把办件（一批）交给另一窗口或代办点，输出批次号；结果回传受理的代办点也用它")
    transfer.add_argument("numbers", nargs="+", metavar="NUMBER", help="办件编号（可多个）")
    transfer.add_argument("--to", dest="to_node", required=True, metavar="NODE_CODE", help="接收方的两位节点编号")
    transfer.add_argument("-o", "--output", type=Path, help="同时生成移交清单 PDF")
    receive = cases_sub.add_parser("receive", help="接收：纸质材料到达后逐件接收移交来的办件（扫描条码的编号）")
    receive.add_argument("numbers", nargs="+", metavar="NUMBER", help="办件编号（可多个）")
    cancel = cases_sub.add_parser("cancel-transfer", help="撤销移交：对方尚未接收的办件，或整批（批次号 YJ…）")
    cancel.add_argument("number", help="办件编号或移交批次号")
    for parser in (transfer, receive, cancel):
        parser.add_argument("--staff-no", help="经办人工号（须为在用账号）；不给则以“命令行管理”办理")


def print_transfer(db: Database, actor: Actor, key: str, output: Path) -> int:
    """The 移交清单 of a batch (or of a case's latest batch) to PDF, logged; a second print says 补打."""
    from app.safe_write import write_bytes_atomically
    from app.services.cases.transfers import batch_of, transfer_document
    from app.services.inquiries.notices import record_print

    if output.suffix.lower() != ".pdf":
        from app.services.errors import ValidationError

        raise ValidationError("输出文件应以 .pdf 结尾")
    batch = batch_of(db, key).batch
    pdf, reprint = transfer_document(db, batch)
    write_bytes_atomically(output, pdf)
    record_print(db, actor, "transfer", batch, "pdf")
    print(f"已生成移交清单{'（补打）' if reprint else ''}：{output}")
    return 0


def cmd_transfer(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], fallback: Actor) -> int:
    """Offers print the batch number alone on the last line; each receipt prints one line, and a scan
    that cannot be received says why without stopping the others (exit 1 if any failed)."""
    from app.services.cases import transfers
    from app.services.errors import UserError, ValidationError

    if args.cases_command == "transfer" and args.output is not None and args.output.suffix.lower() != ".pdf":
        raise ValidationError("输出文件应以 .pdf 结尾")  # checked before anything is handed over
    db = open_db(args)
    actor = clerk(db, args.staff_no, fallback)
    if args.cases_command == "cancel-transfer":
        for number in transfers.cancel_transfer(db, actor, args.number):
            print(f"已撤销移交：{number}")
        return 0
    if args.cases_command == "receive":
        failed = 0
        for number in args.numbers:
            try:
                got = transfers.receive_transfer(db, actor, number)
            except UserError as exc:
                failed += 1
                print(f"未接收：{exc.message}", file=sys.stderr)
                continue
            what = "回传" if got.is_return else "移交"
            print(f"已接收{what}：{got.number}　{got.applicant_name}　{got.item_name}（批次 {got.batch}，"
                  f"来自{transfers.node_name(db, got.from_node)}）")
        return 1 if failed else 0
    batch = transfers.offer_transfer(db, actor, args.numbers, args.to_node)
    what = "回传" if batch.is_return else "移交"
    print(f"已{what} {len(batch.cases)} 件给{transfers.node_name(db, batch.to_node)}，待对方扫描接收")
    if args.output is not None:
        print_transfer(db, actor, batch.number, args.output)
    print(batch.number)
    return 0

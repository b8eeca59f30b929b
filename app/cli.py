"""Command line: administrators' commands and the entry to the desktop workstation.

Every command takes --data-dir and --training; on failure it prints the reason (Chinese) on
stderr and exits non-zero, so scripts and acceptance checks can rely on the exit code.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

from app import __version__
from app.clock import local_today

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_CANCELLED = 130  # Ctrl+C: the work stopped where it safely could (app.cli_progress)


_ARGPARSE_MESSAGES = (  # argparse speaks English; the people at the window read Chinese
    (re.compile(r"^argument (\S+): invalid (?:int|_int_arg) value: (.*)$"), r"参数 \1 应为整数，收到的是 \2"),
    (re.compile(r"^argument (\S+): invalid choice: (.*?) \(choose from (.*)\)$"), r"参数 \1 不能为 \2，可选：\3"),
    (re.compile(r"^argument (\S+): expected one argument$"), r"参数 \1 后面应有一个值"),
    (re.compile(r"^argument (\S+): not allowed with argument (\S+)$"), r"参数 \1 不能与 \2 同时使用"),
    (re.compile(r"^argument (\S+): (.*)$"), r"参数 \1：\2"),
    (re.compile(r"^the following arguments are required: (.*)$"), r"缺少参数：\1"),
    (re.compile(r"^unrecognized arguments: (.*)$"), r"无法识别的参数：\1"),
)


def chinese_usage_error(message: str) -> str:
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


def date_arg(text: str) -> date:
    """A date typed on the command line, refused in Chinese (argparse's own message is English)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的日期，应为 YYYY-MM-DD（如 2026-11-29）") from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"参数错误：{chinese_usage_error(message)}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


COMPLAINT_PAPERS = {"complaint-receipt": "投诉登记回执", "complaint-reply": "投诉答复书（最近一次书面答复）"}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="main.py", description="乡镇民生服务中心窗口工作站")
    parser.add_argument("--version", action="version", version=f"民生服务工作站 {__version__}")
    parser.add_argument("--data-dir", type=Path, help="数据文件夹（默认为当前用户的数据文件夹）")
    parser.add_argument("--training", action="store_true", help="使用培训数据库（含演示数据和演示账号）")
    parser.add_argument("--smoke", action="store_true",
                        help="安装自检：在新的空数据文件夹中设置工作站、受理一件、生成回执并检查字体嵌入、显示登录窗口")
    parser.add_argument("--kiosk", action="store_true",
                        help="取号机：全屏显示业务类别供群众触摸取号、预约签到并打印排队小票（本机须已连接乡镇中心）")
    parser.add_argument("--hall", action="store_true",
                        help="叫号大厅屏幕：全屏显示正在叫的号和各类别等候人数并语音播报（有第二屏幕时显示在第二屏幕）")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    setup = sub.add_parser("setup", help="设置本工作站（不弹出对话框）")
    setup.add_argument("--center-code", required=True, help="服务中心所在乡镇的9位区划代码")
    setup.add_argument("--center-name", required=True, help="服务中心名称")
    setup.add_argument("--node-code", required=True, help="本机两位节点编号，01-99")
    setup.add_argument("--node-name", required=True, help="本机名称，如“1号综合受理窗口”")
    setup.add_argument("--node-kind", required=True, choices=["window", "agency"], help="窗口或村代办点")
    setup.add_argument("--admin-user", required=True, help="管理员工号（登录名）")
    setup.add_argument("--admin-password-stdin", action="store_true",
                       help="从标准输入的第一行读取管理员密码（至少8位，含字母和数字）；不给则在终端中提示输入两次")
    setup.add_argument("--admin-password", help=argparse.SUPPRESS)  # refused: argv is visible in `ps`
    setup.add_argument("--admin-name", default="系统管理员", help="管理员姓名")

    catalog = sub.add_parser("catalog", help="事项清单导入导出")
    catalog_sub = catalog.add_subparsers(dest="catalog_command", required=True, parser_class=_Parser)
    export = catalog_sub.add_parser("export", help="导出事项清单为 .json 或 .xlsx")
    export.add_argument("file", type=Path)
    export.add_argument("--active-only", action="store_true", help="不导出已停用事项")
    imp = catalog_sub.add_parser("import", help="从 .json 或 .xlsx 导入事项清单（有错则不做任何修改）")
    imp.add_argument("file", type=Path)
    retire = catalog_sub.add_parser("retire", help="停用事项（事项不会被删除）")
    retire.add_argument("code")
    retire.add_argument("--date", type=date_arg, default=None, help="停用日期，默认今天")

    notices = sub.add_parser("notices", help="一次性告知书")
    notices_sub = notices.add_subparsers(dest="notices_command", required=True, parser_class=_Parser)
    notices_list = notices_sub.add_parser("list", help="列出告知书（编号、事项编码、日期、经办人）")
    notices_list.add_argument("--json", action="store_true")

    printing = sub.add_parser("print", help="生成文书 PDF（记入打印记录，再次打印标“补打”）")
    print_sub = printing.add_subparsers(dest="print_command", required=True, parser_class=_Parser)
    for name, label in (("notice", "一次性告知书"), ("referral", "转介告知单"), ("receipt", "办件受理回执"),
                        ("slip", "办件类型通知书（承诺件、联办件、退办件、补办件）"),
                        ("decision", "决定告知书（准予或不予许可）"), ("completion", "办结通知书"),
                        ("delivery", "送达回证"), ("extension", "延期告知书（最近一次延期）"),
                        ("procedure", "特别程序告知书（最近一次）"), ("withdrawal", "撤回申请确认书")):
        doc = print_sub.add_parser(name, help=f"{label} PDF")
        doc.add_argument("number", help="文书编号")
        doc.add_argument("-o", "--output", type=Path, required=True, help="输出的 PDF 文件")

    for name, label in COMPLAINT_PAPERS.items():
        doc = print_sub.add_parser(name, help=f"{label} PDF")
        doc.add_argument("number", metavar="ID", help="投诉编号（TS…）或投诉 id")
        doc.add_argument("-o", "--output", type=Path, required=True, help="输出的 PDF 文件")
    rect_ledger = print_sub.add_parser("rectification-ledger", help="差评整改台账 PDF（横向 A4，不限行数）")
    rect_ledger.add_argument("--from", dest="date_from", type=date_arg, help="评价日期自（YYYY-MM-DD）")
    rect_ledger.add_argument("--to", dest="date_to", type=date_arg, help="评价日期至（含当天）")
    rect_ledger.add_argument("-o", "--output", type=Path, required=True, help="输出的 PDF 文件")

    transfer = print_sub.add_parser("transfer", help="移交清单（回传清单）PDF：移交批次号（YJ…）或其中一件的办件编号")
    transfer.add_argument("number", help="移交批次号或办件编号")
    transfer.add_argument("-o", "--output", type=Path, required=True, help="输出的 PDF 文件")

    inquiries = sub.add_parser("inquiries", help="首问登记")
    inquiries_sub = inquiries.add_subparsers(dest="inquiries_command", required=True, parser_class=_Parser)
    inquiries_export = inquiries_sub.add_parser("export", help="导出首问登记簿为 .xlsx")
    inquiries_export.add_argument("file", type=Path)

    workdays = sub.add_parser("workdays", help="工作日计算")
    workdays_sub = workdays.add_subparsers(dest="workdays_command", required=True, parser_class=_Parser)
    workdays_add = workdays_sub.add_parser("add", help="某日之后第N个工作日（当日不计）；超出已公布安排的标 provisional")
    workdays_add.add_argument("start", type=date_arg, help="起算日期 YYYY-MM-DD")
    workdays_add.add_argument("days", type=int, help="工作日数")

    calendar = sub.add_parser("calendar", help="节假日安排")
    calendar_sub = calendar.add_subparsers(dest="calendar_command", required=True, parser_class=_Parser)
    calendar_import = calendar_sub.add_parser("import", help="导入某年节假日安排（.csv 或 .json：date,kind,name）")
    calendar_import.add_argument("file", type=Path)
    calendar_show = calendar_sub.add_parser("show", help="列出某年的放假和调休上班日期")
    calendar_show.add_argument("year", type=int)

    cases = sub.add_parser("cases", help="办件")
    cases_sub = cases.add_subparsers(dest="cases_command", required=True, parser_class=_Parser)
    cases_list = cases_sub.add_parser("list", help="列出办件（编号、类型、事项编码、受理和办结日期、是否暂定、状态）")
    cases_list.add_argument("--json", action="store_true")
    from app.cases_cli import add_accept_parser, add_action_parsers

    add_accept_parser(cases_sub)
    add_action_parsers(cases_sub)

    demo = sub.add_parser("demo-data", help="填入演示数据：人员、部门名录、首问登记、告知书、办件（用于培训和演示）")
    demo.add_argument("--yes", action="store_true", help="确认向正式（非培训）数据库填入演示数据")

    staff = sub.add_parser("staff", help="人员账号")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True, parser_class=_Parser)
    staff_list = staff_sub.add_parser("list", help="列出人员")
    staff_list.add_argument("--json", action="store_true")
    from app.backup_cli import add_parsers as add_backup_parsers
    from app.center.cli import add_parsers as add_center_parsers
    from app.sync.cli import add_parsers as add_sync_parsers

    add_center_parsers(sub)
    add_sync_parsers(sub)
    add_backup_parsers(sub)
    from app.ratings_cli import add_parsers as add_ratings_parsers

    add_ratings_parsers(sub)
    from app.complaints_cli import add_parsers as add_complaints_parsers

    add_complaints_parsers(sub)
    from app.supervision_cli import add_parsers as add_supervision_parsers

    add_supervision_parsers(sub)
    from app.rectifications_cli import add_parsers as add_rectifications_parsers

    add_rectifications_parsers(sub)
    from app.stats_cli import add_parsers as add_stats_parsers

    add_stats_parsers(sub)
    from app.report_cli import add_parsers as add_report_parsers

    add_report_parsers(sub)
    from app.appointments_cli import add_parsers as add_appointments_parsers

    add_appointments_parsers(sub)
    from app.leave_cli import add_parsers as add_leave_parsers

    add_leave_parsers(sub)
    from app.duty_cli import add_parsers as add_duty_parsers

    add_duty_parsers(sub)
    from app.attendance_cli import add_parsers as add_attendance_parsers

    add_attendance_parsers(sub)
    from app.county.cli import add_parsers as add_county_parsers

    add_county_parsers(sub)
    from app.idcard_cli import add_parsers as add_idcard_parsers

    add_idcard_parsers(sub)
    from app.queue_cli import add_parsers as add_queue_parsers

    add_queue_parsers(sub)
    return parser


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from app.paths import default_data_dir
    from app.startup import open_workstation

    db, _report = open_workstation(args.data_dir or default_data_dir(), args.training)
    return db


def _cli_actor():  # type: ignore[no-untyped-def]
    from app.actor import Actor

    return Actor(staff_id=None, staff_no="cli", name="命令行管理", role="system")


def cmd_setup(args: argparse.Namespace) -> int:
    from app.password_input import ARGV_REFUSED, read_new_password
    from app.services.setup import SetupRequest, perform_setup

    if args.admin_password is not None:
        print(f"失败：{ARGV_REFUSED}", file=sys.stderr)
        return EXIT_USAGE
    password = read_new_password(args.admin_password_stdin, "管理员密码（至少8位，含字母和数字）")
    db = _open(args)
    perform_setup(
        db,
        SetupRequest(
            center_code=args.center_code,
            center_name=args.center_name,
            node_code=args.node_code,
            node_name=args.node_name,
            node_kind=args.node_kind,
            admin_user=args.admin_user,
            admin_password=password,
            admin_name=args.admin_name,
            training=args.training,
        ),
    )
    print(f"设置完成：{args.center_name} / {args.node_code} {args.node_name}，管理员 {args.admin_user}")
    return EXIT_OK


def cmd_catalog(args: argparse.Namespace) -> int:
    from app.services.catalog import items as catalog
    from app.services.catalog.files import read_catalog, write_catalog

    if args.catalog_command == "import":
        from app.cli_progress import terminal_progress
        from app.services.catalog.files import apply_catalog

        with terminal_progress() as progress:
            items = read_catalog(args.file, progress)  # checks the whole file before opening the database
            db = _open(args)
            report = apply_catalog(db, _cli_actor(), items, str(args.file), progress)
        print(f"导入完成：新增 {report.added} 项，更新 {report.updated} 项，未变 {report.unchanged} 项")
        return EXIT_OK
    db = _open(args)
    if args.catalog_command == "export":
        items = catalog.load_all(db)
        if args.active_only:
            items = [i for i in items if i.retired_on is None or i.retired_on > local_today()]
        write_catalog(args.file, items)
        print(f"已导出 {len(items)} 个事项到 {args.file}")
        return EXIT_OK
    when = args.date or local_today()
    catalog.retire_item(db, _cli_actor(), args.code, when)
    print(f"事项 {args.code} 自 {when.isoformat()} 起停用")
    return EXIT_OK


def cmd_staff(args: argparse.Namespace) -> int:
    from app.services.people.staff import list_staff

    records = list_staff(_open(args))
    if args.json:
        rows = [
            {"staff_no": r.staff_no, "name": r.name, "role": r.role, "workplace": r.workplace,
             "phone": r.phone, "backup": r.backup_name, "active": r.active, "locked": r.locked}
            for r in records
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in records:
            state = "在用" if r.active else "停用"
            print(f"{r.staff_no}\t{r.name}\t{r.role_label}\t{r.workplace}\t{state}")
    return EXIT_OK


def _print_json_rows(rows: Iterable[Mapping[str, object]]) -> None:
    """A JSON array written row by row, so a list of any length takes flat memory."""
    sys.stdout.write("[")
    for i, row in enumerate(rows):
        sys.stdout.write(("," if i else "") + "\n  " + json.dumps(row, ensure_ascii=False))
    sys.stdout.write("\n]\n")


def cmd_notices(args: argparse.Namespace) -> int:
    from app.services.inquiries.notices import iter_notices

    notices = iter_notices(_open(args))  # every notice, streamed
    if args.json:
        _print_json_rows(
            {"number": n.number, "item_code": n.item_code, "date": n.issued_at.astimezone().date().isoformat(),
             "issued_at": n.issued_at.isoformat(), "staff": n.staff_name, "staff_no": n.staff_no,
             "citizen": n.citizen_name, "missing": n.missing_count}
            for n in notices
        )
    else:
        for n in notices:
            print(f"{n.number}\t{n.item_code}\t{n.issued_at.astimezone():%Y-%m-%d %H:%M}\t{n.staff_name}\t{n.citizen_name}")
    return EXIT_OK


def cmd_print(args: argparse.Namespace) -> int:
    """A document to PDF: kept as issued on its first output, the stored one (marked 补打) after."""
    from app.services import documents

    if args.output.suffix.lower() != ".pdf":
        print("失败：输出文件应以 .pdf 结尾", file=sys.stderr)
        return EXIT_FAILED
    db = _open(args)
    if args.print_command == "transfer":  # between nodes, not handed to a citizen: not kept as issued
        from app.cases_cli import print_transfer

        return print_transfer(db, _cli_actor(), args.number, args.output)
    if args.print_command == "rectification-ledger":  # an internal ledger: nothing is kept as issued
        from app.rectifications_cli import print_ledger

        return print_ledger(db, args)
    doc_type = documents.receipt_type(db) if args.print_command == "receipt" else args.print_command
    if args.print_command in COMPLAINT_PAPERS:  # cmp_receipt, cmp_reply; the id is resolved to the number
        from app.services.complaints.documents import complaint_number

        doc_type, args.number = "cmp_" + args.print_command.removeprefix("complaint-"), complaint_number(db, args.number)
    document = documents.build_document(db, doc_type, args.number, reader=_cli_actor())  # a refusal writes no file
    from app.safe_write import write_bytes_atomically

    write_bytes_atomically(args.output, document.pdf)  # a full disk leaves no truncated PDF behind
    reprint = documents.issue(db, _cli_actor(), document, "pdf")
    print(f"已生成{document.title}{'（补打）' if reprint else ''}：{args.output}")
    return EXIT_OK


def cmd_inquiries(args: argparse.Namespace) -> int:
    from app.cli_progress import terminal_progress
    from app.services.inquiries.register import export_inquiries

    with terminal_progress() as progress:  # Ctrl+C leaves no file behind
        count = export_inquiries(_open(args), args.file, progress=progress)  # every entry, streamed
    print(f"已导出 {count} 条首问登记到 {args.file}")
    return EXIT_OK


def cmd_demo_data(args: argparse.Namespace) -> int:
    from app.node_identity import read_identity
    from app.services.demo_data import fill_demo_data
    from app.services.setup import is_set_up

    db = _open(args)
    if not is_set_up(db):
        print("失败：请先设置本工作站（setup），再填入演示数据", file=sys.stderr)
        return EXIT_FAILED
    identity = read_identity(db.path)
    from app.sync.client import load_state

    if load_state(db) is not None:  # staff are the centre's: demo accounts made here would exist only here
        print("失败：本工作站已加入乡镇中心，人员账号由中心统一管理。演示数据请在未加入中心的培训工作站填入"
              "（setup --training），或在中心（F9 人员管理）建立账号", file=sys.stderr)
        return EXIT_FAILED
    if identity is not None and not identity.training and not args.yes:
        print("失败：这是正式数据库。演示数据会加入密码公开的演示账号和虚构的登记、办件；"
              "确需填入请加 --yes，培训请用 --training", file=sys.stderr)
        return EXIT_FAILED
    added = fill_demo_data(db, _cli_actor())
    if added:
        print(f"已填入演示数据：{added} 条首问登记及相应的告知书、部门名录和演示账号（密码 px123456）")
    else:
        print("演示人员和部门已齐全；数据库中已有首问登记，未再添加")
    return EXIT_OK


def cmd_workdays(args: argparse.Namespace) -> int:
    from app.services.calendar.holidays import load_calendar
    from app.services.input_limits import check_day

    if not 0 <= args.days <= 3650:
        print("失败：工作日数应在0至3650之间", file=sys.stderr)
        return EXIT_FAILED
    check_day(args.start, "起算日期")  # 9999-12-20 would run past the last date there is
    print(load_calendar(_open(args)).add(args.start, args.days))
    return EXIT_OK


def cmd_calendar(args: argparse.Namespace) -> int:
    from app.models.calendar import DAY_KINDS
    from app.services.calendar.holidays import (
        import_calendar,
        load_calendar,
        read_calendar_file,
        year_days,
    )

    if args.calendar_command == "import":
        from app.cli_progress import terminal_progress

        data = read_calendar_file(args.file)  # the whole file is checked before anything changes
        db = _open(args)
        load_calendar(db)  # make sure earlier years are in place before the new ones
        with terminal_progress() as progress:  # one transaction, quick: a busy line, Ctrl+C only after it
            progress.point_of_no_return("正在导入节假日安排并重算在办办件的办结日期")
            change = import_calendar(db, _cli_actor(), data, source=args.file.name)
        print(f"已导入 {'、'.join(str(y) for y in change.years)} 年节假日安排，共 {data.day_count} 天；"
              f"{change.recomputed} 件在办办件的办结日期已重新计算")
        return EXIT_OK
    from app.services.input_limits import check_year

    check_year(args.year)
    db = _open(args)
    calendar = load_calendar(db)
    covered = "已公布" if args.year in calendar.covered_years else "未导入（按周一至周五计算，期限为暂定）"
    print(f"{args.year} 年节假日安排：{covered}")
    for day, kind, name in year_days(db, args.year):
        print(f"{day.isoformat()}\t{DAY_KINDS[kind]}\t{name}")
    return EXIT_OK


def cmd_cases(args: argparse.Namespace) -> int:
    from app.services.cases.lights import LIGHT_LABELS
    from app.services.cases.records import iter_cases
    from app.services.labels import class_label

    if args.cases_command == "accept":
        from app.cases_cli import cmd_accept

        return cmd_accept(args, _open, _cli_actor())
    from app.cases_cli import ACTIONS, cmd_action

    if args.cases_command in ACTIONS:
        return cmd_action(args, _open, _cli_actor())
    rows = (  # every case, streamed: a generator, never the whole list in memory
        {"number": c.number, "class": c.case_class, "case_class": c.case_class, "item_code": c.item.code,
         "accepted": c.accepted_at.astimezone().date().isoformat(),
         "due": c.due_date.isoformat() if c.due_date else None,
         "due_date": c.due_date.isoformat() if c.due_date else None, "provisional": c.provisional,
         "status": c.status, "status_label": c.status_label, "light": c.light.colour,
         "working_days_left": c.light.days_left, "owner_node": c.owner_node, "trips": c.trips,
         "query_code": c.query_code, "applicant": c.applicant_name}
        for c in iter_cases(_open(args))
    )
    if args.json:
        _print_json_rows(rows)
    else:
        for r in rows:
            flag = " 暂定" if r["provisional"] else ""
            light = LIGHT_LABELS.get(str(r["light"]), "")
            print(f"{r['number']}\t{class_label(str(r['class']))}\t{r['item_code']}\t{r['accepted']}\t{r['due'] or '—'}"
                  f"{flag}\t{r['status_label']}\t{light}")
    return EXIT_OK


def cmd_complaints(args: argparse.Namespace) -> int:
    from app.complaints_cli import cmd

    return cmd(args, _open, _cli_actor())


def cmd_supervision(args: argparse.Namespace) -> int:
    from app.supervision_cli import cmd

    return cmd(args, _open, _cli_actor())


def cmd_rectifications(args: argparse.Namespace) -> int:
    from app.rectifications_cli import cmd

    return cmd(args, _open, _cli_actor())


def cmd_center(args: argparse.Namespace) -> int:
    from app.center.cli import cmd_center as run

    return run(args)


def cmd_county(args: argparse.Namespace) -> int:
    from app.county.cli import cmd_county as run

    return run(args)


def cmd_join(args: argparse.Namespace) -> int:
    from app.sync.cli import cmd_join as run

    return run(args, _open(args))


def cmd_sync(args: argparse.Namespace) -> int:
    from app.sync.cli import cmd_sync as run

    return run(_open(args), args.prove)


def cmd_backup(args: argparse.Namespace) -> int:
    from app.backup_cli import cmd_backup as run

    return run(args)


def cmd_restore(args: argparse.Namespace) -> int:
    from app.backup_cli import cmd_restore as run

    return run(args)


def cmd_ratings(args: argparse.Namespace) -> int:
    from app.ratings_cli import cmd

    return cmd(args, _open, _cli_actor())


def cmd_attendance(args: argparse.Namespace) -> int:
    from app.attendance_cli import cmd

    return cmd(args, _open, _cli_actor())


def cmd_duty(args: argparse.Namespace) -> int:
    from app.duty_cli import cmd

    return cmd(args, _open, _cli_actor())


def cmd_leave(args: argparse.Namespace) -> int:
    from app.leave_cli import cmd

    return cmd(args, _open, _cli_actor())


def cmd_appointments(args: argparse.Namespace) -> int:
    from app.appointments_cli import cmd

    return cmd(args, _open, _cli_actor())


def cmd_stats(args: argparse.Namespace) -> int:
    from app.stats_cli import cmd

    return cmd(args, _open)


def cmd_report(args: argparse.Namespace) -> int:
    from app.report_cli import cmd

    return cmd(args, _open, _cli_actor())


def cmd_queue(args: argparse.Namespace) -> int:
    from app.queue_cli import cmd

    return cmd(args, _open, _cli_actor())


def cmd_gui(args: argparse.Namespace) -> int:
    from app.paths import default_data_dir
    from app.ui.app import run_gui

    return run_gui(args.data_dir or default_data_dir(), args.training, args.kiosk, args.hall)


def cmd_idcard(args: argparse.Namespace) -> int:
    from app.idcard_cli import cmd

    return cmd(args)


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_gui,
    "setup": cmd_setup,
    "catalog": cmd_catalog,
    "staff": cmd_staff,
    "notices": cmd_notices,
    "print": cmd_print,
    "inquiries": cmd_inquiries,
    "demo-data": cmd_demo_data,
    "workdays": cmd_workdays,
    "calendar": cmd_calendar,
    "cases": cmd_cases,
    "complaints": cmd_complaints,
    "rectifications": cmd_rectifications,
    "supervision": cmd_supervision,
    "center": cmd_center,
    "county": cmd_county,
    "join": cmd_join,
    "sync": cmd_sync,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "ratings": cmd_ratings,
    "stats": cmd_stats,
    "report": cmd_report,
    "appointments": cmd_appointments,
    "leave": cmd_leave,
    "duty": cmd_duty,
    "attendance": cmd_attendance,
    "idcard": cmd_idcard,
    "queue": cmd_queue,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.smoke:
        from app.smoke import run_smoke

        return run_smoke(args.data_dir)
    handler = COMMANDS[args.command]
    if (args.kiosk or args.hall) and args.command is not None:
        print("参数错误：--kiosk、--hall 只用于启动取号机或大厅屏幕，不能与命令同时使用", file=sys.stderr)
        return EXIT_USAGE
    if args.command is None:
        return handler(args)
    import logging

    from app.db_errors import friendly_error
    from app.logs import console_fallback
    from app.migrations import SchemaTooNewError
    from app.progress import CANCELLED_TEXT, Cancelled
    from app.services.errors import UserError
    from app.sync.transport import SyncError

    if not logging.getLogger().handlers:  # until the log file opens: no traceback on the console, ever
        console_fallback()
    try:
        return handler(args)
    except BrokenPipeError:  # output piped into `head` and closed: not a failure
        sys.stderr.close()
        return EXIT_OK
    except (Cancelled, KeyboardInterrupt):  # Ctrl+C: stopped at a safe point, or inside a transaction
        print(CANCELLED_TEXT, file=sys.stderr)
        return EXIT_CANCELLED
    except SyncError as exc:
        print(f"失败：{exc}", file=sys.stderr)
        return EXIT_FAILED
    except UserError as exc:
        print(f"失败：{exc.message}", file=sys.stderr)
        if len(exc.errors) > 1 or exc.errors[0] != exc.message:
            for line in exc.errors:
                print(f"  {line}", file=sys.stderr)
        return EXIT_FAILED
    except SchemaTooNewError as exc:
        print(f"失败：{exc}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # environment errors: give the one-line reason, keep the trace in the log
        from app.editions import WINDOW_EDITION_TEXT, left_out_of_bundle

        if left_out_of_bundle(exc):  # a centre or county command in the window bundle
            print(f"失败：{WINDOW_EDITION_TEXT}", file=sys.stderr)
            return EXIT_FAILED
        from app.paths import default_data_dir

        friendly = friendly_error(exc, args.data_dir or default_data_dir())
        if friendly is None and not isinstance(exc, OSError):
            raise
        # A warning, so the console fallback (errors only) stays quiet; the log file keeps the trace.
        logging.getLogger(__name__).warning("command failed: %s", exc, exc_info=True)
        if friendly is None:
            assert isinstance(exc, OSError)
            friendly = f"读写文件出错（{exc.strerror or exc.__class__.__name__}）：{exc.filename or ''}".rstrip("：")
        print(f"失败：{friendly}", file=sys.stderr)
        return EXIT_FAILED

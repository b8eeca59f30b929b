"""Command line: administrators' commands and the entry to the desktop workstation.

Every command takes --data-dir and --training; on failure it prints the reason (Chinese) on
stderr and exits non-zero, so scripts and acceptance checks can rely on the exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from app import __version__

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"参数错误：{message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="main.py", description="乡镇民生服务中心窗口工作站")
    parser.add_argument("--version", action="version", version=f"民生服务工作站 {__version__}")
    parser.add_argument("--data-dir", type=Path, help="数据文件夹（默认为当前用户的数据文件夹）")
    parser.add_argument("--training", action="store_true", help="使用培训数据库（含演示数据和演示账号）")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    setup = sub.add_parser("setup", help="设置本工作站（不弹出对话框）")
    setup.add_argument("--center-code", required=True, help="服务中心所在乡镇的9位区划代码")
    setup.add_argument("--center-name", required=True, help="服务中心名称")
    setup.add_argument("--node-code", required=True, help="本机两位节点编号，01-99")
    setup.add_argument("--node-name", required=True, help="本机名称，如“1号综合受理窗口”")
    setup.add_argument("--node-kind", required=True, choices=["window", "agency"], help="窗口或村代办点")
    setup.add_argument("--admin-user", required=True, help="管理员工号（登录名）")
    setup.add_argument("--admin-password", required=True, help="管理员密码（至少8位，含字母和数字）")
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
    retire.add_argument("--date", type=date.fromisoformat, default=None, help="停用日期，默认今天")

    staff = sub.add_parser("staff", help="人员账号")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True, parser_class=_Parser)
    staff_list = staff_sub.add_parser("list", help="列出人员")
    staff_list.add_argument("--json", action="store_true")
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
    from app.services.setup import SetupRequest, perform_setup

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
            admin_password=args.admin_password,
            admin_name=args.admin_name,
            training=args.training,
        ),
    )
    print(f"设置完成：{args.center_name} / {args.node_code} {args.node_name}，管理员 {args.admin_user}")
    return EXIT_OK


def cmd_catalog(args: argparse.Namespace) -> int:
    from app.services import catalog
    from app.services.catalog_io import read_catalog, write_catalog

    if args.catalog_command == "import":
        items = read_catalog(args.file)  # checks the whole file before opening the database
        db = _open(args)
        report = catalog.apply_items(db, _cli_actor(), items, source=str(args.file))
        print(f"导入完成：新增 {report.added} 项，更新 {report.updated} 项，未变 {report.unchanged} 项")
        return EXIT_OK
    db = _open(args)
    if args.catalog_command == "export":
        items = catalog.load_all(db)
        if args.active_only:
            items = [i for i in items if i.retired_on is None or i.retired_on > date.today()]
        write_catalog(args.file, items)
        print(f"已导出 {len(items)} 个事项到 {args.file}")
        return EXIT_OK
    when = args.date or date.today()
    catalog.retire_item(db, _cli_actor(), args.code, when)
    print(f"事项 {args.code} 自 {when.isoformat()} 起停用")
    return EXIT_OK


def cmd_staff(args: argparse.Namespace) -> int:
    from app.services.staff import list_staff

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


def cmd_gui(args: argparse.Namespace) -> int:
    from app.paths import default_data_dir
    from app.ui.app import run_gui

    return run_gui(args.data_dir or default_data_dir(), args.training)


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_gui,
    "setup": cmd_setup,
    "catalog": cmd_catalog,
    "staff": cmd_staff,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = COMMANDS[args.command]
    if args.command is None:
        return handler(args)
    from app.db_errors import friendly_db_error
    from app.migrations import SchemaTooNewError
    from app.services.errors import UserError

    try:
        return handler(args)
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
        friendly = friendly_db_error(exc)
        if friendly is None and not isinstance(exc, OSError):
            raise
        import logging

        logging.getLogger(__name__).exception("command failed")
        print(f"失败：{friendly or exc}", file=sys.stderr)
        return EXIT_FAILED

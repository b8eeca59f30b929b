"""`main.py county …`: the county subscribes to townships' centres, watches the subscriptions and prints
the statistics report across them."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.county.errors import CountyError

MAX_TOWNSHIPS = 50  # one command's --township list


def add_parsers(sub: Any) -> None:
    county = sub.add_parser("county", help="县级：订阅各乡镇中心（PostgreSQL 逻辑复制）、查看订阅状态、全县统计报表")
    county.add_argument("--db", help="县级 PostgreSQL 16+ 地址（密码请放 ~/.pgpass）；不给则使用内置数据库（数据文件夹下 county/）")
    csub = county.add_subparsers(dest="county_command", required=True)
    setup = csub.add_parser("setup", help="设置县级名称（报表标题用，如 镇赉县）")
    setup.add_argument("--name", required=True)
    subscribe = csub.add_parser("subscribe", help="订阅乡镇（地址为乡镇 center publish 打印的订阅地址）；"
                                                  "再次订阅同一乡镇则更新其地址和密码")
    subscribe.add_argument("--township", nargs="+", required=True, metavar="URL", help="乡镇订阅地址，可给多个")
    subscribe.add_argument("--password-stdin", action="store_true",
                           help="从标准输入逐行读取各乡镇订阅账号的密码（顺序同 --township）；不给则在终端中逐个提示输入")
    serve = csub.add_parser("serve", help="运行县级订阅服务：内置数据库随之运行；与乡镇的连接中断而停用的订阅自动恢复"
                                          "（Ctrl+C 停止）")
    serve.add_argument("--interval", type=float, default=30.0, help="检查间隔秒数（5–3600，默认 30）")
    status = csub.add_parser("status", help="各乡镇订阅：是否运行、延迟、出错次数、最近错误及修复方法")
    status.add_argument("--json", action="store_true")
    resume = csub.add_parser("resume", help="恢复因冲突停用的订阅（修复方法见 county status）")
    resume.add_argument("code", help="乡镇的9位区划代码")
    way = resume.add_mutually_exclusive_group()
    way.add_argument("--delete-conflict", action="store_true", help="先删除县级库中与乡镇冲突的那一行（按日志中的错误）")
    way.add_argument("--skip-lsn", metavar="LSN", help="跳过乡镇在该位置结束的整个事务（该事务的改动不会到达县级）")
    from app.report_cli import add_report_arguments

    add_report_arguments(csub.add_parser("report", help="全县各乡镇的月度或季度统计报表（PDF 含图表，或 Excel）"))


def _county(args: argparse.Namespace) -> Any:
    from urllib.parse import urlsplit

    from app.county.runtime import County
    from app.paths import default_data_dir

    if args.db and len(args.db) > 500:
        raise CountyError("--db 地址过长")
    if args.db and urlsplit(args.db).password:
        print("提示：--db 地址中的数据库密码在命令行上，本机其他用户能在进程列表中看到；"
              "建议改放在 ~/.pgpass（权限 0600）或 PGPASSWORD 环境变量中", file=sys.stderr)
    return County((args.data_dir or default_data_dir()) / "county", args.db)


def cmd_county(args: argparse.Namespace) -> int:
    """A refusal (CountyError, a UserError) is printed by app.cli.main as every command's is."""
    county = _county(args)
    try:
        return _COMMANDS[args.county_command](county, args)
    finally:
        county.close()


def _setup(county: Any, args: argparse.Namespace) -> int:
    print(f"县级名称已设为：{county.set_name(args.name)}")
    return 0


def _passwords(addresses: list[Any], from_stdin: bool) -> list[str]:
    """One password per township: in its URL (warned), a line of stdin each, or a hidden prompt each."""
    import getpass

    from app.county.conninfo import check_password
    from app.password_input import stdin_is_terminal

    out = []
    for address in addresses:
        if address.password is not None:
            print(f"提示：{address.url} 的密码写在命令行上，本机其他用户能看到；以后请按提示输入或用 --password-stdin",
                  file=sys.stderr)
            out.append(address.password)
        elif from_stdin:
            out.append(check_password(sys.stdin.readline().rstrip("\r\n")))
        elif stdin_is_terminal():
            out.append(check_password(getpass.getpass(f"{address.url} 的订阅账号密码：")))
        else:
            raise CountyError("没有可输入密码的终端：请在命令行窗口中运行，或加 --password-stdin 从标准输入逐行读取")
    return out


def _subscribe(county: Any, args: argparse.Namespace) -> int:
    from app.county.conninfo import parse_url
    from app.county.subscriptions import read_township, subscribe

    if len(args.township) > MAX_TOWNSHIPS:
        raise CountyError(f"一次最多订阅 {MAX_TOWNSHIPS} 个乡镇")
    addresses = [parse_url(url) for url in args.township]  # every address checked before anything connects
    passwords = _passwords(addresses, args.password_stdin)
    codes = [read_township(a, p)[0] for a, p in zip(addresses, passwords, strict=True)]
    if len(set(codes)) < len(codes):
        raise CountyError("给出的地址中有两个是同一个乡镇（区划代码相同）")
    for address, password in zip(addresses, passwords, strict=True):
        done = subscribe(county, address, password)
        verb = "已订阅" if done.created else "已更新订阅地址和密码："
        print(f"{verb}{done.name}（{done.code}），订阅 {done.subscription}；数据在后台复制，进度见 county status")
    return 0


def _serve(county: Any, args: argparse.Namespace) -> int:
    from app.county.service import serve

    serve(county, args.interval, say=lambda line: print(line, flush=True))
    return 0


def _status(county: Any, args: argparse.Namespace) -> int:
    from app.county.status import status_lines, township_status

    rows = township_status(county)
    if args.json:
        print(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if county.served_elsewhere() is False and rows:
        print("注意：county serve 没有在运行。内置数据库只在它运行时接收乡镇的数据，以下状态是本命令临时启动数据库时所见")
    print("\n".join(status_lines(rows)))
    return 0


def _resume(county: Any, args: argparse.Namespace) -> int:
    from app.county.subscriptions import resume

    for line in resume(county, args.code, args.delete_conflict, args.skip_lsn):
        print(line)
    return 0


def _report(county: Any, args: argparse.Namespace) -> int:
    from app.county.report import county_report
    from app.services.stats.report import as_of_text

    data = county_report(county, args.period, args.output)
    total = data.township.values
    towns = sum(1 for row in data.tables["township"].rows if row.key)
    print(f"已生成全县 {data.period.title} 统计报表：{args.output}（{towns} 个乡镇，受理 {total['accepted']} 件，"
          f"办结 {total['completed']} 件；{as_of_text(data.as_of)}）")
    return 0


_COMMANDS = {"setup": _setup, "subscribe": _subscribe, "serve": _serve, "status": _status, "resume": _resume,
             "report": _report}

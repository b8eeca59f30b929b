"""`main.py center …`: run the township centre and manage its devices."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any


def add_parsers(sub: Any) -> None:
    center = sub.add_parser("center", help="乡镇中心服务：启动、发放注册码、停用设备、查看状态")
    center.add_argument("--db", help="PostgreSQL 地址（postgresql://用户:密码@主机/库）；不给则使用内置数据库")
    csub = center.add_subparsers(dest="center_command", required=True)
    serve = csub.add_parser("serve", help="启动中心同步服务（首次启动需 --center-code 和 --center-name）")
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--tls-cert", type=Path)
    serve.add_argument("--tls-key", type=Path)
    serve.add_argument("--center-code", help="中心的9位行政区划代码（首次启动时）")
    serve.add_argument("--center-name", help="中心名称（首次启动时）")
    serve.add_argument("--admin-password-stdin", action="store_true",
                       help="首次启动时从标准输入的第一行读取中心管理员 8000 的初始密码；"
                            "不给则在终端中提示输入（直接回车或无终端时随机生成并只显示一次）")
    serve.add_argument("--admin-password", help=argparse.SUPPRESS)  # refused: argv is visible in `ps`
    code = csub.add_parser("enroll-code", help="为一个节点发放一次性注册码")
    code.add_argument("--node-code", required=True)
    code.add_argument("--node-name", required=True)
    code.add_argument("--kind", required=True, choices=["window", "agency", "director", "kiosk"],
                      help="window 窗口；agency 村(社区)代办点；director 中心主任；kiosk 大厅取号机或只作大厅屏幕的电脑（只取号、显示，不叫号）")
    revoke = csub.add_parser("revoke", help="停用一个节点的设备凭据")
    revoke.add_argument("--node-code", required=True)
    status = csub.add_parser("status", help="各节点的最后同步时间、待上传、时钟偏差、中心所存办件数")
    status.add_argument("--json", action="store_true")
    cat = csub.add_parser("catalog-import", help="在中心导入事项清单（.json/.xlsx），下发到各工作站")
    cat.add_argument("file", type=Path)
    cal = csub.add_parser("calendar-import", help="在中心导入节假日安排（.csv/.json），下发到各工作站")
    cal.add_argument("file", type=Path)
    csub.add_parser("new-generation", help="从备份恢复中心数据库后运行：各工作站将重新上传备份之后的数据")
    backup = csub.add_parser("backup", help="备份中心数据库（pg_dump 自定义格式），服务运行中也可备份")
    backup.add_argument("-o", "--output", type=Path, required=True, help="备份文件，如 /备份/中心-20261130.dump")
    backup.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    restore = csub.add_parser("restore", help="从 center backup 的备份恢复中心数据库（替换全部中心数据，先停止中心服务）")
    restore.add_argument("file", type=Path, help="备份文件")
    restore.add_argument("--yes", action="store_true", help="不再询问确认（脚本中使用）")
    from app.report_cli import add_report_arguments

    add_report_arguments(csub.add_parser("report", help="全镇各节点的月度或季度统计报表（PDF 含图表，或 Excel）"))
    from app.center.publication_cli import add_publish_parser

    add_publish_parser(csub)


def _center(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from urllib.parse import urlsplit

    from app.center.runtime import Center
    from app.paths import default_data_dir

    if args.db and urlsplit(args.db).password:  # kept working for existing set-ups, but said plainly
        print("提示：--db 地址中的数据库密码在命令行上，本机其他用户能在进程列表中看到；"
              "建议去掉密码，改放在 ~/.pgpass（权限 0600）或 PGPASSWORD 环境变量中", file=sys.stderr)

    return Center((args.data_dir or default_data_dir()) / "center", args.db)


def cmd_center(args: argparse.Namespace) -> int:
    from app.center.errors import CenterError

    center = _center(args)
    try:
        return _CENTER[args.center_command](center, args)
    except CenterError as exc:
        print(f"失败：{exc.message}", file=sys.stderr)
        return 1
    finally:
        center.close()


def _serve(center: Any, args: argparse.Namespace) -> int:
    from app.center.server import serve
    from app.logs import setup_logging
    from app.password_input import ARGV_REFUSED, read_new_password

    if args.admin_password is not None:
        print(f"失败：{ARGV_REFUSED}", file=sys.stderr)
        return 2
    setup_logging(center.folder / "logs")
    if not center.initialised:
        if not args.center_code or not args.center_name:
            print("失败：中心首次启动，请给出 --center-code（9位区划代码）和 --center-name", file=sys.stderr)
            return 1
        chosen = read_new_password(args.admin_password_stdin, "中心管理员 8000 的初始密码（直接回车则随机生成）",
                                   allow_empty=True)
        password = center.initialise(args.center_code, args.center_name, admin_password=chosen or None)
        print(f"中心已建立：{args.center_name}（{args.center_code}）")
        if chosen:
            print("中心管理员工号 8000，密码为刚才设定的密码（请为各岗位建立账号）")
        else:  # the only way the administrator learns it: shown once, never stored in clear
            print(f"中心管理员工号 8000，初始密码 {password}（只显示这一次，请记下；登录后在人员管理中修改）")
    else:
        if args.admin_password_stdin:
            print("提示：中心已建立，忽略 --admin-password-stdin（修改密码请登录后在人员管理中进行）", file=sys.stderr)
        center.publish()
    center.purge_tombstones()
    if bool(args.tls_cert) != bool(args.tls_key):
        print("失败：--tls-cert 和 --tls-key 需同时给出", file=sys.stderr)
        return 1
    from app.center.publication import PublishError, restore_listening

    try:  # pgserver starts the embedded server on its socket only: listen again where the county connects
        if restore_listening(center):
            print("已按 center publish 的设置重启内置数据库，县级可以连接", flush=True)
    except PublishError as exc:
        print(f"提示：{exc.message}", file=sys.stderr)
    scheme = "https" if args.tls_cert else "http"
    info = center.info()
    print(f"{info['center_name']} 同步服务：{scheme}://{args.host}:{args.port}（Ctrl+C 停止）", flush=True)
    serve(center.api, args.host, args.port, args.tls_cert, args.tls_key)
    return 0


def _enroll_code(center: Any, args: argparse.Namespace) -> int:
    from app.center.nodes import make_enroll_code

    code = make_enroll_code(center.engine, args.node_code, args.node_name, args.kind)
    print(code)
    print(f"（{args.node_code} {args.node_name} 的一次性注册码，7天内有效；在该机运行：main.py join 中心地址 注册码）",
          file=sys.stderr)
    return 0


def _revoke(center: Any, args: argparse.Namespace) -> int:
    from app.center.nodes import revoke

    if not revoke(center.engine, args.node_code):
        print(f"失败：没有在用的 {args.node_code} 号节点", file=sys.stderr)
        return 1
    print(f"{args.node_code} 号节点的设备已停用；它的下一次同步将被拒绝")
    return 0


def _status(center: Any, args: argparse.Namespace) -> int:
    from app.center.nodes import status

    rows = status(center.engine)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print("节点\t名称\t类型\t状态\t最后同步\t待上传\t时钟偏差(秒)\t中心所存办件")
    for r in rows:
        last = datetime.fromisoformat(r["last_sync_at"]).astimezone().strftime("%Y-%m-%d %H:%M") \
            if r["last_sync_at"] else "从未"
        print(f"{r['node_code']}\t{r['node_name']}\t{r['kind_label']}\t{r['state']}\t{last}\t"
              f"{r['backlog']}\t{r['clock_offset_s']}\t{r['cases']}")
    return 0


def _catalog_import(center: Any, args: argparse.Namespace) -> int:
    from app.actor import SYSTEM_ACTOR
    from app.services.catalog.files import read_catalog
    from app.services.catalog.items import apply_items

    items = read_catalog(args.file)
    report = apply_items(center.workspace(), SYSTEM_ACTOR, items, source=str(args.file))
    center.publish()
    print(f"导入完成：新增 {report.added} 项，更新 {report.updated} 项，未变 {report.unchanged} 项；各工作站下次同步时收到")
    return 0


def _calendar_import(center: Any, args: argparse.Namespace) -> int:
    from app.actor import SYSTEM_ACTOR
    from app.services.calendar.holidays import import_calendar, load_calendar, read_calendar_file

    data = read_calendar_file(args.file)
    ws = center.workspace()
    load_calendar(ws)
    change = import_calendar(ws, SYSTEM_ACTOR, data, source=args.file.name)
    center.publish()
    print(f"已导入 {'、'.join(str(y) for y in change.years)} 年节假日安排；各工作站下次同步时收到并重算在办办件期限")
    return 0


def _new_generation(center: Any, args: argparse.Namespace) -> int:
    from app.center.nodes import new_generation

    print(f"中心数据代号已更新为 {new_generation(center.engine)}；各工作站下次同步时补传并重新下载")
    return 0


def _backup(center: Any, args: argparse.Namespace) -> int:
    from app.center.backup import write_center_backup

    report = write_center_backup(center, args.output, force=args.force)
    archive = report.archive
    print(f"已备份中心数据库到 {report.path}（{_size(report.size)}，结构版本 {archive.revision}，"
          f"数据代号 {archive.generation}，用时 {report.seconds:.1f} 秒）")
    print("备份文件仅本用户可读；其中有人员密码和设备凭据的摘要，请妥善保管", file=sys.stderr)
    return 0


def _restore(center: Any, args: argparse.Namespace) -> int:
    from app.center.backup import plan_restore, restore_center
    from app.clock import utc_now
    from app.sync.outbox import KEEP_ACKED

    plan = plan_restore(center, args.file)
    archive = plan.archive
    made = archive.created_at.astimezone().strftime("%Y-%m-%d %H:%M") if archive.created_at else "时间不明"
    print(f"将用 {archive.path.name}（{archive.center_name} {archive.center_code}，{made} 的备份，"
          f"结构版本 {archive.revision}）替换{plan.target}中的全部中心数据")
    if not args.yes:
        if not sys.stdin.isatty():
            print("失败：恢复会替换全部中心数据，需要确认；在脚本中运行请加 --yes", file=sys.stderr)
            return 1
        try:
            answer = input("确认恢复请输入 yes：")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("yes", "是"):
            print("已取消，未作任何改动")
            return 1
    report = restore_center(center, args.file)
    print(f"已恢复中心数据库（用时 {report.seconds:.1f} 秒），现有办件 {report.cases} 件")
    if archive.revision != report.revision:
        print(f"数据库结构已由 {archive.revision} 升级到 {report.revision}")
    print(f"中心数据代号已更新为 {report.generation}；各工作站下次同步时补传备份之后的数据并重新下载")
    if report.rebased:
        print(f"备份来自另一台数据库服务器：已将 {report.rebased} 行移到同步顺序的开头，各工作站将完整重新下载")
    if plan.kept:
        print(f"节点 {'、'.join(plan.kept)} 在备份之后注册或更换了设备：沿用现在的设备凭据，并补传其保留的全部数据")
    if plan.still_revoked:
        print(f"节点 {'、'.join(plan.still_revoked)} 在备份之后已停用：仍为停用")
    if plan.publications:
        print(f"数据库中的逻辑复制发布（{'、'.join(plan.publications)}）随旧表失去了其中的表：请重新设置发布"
              "（center publish），并请县级系统刷新订阅", file=sys.stderr)
    if archive.created_at and utc_now() - archive.created_at > KEEP_ACKED:
        print(f"注意：备份距今已超过 {KEEP_ACKED.days} 天；工作站只保留 {KEEP_ACKED.days} 天内已确认的变更，"
              "备份之后更早确认的变更可能补不回来，请用 center status 核对各节点", file=sys.stderr)
    return 0


def _publish(center: Any, args: argparse.Namespace) -> int:
    from app.center.publication_cli import run_publish

    return run_publish(center, args)


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _report(center: Any, args: argparse.Namespace) -> int:
    from app.center.report import center_report

    data = center_report(center, args.period, args.output)
    total = data.township.values
    print(f"已生成全镇 {data.period.title} 统计报表：{args.output}（受理 {total['accepted']} 件，办结 {total['completed']} 件）")
    return 0


_CENTER = {"serve": _serve, "report": _report, "enroll-code": _enroll_code, "revoke": _revoke, "status": _status,
           "catalog-import": _catalog_import, "calendar-import": _calendar_import, "new-generation": _new_generation,
           "backup": _backup, "restore": _restore, "publish": _publish}

"""`main.py join …` and `main.py sync`: a workstation's side of replication on the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_parsers(sub: Any) -> None:
    join = sub.add_parser("join", help="用注册码把本工作站连接到乡镇中心")
    join.add_argument("url", help="中心地址，如 https://192.168.1.10:8765")
    join.add_argument("code", help="中心发放的一次性注册码")
    join.add_argument("--ca-cert", default="", help="中心自签证书的 CA 文件（使用 https 且非公共证书时）")
    sync = sub.add_parser("sync", help="立即与中心同步一次：全部上传且应下发的全部收到才返回 0")
    sync.add_argument("--prove", metavar="工号",
                      help="先以该中心主任或管理员身份向中心核验（密码从提示或标准输入读取），其暂存的中心数据修改随本次同步上传")


def cmd_join(args: argparse.Namespace, db: Any) -> int:
    from app.sync.join import join

    result = join(db, args.url, args.code, ca_cert=args.ca_cert)
    print(f"已连接 {result.center_name}：本机为 {result.node_code} 号（{result.node_name}）")
    report = _run(db)
    if not report.ok:
        print(f"首次同步未完成：{report.message}（稍后运行 main.py sync 重试）", file=sys.stderr)
        return 1
    print(f"首次同步完成：上传 {report.pushed} 条，接收 {report.pulled} 条")
    return 0


def _read_password(prompt: str) -> str:
    """From the terminal without echo, or the first line of standard input (scripts): never argv."""
    from app.password_input import read_stdin_password, stdin_is_terminal

    if stdin_is_terminal():
        import getpass

        return getpass.getpass(prompt)
    return read_stdin_password()


def _run(db: Any) -> Any:
    """One sync with its progress on the terminal; Ctrl+C stops it after the current page (kept)."""
    from app.cli_progress import terminal_progress
    from app.sync.client import SyncClient

    with terminal_progress() as progress:
        return SyncClient(db, progress=progress).run()


def cmd_sync(db: Any, prove: str | None = None) -> int:
    from app.sync.authority import held_count, vouch
    from app.sync.client import status_line
    from app.sync.tables import table_label
    from app.sync.upkeep import after_sync

    if prove:
        done = vouch(db, prove.strip(), _read_password(f"工号 {prove} 的密码："))
        print(f"中心已核验身份；{done.released} 条暂存的中心数据修改将随本次同步上传")
    report = _run(db)
    upkept = after_sync(db)  # as the desktop's sync does: ratings, leave, kiosk arrivals, 电子监察
    if upkept.arrivals:
        print(f"{upkept.arrivals} 个预约已在大厅取号机签到，已标记为到达")
    _state, waiting, issues = status_line(db)
    if report.ok and waiting:  # what the upkeep wrote (到达, default ratings) goes up now, not at the next sync
        report = _run(db)
        _state, waiting, issues = status_line(db)
    with db.engine.connect() as conn:
        held = held_count(conn)
    if report.ok and waiting == 0 and held == 0:
        print(f"同步完成：上传 {report.pushed} 条，接收 {report.pulled} 条")
        return 0
    reasons = [report.message] if report.message else []
    if report.rejected:
        reasons.append(f"中心有 {len(report.rejected)} 条未能接收，已隔离待处理：" +
                       "；".join(f"{table_label(t)} {i[:8]}…：{why}" for t, i, why in report.rejected[:5]))
    if waiting:
        reasons.append(f"仍有 {waiting} 条记录待上传")
    if held:
        reasons.append(f"有 {held} 条中心数据修改待中心核验身份：修改人可运行 main.py sync --prove 工号 核验后上传")
    if issues and not report.rejected:
        reasons.append(f"有 {issues} 条被中心隔离的记录待处理")
    print("同步未完成：" + "；".join(reasons or ["原因不明"]), file=sys.stderr)
    return 1

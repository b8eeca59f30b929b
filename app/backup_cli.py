"""`main.py backup -o FILE` and `main.py restore FILE`: the workstation's backups on the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from app.paths import DataLayout, default_data_dir


def add_parsers(sub: Any) -> None:
    backup = sub.add_parser("backup", help="备份工作站数据库（含已用编号记录，不含本机的中心连接凭据）")
    backup.add_argument("-o", "--output", type=Path, required=True, help="备份文件，如 D:\\备份\\工作站-20261120.sqlite3")
    restore = sub.add_parser("restore", help="从 backup 生成的备份恢复（空数据文件夹或同一节点的数据文件夹）")
    restore.add_argument("file", type=Path, help="备份文件")


def _layout(args: argparse.Namespace) -> DataLayout:
    return DataLayout(args.data_dir or default_data_dir(), args.training)


def cmd_backup(args: argparse.Namespace) -> int:
    from app.backup import write_backup

    layout = _layout(args)
    target = write_backup(layout.database, args.output, keep_token=False)
    size = target.stat().st_size / 1024 / 1024
    print(f"已备份到 {target}（{size:.1f} MB，已通过完整性检查；含已用编号记录，不含本机的中心连接凭据）")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from app.backup import restore
    from app.instance_lock import AlreadyRunningError, InstanceLock

    layout = _layout(args)
    try:
        with InstanceLock(layout):  # not while the desktop program has this database open
            report = restore(args.file, layout.database, layout.backups, training=args.training)
    except AlreadyRunningError as exc:
        print(f"失败：{exc.message}（恢复前请先退出工作站程序）", file=sys.stderr)
        return 1
    info = report.info
    made = datetime.fromisoformat(info.backup_at).astimezone().strftime("%Y-%m-%d %H:%M")
    print(f"已恢复 {info.center_name} {info.node_code} 号节点（{info.node_name}）{made} 的备份")
    if report.safety_copy is not None:
        print(f"恢复前的数据库已另存为 {report.safety_copy}")
    if report.must_rejoin:
        print("本机原已连接乡镇中心，备份中不含本机的连接凭据，须重新连接：请中心管理员运行 "
              f"main.py center revoke --node-code {info.node_code} 停用旧凭据，再用 center enroll-code 为 "
              f"{info.node_code} 号节点签发新的注册码，然后在本机运行 main.py join 中心地址 注册码。"
              "重新连接并同步一次之前，本机不能出具新编号。")
    elif info.joined:
        print("请尽快与中心同步一次（main.py sync 或窗口中的“立即同步”）：核对已用编号之前，本机不能出具新编号。")
    else:
        print("本机未连接中心：新编号接续备份中和本数据文件夹中记录的已用编号。")
    return 0

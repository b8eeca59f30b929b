"""`main.py center publish`: what a county needs to subscribe to this township, set up and printed.

Wired into `center` by app/center/cli.py (add_publish_parser, and run_publish in its command table).
"""

from __future__ import annotations

import argparse
from typing import Any

from app.center.publication import (
    DEFAULT_SLOT_KEEP,
    PUBLICATION,
    PUBLISHED_TABLES,
    READER_ROLE,
    PublishFacts,
    PublishOptions,
    publish,
)


def add_publish_parser(csub: Any) -> None:
    p = csub.add_parser("publish", help="向县级发布（PostgreSQL 逻辑复制）：设置数据库、建立发布和订阅账号，"
                                        "打印县级订阅所需的地址（重复运行不改变任何东西）")
    p.add_argument("--listen", default="*",
                   help="内置数据库监听的本机地址（默认 * 即所有网卡；多个用逗号分隔），端口 5432")
    p.add_argument("--allow", default="samenet",
                   help="允许县级连接的网段，如 10.20.0.0/16（默认 samenet：本机所在网段）")
    p.add_argument("--host", help="县级访问本机所用的地址，写入订阅地址（默认取本机地址）")
    p.add_argument("--slot-keep", default=DEFAULT_SLOT_KEEP,
                   help=f"县级长期未取数时最多为它保留的日志量（max_slot_wal_keep_size，默认 {DEFAULT_SLOT_KEEP}）；"
                        "超出后该县级订阅须重建")
    p.add_argument("--new-password", action="store_true", help="更换县级订阅账号的密码（县级随后须再运行一次 county subscribe）")


def facts_lines(facts: PublishFacts) -> list[str]:
    """The facts as printed, the password line apart (it is shown only when made)."""
    lines = [
        f"乡镇：{facts.center_name}（{facts.center_code}）",
        f"发布：{PUBLICATION}，整表发布 {len(PUBLISHED_TABLES)} 张表（插入、修改、删除；不发布清空）："
        + "、".join(PUBLISHED_TABLES),
        f"wal_level：{facts.wal_level}；复制槽最多保留日志（max_slot_wal_keep_size）：{facts.slot_keep}",
    ]
    if facts.listen:
        lines.append(f"内置数据库监听：{facts.listen}，端口 5432")
    lines.append(f"县级连接规则（pg_hba.conf）：{facts.hba_line}")
    lines.append(f"县级订阅地址：{facts.url}")
    lines.append(f"在县级运行：main.py county subscribe --township {facts.url}")
    for slot in facts.slots:
        lines.append(f"县级复制槽：{slot}")
    return lines


def run_publish(center: Any, args: argparse.Namespace) -> int:
    facts = publish(center, PublishOptions(listen=args.listen, allow=args.allow, host=args.host,
                                           slot_keep=args.slot_keep, new_password=args.new_password))
    for line in facts_lines(facts):
        print(line)
    if facts.password:
        print(f"订阅账号 {READER_ROLE} 的密码：{facts.password}（只显示这一次：请经可靠渠道交给县级管理员，"
              "县级订阅时按提示输入，不要写在命令行上）")
    else:
        print(f"订阅账号 {READER_ROLE} 的密码已在首次发布时显示，不再显示；遗失时运行 center publish --new-password，"
              "县级再运行一次 county subscribe 换用新密码")
    print("本次改动：" + "；".join(facts.changed) if facts.changed else "本次无改动（设置与上次相同）")
    for item in facts.to_do:
        print(f"待办：{item}")
    return 0

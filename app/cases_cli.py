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
    from app.services.auth import actor_of
    from app.services.errors import ValidationError

    with db.session() as s:
        member = s.scalar(select(Staff).where(Staff.staff_no == staff_no.strip()))
        if member is None or not member.active:
            raise ValidationError(f"工号 {staff_no} 不存在或已停用，不能作为经办人")
        return actor_of(member)


def cmd_accept(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], fallback: Actor) -> int:
    """Prints what was accepted, then the new case number alone on the last line."""
    from app.models.cases import class_label
    from app.services.case_import import accept_request, read_case_file
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

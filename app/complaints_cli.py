"""`complaints ...`: register, list, handle, reply, close and flag complaints from the command line.

`add --json FILE` reads and checks the whole file (bounded in size) before the data folder is opened,
so a bad file changes nothing. The command line reads as the "system" role, not a director: a
confidential complainant's name and phone are masked in its list.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.actor import Actor
from app.database import Database
from app.services.complaints.categories import CATEGORIES, FINDINGS, MODES
from app.services.complaints.complaints import ComplaintForm
from app.services.errors import ValidationError

MAX_BYTES = 64_000  # a complaint of 2,000 characters and its fields fit many times over
KEYS = {"category", "channel", "name", "phone", "anonymous", "confidential", "staff_no", "case_number",
        "content", "window", "item"}
TEXT_KEYS = ("channel", "name", "phone", "staff_no", "case_number", "content", "window", "item")


def add_parsers(sub: Any) -> None:
    from app.cli import _Parser, date_arg

    complaints = sub.add_parser("complaints", help="投诉登记与处理")
    csub = complaints.add_subparsers(dest="complaints_command", required=True, parser_class=_Parser)
    add = csub.add_parser("add", help="登记一件投诉（JSON 文件）；最后一行输出投诉编号")
    add.add_argument("--json", dest="json_file", metavar="FILE", required=True, type=Path,
                     help="UTF-8 JSON 对象，不超过64 KB：category(1-11)、channel、name、phone、anonymous、"
                          "confidential、staff_no、case_number、content")
    listing = csub.add_parser("list", help="列出投诉（实名在前）：编号、类别、状态、办理期限、预警")
    listing.add_argument("--json", action="store_true")
    handle = csub.add_parser("handle", help="交办：自办、转办或督办")
    handle.add_argument("id", help="投诉编号")
    handle.add_argument("--mode", required=True, choices=list(MODES), help="self 自办 / refer 转办 / supervise 督办")
    handle.add_argument("--department", default="", help="承办部门（转办、督办时必填）")
    handle.add_argument("--due", type=date_arg, default=None, help="承办期限 YYYY-MM-DD")
    reply = csub.add_parser("reply", help="答复投诉人")
    reply.add_argument("id", help="投诉编号")
    reply.add_argument("--text", required=True, help="答复内容")
    form = reply.add_mutually_exclusive_group(required=True)
    form.add_argument("--written", action="store_true", help="书面答复")
    form.add_argument("--oral", action="store_true", help="口头答复")
    satisfaction = csub.add_parser("satisfaction", help="登记回访满意度")
    satisfaction.add_argument("id", help="投诉编号")
    said = satisfaction.add_mutually_exclusive_group(required=True)
    said.add_argument("--satisfied", action="store_true", help="满意")
    said.add_argument("--dissatisfied", action="store_true", help="不满意")
    reopen = csub.add_parser("reopen", help="重新核实（投诉人不满意时）")
    reopen.add_argument("id", help="投诉编号")
    reopen.add_argument("--reason", required=True, help="重新核实的原因")
    close = csub.add_parser("close", help="办结并写明核实结论")
    close.add_argument("id", help="投诉编号")
    close.add_argument("--finding", required=True, choices=list(FINDINGS),
                       help="upheld 属实 / partly 部分属实 / unfounded 不属实")
    flagged = csub.add_parser("flagged", help="近十二个月被投诉属实两次及以上的工作人员")
    flagged.add_argument("--json", action="store_true")


def read_complaint_file(path: Path) -> ComplaintForm:
    """The form in the file, or ValidationError naming what is wrong (nothing is opened yet)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ValidationError(f"找不到文件：{path}") from None
    except (IsADirectoryError, PermissionError):
        raise ValidationError(f"无法读取 {path}") from None
    if len(raw) > MAX_BYTES:
        raise ValidationError(f"投诉文件过大：不能超过 {MAX_BYTES // 1000} KB")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError("投诉文件应为 UTF-8 编码的 JSON 对象") from None
    if not isinstance(data, dict):
        raise ValidationError("投诉文件应为 JSON 对象")
    errors = [f"无法识别的字段：{key}"[:80] for key in data if key not in KEYS]
    category = data.get("category")
    if isinstance(category, bool) or not isinstance(category, int):
        errors.append("category（投诉类别）应为1至11的整数")
        category = 0
    for key in TEXT_KEYS:
        if not isinstance(data.get(key, ""), str):
            errors.append(f"{key} 应为文字")
    for key in ("anonymous", "confidential"):
        if not isinstance(data.get(key, False), bool):
            errors.append(f"{key} 应为 true 或 false")
    if errors:
        raise ValidationError("投诉文件有误，未登记", errors)
    return ComplaintForm(category=category, channel=data.get("channel", ""), content=data.get("content", ""),
                         name=data.get("name", ""), phone=data.get("phone", ""),
                         anonymous=data.get("anonymous", False), confidential=data.get("confidential", False),
                         staff_no=data.get("staff_no", ""), window=data.get("window", ""),
                         item=data.get("item", ""), case_number=data.get("case_number", ""))


def cmd(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], fallback_actor: Actor) -> int:
    from app.services.complaints import handling
    from app.services.complaints.complaints import register

    command = args.complaints_command
    if command == "add":
        form = read_complaint_file(args.json_file)  # checked before the data folder is opened
        db = open_db(args)
        number = register(db, fallback_actor, form)
        print(f"已登记投诉：第{form.category}类 {CATEGORIES.get(form.category, '')}")
        print(number)
        return 0
    db = open_db(args)
    if command == "list":
        return _list(db, fallback_actor, args.json)
    if command == "flagged":
        return _flagged(db, args.json)
    if command == "handle":
        handling.handle(db, fallback_actor, args.id, args.mode, args.department, args.due)
        print(f"已交办：{args.id}")
    elif command == "reply":
        handling.reply(db, fallback_actor, args.id, "written" if args.written else "oral", args.text)
        print(f"已答复：{args.id}")
    elif command == "satisfaction":
        handling.record_satisfaction(db, fallback_actor, args.id, bool(args.satisfied))
        print(f"已登记回访：{args.id}")
    elif command == "reopen":
        handling.reopen(db, fallback_actor, args.id, args.reason)
        print(f"已重新核实：{args.id}")
    elif command == "close":
        handling.close(db, fallback_actor, args.id, args.finding)
        print(f"已办结：{args.id}（{FINDINGS[args.finding]}）")
    return 0


def _list(db: Database, reader: Actor, as_json: bool) -> int:
    from app.cli import _print_json_rows
    from app.services.complaints.complaints import iter_complaints

    rows = ({"id": r.id, "number": r.number, "category": r.category, "channel": r.channel, "name": r.name,
             "anonymous": r.anonymous, "confidential": r.confidential, "staff_no": r.staff_no,
             "status": r.status, "status_label": r.status_label, "due_date": r.due_date.isoformat(),
             "light": r.light.colour, "working_days_left": r.light.days_left, "finding": r.finding,
             "satisfied": r.satisfied}
            for r in iter_complaints(db, reader))  # streamed
    if as_json:
        _print_json_rows(rows)
        return 0
    for r in rows:
        who = "匿名" if r["anonymous"] else str(r["name"])
        print(f"{r['number']}\t{r['category']}类\t{who}\t{r['status_label']}\t{r['due_date']}\t{r['light']}")
    return 0


def _flagged(db: Database, as_json: bool) -> int:
    from app.clock import utc_now
    from app.services.complaints.complaints import flagged_staff

    found = flagged_staff(db, utc_now())
    if as_json:
        json.dump([{"staff_no": f.staff_no, "name": f.name, "upheld": f.upheld, "numbers": list(f.numbers)}
                   for f in found], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for f in found:
        print(f"{f.staff_no}\t{f.name}\t属实{f.upheld}次\t{'、'.join(f.numbers)}")
    if not found:
        print("近十二个月没有被投诉属实两次及以上的工作人员")
    return 0

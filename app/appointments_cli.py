"""`appointments ...`: book (预约、上门), list a day, check in, mark no-shows, cancel, and record 延时服务.

`add --json FILE` reads and checks the whole file (bounded in size, every object's fields typed) before
the data folder is opened, and books every appointment in it or none, in the name of --staff-no or, without
it, of 命令行管理 as `cases accept` does (staff key "cli", which the statistics label 命令行管理, not a clerk). `list --json` writes one object per
appointment under stable English keys (AppointmentRecord.as_json).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.actor import Actor
from app.database import Database
from app.services.appointments.booking import MAX_BATCH, AppointmentForm
from app.services.errors import ValidationError
from app.services.input_limits import parse_json

MAX_BYTES = 256_000  # 200 appointments of a few hundred bytes each fit easily
REQUIRED = ("item_code", "name", "phone", "date", "slot")
TEXT_KEYS = ("item_code", "name", "phone", "date", "slot", "channel", "kind", "purpose", "window", "id_number",
             "address", "reason", "visitor_no")
FIELDS_HELP = ("UTF-8 JSON 对象或对象数组（不超过256 KB、200个）。必填：item_code 事项编码、name 姓名、"
               "phone 联系电话、date 日期 YYYY-MM-DD、slot 时段如 08:30-09:30；可选：channel "
               "onsite现场/phone电话(默认)/online网上、kind visit到窗口(默认)/home上门服务、purpose accept办理(默认)/"
               "inquiry咨询、window 窗口（默认本人所在窗口）、id_number 身份证号；上门服务另填 address 地址、"
               "reason elderly老年/sick患病/disabled残疾/alone孤寡、visitor_no 上门人员工号")


def add_parsers(sub: Any) -> None:
    from app.cli import _Parser, date_arg

    appointments = sub.add_parser("appointments", help="预约、上门服务与延时服务")
    asub = appointments.add_subparsers(dest="appointments_command", required=True, parser_class=_Parser)
    add = asub.add_parser("add", help="登记预约（JSON 文件）；每行输出一个预约号")
    add.add_argument("--json", dest="json_file", metavar="FILE", required=True, type=Path, help=FIELDS_HELP)
    add.add_argument("--staff-no", help="登记人工号（须为在用账号）；不给则以“命令行管理”登记")
    listing = asub.add_parser("list", help="列出某日的预约（默认今天）")
    listing.add_argument("--date", type=date_arg, default=None, help="日期 YYYY-MM-DD，默认今天")
    listing.add_argument("--json", action="store_true")
    for name, text in (("check-in", "登记到达"), ("no-show", "标记未到（预约时段开始后）"), ("cancel", "取消预约")):
        command = asub.add_parser(name, help=text)
        command.add_argument("number", help="预约号")
    after = asub.add_parser("after-hours", help="登记延时服务（办公时间以外或非工作日）")
    after.add_argument("--staff", required=True, help="服务人员工号")
    after.add_argument("--from", dest="started", required=True, help="开始时间 YYYY-MM-DDTHH:MM")
    after.add_argument("--to", dest="ended", required=True, help="结束时间 YYYY-MM-DDTHH:MM")
    after.add_argument("--item", default="", help="事项编码")
    after.add_argument("--case", default="", help="办件编号")
    after.add_argument("--text", default="", help="服务内容")


def read_appointments_file(path: Path) -> list[AppointmentForm]:
    """The forms in the file, or ValidationError naming every problem (nothing is opened yet)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ValidationError(f"找不到文件：{path}") from None
    except (IsADirectoryError, PermissionError):
        raise ValidationError(f"无法读取 {path}") from None
    if len(raw) > MAX_BYTES:
        raise ValidationError(f"预约文件过大：不能超过 {MAX_BYTES // 1000} KB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("预约文件应为 UTF-8 编码的 JSON") from None
    data = parse_json(text)
    objects = data if isinstance(data, list) else [data]
    if not objects or not all(isinstance(o, dict) for o in objects):
        raise ValidationError("预约文件应为 JSON 对象或对象数组")
    if len(objects) > MAX_BATCH:
        raise ValidationError(f"一次最多登记{MAX_BATCH}个预约")
    errors: list[str] = []
    forms: list[AppointmentForm] = []
    for n, obj in enumerate(objects, start=1):
        where = f"第{n}个预约：" if len(objects) > 1 else ""
        problems = [f"无法识别的字段：{key}"[:80] for key in obj if key not in TEXT_KEYS]
        problems += [f"{key} 应为文字" for key in TEXT_KEYS if not isinstance(obj.get(key, ""), str)]
        problems += [f"缺少 {key}" for key in REQUIRED if not obj.get(key)]
        day = date.min
        if not problems:
            try:
                day = date.fromisoformat(obj["date"].strip())
            except ValueError:
                problems.append(f"date “{obj['date'][:20]}”不是有效日期，应为 YYYY-MM-DD")
        if problems:
            errors += [where + p for p in problems]
            continue
        forms.append(AppointmentForm(
            item_code=obj["item_code"], citizen_name=obj["name"], citizen_phone=obj["phone"], day=day,
            slot=obj["slot"], channel=obj.get("channel", "phone"), kind=obj.get("kind", "visit"),
            purpose=obj.get("purpose", "accept"), window=obj.get("window", ""),
            citizen_id_number=obj.get("id_number", ""), address=obj.get("address", ""),
            reason=obj.get("reason", ""), visitor_no=obj.get("visitor_no", "")))
    if errors:
        raise ValidationError("预约文件有误，未登记", errors)
    return forms


def _moment(text: str, label: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip()[:32])
    except ValueError:
        raise ValidationError(f"{label}“{text[:32]}”不是有效时间，应为 YYYY-MM-DDTHH:MM") from None


def cmd(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], fallback_actor: Actor) -> int:
    from app.cases_cli import clerk
    from app.services.appointments import checkin
    from app.services.appointments.booking import book_many

    command = args.appointments_command
    if command == "add":
        forms = read_appointments_file(args.json_file)  # checked before the data folder is opened
        db = open_db(args)
        records = book_many(db, clerk(db, args.staff_no, fallback_actor), forms)
        for record in records:
            print(record.number)
        return 0
    if command == "after-hours":
        from app.services.appointments.after_hours import AfterHoursForm, record_after_hours

        form = AfterHoursForm(_moment(args.started, "开始时间"), _moment(args.ended, "结束时间"), args.text,
                              args.item, args.case, args.staff)
        done = record_after_hours(open_db(args), fallback_actor, form)
        print(f"已登记延时服务：{done.staff_name} {done.started_at.astimezone():%Y-%m-%d %H:%M}-"
              f"{done.ended_at.astimezone():%H:%M}（{done.minutes}分钟）")
        return 0
    db = open_db(args)
    if command == "list":
        return _list(db, args.date, args.json)
    actions = {"check-in": (checkin.check_in, "已登记到达"), "no-show": (checkin.mark_no_show, "已标记未到"),
               "cancel": (checkin.cancel, "已取消")}
    action, done_text = actions[command]
    record = action(db, fallback_actor, args.number)
    print(f"{done_text}：{record.number}（{record.citizen_name}，{record.day.isoformat()} {record.slot}）")
    return 0


def _list(db: Database, day: date | None, as_json: bool) -> int:
    from app.cli import _print_json_rows
    from app.clock import local_today
    from app.services.appointments.booking import iter_appointments

    records = iter_appointments(db, day or local_today())  # streamed
    if as_json:
        _print_json_rows(r.as_json() for r in records)
        return 0
    for r in records:
        print(f"{r.number}\t{r.slot}\t{r.window}\t{r.kind_label}\t{r.citizen_name}\t{r.item_name}\t{r.status_label}"
              f"\t{r.case_number or ''}")
    return 0

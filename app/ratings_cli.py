"""`ratings add | defaults | list`: giving a rating (好差评) from the command line, running the default
job, and listing every rating (streamed, as JSON for other tools)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from app.actor import Actor
from app.database import Database


def _level(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("评价等级应为 1 至 5 的整数") from None
    if not 1 <= value <= 5:
        raise argparse.ArgumentTypeError("评价等级应为 1（非常不满意）至 5（非常满意）")
    return value


def add_parsers(sub: Any) -> None:
    """The `ratings` command and its sub-commands."""
    from app.services.ratings.codes import CITIZEN_CHANNELS, MAX_TEXT

    ratings = sub.add_parser("ratings", help="好差评")
    rsub = ratings.add_subparsers(dest="ratings_command", required=True)
    add = rsub.add_parser("add", help="为已办结的办件、首问登记或一次性告知书记录一条评价（首评或追评）")
    add.add_argument("number", help="办件、首问登记或告知书编号")
    add.add_argument("--level", type=_level, required=True, help="5 非常满意，4 满意，3 基本满意，2 不满意，1 非常不满意")
    add.add_argument("--reasons", default="", help="评价原因代码，逗号分隔，如 207,213（不满意、非常不满意必填）")
    add.add_argument("--text", default="", help=f"评价内容（不超过{MAX_TEXT}字）")
    add.add_argument("--channel", choices=CITIZEN_CHANNELS, default="window",
                     help="评价渠道：window 窗口评价器，qr 扫码，phone 电话回访，sms 短信，backfill 补录")
    add.add_argument("--private", action="store_true", help="不公开")
    rsub.add_parser("defaults", help="为办结满5个工作日仍未评价的办件记“基本满意”（默认评价，可重复运行）")
    listing = rsub.add_parser("list", help="列出全部评价")
    listing.add_argument("--json", action="store_true")


def cmd(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], fallback_actor: Actor) -> int:
    from app.services.ratings.codes import channel_label
    from app.services.ratings.ratings import add_rating, iter_ratings
    from app.services.ratings.upkeep import run_upkeep

    db = open_db(args)
    if args.ratings_command == "add":
        reasons = [r for r in (part.strip() for part in args.reasons.replace("，", ",").split(",")) if r]
        record = add_rating(db, fallback_actor, args.number, args.level, reasons, args.text, args.channel, args.private)
        print(f"{record.target_number}：{record.which}“{record.level_label}”已记录（{channel_label(record.channel)}，"
              f"被评价人 {record.staff_name} {record.staff_no}）")
        return 0
    if args.ratings_command == "defaults":
        done = run_upkeep(db)
        print(f"默认评价（基本满意）：新记 {done.defaults} 条")
        if done.opened:
            print(f"他处（扫码）给出的差评：新开整改 {done.opened} 件")
        return 0
    if args.json:
        rows = ({"id": r.id, "target": r.target_number, "target_kind": r.target_kind, "level": r.level,
                 "level_label": r.level_label, "reasons": list(r.reasons), "channel": r.channel,
                 "provenance": r.provenance, "private": r.private, "rated_at": r.rated_at.isoformat(),
                 "staff_no": r.staff_no, "which": r.which, "counts": r.counts, "excluded": r.excluded}
                for r in iter_ratings(db))
        sys.stdout.write("[")
        for i, row in enumerate(rows):
            sys.stdout.write(("," if i else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        sys.stdout.write("\n]\n")
        return 0
    for r in iter_ratings(db):
        mark = "" if r.counts else "（不计：已有后一评价）"
        print(f"{r.target_number}\t{r.which}\t{r.level_label}{mark}\t{','.join(r.reasons) or '—'}\t"
              f"{channel_label(r.channel)}\t{r.staff_no}\t{r.rated_at.astimezone().isoformat(timespec='minutes')}")
    return 0

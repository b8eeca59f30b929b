"""`supervision scan | list`: the automatic supervision records (电子监察) on demand, and every 督办 seen here.

`scan` is what the workstation runs after each sync and at start-up: run it again and it writes nothing
twice. `list` streams every 督办 (page by page, never cut off) as tab-separated lines or as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

from app.actor import Actor
from app.database import Database
from app.services.paging import STREAM_CHUNK
from app.services.supervision.records import SupervisionItem, list_supervisions

STATES = ("all", "pending", "overdue", "answered", "open")


def add_parsers(sub: Any) -> None:
    from app.cli import _Parser

    supervision = sub.add_parser("supervision", help="督办与电子监察")
    ssub = supervision.add_subparsers(dest="supervision_command", required=True, parser_class=_Parser)
    ssub.add_parser("scan", help="为本机办理的超期办件、超期后申请延期、不予许可（受理）未说明理由的办件生成监察记录（可重复运行）")
    listing = ssub.add_parser("list", help="列出督办：办件编号、规则、预警、责任窗口、答复期限、状态")
    listing.add_argument("--state", choices=STATES, default="all",
                         help="all 全部，pending 待答复，overdue 逾期未答复，answered 已答复，open 未答复")
    listing.add_argument("--json", action="store_true")


def _all(db: Database, state: str) -> Iterator[SupervisionItem]:
    offset = 0
    while True:
        page = list_supervisions(db, state, offset=offset, limit=STREAM_CHUNK)
        yield from page.rows
        offset += len(page.rows)
        if not page.rows or offset >= page.total:
            return


def _as_json(item: SupervisionItem) -> dict[str, Any]:
    return {"id": item.id, "number": item.number, "target_kind": item.target_kind, "case_number": item.case_number,
            "content": item.content, "org_name": item.org_name, "issued_at": item.issued_at.isoformat(),
            "rule_code": item.rule_code, "warning_type": item.warning_type, "state_at": item.state_at.isoformat(),
            "result": item.result, "window": item.window, "to_node": item.to_node,
            "due_date": item.due_date.isoformat(), "issued_by": item.issued_by_name, "auto": item.auto,
            "state": item.state, "answer": item.answer_text or None, "answer_result": item.answer_result or None,
            "answered_at": item.answered_at.isoformat() if item.answered_at else None}


def cmd(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], Database], fallback_actor: Actor) -> int:
    from app.services.supervision.auto import scan

    db = open_db(args)
    if args.supervision_command == "scan":
        done = scan(db)
        print(f"电子监察：新生成 超期未办结 {done.overdue} 条、超期后申请延期 {done.late_extension} 条、"
              f"不予许可（受理）未说明理由 {done.no_reason} 条")
        return 0
    if args.json:
        sys.stdout.write("[")
        for i, item in enumerate(_all(db, args.state)):
            sys.stdout.write(("," if i else "") + "\n  " + json.dumps(_as_json(item), ensure_ascii=False))
        sys.stdout.write("\n]\n")
        return 0
    for item in _all(db, args.state):
        print(f"{item.case_number}\t{item.rule_code} {item.rule_label}\t{item.warning_label}\t"
              f"{item.window or '—'}（{item.to_node}）\t{item.due_date.isoformat()}\t{item.state_label}")
    return 0

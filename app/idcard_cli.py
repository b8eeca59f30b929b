"""`idcard read --simulate FILE.json`: what the acceptance form (F6) would receive from that card, after the same
checks a card placed on the reader passes. Nothing is filled or stored; a bad file or card exits 1."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def add_parsers(sub: Any) -> None:
    from app.cli import _Parser

    idcard = sub.add_parser("idcard", help="身份证阅读器")
    isub = idcard.add_subparsers(dest="idcard_command", required=True, parser_class=_Parser)
    read = isub.add_parser("read", help="读一张（模拟）身份证，显示受理（F6）表单将填入的内容；不填入、不保存")
    read.add_argument("--simulate", type=Path, required=True, metavar="FILE.json",
                      help="模拟身份证文件（JSON：name、sex、nation、birth、address、id_number、authority、"
                           "valid_from、valid_to，可选 photo_file 或 photo_base64）")
    read.add_argument("--json", action="store_true", help="以 JSON 输出")


def cmd(args: argparse.Namespace) -> int:
    from app.services.idcard.card import check_card
    from app.services.idcard.simulated import load_card_file

    fill = check_card(load_card_file(args.simulate))  # ValidationError: main() prints it and exits 1
    if args.json:
        print(json.dumps({"applicant_name": fill.name, "applicant_id_type": fill.id_type,
                          "applicant_id_number": fill.id_number, "applicant_address": fill.address,
                          "card": {label: value for label, value in fill.card_lines()}},
                         ensure_ascii=False, indent=2))
        return 0
    print("受理（F6）将填入：")
    for label, value in fill.form_lines():
        print(f"  {label}：{value}")
    print("证件上的其他信息（仅供核对，不保存）：")
    for label, value in fill.card_lines():
        print(f"  {label}：{value}")
    return 0

"""Filling a workstation database with many cases quickly (Core inserts, same tables and triggers)."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from app.database import Database
from app.ids import uuid7
from app.models import Case

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
GIVEN = "桂芳秀英兰建国伟强军平丽华敏静杰涛明超勇娟艳霞刚辉玲磊洋春梅红志海斌宇鹏凤云亮林飞波燕雪琴晶"


def fake_cases(count: int, center: str = "220821100", node: str = "01", seed: int = 7,
               snapshot: str = "{}") -> list[dict[str, object]]:
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    rows = []
    for i in range(count):
        day = start + timedelta(days=i // 400)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        accepted = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        row: dict[str, object] = {
                "id": uuid7(), "origin_node": node, "created_at": accepted, "updated_at": accepted,
                "number": f"{center}{node}{day:%y%m%d}{i % 400 + 1:05d}",
                "query_code": f"{node}{i:06X}"[:8],
                "case_class": "promised", "class_reason": "", "status": rng.choice(("accepted", "done", "done")),
                "item_code": "SB-002", "item_name": "城乡居民基本养老保险待遇领取", "item_snapshot": snapshot,
                "applicant_kind": "individual", "applicant_name": name, "applicant_name_rev": name[::-1],
                "applicant_id_type": "resident",
                "applicant_id_number": f"220821{rng.randint(1940, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                                       f"{rng.randint(0, 9999):04d}",
                "applicant_phone": f"139{rng.randint(0, 99999999):08d}", "applicant_address": "镇赉镇",
                "contact_name": "", "agent_name": "", "agent_relation": "", "agent_id_type": "", "agent_id_number": "",
                "agent_phone": "", "materials": json.dumps([]), "missing_reason": "", "rejection_reason": "",
                "lead_window": "", "co_departments": "", "accepted_at": accepted, "time_limit_days": 10,
                "clock_start": day, "due_date": day + timedelta(days=14), "provisional": False, "notice_number": "",
                "staff_id": None, "staff_name": "李秀兰", "staff_no": "8001", "staff_workplace": "1号窗口",
                "staff_phone": "",
            }
        row["applicant_id_rev"] = str(row["applicant_id_number"])[::-1]
        rows.append(row)
    return rows


PER_DAY = 1500  # a busy centre's day: 1M synthetic cases end in late 2025, before any real acceptance


def synthetic_number(n: int) -> tuple[str, date]:
    day = date(2024, 1, 1) + timedelta(days=n // PER_DAY)
    return f"22082110001{day:%y%m%d}{n % PER_DAY + 1:05d}", day


def fill(db: Database, count: int, first: int = 0, batch: int = 20_000) -> None:
    """Insert synthetic cases number `first` .. `first + count - 1` through the real table and triggers."""
    from app.services.catalog import items as catalog
    from app.services.catalog.data import item_to_dict

    item = catalog.load_item(db, "SB-002")
    snapshot = json.dumps(item_to_dict(item), ensure_ascii=False, sort_keys=True) if item else "{}"
    done = 0
    while done < count:
        rows = fake_cases(min(batch, count - done), seed=first + done, snapshot=snapshot)
        for offset, row in enumerate(rows):
            n = first + done + offset
            row["number"], day = synthetic_number(n)
            row["query_code"] = f"01{n:06X}"
            row["accepted_at"] = row["created_at"] = row["updated_at"] = datetime(
                day.year, day.month, day.day, 9, tzinfo=UTC)
        with db.engine.begin() as conn:
            conn.execute(insert(Case), rows)
        done += len(rows)
